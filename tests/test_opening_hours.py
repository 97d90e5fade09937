"""The OpenStreetMap opening_hours string, read back by another implementation: opening-hours-py.

Whatever the schedule, the library's reading of our string over the window must be the open spans
generator.hours works out. One thing may differ, by design: a wall-clock time that happens twice
(clocks go back) or never (clocks go forward). generator.hours takes the first of two (fold=0) and
moves a time in a gap later by the gap's length (02:30 in Madrid's spring gap is 03:30); the library
takes the second of two and the end of a gap (03:00). So the spans must equal the library's reading
of generator.hours' own wall-clock hours exactly, and differ from generator.hours' spans only within
a DST change's length of the change.
"""

from __future__ import annotations

import bisect
import datetime
import itertools
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from examples import CHRISTMAS, ROOT, SUMMER, use_example
from hypothesis import HealthCheck, given, settings
from opening_hours import OpeningHours, State
from render_context import context
from schedule_strategies import Case, cases
from schedules import clipped, merged

from generator import pipeline
from generator.cache import BuildCache
from generator.content.model import (
    Closures,
    Dates,
    Interval,
    Opening,
    Schedule,
    Season,
    Site,
    SpecialDay,
    Text,
)
from generator.hours import ONE_DAY, HolidayTable, PublicHolidays, Span, hours_by_day, hours_on, occurrences
from generator.outputs.context import Window
from generator.outputs.opening_hours import OSM_MONTHS, expression

UTC = datetime.UTC
NAME = Text((("es", "Horario"), ("en", "Hours")))
# One cache for every example: the holidays package's answers are asked once per region and year.
HOLIDAY_CACHE = BuildCache()


def _bounds(schedule: Schedule, window: Window) -> tuple[datetime.datetime, datetime.datetime]:
    """The window's first and last days whole, on the schedule's clock, as UTC instants."""
    tz = ZoneInfo(schedule.timezone)
    start = datetime.datetime.combine(window.first, datetime.time(), tz)
    return start.astimezone(UTC), datetime.datetime.combine(window.end, datetime.time(), tz).astimezone(UTC)


def library_spans(text: str, schedule: Schedule, window: Window, country: str | None) -> list[Span]:
    """opening-hours-py's open intervals over the window, in UTC, merged where they touch (it cuts
    them at midnight)."""
    start, end = _bounds(schedule, window)
    tz = ZoneInfo(schedule.timezone)
    found = OpeningHours(text, timezone=tz, country=country).intervals(
        start.astimezone(tz), end.astimezone(tz)
    )
    spans = [(o.astimezone(UTC), c.astimezone(UTC)) for o, c, state, _ in found if state == State.OPEN]
    return clipped(merged(span for span in spans if span[0] < span[1]), start, end)


def _transition(before: datetime.datetime, after: datetime.datetime, tz: ZoneInfo) -> datetime.datetime:
    """The instant, to the minute, between two UTC instants where the zone's offset changes."""
    offset = before.astimezone(tz).utcoffset()
    while after - before > datetime.timedelta(minutes=1):
        middle = before + (after - before) / 2
        middle = middle.replace(second=0, microsecond=0)
        if middle.astimezone(tz).utcoffset() == offset:
            before = middle
        else:
            after = middle
    return after


def transitions(
    tz: ZoneInfo, start: datetime.datetime, end: datetime.datetime
) -> list[tuple[datetime.datetime, datetime.timedelta]]:
    """The zone's DST changes from start to end: when, and by how much."""
    found = []
    instant = start
    while instant < end:
        later = instant + ONE_DAY
        before, after = instant.astimezone(tz).utcoffset(), later.astimezone(tz).utcoffset()
        if before != after and before is not None and after is not None:
            found.append((_transition(instant, later, tz), abs(after - before)))
        instant = later
    return found


def _library_instant(day: datetime.date, minutes: int, tz: ZoneInfo) -> datetime.datetime:
    """A wall-clock time as opening-hours-py reads it: the second of two, the end of a gap."""
    naive = datetime.datetime.combine(day, datetime.time()) + datetime.timedelta(minutes=minutes)
    first, second = naive.replace(tzinfo=tz, fold=0), naive.replace(tzinfo=tz, fold=1)
    first_offset, second_offset = first.utcoffset(), second.utcoffset()
    assert first_offset is not None and second_offset is not None
    if first_offset >= second_offset:  # one reading, or the second of two
        return second.astimezone(UTC)
    # In a gap: fold=1 reads it with the offset after the change, the earlier instant.
    return _transition(second.astimezone(UTC), first.astimezone(UTC), tz)


def library_reading(schedule: Schedule, window: Window, holidays: HolidayTable) -> list[Span]:
    """generator.hours' wall-clock hours, each time resolved as opening-hours-py resolves it."""
    if schedule.always:
        return [_bounds(schedule, window)]
    tz = ZoneInfo(schedule.timezone)
    spans = []
    day = window.first - ONE_DAY
    while day < window.end:
        for opening in hours_on(schedule, day, holidays):
            spans.append(
                (_library_instant(day, opening.opens, tz), _library_instant(day, opening.closes, tz))
            )
        day += ONE_DAY
    return clipped(merged(s for s in spans if s[0] < s[1]), *_bounds(schedule, window))


def _inside(spans: list[Span], instant: datetime.datetime) -> bool:
    at = bisect.bisect_right(spans, (instant, datetime.datetime.max.replace(tzinfo=UTC))) - 1
    return at >= 0 and spans[at][0] <= instant < spans[at][1]


def differences(one: list[Span], other: list[Span]) -> list[Span]:
    """The stretches of time open by one list of spans and closed by the other."""
    edges = sorted({instant for span in (*one, *other) for instant in span})
    return [(a, b) for a, b in itertools.pairwise(edges) if _inside(one, a) != _inside(other, a)]


def check(schedule: Schedule, window: Window, holidays: HolidayTable, country: str | None) -> str:
    """Our string, read by opening-hours-py, gives generator.hours' spans over the window."""
    text = expression(
        schedule,
        window.first,
        window.end,
        hours_by_day(schedule, window.first - ONE_DAY, window.last, holidays),
    )
    library = library_spans(text, schedule, window, country)
    start, end = _bounds(schedule, window)
    truth = clipped(occurrences(schedule, start, end, holidays), start, end)
    assert library == library_reading(schedule, window, holidays), text
    changes = transitions(ZoneInfo(schedule.timezone), start - ONE_DAY, end + ONE_DAY)
    for opens, closes in differences(library, truth):
        assert any(at - by <= opens and closes <= at + by for at, by in changes), (text, opens, closes)
    return text


def holiday_table(schedule: Schedule, window: Window) -> HolidayTable:
    return PublicHolidays(HOLIDAY_CACHE).table([schedule], window.years)


# --- the seed and the docs' examples ----------------------------------------------------------


def _example_site(tmp_path: Path, title: str) -> Site:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    use_example(content, title)
    return pipeline.load(content, BuildCache())


def _checked(site: Site) -> dict[str, str]:
    ctx = context(site)
    return {
        s.id: check(s, ctx.window, ctx.holidays, s.closures.holidays or site.country) for s in site.schedules
    }


def test_the_seed_reads_as_its_week(seed_site: Site) -> None:
    assert _checked(seed_site) == {"business": "Mo-Fr 07:00-19:00; Sa 08:00-13:00", "always": "24/7"}


def test_christmas_in_bogota(tmp_path: Path) -> None:
    site = _example_site(tmp_path, CHRISTMAS)
    text = _checked(site)["business"]
    general, dated = text.split("; 2026 Dec 08,", 1)
    # The week, public holidays past the window only, and the yearly special days...
    assert general == "Mo-Fr 07:00-19:00; 2028 Nov 20+ PH off; Dec 24,Dec 31 07:00-12:00"
    # ...then every date of the window that differs from them: the holidays (Colombia's moved to
    # Mondays, and that of 9 July, new in 2026) and this year's closure, on weekdays only.
    assert dated.startswith("2026 Dec 25,2026 Dec 28-30,2027 Jan 01,2027 Jan 11,")
    assert "2027 Jul 12," in dated and dated.endswith(",2028 Nov 13 off")
    assert dated.count(";") == 0
    # The window names no public holiday: a reader without Colombia's reads it the same.
    ctx = context(site)
    business = site.schedule("business")
    assert library_spans(text, business, ctx.window, None) == library_spans(text, business, ctx.window, "CO")


def test_summer_hours_in_madrid(tmp_path: Path) -> None:
    text = _checked(_example_site(tmp_path, SUMMER))["business"]
    assert text.startswith(
        "Mo-Th 09:00-18:00; Fr 09:00-14:00; Jul 01-Aug 31 Mo-Fr 08:00-15:00; 2028 Nov 20+ PH off; 2026 Dec 07-08,"
    )
    # Madrid's own holidays (Maundy Thursday, San José, Madrid Day moved to Monday) are dates.
    assert ",2027 Mar 19,2027 Mar 25-26,2027 May 03," in text
    # The launch night: until 24:00 on Saturday, then 00:00-04:00 on Sunday, when the clocks go
    # back at 03:00 (nine hours: 02:00-03:00 happens twice).
    assert text.endswith(" off; 2027 Oct 30 09:00-14:00,20:00-24:00; 2027 Oct 31 00:00-04:00")


# --- generated schedules ----------------------------------------------------------------------


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=cases())
def test_generated_schedules_read_the_same(case: Case) -> None:
    schedule, window = case
    holidays = holiday_table(schedule, window)
    text = check(schedule, window, holidays, schedule.closures.holidays)
    # Public holidays are named only past the window; without closures, not at all.
    said = "PH" in text
    assert said == (schedule.closures.holidays is not None) and (
        not said or f"{_osm_date(window.end)}+ PH off" in text
    )


def _osm_date(day: datetime.date) -> str:
    return f"{day.year} {OSM_MONTHS[day.month - 1]} {day.day:02d}"


# --- cases worth naming -----------------------------------------------------------------------

MADRID_ZONE = "Europe/Madrid"
WINDOW = Window.of(datetime.date(2026, 11, 29))


def _schedule(*weekly: Interval, timezone: str = MADRID_ZONE, **rest: object) -> Schedule:
    return Schedule("named", NAME, timezone, False, weekly, Closures(), **rest)  # type: ignore[arg-type]


def test_a_night_into_a_closed_day_is_said_on_that_day() -> None:
    # Friday and Saturday nights until 02:00; Sunday 10:00-14:00. `Fr,Sa 22:00-02:00; Su ...`
    # would lose Sunday 00:00-02:00 (a later rule replaces what the day before spills into it).
    weekend = _schedule(Interval((4, 5), 22 * 60, 26 * 60), Interval((6,), 10 * 60, 14 * 60))
    text = check(weekend, WINDOW, holiday_table(weekend, WINDOW), None)
    assert text == "Fr 22:00-24:00; Sa 00:00-02:00,22:00-24:00; Su 00:00-02:00,10:00-14:00"


def test_a_closed_date_keeps_the_night_before() -> None:
    night = _schedule(Interval((0, 1, 2, 3, 4), 20 * 60, 25 * 60))
    closed = night._replace(closures=Closures(dates=(datetime.date(2027, 3, 3),)))
    text = check(closed, WINDOW, holiday_table(closed, WINDOW), None)
    # Wednesday opens nothing; Tuesday night still runs into it, and no night runs into Thursday.
    assert text.endswith("; 2027 Mar 03 00:00-01:00; 2027 Mar 04 20:00-24:00")


def test_times_the_clock_skips_or_repeats() -> None:
    # Sundays 02:30-04:00 in Madrid: 02:30 does not happen on the last Sunday of March and happens
    # twice on the last of October. generator.hours opens at 03:30 and at the first 02:30; the
    # library at 03:00 and at the second 02:30. Both are spans of the same wall-clock hours.
    sunday = _schedule(Interval((6,), 150, 240))
    check(sunday, WINDOW, holiday_table(sunday, WINDOW), None)
    start, end = _bounds(sunday, WINDOW)
    library = library_spans("Su 02:30-04:00", sunday, WINDOW, None)
    truth = clipped(occurrences(sunday, start, end, holiday_table(sunday, WINDOW)), start, end)
    spring = datetime.datetime(2027, 3, 28, 1, tzinfo=UTC)  # 03:00 CEST
    autumn = datetime.datetime(2027, 10, 31, 1, 30, tzinfo=UTC)  # the second 02:30, CET
    assert (spring, spring + datetime.timedelta(hours=1)) in library
    assert (spring + datetime.timedelta(minutes=30), spring + datetime.timedelta(hours=1)) in truth
    assert (autumn, autumn + datetime.timedelta(hours=1, minutes=30)) in library
    assert (autumn - datetime.timedelta(hours=1), autumn + datetime.timedelta(hours=1, minutes=30)) in truth


def test_seasons_say_every_day_they_change() -> None:
    # A yearly winter season that closes Saturdays, and this year's summer with its own week.
    week = (Interval((0, 1, 2, 3, 4), 9 * 60, 17 * 60), Interval((5,), 10 * 60, 13 * 60))
    winter = _season("12-01", "02-29", True, Interval((0, 1, 2, 3, 4), 10 * 60, 16 * 60))
    summer = _season("2027-07-01", "2027-08-31", False, Interval((0, 1, 2, 3), 8 * 60, 15 * 60))
    schedule = _schedule(*week, seasons=(winter, summer))
    text = check(schedule, WINDOW, holiday_table(schedule, WINDOW), None)
    assert text == (
        "Mo-Fr 09:00-17:00; Sa 10:00-13:00; Dec 01-Feb 29 Mo-Fr 10:00-16:00; Dec 01-Feb 29 Sa off; "
        "2027 Jul 01-2027 Aug 31 Mo-Th 08:00-15:00; 2027 Jul 01-2027 Aug 31 Fr,Sa off"
    )


def _season(first: str, last: str, yearly: bool, *weekly: Interval) -> Season:
    def parse(text: str) -> datetime.date:
        return datetime.date.fromisoformat(text if not yearly else f"2000-{text}")

    return Season(Dates(parse(first), parse(last), yearly), NAME, weekly)


def test_special_days_every_year_and_once() -> None:
    week = (Interval((0, 1, 2, 3, 4), 9 * 60, 17 * 60),)
    eve = SpecialDay(
        Dates(datetime.date(2000, 12, 24), datetime.date(2000, 12, 24), True), (Opening(540, 720),), None
    )
    leap = SpecialDay(Dates(datetime.date(2000, 2, 29), datetime.date(2000, 2, 29), True), (), None)
    # This year's Christmas Eve opens through the night instead.
    night = SpecialDay(
        Dates(datetime.date(2027, 12, 24), datetime.date(2027, 12, 24), False),
        (Opening(18 * 60, 27 * 60),),
        None,
    )
    schedule = _schedule(*week, special_days=(eve, leap, night))
    text = check(schedule, WINDOW, holiday_table(schedule, WINDOW), None)
    assert text == (
        "Mo-Fr 09:00-17:00; Dec 24 09:00-12:00; Feb 29 off; 2027 Dec 24 18:00-24:00; 2027 Dec 25 00:00-03:00"
    )


def test_always_open() -> None:
    always = Schedule("always", NAME, MADRID_ZONE, True, (), Closures(holidays="ES"))
    assert check(always, WINDOW, holiday_table(always, WINDOW), "ES") == "24/7"


def test_no_public_holiday_within_the_window() -> None:
    # Readers disagree on public holidays (below): the window's are dates, and `PH` starts after it.
    schedule = _schedule(Interval((0, 1, 2, 3, 4, 5, 6), 9 * 60, 17 * 60))._replace(
        closures=Closures(holidays="ES", subdivision="MD")
    )
    text = check(schedule, WINDOW, holiday_table(schedule, WINDOW), "ES")
    assert text.count("PH") == 1 and text.index("2028 Nov 20+ PH off") > 0
    assert library_spans(text, schedule, WINDOW, "ES") == library_spans(text, schedule, WINDOW, None)
    # Sunday 15 August 2027 is a national holiday to opening-hours-py; the holidays package leaves
    # national holidays that fall on a Sunday to the regions, and Madrid does not move this one.
    # A bare `PH off` would close the desk that day; this string keeps it open, as generator.hours.
    assert datetime.date(2027, 8, 15) in _library_holidays(
        "ES", datetime.date(2027, 8, 1), datetime.date(2027, 8, 31)
    )
    noon = datetime.datetime(2027, 8, 15, 12, tzinfo=ZoneInfo(MADRID_ZONE))
    assert OpeningHours(text, timezone=ZoneInfo(MADRID_ZONE), country="ES").is_open(noon)
    assert not OpeningHours(
        "Mo-Su 09:00-17:00; PH off", timezone=ZoneInfo(MADRID_ZONE), country="ES"
    ).is_open(noon)


def _library_holidays(country: str, first: datetime.date, last: datetime.date) -> set[datetime.date]:
    start = datetime.datetime.combine(first, datetime.time())
    end = datetime.datetime.combine(last + ONE_DAY, datetime.time())
    found = OpeningHours("PH", country=country).intervals(start, end)
    days = set()
    for opens, closes, state, _ in found:
        day = opens.date()
        while state == State.OPEN and datetime.datetime.combine(day, datetime.time()) < closes:
            days.add(day)
            day += ONE_DAY
    return days


@pytest.mark.xfail(
    strict=True,
    reason="opening-hours-py 2.1.4's holidays predate Colombia's Ley 2578 de 2026: it lacks the day "
    "of Our Lady of the Rosary of Chiquinquirá (9 July, moved to a Monday), which the holidays package has",
)
def test_the_library_knows_colombias_holidays() -> None:
    assert datetime.date(2027, 7, 12) in _library_holidays(
        "CO", datetime.date(2027, 7, 1), datetime.date(2027, 7, 31)
    )


def test_dates_past_the_window_are_kept() -> None:
    # A closed date and a special day past the window are rules of their own; in it, dates.
    later = datetime.date(2029, 1, 9)  # a Tuesday, past the window's end (20 November 2028)
    special = SpecialDay(Dates(later, later + ONE_DAY, False), (Opening(10 * 60, 12 * 60),), None)
    schedule = _schedule(Interval((0, 1, 2, 3, 4), 9 * 60, 17 * 60), special_days=(special,))._replace(
        closures=Closures(dates=(datetime.date(2027, 1, 5), datetime.date(2029, 1, 2)), holidays="ES")
    )
    text = check(schedule, WINDOW, holiday_table(schedule, WINDOW), "ES")
    assert text.startswith(
        "Mo-Fr 09:00-17:00; 2029 Jan 02 off; 2028 Nov 20+ PH off; 2029 Jan 09-10 10:00-12:00; 2026 Dec 08,"
    )
    assert ",2027 Jan 05-06," in text  # the closed date, and Epiphany
    tz = ZoneInfo(MADRID_ZONE)
    reader = OpeningHours(text, timezone=tz, country="ES")
    assert not reader.is_open(datetime.datetime(2029, 1, 2, 10, tzinfo=tz))
    assert reader.is_open(datetime.datetime(2029, 1, 3, 10, tzinfo=tz))
    assert not reader.is_open(datetime.datetime(2029, 1, 9, 9, 30, tzinfo=tz))
    assert reader.is_open(datetime.datetime(2029, 1, 10, 11, tzinfo=tz))
    # New Year's Day 2029, a Monday: closed by the reader's own holidays, past the window.
    assert not reader.is_open(datetime.datetime(2029, 1, 1, 10, tzinfo=tz))
