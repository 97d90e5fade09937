"""Notices in a real browser: the clock before, during and after a maintenance and an incident, for
visitors in three zones; a maintenance across the night Madrid's clocks go back; no JavaScript.

The page decides by the visitor's clock, never the build's: the site is built once, on the
content's date (29 November 2026), and every moment below is the browser's.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from conftest import Served, _serve, build_variant
from examples import MADRID_NOTICES, in_madrid, use_notices
from test_open_now import statuses

pytestmark = pytest.mark.browser

BOGOTA = ZoneInfo("America/Bogota")
MADRID = ZoneInfo("Europe/Madrid")
ZONES = ("America/Bogota", "Europe/Madrid", "Asia/Tokyo")
MAINTENANCE = "#_notice-portal-maintenance-2026-12"
INCIDENT = "#_notice-phone-outage-2026-12-02"


@pytest.fixture(scope="module")
def notices_served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    yield from _serve(build_variant(tmp_path_factory.mktemp("notices"), use_notices))


@pytest.fixture(scope="module")
def madrid_served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    def change(content: Any) -> None:
        in_madrid(content)
        use_notices(content, MADRID_NOTICES)

    yield from _serve(build_variant(tmp_path_factory.mktemp("madrid-notices"), change))


def bogota(month: int, day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=BOGOTA)


def shown(opened: Any, selector: str) -> bool:
    return bool(opened.page.locator(selector).is_visible())


def tags(opened: Any, selector: str) -> str:
    return " ".join(opened.page.locator(f"{selector} .notice-tags").inner_text().split())


@pytest.mark.parametrize("zone", ZONES)
def test_a_maintenance_before_during_and_after(
    visit: Callable[..., Any], notices_served: Any, zone: str
) -> None:
    url = f"{notices_served.url}en/"
    # Seventeen days ahead: not yet on the page.
    early = visit(url, zone=zone, at=bogota(11, 25, 10))
    assert not shown(early, MAINTENANCE)
    assert statuses(early, "portal")[1][0] == "open"
    # Within fourteen days: a quieter "Planned" notice; the portal is still open.
    planned = visit(url, zone=zone, at=bogota(12, 5, 10))
    assert shown(planned, MAINTENANCE)
    assert tags(planned, MAINTENANCE) == "Maintenance Planned"
    assert "planned" in (planned.page.locator(MAINTENANCE).get_attribute("class") or "")
    assert [state for state, _ in statuses(planned, "portal")] == ["open", "open"]
    assert not shown(planned, '[data-channel="portal"] .channel-notice')
    # During: a banner, and the portal unavailable until 4:00 AM, with its alternatives.
    during = visit(url, zone=zone, at=bogota(12, 12, 23))
    assert tags(during, MAINTENANCE) == "Maintenance"
    for state, text in statuses(during, "portal"):
        assert state == "unavailable"
        assert text.split(": ")[-1].startswith("Unavailable (maintenance) until tomorrow 4:00 AM")
        assert ("your time" in text) == (zone != "America/Bogota")
    alternatives = during.page.locator('[data-channel="portal"] .channel-notice')
    assert alternatives.is_visible()
    assert alternatives.locator("a").all_inner_texts() == ["Bogotá customer line", "Help desk email"]
    # The other channels keep their own status.
    assert statuses(during, "whatsapp-monitoring") == [("open", "Open now · 24 hours a day, every day")]
    window = " ".join(during.page.locator(f"{MAINTENANCE} .notice-window").inner_text().split())
    assert window.startswith("Saturday, December 12, 2026, 10:00 PM to Sunday, December 13, 2026, 4:00 AM")
    assert ("your time" in window) == (zone != "America/Bogota")
    # After: marked over for a few days, the portal back to its hours; then gone.
    after = visit(url, zone=zone, at=bogota(12, 13, 5))
    assert tags(after, MAINTENANCE) == "Maintenance Over"
    assert statuses(after, "portal")[0][0] == "open"
    assert not shown(after, '[data-channel="portal"] .channel-notice')
    assert not shown(visit(url, zone=zone, at=bogota(12, 17, 5)), MAINTENANCE)
    assert during.errors == []


@pytest.mark.parametrize("zone", ZONES)
def test_an_incident_degrades_a_line_until_it_is_resolved(
    visit: Callable[..., Any], notices_served: Any, zone: str
) -> None:
    url = f"{notices_served.url}en/"
    assert not shown(visit(url, zone=zone, at=bogota(12, 2, 9, 0)), INCIDENT)
    during = visit(url, zone=zone, at=bogota(12, 2, 10, 0))
    assert shown(during, INCIDENT) and tags(during, INCIDENT) == "Incident"
    [(state, text)] = statuses(during, "phone-bogota")
    assert state == "degraded"
    assert text.startswith("Degraded (incident) until 11:05 AM")
    links = during.page.locator('[data-channel="phone-bogota"] .channel-notice a').all_inner_texts()
    assert links == ["National toll-free line", "Corporate WhatsApp"]
    # The timeline, newest first.
    updates = during.page.locator(f"{INCIDENT} .notice-updates li strong").all_inner_texts()
    assert updates == ["Resolved", "Investigating"]
    resolved = visit(url, zone=zone, at=bogota(12, 2, 11, 30))
    assert tags(resolved, INCIDENT) == "Incident Over"
    assert statuses(resolved, "phone-bogota")[0][0] == "open"


def test_spanish_words(visit: Callable[..., Any], notices_served: Any) -> None:
    opened = visit(f"{notices_served.url}es/", at=bogota(12, 12, 23), locale="es-CO")
    [(state, text), _] = statuses(opened, "portal")
    assert state == "unavailable"
    assert text.split(": ")[-1] == "No disponible (mantenimiento) · vuelve mañana a las 4:00 a. m."
    assert tags(opened, MAINTENANCE) == "Mantenimiento"


def test_a_notice_that_becomes_current_is_said_once(browser: Any, notices_served: Any) -> None:
    context = browser.new_context(timezone_id="America/Bogota")
    try:
        page = context.new_page()
        page.clock.install(time=bogota(12, 12, 21, 58))
        page.goto(f"{notices_served.url}en/")
        live = page.locator("#_notice-live")
        assert live.get_attribute("role") == "status"
        assert live.inner_text() == ""  # the planned notice is read in place, not announced
        page.evaluate(
            "window._said = 0; new MutationObserver(function () { window._said++; })"
            ".observe(document.getElementById('_notice-live'), {childList: true, characterData: true, subtree: true})"
        )
        page.clock.run_for(3 * 60 * 1000)  # past 22:00: the maintenance starts
        assert live.inner_text() == "Maintenance: Portal maintenance"
        page.clock.run_for(10 * 60 * 1000)  # twenty more status updates
        assert page.evaluate("window._said") == 1
    finally:
        context.close()


@pytest.mark.parametrize("zone", ZONES)
def test_a_maintenance_across_the_clocks_going_back_in_madrid(
    visit: Callable[..., Any], madrid_served: Any, zone: str
) -> None:
    """23:00 on Saturday 30 October 2027 to 04:00 on Sunday, Madrid time: six hours, as the clocks
    go back from 03:00 to 02:00 on the way."""
    url = f"{madrid_served.url}en/"
    repeated_half_past_two = datetime.datetime(2027, 10, 31, 1, 30, tzinfo=datetime.UTC)  # 02:30 CET
    opened = visit(url, zone=zone, at=repeated_half_past_two)
    for state, text in statuses(opened, "portal"):
        assert state == "unavailable"
        assert text.split(": ")[-1].startswith("Unavailable (maintenance) until 4:00 AM")
    window = " ".join(
        opened.page.locator("#_notice-portal-migration-2027-10 .notice-window").inner_text().split()
    )
    assert window.startswith("Saturday, October 30, 2027, 11:00 PM to Sunday, October 31, 2027, 4:00 AM")
    # 04:00 CET is 03:00 UTC: the portal is back.
    back = visit(url, zone=zone, at=datetime.datetime(2027, 10, 31, 3, 0, tzinfo=datetime.UTC))
    assert statuses(back, "portal")[0][0] == "open"
    assert tags(back, "#_notice-portal-migration-2027-10") == "Maintenance Over"
    # 03:59 CET, an hour before: still unavailable.
    before = visit(url, zone=zone, at=datetime.datetime(2027, 10, 31, 2, 59, tzinfo=datetime.UTC))
    assert statuses(before, "portal")[0][0] == "unavailable"


def test_without_javascript_the_notices_not_over_at_build_time_show(
    browser: Any, notices_served: Any
) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{notices_served.url}en/")
        for selector in (MAINTENANCE, INCIDENT):
            assert page.locator(selector).is_visible()
        window = " ".join(page.locator(f"{MAINTENANCE} .notice-window").inner_text().split())
        assert window == "Saturday, December 12, 2026, 10:00 PM to Sunday, December 13, 2026, 4:00 AM"
        assert not page.locator(".channel-notice").first.is_visible()
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(
    "moment",
    [bogota(12, 2, 10), bogota(12, 5, 10), bogota(12, 12, 23), bogota(12, 13, 5)],
    ids=["incident", "planned", "maintenance", "over"],
)
def test_axe_finds_no_wcag_22_aa_violation_in_notices(
    visit: Callable[..., Any], notices_served: Any, scheme: str, moment: datetime.datetime
) -> None:
    """The banners in every state and kind, with affected channels, in both colour schemes."""
    from axe_playwright_python.sync_playwright import Axe
    from test_page import WCAG_22_AA

    page = visit(f"{notices_served.url}en/", at=moment, scheme=scheme).page
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    violations = [
        (v["id"], v["help"], [node["target"] for node in v["nodes"]]) for v in results.response["violations"]
    ]
    assert violations == []
