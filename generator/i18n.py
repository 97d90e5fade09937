"""Locale formatting (Babel): hours in words, times, dates, lists, language and country names.

Every language formats with CLDR data for its own locale, never the machine's, so output does not
depend on where it is built.

Each of Babel's answers is kept in the build cache, keyed by Babel's version and the question:
loading a locale's CLDR data, which Babel does whole on its first question, is an eighth of the
seed's build, and a build whose wording did not change asks nothing new.
"""

from __future__ import annotations

import datetime
import functools
import os
from collections.abc import Callable, Mapping, Sequence
from types import ModuleType
from typing import Any

from generator.cache import MEMORY, BuildCache
from generator.content.model import MINUTES_PER_DAY, Closures, Interval, Schedule, Site


def _answer(cache: BuildCache, question: list[Any], babel: Callable[[], Any]) -> Any:
    """Babel's answer to `question`, from `cache` or from `babel()`."""
    return cache.answer("babel", question, babel)


@functools.cache
def _babel_dates() -> ModuleType:
    """babel.dates, imported without reading the machine's time zone.

    Importing it works out the machine's zone (babel.localtime), which no output uses: with pytz
    installed (vobject needs it), that stats every zone file pytz knows. Babel reads TZ first, so it
    is told UTC while it loads, and TZ is then put back. Babel's locale data, unpickled by any of its
    functions, imports babel.dates too: every question goes through here before Babel loads any.
    """
    machine_tz = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    try:
        import babel.dates
    finally:
        if machine_tz is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = machine_tz
    return babel.dates


def _locale(locale: str) -> Any:
    _babel_dates()
    from babel import Locale

    return Locale.parse(locale)


def named(site: Site, cache: BuildCache = MEMORY) -> Site:
    """The site with every language named: its own `name`, or CLDR's name for it in itself,
    capitalised as a menu item ("Español", "English"). Loading CLDR data is slow, so validation
    leaves this to rendering."""
    languages = []
    for language in site.languages:
        if not language.name:
            own = _answer(cache, ["language", language.locale], functools.partial(_own_name, language.locale))
            language = language._replace(name=own[:1].upper() + own[1:])
        languages.append(language)
    return site._replace(languages=tuple(languages))


def _own_name(locale: str) -> str:
    parsed = _locale(locale)
    return str(parsed.languages.get(parsed.language) or locale)


def country_name(country: str, locale: str, cache: BuildCache = MEMORY) -> str:
    """A country's name in the given locale (CO → "Colombia")."""
    return str(
        _answer(
            cache, ["country", country, locale], lambda: _locale(locale).territories.get(country, country)
        )
    )


def format_minutes(minutes: int, locale: str, cache: BuildCache = MEMORY) -> str:
    """A time of day, given in minutes after midnight (any day), in the locale's short form."""
    minutes %= MINUTES_PER_DAY
    time = datetime.time(minutes // 60, minutes % 60)
    return str(
        _answer(
            cache, ["time", minutes, locale], lambda: _babel_dates().format_time(time, "short", locale=locale)
        )
    )


def format_day(day: datetime.date, locale: str, cache: BuildCache = MEMORY) -> str:
    """A date in the locale's long form ("29 de noviembre de 2026")."""
    return str(
        _answer(
            cache,
            ["date", day.isoformat(), locale],
            lambda: _babel_dates().format_date(day, "long", locale=locale),
        )
    )


def format_list(items: Sequence[str], locale: str, cache: BuildCache = MEMORY) -> str:
    """Items joined as the locale lists them ("a, b y c")."""

    def babel() -> str:
        _babel_dates()
        from babel.lists import format_list

        return format_list(list(items), locale=locale)

    return str(_answer(cache, ["list", list(items), locale], babel))


def day_names(locale: str, cache: BuildCache = MEMORY) -> list[str]:
    """The days of the week as the locale writes them, Monday first."""

    def babel() -> list[str]:
        names = _babel_dates().get_day_names("wide", locale=locale)
        return [str(names[day]) for day in range(7)]

    return list(_answer(cache, ["days", locale], babel))


class HoursWriter:
    """Puts schedules into words for one language: "lunes a viernes, 7:00 a. m. – 7:00 p. m."."""

    def __init__(self, locale: str, strings: Mapping[str, str], cache: BuildCache = MEMORY) -> None:
        self.locale = locale
        self.strings = strings
        self.cache = cache
        self.day_names = day_names(locale, cache)

    def schedule(self, schedule: Schedule) -> str:
        """The whole schedule, closures included, as one sentence fragment."""
        *hours, exceptions = self.lines(schedule)
        phrase = "; ".join(hours)
        return f"{phrase} ({exceptions})" if exceptions else phrase

    def lines(self, schedule: Schedule) -> list[str]:
        """The schedule's phrases, one per group of days, then its closures ('' when none)."""
        hours = [self.strings["always_open"]] if schedule.always else self.weekly(schedule.weekly)
        return [*hours, self.closures(schedule.closures)]

    def weekly(self, intervals: tuple[Interval, ...]) -> list[str]:
        """One phrase per group of days that share the same hours, in week order."""
        by_day: dict[int, list[tuple[int, int]]] = {}
        for interval in intervals:
            for day in interval.days:
                by_day.setdefault(day, []).append((interval.opens, interval.closes))
        groups: dict[tuple[tuple[int, int], ...], list[int]] = {}
        for day in sorted(by_day):
            groups.setdefault(tuple(sorted(by_day[day])), []).append(day)
        phrases = []
        for spans, days in sorted(groups.items(), key=lambda item: item[1][0]):
            ranges = [f"{self.time(opens)} – {self.time(closes)}" for opens, closes in spans]
            phrases.append(f"{self.days(days)}, {format_list(ranges, self.locale, self.cache)}")
        return phrases

    def time(self, minutes: int) -> str:
        return format_minutes(minutes, self.locale, self.cache)

    def days(self, days: list[int]) -> str:
        """Days of the week as people say them: runs of three or more become ranges."""
        if len(days) == 7:
            return self.strings["every_day"]
        runs: list[list[int]] = []
        for day in days:
            if runs and runs[-1][-1] == day - 1:
                runs[-1].append(day)
            else:
                runs.append([day])
        parts: list[str] = []
        for run in runs:
            if len(run) >= 3:
                first, last = self.day_names[run[0]], self.day_names[run[-1]]
                parts.append(self.strings["day_range"].format(first=first, last=last))
            else:
                parts.extend(self.day_names[day] for day in run)
        return format_list(parts, self.locale, self.cache)

    def closures(self, closures: Closures) -> str:
        parts = []
        if closures.holidays:
            parts.append(self.strings["closed_on_holidays"])
        if closures.dates:
            dates = [format_day(day, self.locale, self.cache) for day in sorted(closures.dates)]
            listed = format_list(dates, self.locale, self.cache)
            parts.append(self.strings["closed_on_dates"].format(dates=listed))
        return "; ".join(parts)
