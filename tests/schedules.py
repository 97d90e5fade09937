"""Questions the tests ask of schedules: open at an instant? when next? Two ways to answer.

`is_open` and `next_change` read generator.hours' open spans; `open_by_wall_clock` answers from the
schedule's own words (weekdays, HH:MM on the local clock, closed dates) without generator.hours,
so that the spans can be checked against something that is not built on them.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from generator.content.model import MINUTES_PER_DAY, Schedule
from generator.hours import NO_HOLIDAYS, HolidayTable, Span, occurrences


def is_open(schedule: Schedule, instant: datetime.datetime, holidays: HolidayTable = NO_HOLIDAYS) -> bool:
    """Whether the schedule is open at `instant` (an aware datetime), by its open spans."""
    spans = occurrences(schedule, instant, instant + datetime.timedelta(minutes=1), holidays)
    return any(opens <= instant < closes for opens, closes in spans)


def next_change(
    schedule: Schedule,
    instant: datetime.datetime,
    holidays: HolidayTable = NO_HOLIDAYS,
    horizon_days: int = 60,
) -> datetime.datetime | None:
    """When the schedule next opens (if closed) or closes (if open) after `instant`; None if never."""
    if schedule.always:
        return None
    horizon = instant + datetime.timedelta(days=horizon_days)
    for opens, closes in occurrences(schedule, instant, horizon, holidays):
        if opens > instant:
            return opens
        if closes > instant:
            return closes if closes < horizon else None
    return None


def open_by_wall_clock(
    schedule: Schedule, instant: datetime.datetime, closed: frozenset[datetime.date] = frozenset()
) -> bool:
    """Whether an interval that started on one of the last three local days covers the local
    wall-clock time of `instant` (DST gaps aside: no wall-clock time falls in one)."""
    if schedule.always:
        return True
    local = instant.astimezone(ZoneInfo(schedule.timezone))
    minute = local.hour * 60 + local.minute
    for back in range(3):
        day = local.date() - datetime.timedelta(days=back)
        if day in closed or day in schedule.closures.dates:
            continue
        since_midnight = back * MINUTES_PER_DAY + minute
        for interval in schedule.weekly:
            if day.weekday() in interval.days and interval.opens <= since_midnight < interval.closes:
                return True
    return False


def merged(spans: Iterable[Span]) -> list[Span]:
    """Spans merged where they touch, as generator.hours merges open spans."""
    result: list[Span] = []
    for opens, closes in sorted(spans):
        if result and opens <= result[-1][1]:
            result[-1] = (result[-1][0], max(result[-1][1], closes))
        else:
            result.append((opens, closes))
    return result


def clipped(spans: Iterable[Span], start: datetime.datetime, end: datetime.datetime) -> list[Span]:
    """The parts of spans within [start, end)."""
    return [
        (max(opens, start), min(closes, end)) for opens, closes in spans if closes > start and opens < end
    ]
