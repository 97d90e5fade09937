"""The embeddable status page in a real browser, framed by a page of another origin (another
loopback port): the statuses by a fixed clock, the hours in words without the script, the height
it tells its parent, its links, axe-core, and screenshots light and dark, 320 and 600 px wide."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
from conftest import Served, _serve, build_variant
from examples import use_notices
from test_open_now import status_texts
from test_page import SUNDAY, WCAG_22_AA

pytestmark = pytest.mark.browser

BOGOTA = ZoneInfo("America/Bogota")
MONDAY_10 = datetime.datetime(2026, 12, 7, 10, 0, tzinfo=BOGOTA)
BUSINESS = ("phone-bogota", "phone-toll-free", "email", "whatsapp-corporate")

# The organisation's own page: it frames the help desk's embed, sized by the attributes in its
# address, and (with `fit`) follows the height the embed tells it, as docs/embed.md shows.
HOST_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>An organisation's page</title>
<style>
:root { color-scheme: light dark; }
body { margin: 16px; font: 16px/1.5 Georgia, serif; background: #ece6d9; color: #222; }
@media (prefers-color-scheme: dark) { body { background: #1d1d1d; color: #ddd; } }
iframe { display: block; border: 1px solid #8a8a8a; }
</style>
</head>
<body>
<p>The organisation's own page, on another origin. Is support open now?</p>
<iframe id="help" title="Help desk: open now?"></iframe>
<p>Text after the frame.</p>
<script>
var query = new URLSearchParams(location.search);
var frame = document.getElementById("help");
frame.width = query.get("width") || "320";
frame.height = query.get("height") || "320";
window.heights = [];
addEventListener("message", function (event) {
  if (event.source !== frame.contentWindow || !event.data || event.data.canales !== "height") return;
  window.heights.push(event.data.height);
  if (query.has("fit")) frame.height = event.data.height;
});
frame.src = query.get("src");
</script>
</body>
</html>
"""


@pytest.fixture(scope="module")
def host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The host page, served on a loopback port of its own: another origin than the help site's."""
    folder = tmp_path_factory.mktemp("host")
    (folder / "index.html").write_text(HOST_PAGE, encoding="utf-8")
    yield from _serve(folder)


@pytest.fixture(scope="module")
def notices_served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The seed with a maintenance of the portal (12 December 2026, 22:00 to 04:00)."""
    yield from _serve(build_variant(tmp_path_factory.mktemp("notices"), use_notices))


def framed(
    host: Served, site: Served, language: str, *, width: int = 320, height: int = 320, fit: bool = False
) -> str:
    """The host page's address, framing `language`'s embed of `site`."""
    query = {"src": f"{site.url}{language}/embed/", "width": width, "height": height}
    return f"{host.url}?{urlencode(query)}" + ("&fit" if fit else "")


def test_sunday_noon_the_round_the_clock_channels_are_open_the_others_closed(
    visit: Callable[..., Any], seed_served: Served, host: Served
) -> None:
    assert host.url != seed_served.url  # two origins
    opened = visit(framed(host, seed_served, "en"), at=SUNDAY)
    frame = opened.page.frame_locator("#help")
    for channel in BUSINESS:
        assert status_texts(frame, channel) == [("closed", "Closed · opens tomorrow 7:00 AM")]
    assert status_texts(frame, "whatsapp-monitoring") == [("open", "Open now · 24 hours a day, every day")]
    assert status_texts(frame, "portal") == [
        ("open", "Incidents handled: Open now · 24 hours a day, every day"),
        ("closed", "Requests handled: Closed · opens tomorrow 7:00 AM"),
    ]
    # Once the statuses show, the hours in words that stood in for them are gone.
    assert frame.locator("ul.statuses:visible").count() == 6
    assert frame.locator("p.hours:visible").count() == 0
    assert opened.errors == [] and opened.off_site == []
    assert opened.page.context.cookies() == []


def test_a_weekday_morning_every_channel_is_open(
    visit: Callable[..., Any], seed_served: Served, host: Served
) -> None:
    opened = visit(framed(host, seed_served, "es"), at=MONDAY_10, locale="es-CO")
    frame = opened.page.frame_locator("#help")
    for channel in (*BUSINESS, "whatsapp-monitoring"):
        assert [state for state, _ in status_texts(frame, channel)] == ["open"]
    assert status_texts(frame, "phone-bogota") == [("open", "Abierto ahora · cierra a las 7:00 p. m.")]
    assert [state for state, _ in status_texts(frame, "portal")] == ["open", "open"]
    assert opened.errors == [] and opened.off_site == []


def test_the_same_statuses_as_the_full_page(
    visit: Callable[..., Any], seed_served: Served, host: Served
) -> None:
    for moment in (SUNDAY, MONDAY_10, datetime.datetime(2026, 12, 5, 12, 59, tzinfo=BOGOTA)):
        framed_page = visit(framed(host, seed_served, "en"), at=moment, zone="Europe/Madrid")
        full_page = visit(f"{seed_served.url}en/", at=moment, zone="Europe/Madrid")
        frame = framed_page.page.frame_locator("#help")
        for channel in (*BUSINESS, "whatsapp-monitoring", "portal"):
            assert status_texts(frame, channel) == status_texts(full_page.page, channel), (moment, channel)


def test_a_notice_shows_in_the_frame_as_on_the_full_page(
    visit: Callable[..., Any], notices_served: Served, host: Served
) -> None:
    during = datetime.datetime(2026, 12, 12, 23, 0, tzinfo=BOGOTA)
    opened = visit(framed(host, notices_served, "en"), at=during)
    found = status_texts(opened.page.frame_locator("#help"), "portal")
    assert [state for state, _ in found] == ["unavailable", "unavailable"]
    assert all("Unavailable (maintenance) until tomorrow 4:00 AM" in text for _, text in found)
    assert opened.errors == []


def test_no_cookie_no_storage_no_worker(visit: Callable[..., Any], seed_served: Served) -> None:
    # Opened by itself, on the help site's own origin, where the full page registers its worker.
    opened = visit(f"{seed_served.url}es/embed/", at=SUNDAY)
    page = opened.page
    status_texts(page, "portal")
    page.wait_for_load_state("load")
    assert page.evaluate("() => navigator.serviceWorker.getRegistrations().then(found => found.length)") == 0
    assert page.evaluate("() => [document.cookie, localStorage.length, sessionStorage.length]") == ["", 0, 0]
    assert page.context.cookies() == []
    assert opened.errors == [] and opened.off_site == []


def test_without_the_script_the_hours_in_words_stand(browser: Any, seed_served: Served) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 320, "height": 320})
    try:
        page = context.new_page()
        page.goto(f"{seed_served.url}en/embed/")
        assert page.locator("ul.statuses:visible").count() == 0
        hours = page.locator('[data-channel="phone-bogota"] p.hours')
        assert hours.is_visible() and "Monday to Friday" in hours.inner_text()
        assert page.locator("p.hours:visible").count() == 7  # the portal has two
    finally:
        context.close()


def test_it_tells_its_parent_its_height(visit: Callable[..., Any], seed_served: Served, host: Served) -> None:
    page = visit(framed(host, seed_served, "en", width=600, fit=True), at=SUNDAY).page
    frame = page.frame_locator("#help")
    status_texts(frame, "portal")
    inner = frame.locator("html").evaluate("html => Math.ceil(html.getBoundingClientRect().height)")
    page.wait_for_function(f"() => window.heights.includes({inner})")
    # The host followed it: the whole page shows, with nothing to scroll.
    assert page.locator("#help").get_attribute("height") == str(inner)
    assert frame.locator("html").evaluate("html => html.scrollHeight <= innerHeight")
    # Narrower, the rows wrap and the page grows: it says so again.
    page.evaluate("() => { document.getElementById('help').width = '280'; }")
    page.wait_for_function(f"() => window.heights[window.heights.length - 1] > {inner}")


def test_a_fixed_height_scrolls_to_the_last_channel(
    visit: Callable[..., Any], seed_served: Served, host: Served
) -> None:
    page = visit(framed(host, seed_served, "es", width=320, height=320), at=SUNDAY).page
    frame = page.frame_locator("#help")
    status_texts(frame, "portal")
    assert frame.locator("html").evaluate("html => html.scrollHeight > innerHeight")
    last = frame.locator('[data-channel="portal"] .channel-link a')
    last.scroll_into_view_if_needed()
    assert last.is_visible()
    box, shown = last.bounding_box(), page.locator("#help").bounding_box()
    assert box is not None and shown is not None
    assert shown["y"] <= box["y"] and box["y"] + box["height"] <= shown["y"] + shown["height"]


def test_the_full_page_opens_in_a_new_tab(
    visit: Callable[..., Any], seed_served: Served, host: Served
) -> None:
    page = visit(framed(host, seed_served, "en"), at=SUNDAY).page
    with page.context.expect_page() as opening:
        page.frame_locator("#help").locator("h1 a").click()
    opened = opening.value
    opened.wait_for_load_state()
    assert opened.url == f"{seed_served.url}en/"
    assert page.url.startswith(host.url)  # the host page stays


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [320, 600])
def test_axe_finds_no_wcag_22_aa_violation(
    visit: Callable[..., Any], seed_served: Served, scheme: str, width: int
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    for language in ("es", "en"):
        page = visit(
            f"{seed_served.url}{language}/embed/",
            at=SUNDAY,
            scheme=scheme,
            viewport={"width": width, "height": 320},
        ).page
        status_texts(page, "portal")
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
        violations = [
            (v["id"], v["help"], [node["target"] for node in v["nodes"]])
            for v in results.response["violations"]
        ]
        assert violations == [], language


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [320, 600])
@pytest.mark.parametrize("language", ["es", "en"])
def test_screenshots(
    visit: Callable[..., Any],
    seed_served: Served,
    host: Served,
    artifact: Callable[[str], Path],
    scheme: str,
    width: int,
    language: str,
) -> None:
    # The frame at a fixed 320 px high (it scrolls), and fitted to the height it tells.
    for fit in (False, True):
        opened = visit(
            framed(host, seed_served, language, width=width, fit=fit),
            at=SUNDAY,
            scheme=scheme,
            viewport={"width": width + 40, "height": 900},
        )
        page = opened.page
        status_texts(page.frame_locator("#help"), "portal")
        if fit:
            page.wait_for_function("() => window.heights.length > 0")
            page.wait_for_function(
                "() => String(window.heights[window.heights.length - 1]) === document.getElementById('help').getAttribute('height')"
            )
        name = artifact(f"embed-{language}-{width}-{scheme}{'-fitted' if fit else ''}.png")
        page.screenshot(path=str(name), full_page=True)
        assert name.stat().st_size > 5_000
        assert opened.errors == [] and opened.off_site == []
