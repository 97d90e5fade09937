"""Schedule semantics: open or closed at an instant, next change, split shifts, midnight, DST, closures."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from one_language import catalog
from schedules import is_open, next_change

from generator.cache import BuildCache
from generator.content.model import Closures, Interval, Language, Schedule, Text
from generator.hours import NO_HOLIDAYS, PublicHolidays, closed_dates, occurrences, overlapping_intervals
from generator.i18n import Wording

BOGOTA = ZoneInfo("America/Bogota")
NAME = Text((("es", "Horario"), ("en", "Hours")))


def schedule(*intervals: Interval, timezone: str = "America/Bogota", **closures: object) -> Schedule:
    return Schedule("test", NAME, timezone, False, intervals, Closures(**closures))  # type: ignore[arg-type]


BUSINESS = schedule(Interval((0, 1, 2, 3, 4), 7 * 60, 19 * 60), Interval((5,), 8 * 60, 13 * 60))


def at(text: str, tz: ZoneInfo = BOGOTA) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=tz)


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        ("2026-11-30 06:59", False),  # Monday, a minute before opening
        ("2026-11-30 07:00", True),
        ("2026-11-30 18:59", True),
        ("2026-11-30 19:00", False),  # closing time is already closed
        ("2026-12-05 12:30", True),  # Saturday morning
        ("2026-12-05 13:00", False),
        ("2026-12-06 10:00", False),  # Sunday
    ],
)
def test_business_hours_in_bogota(instant: str, expected: bool) -> None:
    assert is_open(BUSINESS, at(instant)) is expected


def test_the_organisations_zone_counts_not_the_visitors() -> None:
    # 13:30 in Madrid on a Monday in winter is 07:30 in Bogotá: open.
    madrid = at("2026-11-30 13:30", ZoneInfo("Europe/Madrid"))
    assert is_open(BUSINESS, madrid)
    assert not is_open(BUSINESS, at("2026-11-30 12:30", ZoneInfo("Europe/Madrid")))


def test_next_change() -> None:
    assert next_change(BUSINESS, at("2026-11-30 10:00")) == at("2026-11-30 19:00")
    assert next_change(BUSINESS, at("2026-12-05 14:00")) == at("2026-12-07 07:00")
    always = Schedule("always", NAME, "America/Bogota", True, (), Closures())
    assert is_open(always, at("2026-12-06 03:00"))
    assert next_change(always, at("2026-12-06 03:00")) is None


def test_split_shift() -> None:
    split = schedule(Interval((0,), 8 * 60, 12 * 60), Interval((0,), 14 * 60, 18 * 60))
    assert is_open(split, at("2026-11-30 11:00"))
    assert not is_open(split, at("2026-11-30 13:00"))
    assert next_change(split, at("2026-11-30 13:00")) == at("2026-11-30 14:00")
    assert (
        wording("en", STRINGS_EN).schedule(split)
        == "Monday, 8:00\u202fAM – 12:00\u202fPM and 2:00\u202fPM – 6:00\u202fPM"
    )


def test_hours_past_midnight_and_the_week_wrapping() -> None:
    night = schedule(Interval((4, 5, 6), 22 * 60, 24 * 60 + 6 * 60))  # Fri–Sun nights until 06:00
    assert is_open(night, at("2026-12-05 03:00"))  # Saturday 03:00, from Friday night
    assert is_open(night, at("2026-12-07 05:59"))  # Monday 05:59, from Sunday night
    assert not is_open(night, at("2026-12-07 06:00"))
    assert next_change(night, at("2026-12-07 06:00")) == at("2026-12-11 22:00")


def test_daylight_saving_time_in_madrid() -> None:
    madrid = ZoneInfo("Europe/Madrid")
    hours = schedule(Interval((6,), 1 * 60, 4 * 60), timezone="Europe/Madrid")  # Sundays 01:00–04:00
    # 2027-03-28: clocks jump from 02:00 to 03:00, so that Sunday has two open hours, not three.
    spans = occurrences(hours, at("2027-03-28 00:00", madrid), at("2027-03-29 00:00", madrid), NO_HOLIDAYS)
    assert [(closes - opens) for opens, closes in spans] == [datetime.timedelta(hours=2)]
    # 2027-10-31: clocks fall back from 03:00 to 02:00, so that Sunday has four.
    spans = occurrences(hours, at("2027-10-31 00:00", madrid), at("2027-11-01 00:00", madrid), NO_HOLIDAYS)
    assert [(closes - opens) for opens, closes in spans] == [datetime.timedelta(hours=4)]


def test_holidays_close_and_fixed_dates_close() -> None:
    hours = schedule(*BUSINESS.weekly, holidays="CO", dates=(datetime.date(2026, 12, 24),))
    table = PublicHolidays(BuildCache()).table([hours], range(2026, 2028))
    assert not is_open(hours, at("2026-12-08 10:00"), table)  # Immaculate Conception, a Tuesday
    assert not is_open(hours, at("2026-12-24 10:00"), table)  # a fixed closure
    assert is_open(hours, at("2026-12-09 10:00"), table)
    assert next_change(hours, at("2026-12-07 20:00"), table) == at("2026-12-09 07:00")
    dates = closed_dates(hours.closures, datetime.date(2027, 1, 1), datetime.date(2027, 1, 31), table)
    assert dates == [datetime.date(2027, 1, 1), datetime.date(2027, 1, 11)]  # Epiphany moves to Monday


def test_a_holiday_table_refuses_years_it_did_not_look_up() -> None:
    """Outputs cover the render context's window; asking outside it is a mistake, not a guess."""
    hours = schedule(*BUSINESS.weekly, holidays="CO")
    table = PublicHolidays(BuildCache()).table([hours], range(2026, 2028))
    with pytest.raises(ValueError, match="looked up"):
        closed_dates(hours.closures, datetime.date(2030, 1, 1), datetime.date(2030, 1, 31), table)


def test_overlaps_are_found_across_midnight_and_the_week_end() -> None:
    assert overlapping_intervals(BUSINESS.weekly) == []
    assert overlapping_intervals((Interval((0,), 8 * 60, 12 * 60), Interval((0,), 11 * 60, 13 * 60))) == [
        (0, 1)
    ]
    sunday_night = Interval((6,), 22 * 60, 24 * 60 + 6 * 60)
    assert overlapping_intervals((sunday_night, Interval((0,), 5 * 60, 9 * 60))) == [(0, 1)]
    assert overlapping_intervals((sunday_night, Interval((0,), 6 * 60, 9 * 60))) == []


def wording(locale: str, strings: dict[str, str]) -> Wording:
    return Wording(Language(locale.split("_")[0], locale, None), strings, BuildCache())


# The shipped English: the hours in words use its days, ranges and separators.
STRINGS_EN = catalog("en")


@pytest.mark.parametrize(
    ("locale", "strings_override", "expected"),
    [
        ("en", {}, "Monday to Friday, 7:00\u202fAM – 7:00\u202fPM; Saturday, 8:00\u202fAM – 1:00\u202fPM"),
        (
            "es_CO",
            {"day_range": "{first} a {last}"},
            "lunes a viernes, 7:00\u202fa.\u202fm. – 7:00\u202fp.\u202fm.; sábado, 8:00\u202fa.\u202fm. – 1:00\u202fp.\u202fm.",
        ),
    ],
)
def test_hours_in_words(locale: str, strings_override: dict[str, str], expected: str) -> None:
    assert wording(locale, {**STRINGS_EN, **strings_override}).schedule(BUSINESS) == expected


def test_closures_in_words() -> None:
    hours = schedule(
        Interval(tuple(range(7)), 9 * 60, 17 * 60), holidays="CO", dates=(datetime.date(2026, 12, 24),)
    )
    assert wording("en", STRINGS_EN).schedule(hours) == (
        "every day, 9:00\u202fAM – 5:00\u202fPM (closed on public holidays; closed on December 24, 2026)"
    )
