"""Schedule semantics, in one place: when is a schedule open?

The page text, the open-now data, the calendars and the structured data all ask this module, so
they cannot disagree. Times are wall-clock times in the schedule's own zone; an interval that
starts on a closed date does not happen (the same rule a calendar's EXDATE expresses).

Public holidays come from the holidays package, whose answers are kept in the build cache
(`PublicHolidays`): importing it loads every country's module, which would double `check`.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable, Mapping
from typing import NamedTuple
from zoneinfo import ZoneInfo

from generator.cache import BuildCache, register
from generator.content.model import MINUTES_PER_DAY, Closures, Interval, Schedule

WEEK_MINUTES = 7 * MINUTES_PER_DAY
HOLIDAYS = register("holidays", packages=("holidays",), modules=(__name__,))

Span = tuple[datetime.datetime, datetime.datetime]


def overlapping_intervals(intervals: tuple[Interval, ...]) -> list[tuple[int, int]]:
    """Index pairs of intervals that share a minute of the week (the week wraps around)."""
    spans: list[tuple[int, int, int]] = []
    for index, interval in enumerate(intervals):
        for day in interval.days:
            start = day * MINUTES_PER_DAY + interval.opens
            end = day * MINUTES_PER_DAY + interval.closes
            spans.append((start, end, index))
            if end > WEEK_MINUTES:  # Sunday night into Monday morning
                spans.append((start - WEEK_MINUTES, end - WEEK_MINUTES, index))
    pairs: set[tuple[int, int]] = set()
    spans.sort()
    for position, (_start, end, index) in enumerate(spans):
        for other_start, _other_end, other in spans[position + 1 :]:
            if other_start >= end:
                break
            pairs.add((min(index, other), max(index, other)))
    return sorted(pairs)


Region = tuple[str, str | None]
"""A country with public holidays, and optionally a subdivision with holidays of its own."""


class HolidayTable(NamedTuple):
    """The public holidays of every region a site's schedules close on, for the years it covers."""

    years: range
    dates: Mapping[Region, frozenset[datetime.date]]

    def closes(self, closures: Closures, day: datetime.date) -> bool:
        """Whether `day` is one of the closures' public holidays."""
        return closures.holidays is not None and day in self.region(closures, day, day)

    def region(
        self, closures: Closures, first: datetime.date, last: datetime.date
    ) -> frozenset[datetime.date]:
        """The closures' public holidays (of every year looked up, which must include first to last)."""
        if closures.holidays is None:
            return frozenset()
        if first.year not in self.years or last.year not in self.years:
            raise ValueError(f"public holidays were looked up for {self.years}, not {first} to {last}")
        return self.dates[closures.holidays, closures.subdivision]


NO_HOLIDAYS = HolidayTable(range(0), {})


class PublicHolidays:
    """The holidays package's answers, kept in the build cache: for validation (is the country
    known? the subdivision?) and for rendering (each covered year's dates)."""

    def __init__(self, cache: BuildCache) -> None:
        self.cache = cache

    def subdivisions(self, country: str) -> list[str] | None:
        """The codes of the country's subdivisions with holidays of their own; None for a country
        the holidays package does not know."""
        known: list[str] | None = self.cache.answer(
            HOLIDAYS, ("subdivisions", country), functools.partial(_subdivisions, country)
        )
        return known

    def accepts(self, country: str, subdivision: str) -> bool:
        """Whether the package takes the subdivision (it would refuse it only when asked for dates)."""
        ask = functools.partial(_accepts, country, subdivision)
        return bool(self.cache.answer(HOLIDAYS, ("accepts", country, subdivision), ask))

    def table(self, schedules: Iterable[Schedule], years: range) -> HolidayTable:
        """The holidays of every region the schedules close on, for `years`."""
        regions = {(s.closures.holidays, s.closures.subdivision) for s in schedules if s.closures.holidays}
        dates = {}
        for country, subdivision in sorted(regions, key=str):
            assert country is not None
            found: set[datetime.date] = set()
            for year in years:
                ask = functools.partial(_dates, country, subdivision, year)
                answer = self.cache.answer(HOLIDAYS, ("dates", country, subdivision, year), ask)
                found.update(datetime.date.fromisoformat(day) for day in answer)
            dates[country, subdivision] = frozenset(found)
        return HolidayTable(years, dates)


def _subdivisions(country: str) -> list[str] | None:
    import holidays  # only for an answer the cache lacks: it loads every country's module

    known = holidays.list_supported_countries().get(country)
    return None if known is None else list(known)


def _accepts(country: str, subdivision: str) -> bool:
    import holidays

    try:
        holidays.country_holidays(country, subdiv=subdivision)
    except NotImplementedError:
        return False
    return True


def _dates(country: str, subdivision: str | None, year: int) -> list[str]:
    import holidays

    return [
        day.isoformat() for day in sorted(holidays.country_holidays(country, subdiv=subdivision, years=year))
    ]


def is_closed_on(closures: Closures, day: datetime.date, holidays: HolidayTable) -> bool:
    """Whether intervals starting on `day` are cancelled."""
    return day in closures.dates or holidays.closes(closures, day)


def closed_dates(
    closures: Closures, first: datetime.date, last: datetime.date, holidays: HolidayTable
) -> list[datetime.date]:
    """Every closed date from `first` to `last`, inclusive, in order."""
    dates = {d for d in closures.dates if first <= d <= last}
    dates.update(d for d in holidays.region(closures, first, last) if first <= d <= last)
    return sorted(dates)


def zone(schedule: Schedule) -> ZoneInfo:
    return ZoneInfo(schedule.timezone)


def _wall_clock(day: datetime.date, minutes: int, tz: ZoneInfo) -> datetime.datetime:
    naive = datetime.datetime.combine(day, datetime.time()) + datetime.timedelta(minutes=minutes)
    # Instants are kept in UTC: Python compares and subtracts datetimes that share a tzinfo by
    # wall clock, which is wrong across a DST change. A time inside a DST gap lands just after it.
    return naive.replace(tzinfo=tz).astimezone(datetime.UTC)


def occurrences(
    schedule: Schedule, start: datetime.datetime, end: datetime.datetime, holidays: HolidayTable
) -> list[Span]:
    """The open spans that meet [start, end), merged where they touch, as UTC datetimes."""
    tz = zone(schedule)
    if schedule.always:
        return [(start.astimezone(datetime.UTC), end.astimezone(datetime.UTC))] if start < end else []
    first = start.astimezone(tz).date() - datetime.timedelta(days=2)
    last = end.astimezone(tz).date()
    spans: list[Span] = []
    day = first
    while day <= last:
        if not is_closed_on(schedule.closures, day, holidays):
            for interval in schedule.weekly:
                if day.weekday() in interval.days:
                    spans.append(
                        (_wall_clock(day, interval.opens, tz), _wall_clock(day, interval.closes, tz))
                    )
        day += datetime.timedelta(days=1)
    return [span for span in _merge(spans) if span[1] > start and span[0] < end]


def _merge(spans: Iterable[Span]) -> list[Span]:
    merged: list[Span] = []
    for opens, closes in sorted(spans):
        if merged and opens <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], closes))
        else:
            merged.append((opens, closes))
    return merged
