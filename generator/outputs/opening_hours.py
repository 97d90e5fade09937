"""A schedule as an OpenStreetMap `opening_hours` string (wiki: Key:opening_hours/specification).

The string is exact within the render context's window, whoever reads it, and approximate past it:

- Every rule gives a day's wall-clock hours, none of which crosses midnight: an overnight interval is
  `22:00-24:00` on its day and `00:00-02:00` on the next. So a day's hours are those of the last rule
  that matches it, and the pitfall of `;` (a later rule also drops what the day before spills past
  midnight) cannot arise.
- The general rules come first: the base week, the seasons (every year, then with their year), the
  closures past the window (its closed dates, public holidays as `PH`), the special days every
  year, and those with their year that reach past the window.
- Then, for every date of the window whose true hours (generator.hours) differ from what those rules
  give, a dated rule says them: closed dates, public holidays, special days with their year, the hours
  an overnight interval spills into a day whose rule is another's (a holiday, a season's first day).
  Such dates are grouped by their hours: `2026 Dec 08,2026 Dec 28-30,2027 Jan 01 off`.

Within the window the string names no public holiday: `PH` means whatever holidays its reader knows,
and readers disagree (opening-hours-py, for one, lacks Colombia's holiday of 9 July, moved to a
Monday since 2026, and counts Spain's national holidays that fall on a Sunday, which the holidays
package leaves to the regions). Past the window `PH off` closes on the reader's national holidays, a
subdivision's own are not said, and a season's first day and the day after an overnight special day
keep the hours of the week the rules give them.

The evaluator here reads only the rules this module writes; tests/test_opening_hours.py checks the
strings against opening-hours-py, which this module never imports.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import NamedTuple

from generator.cache import register
from generator.content.model import MINUTES_PER_DAY, Dates, Interval, Opening, Schedule, weekday_runs
from generator.hours import ONE_DAY, HoursByDay

# A string reads every day of the window: kept in the build cache, by the schedule, the window and
# its public holidays, and by this module and generator.hours, which decide it.
OPENING_HOURS = register("opening_hours", packages=(), modules=(__name__, "generator.hours"))

DayHours = tuple[tuple[int, int], ...]
"""A day's open hours in minutes after its midnight, 0 to 1440: sorted, apart, none empty."""

OSM_DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
OSM_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
ALWAYS = "24/7"


class Rule(NamedTuple):
    """One rule: on its dates (None: every date) and weekdays (None: every day), these hours
    (none: `off`). With `holidays_from`, it matches only the reader's public holidays from that
    date on, which this module never evaluates."""

    dates: tuple[Dates, ...] | None
    weekdays: tuple[int, ...] | None
    hours: DayHours
    holidays_from: datetime.date | None = None

    def matches(self, day: datetime.date) -> bool:
        if self.holidays_from is not None:
            if day >= self.holidays_from:
                raise ValueError(f"{day}: only the reader knows its public holidays")
            return False
        if self.weekdays is not None and day.weekday() not in self.weekdays:
            return False
        return self.dates is None or any(dates.covers(day) for dates in self.dates)


def expression(schedule: Schedule, first: datetime.date, end: datetime.date, by_day: HoursByDay) -> str:
    """The schedule's opening_hours string, exact on the dates `first` to `end` (excluded);
    `by_day` says what opens on each of them and on the day before."""
    if schedule.always:
        return ALWAYS
    return "; ".join(_text(rule) for rule in rules(schedule, first, end, by_day)) or "off"


def rules(schedule: Schedule, first: datetime.date, end: datetime.date, by_day: HoursByDay) -> list[Rule]:
    """The rules of the schedule's string, in order: the general ones, then the window's dates."""
    general = _general_rules(schedule, first, end)
    true_hours = _true_hours(by_day, first, end)
    differing: dict[DayHours, list[datetime.date]] = {}
    for day, hours in true_hours.items():
        if hours != evaluate(general, day):
            differing.setdefault(hours, []).append(day)
    dated = [
        Rule(tuple(Dates(start, last, False) for start, last in _ranges(days)), None, hours)
        for hours, days in differing.items()
    ]
    return general + sorted(dated, key=lambda rule: rule.dates[0].first if rule.dates else first)


def evaluate(rules: Iterable[Rule], day: datetime.date) -> DayHours:
    """A day's hours by the rules: the last that matches it decides; none, closed."""
    hours: DayHours = ()
    for rule in rules:
        if rule.matches(day):
            hours = rule.hours
    return hours


def day_hours(openings: Iterable[Opening], spill: Iterable[Opening] = ()) -> DayHours:
    """A day's hours from what opens on it and what the day before spills past midnight."""
    pieces = [(o.opens, min(o.closes, MINUTES_PER_DAY)) for o in openings]
    pieces += [(0, o.closes - MINUTES_PER_DAY) for o in spill if o.closes > MINUTES_PER_DAY]
    merged: list[tuple[int, int]] = []
    for start, stop in sorted(p for p in pieces if p[0] < p[1]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], stop))
        else:
            merged.append((start, stop))
    return tuple(merged)


def week_hours(weekly: tuple[Interval, ...]) -> list[DayHours]:
    """Each weekday's hours (0 = Monday) by a week of intervals alone, the night before included."""

    def on(weekday: int) -> list[Opening]:
        return [Opening(i.opens, i.closes) for i in weekly if weekday in i.days]

    return [day_hours(on(weekday), on((weekday - 1) % 7)) for weekday in range(7)]


def _general_rules(schedule: Schedule, first: datetime.date, end: datetime.date) -> list[Rule]:
    found: list[Rule] = []
    found += _week_rules(None, week_hours(schedule.weekly), found)
    seasons = [s for s in schedule.seasons if s.dates.yearly]
    seasons += [s for s in schedule.seasons if not s.dates.yearly and s.dates.last >= first]
    for season in seasons:
        found += _week_rules((season.dates,), week_hours(season.weekly), found)
    later = [Dates(day, day, False) for day in sorted(schedule.closures.dates) if day >= end]
    if later:
        found.append(Rule(tuple(later), None, ()))
    if schedule.closures.holidays is not None:
        found.append(Rule(None, None, (), holidays_from=end))
    yearly = [s for s in schedule.special_days if s.dates.yearly]
    found += _by_hours((s.dates, day_hours(s.hours)) for s in yearly)
    dated = [s for s in schedule.special_days if not s.dates.yearly and s.dates.last >= end]
    found += _by_hours((s.dates, day_hours(s.hours)) for s in dated)
    return found


def _week_rules(dates: tuple[Dates, ...] | None, week: list[DayHours], earlier: list[Rule]) -> list[Rule]:
    """A week's rules, weekdays with the same hours together; on its dates, a weekday it leaves
    closed is said `off` when an earlier rule may open on it."""
    groups: dict[DayHours, list[int]] = {}
    for weekday, hours in enumerate(week):
        opened = any(r.hours and (r.weekdays is None or weekday in r.weekdays) for r in earlier)
        if hours or (dates is not None and opened):
            groups.setdefault(hours, []).append(weekday)
    return [Rule(dates, tuple(weekdays), hours) for hours, weekdays in groups.items()]


def _by_hours(dated: Iterable[tuple[Dates, DayHours]]) -> list[Rule]:
    """One rule per distinct hours, for dates that no two rules share."""
    groups: dict[DayHours, list[Dates]] = {}
    for dates, hours in dated:
        groups.setdefault(hours, []).append(dates)
    return [Rule(tuple(dates), None, hours) for hours, dates in groups.items()]


def _true_hours(
    by_day: HoursByDay, first: datetime.date, end: datetime.date
) -> dict[datetime.date, DayHours]:
    """Each date's hours by generator.hours: what opens on it, cut at midnight, and what the day
    before spills into it."""
    found = {}
    before = by_day.on(first - ONE_DAY)
    day = first
    while day < end:
        own = by_day.on(day)
        found[day] = day_hours(own, before)
        before, day = own, day + ONE_DAY
    return found


def _ranges(days: list[datetime.date]) -> list[tuple[datetime.date, datetime.date]]:
    """Sorted dates as runs of consecutive days."""
    runs: list[tuple[datetime.date, datetime.date]] = []
    for day in days:
        if runs and runs[-1][1] == day - ONE_DAY:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


# --- the text -------------------------------------------------------------------------------------


def _text(rule: Rule) -> str:
    if rule.holidays_from is not None:
        return f"{_date(rule.holidays_from, True)}+ PH {_hours(rule.hours)}"
    parts = []
    if rule.dates is not None:
        parts.append(",".join(_dates(dates) for dates in rule.dates))
    if rule.weekdays is not None:
        parts.append(_weekdays(rule.weekdays))
    parts.append(_hours(rule.hours))
    return " ".join(parts)


def _hours(hours: DayHours) -> str:
    return ",".join(f"{_time(start)}-{_time(stop)}" for start, stop in hours) or "off"


def _time(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _weekdays(weekdays: tuple[int, ...]) -> str:
    """Mo-Fr, Sa,Su, Mo-We,Fr: runs of three or more days as ranges."""
    parts = []
    for run in weekday_runs(weekdays):
        if len(run) >= 3:
            parts.append(f"{OSM_DAYS[run[0]]}-{OSM_DAYS[run[-1]]}")
        else:
            parts += [OSM_DAYS[weekday] for weekday in run]
    return ",".join(parts)


def _date(day: datetime.date, with_year: bool) -> str:
    text = f"{OSM_MONTHS[day.month - 1]} {day.day:02d}"
    return f"{day.year} {text}" if with_year else text


def _dates(dates: Dates) -> str:
    """`Dec 24`, `Jul 01-Aug 31`, `Dec 20-Jan 06` every year; `2026 Dec 24`, `2026 Dec 26-30`,
    `2026 Dec 28-2027 Jan 02` once (the year said at both ends unless within a month)."""
    with_year = not dates.yearly
    first, last = dates.first, dates.last
    text = _date(first, with_year)
    if first == last:
        return text
    within_a_month = (first.year, first.month) == (last.year, last.month) and first.day < last.day
    return f"{text}-{last.day:02d}" if within_a_month else f"{text}-{_date(last, with_year)}"
