"""Wording: one language's dates, times, lists, names and hours in words (Babel's CLDR data).

Every language formats with CLDR data for its own locale, never the machine's, so output does not
depend on where it is built.

Each of Babel's answers is kept in the build cache, keyed by the question: loading a locale's CLDR
data, which Babel does whole on its first question, is an eighth of the seed's build, and a build
whose wording did not change asks nothing new.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from babel import Locale
from babel.lists import format_list

from generator.cache import BuildCache, register
from generator.content.model import (
    MINUTES_PER_DAY,
    Closures,
    Interval,
    Language,
    Opening,
    Schedule,
    Season,
    SpecialDay,
    weekday_runs,
)

BABEL = register("babel", packages=("babel",), modules=(__name__,))


class Wording:
    """How one language says things: Babel's formats for its locale, and its interface strings."""

    def __init__(self, language: Language, strings: Mapping[str, str], cache: BuildCache) -> None:
        self.language = language
        self.locale = language.locale
        self.strings = strings
        self.cache = cache
        self.day_names: list[str] = self._ask(("days",), self._babel_day_names)

    def _ask(self, question: tuple[Any, ...], babel: Callable[[], Any]) -> Any:
        """Babel's answer to `question` in this locale, from the cache or from `babel()`."""
        return self.cache.answer(BABEL, (*question, self.locale), babel)

    @property
    def own_name(self) -> str:
        """The language's name in itself: the content's, else CLDR's, capitalised as a menu item."""
        if self.language.name:
            return self.language.name
        own: str = self._ask(("language",), self._babel_own_name)
        return own[:1].upper() + own[1:]

    @property
    def direction(self) -> str:
        """ "rtl" for a locale CLDR writes right to left (Arabic, Hebrew, Persian), else "ltr"."""
        return str(self._ask(("direction",), self._babel_direction))

    @property
    def time_options(self) -> dict[str, str]:
        """Intl.DateTimeFormat's options for the locale's short time as CLDR writes it: "07:00"
        or "7:00", a 12- or 24-hour clock, so that the page's script writes times as Babel does."""
        pattern = re.sub(r"'[^']*'", "", self._ask(("time pattern",), self._babel_time_pattern))
        letter = next(char for char in pattern if char in "HhKk")
        return {
            "hour": "2-digit" if letter * 2 in pattern else "numeric",
            "minute": "2-digit",
            "hourCycle": {"H": "h23", "h": "h12", "K": "h11", "k": "h24"}[letter],
        }

    def country(self, country: str) -> str:
        """A country's name in this language (CO → "Colombia")."""
        return str(self._ask(("country", country), functools.partial(self._babel_country, country)))

    def time(self, minutes: int) -> str:
        """A time of day, given in minutes after midnight (any day), in the locale's short form."""
        minutes %= MINUTES_PER_DAY
        return str(self._ask(("time", minutes), functools.partial(self._babel_time, minutes)))

    def date(self, day: datetime.date) -> str:
        """A date in the locale's long form ("29 de noviembre de 2026")."""
        return str(self._ask(("date", day.isoformat()), functools.partial(self._babel_date, day, "long")))

    def day(self, day: datetime.date, *, yearly: bool = False) -> str:
        """One day with its weekday ("Thursday, December 24, 2026"), or, every year, its month
        and day only ("December 24")."""
        if not yearly:
            ask = functools.partial(self._babel_date, day, "full")
            return str(self._ask(("date", "full", day.isoformat()), ask))
        ask = functools.partial(self._babel_skeleton, "MMMMd", day)
        return str(self._ask(("skeleton", "MMMMd", day.isoformat()), ask))

    def dates(self, first: datetime.date, last: datetime.date, *, yearly: bool = False) -> str:
        """A day, or a range of days as the locale says it ("28–30 de diciembre de 2026"); every
        year, without the year ("1 July – 31 August")."""
        if first == last:
            return self.day(first, yearly=yearly)
        skeleton = "MMMMd" if yearly else "yMMMMd"
        ask = functools.partial(self._babel_interval, skeleton, first, last)
        return str(self._ask(("interval", skeleton, first.isoformat(), last.isoformat()), ask))

    def moment(self, local: datetime.datetime) -> str:
        """A day and a time of day, as the locale joins them ("Saturday, December 12, 2026, 10:00 PM")."""
        glue: str = self._ask(("datetime glue",), self._babel_datetime_glue)
        time = self.time(local.hour * 60 + local.minute)
        return glue.replace("{1}", self.day(local.date())).replace("{0}", time)

    def window(self, starts: datetime.datetime, ends: datetime.datetime | None) -> str:
        """From one local moment to another ("… 10:00 PM to Sunday, …, 4:00 AM"), the second day
        said only when it differs; with no end, since when."""
        if ends is None:
            return self.strings["notice_since"].format(starts=self.moment(starts))
        same_day = ends.date() == starts.date()
        end = self.time(ends.hour * 60 + ends.minute) if same_day else self.moment(ends)
        return self.strings["notice_window"].format(starts=self.moment(starts), ends=end)

    def listing(self, items: Sequence[str]) -> str:
        """Items joined as the locale lists them ("a, b y c")."""
        return str(self._ask(("list", list(items)), functools.partial(self._babel_list, list(items))))

    # --- Babel, only for an answer the cache lacks: babel.dates loads on first use --------------

    def _babel_day_names(self) -> list[str]:
        from babel.dates import get_day_names

        names = get_day_names("wide", locale=self.locale)
        return [str(names[day]) for day in range(7)]

    def _babel_own_name(self) -> str:
        parsed = Locale.parse(self.locale)
        return str(parsed.languages.get(parsed.language) or self.locale)

    def _babel_direction(self) -> str:
        return "rtl" if Locale.parse(self.locale).character_order == "right-to-left" else "ltr"

    def _babel_time_pattern(self) -> str:
        return str(Locale.parse(self.locale).time_formats["short"].pattern)

    def _babel_country(self, country: str) -> str:
        return str(Locale.parse(self.locale).territories.get(country, country))

    def _babel_time(self, minutes: int) -> str:
        from babel.dates import format_time

        return str(format_time(datetime.time(minutes // 60, minutes % 60), "short", locale=self.locale))

    def _babel_date(self, day: datetime.date, form: str) -> str:
        from babel.dates import format_date

        return str(format_date(day, form, locale=self.locale))

    def _babel_skeleton(self, skeleton: str, day: datetime.date) -> str:
        from babel.dates import format_skeleton

        return str(format_skeleton(skeleton, day, locale=self.locale))

    def _babel_interval(self, skeleton: str, first: datetime.date, last: datetime.date) -> str:
        from babel.dates import format_interval

        return str(format_interval(first, last, skeleton, locale=self.locale))

    def _babel_datetime_glue(self) -> str:
        # CLDR's pattern joining a date ({1}) and a time ({0}); quoted literals lose their quotes.
        return str(Locale.parse(self.locale).datetime_formats["medium"]).replace("'", "")

    def _babel_list(self, items: list[str]) -> str:
        return str(format_list(items, locale=self.locale))

    # --- hours in words -------------------------------------------------------------------------

    def schedule(self, schedule: Schedule) -> str:
        """The whole schedule, closures included, as one sentence fragment."""
        *hours, exceptions = self.lines(schedule)
        phrase = self.strings["clause_separator"].join(hours)
        return f"{phrase} ({exceptions})" if exceptions else phrase

    def lines(self, schedule: Schedule, since: datetime.date | None = None) -> list[str]:
        """The schedule's phrases, one per group of days, then one per season (but those once
        that ended before `since`), then its closures ('' when none). Special days are said apart
        (`special_day`): they fall on dates."""
        hours = [self.strings["always_open"]] if schedule.always else self.weekly(schedule.weekly)
        seasons = [
            self.season(season)
            for season in schedule.seasons
            if since is None or season.dates.yearly or season.dates.last >= since
        ]
        return [*hours, *seasons, self.closures(schedule.closures)]

    def season(self, season: Season) -> str:
        """A season in words: "Summer hours (July 1 – August 31): Monday to Friday, 8:00 – 15:00"."""
        dates = season.dates
        return self.strings["season_hours"].format(
            season=season.name[self.language.code],
            dates=self.dates(dates.first, dates.last, yearly=dates.yearly),
            hours=self.strings["clause_separator"].join(self.weekly(season.weekly)),
        )

    def special_day(self, special: SpecialDay, first: datetime.date, last: datetime.date) -> str:
        """A special day on the dates it falls on, with its label and its hours (or closed)."""
        hours = self.openings(special.hours) if special.hours else self.strings["closed_all_day"]
        dates = self.dates(first, last)
        if special.label is None:
            return self.strings["special_day"].format(dates=dates, hours=hours)
        label = special.label[self.language.code]
        return self.strings["special_day_label"].format(label=label, dates=dates, hours=hours)

    def openings(self, openings: Sequence[Opening]) -> str:
        """A day's openings: "9:00 – 13:00 and 16:00 – 1:00"."""
        return self.listing([f"{self.time(o.opens)} – {self.time(o.closes)}" for o in sorted(openings)])

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
            hours = self.openings([Opening(*span) for span in spans])
            phrases.append(self.strings["days_hours"].format(days=self.days(days), hours=hours))
        return phrases

    def days(self, days: Sequence[int]) -> str:
        """Days of the week as people say them: runs of three or more become ranges."""
        if len(days) == 7:
            return self.strings["every_day"]
        parts: list[str] = []
        for run in weekday_runs(days):
            if len(run) >= 3:
                first, last = self.day_names[run[0]], self.day_names[run[-1]]
                parts.append(self.strings["day_range"].format(first=first, last=last))
            else:
                parts.extend(self.day_names[day] for day in run)
        return self.listing(parts)

    def closures(self, closures: Closures) -> str:
        parts = []
        if closures.holidays:
            parts.append(self.strings["closed_on_holidays"])
        if closures.dates:
            listed = self.listing([self.date(day) for day in sorted(closures.dates)])
            parts.append(self.strings["closed_on_dates"].format(dates=listed))
        return self.strings["clause_separator"].join(parts)
