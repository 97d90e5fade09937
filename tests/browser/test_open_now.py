"""Open now, in a real browser: the clock fixed, the visitor in Bogotá, Madrid or Tokyo.

Times are the organisation's (Bogotá, UTC-5 all year). In December 2026 Madrid is 6 hours ahead
and Tokyo 14, so a visitor there also sees the moment in their own time, with its own day.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest

pytestmark = pytest.mark.browser

BOGOTA = ZoneInfo("America/Bogota")
ZONES = ("America/Bogota", "Europe/Madrid", "Asia/Tokyo")


def bogota(day: int, hour: int, minute: int = 0, month: int = 12) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=BOGOTA)


def status_texts(scope: Any, channel: str) -> list[tuple[str | None, str]]:
    """Each status of a channel in `scope` (a page, or a frame's locator): its data-state and its
    text, spaces normalised."""
    items = scope.locator(f'[data-channel="{channel}"] .status')
    # A locator waits without evaluating strings, which the page's CSP forbids.
    scope.locator(f'[data-channel="{channel}"] .status[data-state]').first.wait_for(state="attached")
    found = []
    for index in range(items.count()):
        item = items.nth(index)
        text = " ".join(item.inner_text().replace("\u202f", " ").replace("\xa0", " ").split())
        found.append((item.get_attribute("data-state"), text))
    return found


def statuses(visit: Any, channel: str) -> list[tuple[str | None, str]]:
    """Each status of a channel on a visited page."""
    return status_texts(visit.page, channel)


# (moment in Bogotá, expected state of the business-hours line, its text, then the visitor's own
# time as Madrid and Tokyo show it, or None when the same text needs no second time).
CASES = [
    pytest.param(
        bogota(30, 6, 59, month=11),
        "closed",
        "Closed · opens 7:00 AM",
        {"Europe/Madrid": "1:00 PM your time", "Asia/Tokyo": "9:00 PM your time"},
        id="monday-0659",
    ),
    pytest.param(
        bogota(30, 7, 0, month=11),
        "open",
        "Open now · closes 7:00 PM",
        {"Europe/Madrid": "tomorrow 1:00 AM your time", "Asia/Tokyo": "tomorrow 9:00 AM your time"},
        id="monday-0700",
    ),
    pytest.param(
        bogota(5, 12, 59),
        "open",
        "Open now · closes 1:00 PM",
        {"Europe/Madrid": "7:00 PM your time", "Asia/Tokyo": "3:00 AM your time"},
        id="saturday-1259",
    ),
    pytest.param(
        bogota(5, 13, 0),
        "closed",
        "Closed · opens Monday 7:00 AM",
        {"Europe/Madrid": "Monday 1:00 PM your time", "Asia/Tokyo": "tomorrow 9:00 PM your time"},
        id="saturday-1300",
    ),
    pytest.param(
        bogota(6, 12, 0),
        "closed",
        "Closed · opens tomorrow 7:00 AM",
        {"Europe/Madrid": "tomorrow 1:00 PM your time", "Asia/Tokyo": "9:00 PM your time"},
        id="sunday-noon",
    ),
]


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize(("moment", "state", "text", "yours"), CASES)
def test_business_hours_open_and_close_on_time(
    visit: Callable[..., Any],
    seed_served: Any,
    zone: str,
    moment: datetime.datetime,
    state: str,
    text: str,
    yours: dict[str, str],
) -> None:
    opened = visit(f"{seed_served.url}en/", zone=zone, at=moment)
    expected = text if zone == "America/Bogota" else f"{text} ({yours[zone]})"
    for channel in ("phone-bogota", "phone-toll-free", "email", "whatsapp-corporate"):
        assert statuses(opened, channel) == [(state, expected)]
    # The 24/7 channel is open whatever the moment.
    assert statuses(opened, "whatsapp-monitoring") == [("open", "Open now · 24 hours a day, every day")]
    # The portal: incidents around the clock, requests in business hours.
    assert statuses(opened, "portal") == [
        ("open", "Incidents handled: Open now · 24 hours a day, every day"),
        (state, f"Requests handled: {expected}"),
    ]
    assert opened.errors == []


@pytest.mark.parametrize("zone", ZONES)
def test_sunday_is_closed_until_monday_morning(
    visit: Callable[..., Any], seed_served: Any, zone: str
) -> None:
    for moment, state in (
        (bogota(5, 23, 59), "closed"),
        (bogota(6, 0, 0), "closed"),
        (bogota(6, 23, 59), "closed"),
        (bogota(7, 6, 59), "closed"),
        (bogota(7, 7, 0), "open"),
    ):
        opened = visit(f"{seed_served.url}en/", zone=zone, at=moment)
        assert statuses(opened, "phone-bogota")[0][0] == state, moment
        assert statuses(opened, "whatsapp-monitoring")[0][0] == "open"
        assert statuses(opened, "portal")[0][0] == "open"


@pytest.mark.parametrize("zone", ZONES)
def test_a_public_holiday_is_closed(
    visit: Callable[..., Any], seed_served: Any, holiday_served: Any, zone: str
) -> None:
    tuesday = bogota(8, 10, 0)  # the Immaculate Conception, a public holiday in Colombia
    assert statuses(visit(f"{seed_served.url}en/", zone=zone, at=tuesday), "phone-bogota")[0][0] == "open"
    opened = visit(f"{holiday_served.url}en/", zone=zone, at=tuesday)
    yours = {
        "America/Bogota": "",
        "Europe/Madrid": " (tomorrow 1:00 PM your time)",
        "Asia/Tokyo": " (9:00 PM your time)",
    }
    assert statuses(opened, "phone-bogota") == [("closed", f"Closed · opens tomorrow 7:00 AM{yours[zone]}")]
    assert statuses(opened, "whatsapp-monitoring")[0][0] == "open"
    assert [state for state, _ in statuses(opened, "portal")] == ["open", "closed"]
    # The day before and the day after are ordinary days.
    assert (
        statuses(visit(f"{holiday_served.url}en/", zone=zone, at=bogota(7, 10)), "phone-bogota")[0][0]
        == "open"
    )
    assert (
        statuses(visit(f"{holiday_served.url}en/", zone=zone, at=bogota(9, 10)), "phone-bogota")[0][0]
        == "open"
    )


def test_spanish_words_and_times(visit: Callable[..., Any], seed_served: Any) -> None:
    opened = visit(f"{seed_served.url}es/", at=bogota(5, 13, 0), locale="es-CO")
    assert statuses(opened, "phone-bogota") == [("closed", "Cerrado · abre el lunes a las 7:00 a. m.")]
    assert statuses(opened, "portal")[0] == (
        "open",
        "Atención de incidentes: Abierto ahora · 24 horas, todos los días",
    )
    madrid = visit(f"{seed_served.url}es/", zone="Europe/Madrid", at=bogota(30, 7, 0, month=11))
    assert statuses(madrid, "email") == [
        ("open", "Abierto ahora · cierra a las 7:00 p. m. (mañana a las 1:00 a. m. en su hora local)")
    ]


def test_without_javascript_the_hours_are_there_in_words(browser: object, seed_served: Any) -> None:
    context = browser.new_context(java_script_enabled=False)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(f"{seed_served.url}en/")
    assert "Monday to Friday" in page.locator('[data-channel="phone-bogota"] .hours').inner_text()
    assert not page.locator(".statuses").first.is_visible()
    assert page.locator("[data-state]").count() == 0
    context.close()


def test_past_the_embedded_horizon_the_page_claims_nothing(
    visit: Callable[..., Any], seed_served: Any
) -> None:
    opened = visit(f"{seed_served.url}en/", at=bogota(1, 10, month=1).replace(year=2030))
    opened.page.wait_for_load_state()
    assert opened.page.locator("[data-state]").count() == 0
    assert not opened.page.locator(".statuses").first.is_visible()
    assert opened.errors == []


def test_literal_braces_in_status_strings(visit: Callable[..., Any], tmp_path: Any) -> None:
    """The script fills strings by the build's rules: `{{` and `}}` are literal braces."""
    from conftest import _serve, build_variant  # type: ignore[import-not-found]

    def braces(content: Any) -> None:
        (content / "strings" / "en.yaml").write_text('closes: "closes {{at}} {when}"\n', encoding="utf-8")

    for served in _serve(build_variant(tmp_path, braces)):
        found = statuses(visit(f"{served.url}en/", at=bogota(30, 10, 0, month=11)), "phone-bogota")
        assert found == [("open", "Open now · closes {at} 7:00 PM")]
