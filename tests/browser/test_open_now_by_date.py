"""Special days and seasons in a real browser, with the clock fixed and visitors in three zones.

The sites are the seed with its business schedule replaced by the examples of docs/content.md:
Christmas in Bogotá (UTC-5 all year) and summer hours in Madrid (daylight saving time). Whatever the
visitor's zone, the state is the organisation's; only the "your time" part differs.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from conftest import Served, _serve, build_variant
from examples import CHRISTMAS, SUMMER, use_example
from test_open_now import statuses

pytestmark = pytest.mark.browser

BOGOTA = ZoneInfo("America/Bogota")
MADRID = ZoneInfo("Europe/Madrid")
ZONES = ("America/Bogota", "Europe/Madrid", "Asia/Tokyo")


@pytest.fixture(scope="module")
def christmas_served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    yield from _serve(
        build_variant(tmp_path_factory.mktemp("christmas"), lambda c: use_example(c, CHRISTMAS))
    )


@pytest.fixture(scope="module")
def summer_served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    yield from _serve(build_variant(tmp_path_factory.mktemp("summer"), lambda c: use_example(c, SUMMER)))


def own_part(text: str) -> str:
    """The status without the visitor's own time, which only a visitor elsewhere sees."""
    return text.split(" (", 1)[0] if "your time)" in text else text


def special_days(visit: Any, where: str) -> list[tuple[str, bool]]:
    """The special days a list shows: each item's text, and whether it is marked as today."""
    page = visit.page
    items = page.locator(f"{where} .special-days li:not([hidden])")
    found = []
    for index in range(items.count()):
        item = items.nth(index)
        text = " ".join(item.inner_text().replace("\u202f", " ").replace("\u2009", " ").split())
        found.append((text, "today" in (item.get_attribute("class") or "")))
    return found


@pytest.mark.parametrize("zone", ZONES)
def test_christmas_eve_closes_at_noon(visit: Callable[..., Any], christmas_served: Any, zone: str) -> None:
    opened = visit(
        f"{christmas_served.url}en/", zone=zone, at=datetime.datetime(2026, 12, 24, 10, tzinfo=BOGOTA)
    )
    [(state, text)] = statuses(opened, "phone-bogota")
    assert state == "open"
    assert (
        own_part(text) + (" · Christmas Eve" if " (" in text else "")
        == "Open now · closes 12:00 PM · Christmas Eve"
    )
    if zone != "America/Bogota":
        assert "your time" in text
    # Today's special day is marked; Christmas Eve is the first one not over.
    shown = special_days(opened, "#_hours-business")
    assert shown[0] == ("Today Thursday, December 24, 2026 (Christmas Eve): 7:00 AM – 12:00 PM", True)
    assert not any(today for _, today in shown[1:])
    assert opened.errors == []


@pytest.mark.parametrize("zone", ZONES)
def test_a_closed_week_opens_on_new_years_eve(
    visit: Callable[..., Any], christmas_served: Any, zone: str
) -> None:
    opened = visit(
        f"{christmas_served.url}en/", zone=zone, at=datetime.datetime(2026, 12, 28, 10, tzinfo=BOGOTA)
    )
    [(state, text)] = statuses(opened, "phone-bogota")
    assert state == "closed"
    assert text.startswith("Closed · opens Thursday 7:00 AM")
    assert text.endswith("· Year-end closure")
    # The past days are hidden; the closure is today; in the channel, only the coming six weeks.
    assert [today for _, today in special_days(opened, "#_hours-business")][:2] == [True, False]
    channel = special_days(opened, "#phone-bogota")
    assert [text for text, _ in channel] == [
        "Today Dec 26 – 30, 2026 (Year-end closure): closed",
        "Thursday, December 31, 2026 (New Year's Eve): 7:00 AM – 12:00 PM",
    ]


def test_special_days_far_ahead_leave_the_channel_but_stay_in_the_hours(
    visit: Callable[..., Any], christmas_served: Any
) -> None:
    opened = visit(f"{christmas_served.url}en/", at=datetime.datetime(2027, 3, 1, 10, tzinfo=BOGOTA))
    assert statuses(opened, "phone-bogota") == [("open", "Open now · closes 7:00 PM")]
    assert opened.page.locator("#phone-bogota .special-days").is_hidden()
    shown = special_days(opened, "#_hours-business")
    assert shown[0] == ("Friday, December 24, 2027 (Christmas Eve): 7:00 AM – 12:00 PM", False)


@pytest.mark.parametrize("zone", ZONES)
def test_inside_the_summer_season(visit: Callable[..., Any], summer_served: Any, zone: str) -> None:
    opened = visit(
        f"{summer_served.url}en/", zone=zone, at=datetime.datetime(2027, 7, 14, 14, 30, tzinfo=MADRID)
    )
    [(state, text)] = statuses(opened, "phone-bogota")
    assert state == "open"
    assert text.startswith("Open now · closes 3:00 PM")
    assert text.endswith("· Summer hours until August 31")
    # At 15:00 the summer day is over, where the base week would still be open.
    later = visit(f"{summer_served.url}en/", zone=zone, at=datetime.datetime(2027, 7, 14, 15, tzinfo=MADRID))
    [(state, text)] = statuses(later, "phone-bogota")
    assert state == "closed"
    assert text.startswith("Closed · opens tomorrow 8:00 AM")


@pytest.mark.parametrize("zone", ZONES)
def test_the_day_the_season_starts(visit: Callable[..., Any], summer_served: Any, zone: str) -> None:
    # Wednesday 30 June at 08:30: the base week opens at 9:00.
    before = visit(
        f"{summer_served.url}en/", zone=zone, at=datetime.datetime(2027, 6, 30, 8, 30, tzinfo=MADRID)
    )
    [(state, text)] = statuses(before, "phone-bogota")
    assert (state, own_part(text)) == ("closed", "Closed · opens 9:00 AM")
    # Thursday 1 July at 08:30: summer hours opened at 8:00.
    first = visit(
        f"{summer_served.url}en/", zone=zone, at=datetime.datetime(2027, 7, 1, 8, 30, tzinfo=MADRID)
    )
    [(state, text)] = statuses(first, "phone-bogota")
    assert state == "open"
    assert text.startswith("Open now · closes 3:00 PM")
    assert text.endswith("Summer hours until August 31")


@pytest.mark.parametrize("zone", ZONES)
def test_a_launch_night_across_the_clocks_going_back(
    visit: Callable[..., Any], summer_served: Any, zone: str
) -> None:
    """Saturday 30 October 2027, 20:00 to 04:00 in Madrid; at 03:00 the clocks go back to 02:00."""
    evening = datetime.datetime(2027, 10, 30, 21, tzinfo=MADRID)
    opened = visit(f"{summer_served.url}en/", zone=zone, at=evening)
    [(state, text)] = statuses(opened, "phone-bogota")
    assert state == "open"
    assert text.startswith("Open now · closes tomorrow 4:00 AM")
    assert text.endswith("· Launch night")
    # 02:30 after the clocks went back (01:30 UTC): still open, closing at 04:00.
    repeated = datetime.datetime(2027, 10, 31, 1, 30, tzinfo=datetime.UTC)
    [(state, text)] = statuses(visit(f"{summer_served.url}en/", zone=zone, at=repeated), "phone-bogota")
    assert state == "open"
    assert text.startswith("Open now · closes 4:00 AM")
    # 04:00 CET is 03:00 UTC: closed until Tuesday, as Monday 1 November is All Saints' Day.
    closed = datetime.datetime(2027, 10, 31, 3, 0, tzinfo=datetime.UTC)
    [(state, text)] = statuses(visit(f"{summer_served.url}en/", zone=zone, at=closed), "phone-bogota")
    assert state == "closed"
    assert text.startswith("Closed · opens Tuesday 9:00 AM")


def test_spanish_words_on_a_special_day(visit: Callable[..., Any], christmas_served: Any) -> None:
    opened = visit(
        f"{christmas_served.url}es/", at=datetime.datetime(2026, 12, 24, 10, tzinfo=BOGOTA), locale="es-CO"
    )
    [(state, text)] = statuses(opened, "phone-bogota")
    assert (state, text) == ("open", "Abierto ahora · cierra a las 12:00 p. m. · Nochebuena")
    assert special_days(opened, "#_hours-business")[0] == (
        "Hoy jueves, 24 de diciembre de 2026 (Nochebuena): 7:00 a. m. – 12:00 p. m.",
        True,
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_wcag_22_aa_violation_on_a_special_day(
    visit: Callable[..., Any], christmas_served: Any, scheme: str
) -> None:
    """The special days' lists and today's tag, in both colour schemes."""
    from axe_playwright_python.sync_playwright import Axe
    from test_page import WCAG_22_AA

    at = datetime.datetime(2026, 12, 24, 10, tzinfo=BOGOTA)
    page = visit(f"{christmas_served.url}en/", at=at, scheme=scheme).page
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    violations = [
        (v["id"], v["help"], [node["target"] for node in v["nodes"]]) for v in results.response["violations"]
    ]
    assert violations == []
