"""Hypothesis strategies for schedules the content format accepts: split shifts, hours past
midnight, seasons and special days (every year and once), closed dates and public holidays, in
zones with and without daylight saving time.

Times fall on quarter hours, so that openings and closings often meet a DST change: at 02:00 or
03:00 in most of these zones, 02:00–02:30 on Lord Howe Island (whose clocks move half an hour), and
at midnight in Santiago. Dates lean towards the awkward ones: 29 February, the turn of the year.
"""

from __future__ import annotations

import datetime
from typing import NamedTuple

from hypothesis import strategies as st

from generator.content.model import (
    MINUTES_PER_DAY,
    YEARLY,
    Closures,
    Dates,
    Interval,
    Opening,
    Schedule,
    Season,
    SpecialDay,
    Text,
)
from generator.hours import overlapping_intervals
from generator.outputs.context import Window

ZONES = (
    "Europe/Madrid",
    "America/New_York",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "America/Santiago",
    "America/Bogota",
)
# (country, subdivision) whose holidays close a schedule; None for none.
REGIONS: tuple[tuple[str, str | None] | None, ...] = (
    None,
    ("CO", None),
    ("ES", "MD"),
    ("US", "NY"),
    ("AU", "NSW"),
)
NAME = Text((("es", "Horario"), ("en", "Hours")))
AWKWARD_DAYS = tuple(
    datetime.date(YEARLY, month, day) for month, day in ((2, 28), (2, 29), (3, 1), (12, 31), (1, 1))
)


class Case(NamedTuple):
    """A generated schedule and the window its outputs cover."""

    schedule: Schedule
    window: Window


@st.composite
def openings(draw: st.DrawFn) -> Opening:
    """Opening hours on a day: closing the same day, or the next (overnight, as the content
    writes it: a closing time at or before the opening time)."""
    opens = draw(st.integers(0, 95)) * 15
    if draw(st.booleans()):
        return Opening(opens, draw(st.integers(0, opens // 15)) * 15 + MINUTES_PER_DAY)
    return Opening(opens, draw(st.integers(opens // 15 + 1, 96)) * 15)


@st.composite
def weeks(draw: st.DrawFn, max_intervals: int = 4) -> tuple[Interval, ...]:
    """A week of intervals that do not overlap (validation refuses those): at least one."""
    kept: list[Interval] = []
    candidates = draw(
        st.lists(
            st.tuples(st.sets(st.integers(0, 6), min_size=1), openings()), min_size=1, max_size=max_intervals
        )
    )
    for days, opening in candidates:
        interval = Interval(tuple(sorted(days)), opening.opens, opening.closes)
        if not overlapping_intervals((*kept, interval)):
            kept.append(interval)
    return tuple(kept) or (Interval((0, 1, 2, 3, 4), 9 * 60, 17 * 60),)


def _month_days(dates: Dates) -> set[tuple[int, int]]:
    year = [datetime.date(YEARLY, 1, 1) + datetime.timedelta(days=n) for n in range(366)]
    return {(day.month, day.day) for day in year if dates.covers(day)}


def _share_a_date(one: Dates, other: Dates) -> bool:
    if one.yearly != other.yearly:
        return False
    if not one.yearly:
        return one.first <= other.last and other.first <= one.last
    return bool(_month_days(one) & _month_days(other))


@st.composite
def dates(draw: st.DrawFn, window: Window, max_days: int = 90) -> Dates:
    """A day or a range of days, every year (possibly over the new year) or once, near the window."""
    length = draw(st.one_of(st.just(0), st.integers(0, max_days)))
    if draw(st.booleans()):
        first = draw(
            st.one_of(
                st.sampled_from(AWKWARD_DAYS),
                st.dates(datetime.date(YEARLY, 1, 1), datetime.date(YEARLY, 12, 31)),
            )
        )
        last = first + datetime.timedelta(days=length)
        if last.year != YEARLY:  # over the new year
            last = last.replace(year=YEARLY)
        # Sometimes any day: a range every year may run over most of it (12-24 to 12-20).
        last = draw(st.one_of(st.just(last), st.sampled_from(AWKWARD_DAYS)))
        return Dates(first, last, True)
    start = window.first - datetime.timedelta(days=40)
    first = draw(st.dates(start, window.end + datetime.timedelta(days=40)))
    return Dates(first, first + datetime.timedelta(days=length), False)


@st.composite
def special_days(draw: st.DrawFn, window: Window) -> SpecialDay:
    hours: list[Opening] = []
    for opening in draw(st.lists(openings(), max_size=3)):
        as_intervals = [Interval((0,), o.opens, o.closes) for o in (*hours, opening)]
        if not overlapping_intervals(tuple(as_intervals)):
            hours.append(opening)
    label = draw(st.sampled_from([None, Text((("es", "Día especial"), ("en", "Special day")))]))
    return SpecialDay(draw(dates(window, max_days=10)), tuple(hours), label)


@st.composite
def seasons(draw: st.DrawFn, window: Window) -> Season:
    return Season(draw(dates(window)), Text((("es", "Temporada"), ("en", "Season"))), draw(weeks(3)))


def _apart(rules: list[Season] | list[SpecialDay]) -> tuple[Season, ...] | tuple[SpecialDay, ...]:
    """The rules, without those that share a date with an earlier one of the same kind."""
    kept: list[Season | SpecialDay] = []
    for rule in rules:
        if not any(_share_a_date(rule.dates, other.dates) for other in kept):
            kept.append(rule)
    return tuple(kept)  # type: ignore[return-value]


@st.composite
def cases(draw: st.DrawFn) -> Case:
    """A schedule with everything that changes hours by date, and a window from some `updated`."""
    updated = draw(st.dates(datetime.date(2026, 1, 1), datetime.date(2028, 12, 31)))
    window = Window.of(updated)
    region = draw(st.sampled_from(REGIONS))
    closed = draw(st.lists(st.dates(window.first, window.last), max_size=5, unique=True))
    closures = Closures(
        tuple(sorted(closed)),
        region[0] if region else None,
        region[1] if region else None,
    )
    schedule = Schedule(
        "generated",
        NAME,
        draw(st.sampled_from(ZONES)),
        False,
        draw(weeks()),
        closures,
        _apart(draw(st.lists(seasons(window), max_size=3))),  # type: ignore[arg-type]
        _apart(draw(st.lists(special_days(window), max_size=5))),  # type: ignore[arg-type]
    )
    return Case(schedule, window)
