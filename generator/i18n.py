"""Locale formatting (Babel): hours in words, times, dates, lists, language and country names.

Every language formats with CLDR data for its own locale, never the machine's, so output does not
depend on where it is built.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Mapping

from generator.content.model import MINUTES_PER_DAY, Closures, Interval, Schedule, Site

# Importing babel.dates works out the machine's time zone (babel.localtime), which no output uses:
# with pytz installed (vobject needs it), that stats every zone file pytz knows, a twentieth of a
# small build. Babel reads TZ first, so it is told UTC while it loads, and TZ is then put back.
# Its data, unpickled by any of its functions, imports babel.dates too: so it is imported here,
# before any of them runs.
_machine_tz = os.environ.get("TZ")
os.environ["TZ"] = "UTC"
try:
    from babel import Locale
    from babel.dates import format_date, format_time, get_day_names
    from babel.lists import format_list
finally:
    if _machine_tz is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = _machine_tz


def named(site: Site) -> Site:
    """The site with every language named: its own `name`, or CLDR's name for it in itself,
    capitalised as a menu item ("Español", "English"). Loading CLDR data is slow, so validation
    leaves this to rendering."""
    languages = []
    for language in site.languages:
        if not language.name:
            parsed = Locale.parse(language.locale)
            own = parsed.languages.get(parsed.language) or language.locale
            language = language._replace(name=own[:1].upper() + own[1:])
        languages.append(language)
    return site._replace(languages=tuple(languages))


def country_name(country: str, locale: str) -> str:
    """A country's name in the given locale (CO → "Colombia")."""
    return str(Locale.parse(locale).territories.get(country, country))


def format_minutes(minutes: int, locale: str) -> str:
    """A time of day, given in minutes after midnight (any day), in the locale's short form."""
    minutes %= MINUTES_PER_DAY
    return format_time(datetime.time(minutes // 60, minutes % 60), "short", locale=locale)


def format_day(day: datetime.date, locale: str) -> str:
    return format_date(day, "long", locale=locale)


class HoursWriter:
    """Puts schedules into words for one language: "lunes a viernes, 7:00 a. m. – 7:00 p. m."."""

    def __init__(self, locale: str, strings: Mapping[str, str]) -> None:
        self.locale = locale
        self.strings = strings
        self.day_names = get_day_names("wide", locale=locale)

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
            ranges = [
                f"{format_minutes(opens, self.locale)} – {format_minutes(closes, self.locale)}"
                for opens, closes in spans
            ]
            phrases.append(f"{self.days(days)}, {format_list(ranges, locale=self.locale)}")
        return phrases

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
        return format_list(parts, locale=self.locale)

    def closures(self, closures: Closures) -> str:
        parts = []
        if closures.holidays:
            parts.append(self.strings["closed_on_holidays"])
        if closures.dates:
            dates = [format_day(day, self.locale) for day in sorted(closures.dates)]
            parts.append(self.strings["closed_on_dates"].format(dates=format_list(dates, locale=self.locale)))
        return "; ".join(parts)
