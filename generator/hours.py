"""Schedule semantics, in one place: when is a schedule open?

The page text, the open-now data, the calendars and the structured data all ask this module, so
they cannot disagree. Times are wall-clock times in the schedule's own zone.

Which hours start on a day is decided in one order (`hours_on`): a special day, else a closure
(a closed date or a public holiday), else the season the day is in, else the base week. A dated
special day or season wins over a yearly one on the same date. What opens on a day belongs to that
day: an interval that starts on a closed date does not happen (the rule a calendar's EXDATE
expresses), and one that starts the day before and runs past midnight still does.

Public holidays come from the holidays package, whose answers are kept in the build cache
(`PublicHolidays`): importing it loads every country's module, which would double `check`.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable, Mapping
from typing import Generic, NamedTuple, TypeVar
from zoneinfo import ZoneInfo

from generator.cache import BuildCache, register
from generator.content.model import MINUTES_PER_DAY, Closures, Interval, Opening, Schedule, Season, SpecialDay

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
    """Whether the closures cancel what would start on `day` (a special day may still open)."""
    return day in closures.dates or holidays.closes(closures, day)


def closed_dates(
    closures: Closures, first: datetime.date, last: datetime.date, holidays: HolidayTable
) -> list[datetime.date]:
    """Every date the closures close from `first` to `last`, inclusive, in order."""
    dates = {d for d in closures.dates if first <= d <= last}
    dates.update(d for d in holidays.region(closures, first, last) if first <= d <= last)
    return sorted(dates)


Rule = TypeVar("Rule", SpecialDay, Season)


def _on(rules: tuple[Rule, ...], day: datetime.date) -> Rule | None:
    """The rule whose dates cover `day`: a dated one before a yearly one (validation lets no two
    of the same kind share a date)."""
    yearly = None
    for rule in rules:
        if rule.dates.covers(day):
            if not rule.dates.yearly:
                return rule
            yearly = rule
    return yearly


def special_day_on(schedule: Schedule, day: datetime.date) -> SpecialDay | None:
    """The special day that decides `day`'s hours, if any."""
    return _on(schedule.special_days, day)


def season_on(schedule: Schedule, day: datetime.date) -> Season | None:
    """The season whose week applies on `day`, if any."""
    return _on(schedule.seasons, day)


def week_on(schedule: Schedule, day: datetime.date) -> tuple[Interval, ...]:
    """The week that applies on `day`: its season's, else the base week."""
    season = season_on(schedule, day)
    return schedule.weekly if season is None else season.weekly


def hours_on(schedule: Schedule, day: datetime.date, holidays: HolidayTable) -> tuple[Opening, ...]:
    """What opens on `day` (closing past 1440 runs into the next day), by the order of precedence:
    special day, closure, season, base week."""
    special = special_day_on(schedule, day)
    if special is not None:
        return special.hours
    if is_closed_on(schedule.closures, day, holidays):
        return ()
    weekday = day.weekday()
    return tuple(Opening(i.opens, i.closes) for i in week_on(schedule, day) if weekday in i.days)


class HoursByDay(NamedTuple):
    """What opens on each of a run of days, for one schedule: `hours_on`, worked out once."""

    first: datetime.date
    hours: tuple[tuple[Opening, ...], ...]

    def on(self, day: datetime.date) -> tuple[Opening, ...]:
        """What opens on `day`, which must be one of the run's."""
        offset = (day - self.first).days
        if not 0 <= offset < len(self.hours):
            raise ValueError(f"{day} is not among the {len(self.hours)} days from {self.first}")
        return self.hours[offset]


def hours_by_day(
    schedule: Schedule, first: datetime.date, last: datetime.date, holidays: HolidayTable
) -> HoursByDay:
    """What opens on each day from `first` to `last`."""
    return HoursByDay(first, tuple(hours_on(schedule, day, holidays) for day in _days(first, last)))


class Run(NamedTuple, Generic[Rule]):
    """Consecutive days, `first` to `last`, decided by one special day or kept by one season."""

    first: datetime.date
    last: datetime.date
    rule: Rule


def special_runs(schedule: Schedule, first: datetime.date, last: datetime.date) -> list[Run[SpecialDay]]:
    """The runs of days from `first` to `last` that special days decide, in order."""
    return _runs(schedule.special_days, first, last)


def season_runs(schedule: Schedule, first: datetime.date, last: datetime.date) -> list[Run[Season]]:
    """The runs of days from `first` to `last` that keep a season's week, in order."""
    return _runs(schedule.seasons, first, last)


def _runs(rules: tuple[Rule, ...], first: datetime.date, last: datetime.date) -> list[Run[Rule]]:
    # Day by day, so that a yearly rule's run is cut where a dated one replaces it.
    days = {
        day
        for rule in rules
        for start, end in rule.dates.within(first, last)
        for day in _days(max(start, first), min(end, last))
    }
    runs: list[Run[Rule]] = []
    for day in sorted(days):
        rule = _on(rules, day)
        assert rule is not None
        if runs and runs[-1].rule is rule and runs[-1].last == day - ONE_DAY:
            runs[-1] = runs[-1]._replace(last=day)
        else:
            runs.append(Run(day, day, rule))
    return runs


def _days(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    return [first + n * ONE_DAY for n in range((last - first).days + 1)]


ONE_DAY = datetime.timedelta(days=1)


def zone(schedule: Schedule) -> ZoneInfo:
    return ZoneInfo(schedule.timezone)


def _wall_clock(day: datetime.date, minutes: int, tz: ZoneInfo) -> datetime.datetime:
    naive = datetime.datetime.combine(day, datetime.time()) + datetime.timedelta(minutes=minutes)
    # Instants are kept in UTC: Python compares and subtracts datetimes that share a tzinfo by
    # wall clock, which is wrong across a DST change. A time inside a DST gap moves on by the gap
    # (02:30 becomes 03:30); of a time that happens twice, the first is taken (fold=0).
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
        for opening in hours_on(schedule, day, holidays):
            spans.append((_wall_clock(day, opening.opens, tz), _wall_clock(day, opening.closes, tz)))
        day += ONE_DAY
    return [span for span in _merge(spans) if span[1] > start and span[0] < end]


def _merge(spans: Iterable[Span]) -> list[Span]:
    merged: list[Span] = []
    for opens, closes in sorted(spans):
        if merged and opens <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], closes))
        else:
            merged.append((opens, closes))
    return merged
