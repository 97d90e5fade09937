"""Hours that change by date: which rule decides a day, how the page says it, what the script reads.

The order is special day, closure, season, base week; a dated rule wins over a yearly one
(docs/content.md, "Which hours apply on a day").
"""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from examples import CHRISTMAS, ROOT, SUMMER, use_example
from one_language import catalog
from render_context import context
from schedules import is_open

from generator import pipeline
from generator.cache import BuildCache
from generator.content.model import (
    YEARLY,
    Closures,
    Dates,
    Interval,
    Language,
    Opening,
    Schedule,
    Season,
    Site,
    SpecialDay,
    Text,
)
from generator.content.reader import read_content
from generator.hours import NO_HOLIDAYS, PublicHolidays, hours_on, occurrences, season_runs, special_runs
from generator.i18n import Wording
from generator.outputs.pages import PageViews

MADRID = ZoneInfo("Europe/Madrid")
NAME = Text((("es", "Horario"), ("en", "Hours")))
WEEKDAYS = tuple(range(5))


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def yearly(first: str, last: str | None = None) -> Dates:
    """Every year, from MM-DD to MM-DD."""
    start = datetime.date.fromisoformat(f"{YEARLY}-{first}")
    return Dates(start, datetime.date.fromisoformat(f"{YEARLY}-{last or first}"), True)


def once(first: str, last: str | None = None) -> Dates:
    return Dates(day(first), day(last or first), False)


def hours(*pairs: tuple[int, int]) -> tuple[Opening, ...]:
    return tuple(Opening(opens * 60, closes * 60) for opens, closes in pairs)


SUMMER_WEEK = (Interval(WEEKDAYS, 8 * 60, 15 * 60),)
LONG_SUMMER_WEEK = (Interval(WEEKDAYS, 7 * 60, 14 * 60),)
MADRID_DESK = Schedule(
    "madrid",
    NAME,
    "Europe/Madrid",
    False,
    (Interval(WEEKDAYS, 9 * 60, 18 * 60), Interval((5,), 10 * 60, 13 * 60)),
    Closures((day("2027-07-16"),), "ES", "MD"),
    seasons=(
        Season(yearly("07-01", "08-31"), NAME, SUMMER_WEEK),
        # 2027's summer starts earlier and ends later, with other hours: it replaces the yearly one.
        Season(once("2027-06-15", "2027-09-15"), NAME, LONG_SUMMER_WEEK),
    ),
    special_days=(
        SpecialDay(yearly("12-24"), hours((9, 13)), Text((("es", "Nochebuena"), ("en", "Christmas Eve")))),
        SpecialDay(once("2027-12-24"), hours((10, 11)), None),
        SpecialDay(once("2027-01-06"), hours((10, 12)), None),  # Epiphany, a public holiday
        SpecialDay(once("2026-12-28", "2026-12-30"), (), None),
    ),
)


@pytest.fixture(scope="module")
def madrid_holidays() -> object:
    return PublicHolidays(BuildCache()).table([MADRID_DESK], range(2026, 2030))


@pytest.mark.parametrize(
    ("date", "expected", "why"),
    [
        ("2026-12-23", hours((9, 18)), "a Wednesday of the base week"),
        ("2026-12-24", hours((9, 13)), "the yearly special day"),
        ("2027-12-24", hours((10, 11)), "a dated special day replaces the yearly one that year"),
        ("2026-12-25", (), "Christmas, a public holiday"),
        ("2026-12-28", (), "a closed range of special days"),
        ("2026-12-31", hours((9, 18)), "the day after it"),
        ("2027-01-06", hours((10, 12)), "a special day wins over a public holiday"),
        ("2027-03-19", (), "Saint Joseph's Day, a holiday of Madrid's own"),
        ("2027-05-01", (), "Labour Day closes a Saturday"),
        ("2027-05-22", hours((10, 13)), "a Saturday of the base week"),
        ("2027-06-14", hours((9, 18)), "the day before 2027's dated summer"),
        ("2027-06-15", hours((7, 14)), "2027's dated summer replaces the yearly one"),
        ("2027-07-05", hours((7, 14)), "inside both: the dated season wins"),
        ("2027-07-10", (), "a Saturday in a season whose week has none"),
        ("2027-07-16", (), "a closed date wins over the season"),
        ("2027-09-15", hours((7, 14)), "the dated season's last day"),
        ("2027-09-16", hours((9, 18)), "the base week again"),
        ("2028-07-03", hours((8, 15)), "the yearly season, in a year without a dated one"),
        ("2028-06-30", hours((9, 18)), "the day before it"),
    ],
)
def test_which_rule_decides_a_day(
    date: str, expected: tuple[Opening, ...], why: str, madrid_holidays: object
) -> None:
    assert hours_on(MADRID_DESK, day(date), madrid_holidays) == expected, why  # type: ignore[arg-type]


def test_an_overnight_interval_keeps_its_night_whatever_the_next_day_is() -> None:
    """What opens on a day belongs to that day: Saturday's 22:00–02:00 runs into Sunday even when
    Sunday is a closed special day or a season's first day; Sunday's own hours are replaced."""
    saturday_night = Interval((5,), 22 * 60, 26 * 60)
    sunday = Interval((6,), 10 * 60, 14 * 60)
    closed_sunday = Schedule(
        "night",
        NAME,
        "Europe/Madrid",
        False,
        (saturday_night, sunday),
        Closures(),
        seasons=(Season(once("2027-02-07", "2027-02-28"), NAME, (Interval((0,), 9 * 60, 10 * 60),)),),
        special_days=(SpecialDay(once("2027-01-10"), (), None),),
    )
    at = lambda text: datetime.datetime.fromisoformat(text).replace(tzinfo=MADRID)  # noqa: E731
    assert is_open(closed_sunday, at("2027-01-10 01:30"))  # Saturday 9 January's night
    assert not is_open(closed_sunday, at("2027-01-10 11:00"))  # the special day closes Sunday itself
    assert is_open(closed_sunday, at("2027-02-07 01:30"))  # the season starts on Sunday 7 February
    assert not is_open(closed_sunday, at("2027-02-07 11:00"))  # its week has no Sunday
    assert not is_open(closed_sunday, at("2027-02-14 01:30"))  # nor Saturday night, inside it
    assert is_open(closed_sunday, at("2027-03-07 01:30"))  # after it, the base week's night again


def test_a_special_day_across_the_night_the_clocks_go_back() -> None:
    """20:00 on Saturday 30 October 2027 to 04:00 on Sunday, when 03:00 becomes 02:00: nine
    hours of wall clock are nine hours, and one more for the repeated hour."""
    launch = Schedule(
        "launch",
        NAME,
        "Europe/Madrid",
        False,
        (Interval(WEEKDAYS, 9 * 60, 18 * 60),),
        Closures(),
        special_days=(SpecialDay(once("2027-10-30"), (Opening(20 * 60, 28 * 60),), None),),
    )
    start = datetime.datetime(2027, 10, 30, tzinfo=MADRID)
    spans = occurrences(launch, start, start + datetime.timedelta(days=2), NO_HOLIDAYS)
    assert spans == [
        (
            datetime.datetime(2027, 10, 30, 18, tzinfo=datetime.UTC),
            datetime.datetime(2027, 10, 31, 3, tzinfo=datetime.UTC),
        )
    ]


def test_yearly_dates_run_over_the_new_year_and_keep_29_february_to_leap_years() -> None:
    holidays = yearly("12-20", "01-06")
    assert holidays.covers(day("2026-12-31")) and holidays.covers(day("2027-01-06"))
    assert not holidays.covers(day("2027-01-07")) and not holidays.covers(day("2026-12-19"))
    assert holidays.within(day("2027-01-01"), day("2027-12-31")) == [
        (day("2026-12-20"), day("2027-01-06")),
        (day("2027-12-20"), day("2028-01-06")),
    ]
    leap = yearly("02-29")
    assert leap.within(day("2027-01-01"), day("2027-12-31")) == []
    assert leap.within(day("2027-01-01"), day("2028-12-31")) == [(day("2028-02-29"), day("2028-02-29"))]


@pytest.mark.parametrize(
    ("first", "last"),
    [
        ("02-20", "02-29"),
        ("02-29", "03-05"),
        ("02-29", "02-29"),
        ("12-20", "02-29"),
        ("02-29", "01-10"),
        ("03-01", "02-28"),
        ("07-01", "08-31"),
    ],
)
def test_the_ranges_of_yearly_dates_hold_the_days_they_cover(first: str, last: str) -> None:
    """`within` (runs: page, feeds) and `covers` (each day's hours) agree, 29 February included."""
    dates = yearly(first, last)
    start, end = day("2026-01-01"), day("2030-12-31")
    every_day = [start + datetime.timedelta(days=n) for n in range((end - start).days + 1)]
    in_runs = {
        d for run_start, run_end in dates.within(start, end) for d in every_day if run_start <= d <= run_end
    }
    assert in_runs == {d for d in every_day if dates.covers(d)}


def test_runs_are_cut_where_a_dated_rule_replaces_a_yearly_one() -> None:
    desk = MADRID_DESK._replace(
        special_days=(
            SpecialDay(yearly("12-20", "01-06"), (), None),
            SpecialDay(once("2026-12-24"), hours((9, 12)), None),
        )
    )
    runs = special_runs(desk, day("2026-12-01"), day("2027-01-31"))
    assert [(run.first, run.last, run.rule.dates.yearly) for run in runs] == [
        (day("2026-12-20"), day("2026-12-23"), True),
        (day("2026-12-24"), day("2026-12-24"), False),
        (day("2026-12-25"), day("2027-01-06"), True),
    ]
    seasons = season_runs(MADRID_DESK, day("2027-01-01"), day("2028-12-31"))
    assert [(run.first, run.last) for run in seasons] == [
        (day("2027-06-15"), day("2027-09-15")),
        (day("2028-07-01"), day("2028-08-31")),
    ]


EN = catalog("en")


def spaced(text: str) -> str:
    """CLDR's narrow and thin spaces as plain ones, to read the expected text easily."""
    return text.replace("\u202f", " ").replace("\u2009", " ")


def test_seasons_and_special_days_in_words() -> None:
    words = Wording(Language("en", "en", None), EN, BuildCache())
    summer = Season(yearly("07-01", "08-31"), Text((("en", "Summer hours"),)), SUMMER_WEEK)
    assert (
        spaced(words.season(summer))
        == "Summer hours (July 1 – August 31): Monday to Friday, 8:00 AM – 3:00 PM"
    )
    eve = SpecialDay(yearly("12-24"), hours((9, 13), (15, 25)), Text((("en", "Christmas Eve"),)))
    assert spaced(words.special_day(eve, day("2026-12-24"), day("2026-12-24"))) == (
        "Thursday, December 24, 2026 (Christmas Eve): 9:00 AM – 1:00 PM and 3:00 PM – 1:00 AM"
    )
    closed = SpecialDay(once("2026-12-28", "2026-12-30"), (), None)
    assert (
        spaced(words.special_day(closed, day("2026-12-28"), day("2026-12-30"))) == "Dec 28 – 30, 2026: closed"
    )


# --- the page ----------------------------------------------------------------------------------


def example_site(tmp_path: Path, title: str, updated: str | None = None) -> Site:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    use_example(content, title)
    if updated:
        site_file = content / "site.yaml"
        site_file.write_text(site_file.read_text().replace("updated: 2026-11-29", f"updated: {updated}"))
    return read_content(content, PublicHolidays(BuildCache()))


def page(site: Site, code: str) -> BeautifulSoup:
    files = pipeline.render(site, BuildCache())
    return BeautifulSoup(files[f"{code}/index.html"], "html.parser")


def test_the_docs_examples_are_valid_content(tmp_path: Path) -> None:
    for title in (CHRISTMAS, SUMMER):
        site = example_site(tmp_path / title.replace(" ", "-"), title)
        business = site.schedule("business")
        assert business.special_days and (business.seasons or title == CHRISTMAS)


def test_the_page_lists_special_days_from_the_build_date_on(tmp_path: Path) -> None:
    # Built on 26 December 2026: Christmas Eve 2026 is over, the closure is on, New Year's Eve to come.
    site = example_site(tmp_path, CHRISTMAS, updated="2026-12-26")
    soup = page(site, "en")
    schedule = soup.select_one("#_hours-business")
    items = [" ".join(li.get_text().split()) for li in schedule.select(".special-days li")]
    assert (
        items
        == [
            "Dec 26 – 30, 2026 (Year-end closure): closed",
            "Thursday, December 31, 2026 (New Year's Eve): 7:00 AM – 12:00 PM",
            "Friday, December 24, 2027 (Christmas Eve): 7:00 AM – 12:00 PM",
            "Friday, December 31, 2027 (New Year's Eve): 7:00 AM – 12:00 PM",
            "Sunday, December 24, 2028 (Christmas Eve): 7:00 AM – 12:00 PM",
            "Sunday, December 31, 2028 (New Year's Eve): 7:00 AM – 12:00 PM",
        ][: len(items)]
    )
    assert len(items) >= 4
    # Without JavaScript nothing is hidden; each item says when it starts and ends, for the script.
    assert not any(li.has_attr("hidden") for li in schedule.select(".special-days li"))
    bogota = ZoneInfo("America/Bogota")
    first = schedule.select_one(".special-days li")
    starts = datetime.datetime.fromtimestamp(int(first["data-starts"]) * 60, bogota)
    ends = datetime.datetime.fromtimestamp(int(first["data-ends"]) * 60, bogota)
    assert (starts, ends) == (
        datetime.datetime(2026, 12, 26, tzinfo=bogota),
        datetime.datetime(2026, 12, 31, tzinfo=bogota),
    )
    # Each channel on business hours lists them too, in the coming weeks only (the script decides).
    phone = soup.select_one("#phone-bogota .special-days")
    assert phone["data-ahead"] == "42"
    assert len(phone.select("li")) == len(items)


def test_seasons_are_said_in_the_hours_in_both_languages(tmp_path: Path) -> None:
    site = example_site(tmp_path, SUMMER)
    phrases = {
        code: [
            " ".join(p.get_text().split()) for p in page(site, code).select("#_hours-business .hours-phrase")
        ]
        for code in ("es", "en")
    }
    assert phrases["en"][2] == "Summer hours (July 1 – August 31): Monday to Friday, 8:00 AM – 3:00 PM"
    assert phrases["es"][2] == (
        "Horario de verano (1 de julio – 31 de agosto): lunes a viernes, 8:00 a. m. – 3:00 p. m."
    )


def test_the_script_reads_when_seasons_and_special_days_last(tmp_path: Path) -> None:
    site = example_site(tmp_path, SUMMER)
    ctx = context(site)
    views = PageViews(ctx, site.languages[1], {})
    data = views.script_data()
    notes = [
        (
            datetime.datetime.fromtimestamp((data["base"] + starts) * 60, MADRID),
            datetime.datetime.fromtimestamp((data["base"] + ends) * 60, MADRID),
            text,
        )
        for starts, ends, text in data["notes"]["business"]
    ]
    assert notes[:3] == [
        (
            datetime.datetime(2027, 7, 1, tzinfo=MADRID),
            datetime.datetime(2027, 9, 1, tzinfo=MADRID),
            "Summer hours until August 31",
        ),
        (
            datetime.datetime(2027, 10, 30, tzinfo=MADRID),
            datetime.datetime(2027, 10, 31, tzinfo=MADRID),
            "Launch night",
        ),
        (
            datetime.datetime(2028, 7, 1, tzinfo=MADRID),
            datetime.datetime(2028, 9, 1, tzinfo=MADRID),
            "Summer hours until August 31",
        ),
    ]
    # The open spans the script reads are generator.hours' own.
    spans = data["schedules"]["business"]
    at, decoded = data["base"], []
    for gap, length in zip(spans[::2], spans[1::2], strict=True):
        at += gap
        decoded.append((at, at + length))
        at += length
    expected = [(int(o.timestamp()) // 60, int(c.timestamp()) // 60) for o, c in ctx.open_spans["business"]]
    assert decoded == expected
    assert any(
        datetime.datetime.fromtimestamp(o * 60, MADRID) == datetime.datetime(2027, 10, 30, 20, tzinfo=MADRID)
        and c - o == 9 * 60  # 20:00 to 04:00 across the hour the clocks go back
        for o, c in decoded
    )
