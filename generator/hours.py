"""Schedule semantics, in one place: when is a schedule open, and when does that next change?

The page text, the open-now data, the calendars and the structured data all ask this module, so
they cannot disagree. Times are wall-clock times in the schedule's own zone; an interval that
starts on a closed date does not happen (the same rule a calendar's EXDATE expresses).
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from generator.cache import BuildCache
from generator.content.model import MINUTES_PER_DAY, Closures, Interval, Schedule, Site

WEEK_MINUTES = 7 * MINUTES_PER_DAY

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


@functools.cache
def _holidays(closures: Closures, year: int) -> frozenset[datetime.date]:
    for known_year, dates in closures.holiday_dates:
        if known_year == year:
            return frozenset(dates)
    assert closures.holidays is not None
    return frozenset(_ask_holidays(closures.holidays, closures.subdivision, year))


def _ask_holidays(country: str, subdivision: str | None, year: int) -> list[datetime.date]:
    import holidays  # only for holidays the cache lacks: importing it loads every country's module

    return sorted(holidays.country_holidays(country, subdiv=subdivision, years=year))


def with_holidays(site: Site, cache: BuildCache) -> Site:
    """The site with its schedules' public holidays filled in, from `cache`, for the years its
    outputs cover (from the year before `updated` to three after); other years are asked of the
    holidays package when needed."""
    years = range(site.updated.year - 1, site.updated.year + 4)
    schedules = []
    for schedule in site.schedules:
        closures = schedule.closures
        if closures.holidays:
            country, subdivision = closures.holidays, closures.subdivision
            known = []
            for year in years:
                ask = functools.partial(_ask_holidays_iso, country, subdivision, year)
                dates = cache.answer("holidays", ["dates", country, subdivision, year], ask)
                known.append((year, tuple(datetime.date.fromisoformat(day) for day in dates)))
            schedule = schedule._replace(closures=closures._replace(holiday_dates=tuple(known)))
        schedules.append(schedule)
    return site._replace(schedules=tuple(schedules))


def _ask_holidays_iso(country: str, subdivision: str | None, year: int) -> list[str]:
    return [day.isoformat() for day in _ask_holidays(country, subdivision, year)]


def is_closed_on(closures: Closures, day: datetime.date) -> bool:
    """Whether intervals starting on `day` are cancelled."""
    if day in closures.dates:
        return True
    if closures.holidays:
        return day in _holidays(closures, day.year)
    return False


def closed_dates(closures: Closures, first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """Every closed date from `first` to `last`, inclusive, in order."""
    dates = set(d for d in closures.dates if first <= d <= last)
    if closures.holidays:
        for year in range(first.year, last.year + 1):
            dates.update(d for d in _holidays(closures, year) if first <= d <= last)
    return sorted(dates)


def zone(schedule: Schedule) -> ZoneInfo:
    return ZoneInfo(schedule.timezone)


def _wall_clock(day: datetime.date, minutes: int, tz: ZoneInfo) -> datetime.datetime:
    naive = datetime.datetime.combine(day, datetime.time()) + datetime.timedelta(minutes=minutes)
    # Instants are kept in UTC: Python compares and subtracts datetimes that share a tzinfo by
    # wall clock, which is wrong across a DST change. A time inside a DST gap lands just after it.
    return naive.replace(tzinfo=tz).astimezone(datetime.UTC)


def occurrences(schedule: Schedule, start: datetime.datetime, end: datetime.datetime) -> list[Span]:
    """The open spans that meet [start, end), merged where they touch, as UTC datetimes."""
    tz = zone(schedule)
    if schedule.always:
        return [(start.astimezone(datetime.UTC), end.astimezone(datetime.UTC))] if start < end else []
    first = start.astimezone(tz).date() - datetime.timedelta(days=2)
    last = end.astimezone(tz).date()
    spans: list[Span] = []
    day = first
    while day <= last:
        if not is_closed_on(schedule.closures, day):
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


def is_open(schedule: Schedule, instant: datetime.datetime) -> bool:
    """Whether the schedule is open at `instant` (an aware datetime)."""
    return any(
        opens <= instant < closes
        for opens, closes in occurrences(schedule, instant, instant + datetime.timedelta(minutes=1))
    )


def next_change(
    schedule: Schedule, instant: datetime.datetime, horizon_days: int = 400
) -> datetime.datetime | None:
    """When the schedule next opens (if closed) or closes (if open) after `instant`; None if never."""
    if schedule.always:
        return None
    horizon = instant + datetime.timedelta(days=horizon_days)
    for opens, closes in occurrences(schedule, instant, horizon):
        if opens > instant:
            return opens
        if closes > instant:
            return closes if closes < horizon else None
    return None
