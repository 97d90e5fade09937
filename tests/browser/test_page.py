"""The page in a real browser: no errors, no request off the site, language switching keeps the
visitor's place, calendar links, the 404 page, WCAG 2.2 A/AA (axe-core), and screenshots."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 800}
DESKTOP = {"width": 1280, "height": 800}

# Sunday noon in Bogotá: the 24/7 channels open, the others closed, so both states are on screen.
SUNDAY = datetime.datetime(2026, 12, 6, 12, 0, tzinfo=ZoneInfo("America/Bogota"))
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def tap(page: Any, selector: str) -> None:
    """Click where the element is on screen, as a finger would: Playwright's own click scrolls a
    sticky element "into view" first, moving the page under it."""
    box = page.locator(selector).bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def load_every_image(page: Any) -> None:
    """Scroll to the end and back, so that lazy images (the QR codes) load, and wait for them."""
    for image in page.locator("img").all():
        if image.is_visible():
            image.scroll_into_view_if_needed()
            image.evaluate("i => i.decode()")
            assert image.evaluate("i => i.complete && i.naturalWidth > 0"), image.get_attribute("src")
    page.evaluate("() => window.scrollTo(0, 0)")


@pytest.mark.parametrize("language", ["es", "en"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_no_console_errors_and_no_request_off_the_site(
    visit: Callable[..., Any], seed_served: Any, language: str, viewport: dict[str, int]
) -> None:
    opened = visit(f"{seed_served.url}{language}/", at=SUNDAY, viewport=viewport)
    load_every_image(opened.page)
    assert opened.errors == []
    assert opened.off_site == []
    # QR codes are for moving to a phone from a wide screen: a phone neither shows nor loads them.
    qr_visible = opened.page.locator("figure.qr").first.is_visible()
    assert qr_visible == (viewport == DESKTOP)


def test_switching_language_keeps_the_anchor(visit: Callable[..., Any], seed_served: Any) -> None:
    opened = visit(f"{seed_served.url}es/#level-3", at=SUNDAY, viewport=PHONE)
    page = opened.page
    tap(page, 'nav.languages a[hreflang="en"]')
    page.wait_for_url(f"{seed_served.url}en/#level-3")
    assert page.locator("html").get_attribute("lang") == "en"
    box = page.locator("#level-3").bounding_box()
    assert box is not None and 0 <= box["y"] < PHONE["height"] / 2
    assert opened.errors == []


def test_switching_language_keeps_the_place_without_an_anchor(
    visit: Callable[..., Any], seed_served: Any
) -> None:
    opened = visit(f"{seed_served.url}en/", at=SUNDAY, viewport=PHONE)
    page = opened.page
    page.locator("#portal").evaluate("element => element.scrollIntoView()")
    tap(page, 'nav.languages a[hreflang="es"]')
    page.wait_for_url(f"{seed_served.url}es/#portal")
    box = page.locator("#portal").bounding_box()
    assert box is not None and 0 <= box["y"] < PHONE["height"] / 2
    # At the top of the page the switcher goes to the top of the other page.
    page.evaluate("() => window.scrollTo(0, 0)")
    tap(page, 'nav.languages a[hreflang="en"]')
    page.wait_for_url(f"{seed_served.url}en/")


def test_calendar_links_get_the_served_address(visit: Callable[..., Any], seed_served: Any) -> None:
    page = visit(f"{seed_served.url}es/", at=SUNDAY).page
    host = seed_served.url.removeprefix("http://")
    subscribe = page.locator("#_hours-business a.subscribe")
    assert subscribe.is_visible()
    webcal = f"webcal://{host}es/hours/business.ics"
    assert subscribe.get_attribute("href") == webcal
    google = page.locator("#_hours-business a.add-to-google").get_attribute("href")
    assert google == "https://calendar.google.com/calendar/r?cid=" + quote(webcal, safe="")


@pytest.mark.parametrize("path", ["missing", "es/missing/deeper/page"])
def test_the_404_page_works_at_any_depth(visit: Callable[..., Any], seed_served: Any, path: str) -> None:
    # The test server answers 404 with its own page, so the built one is opened at a deep address
    # the way a host would serve it: the same bytes, whatever the path.
    opened = visit(f"{seed_served.url}404.html")
    html = opened.page.content()
    page = opened.page
    page.route(
        f"{seed_served.url}{path}",
        lambda route: route.fulfill(status=404, body=html, content_type="text/html"),
    )
    page.goto(f"{seed_served.url}{path}")
    page.locator('main a[hreflang="en"]').click()
    page.wait_for_url(f"{seed_served.url}en/")
    assert page.locator("h1").inner_text() == "Support channels"
    assert opened.errors == [] or all("404" in error for error in opened.errors)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["es/", "en/", "404.html"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_axe_finds_no_wcag_22_aa_violation(
    visit: Callable[..., Any], seed_served: Any, scheme: str, path: str, viewport: dict[str, int]
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page = visit(f"{seed_served.url}{path}", at=SUNDAY, scheme=scheme, viewport=viewport).page
    load_every_image(page)
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    violations = [
        (v["id"], v["help"], [node["target"] for node in v["nodes"]]) for v in results.response["violations"]
    ]
    assert violations == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("language", ["es", "en"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_screenshots(
    visit: Callable[..., Any],
    seed_served: Any,
    artifact: Callable[[str], Any],
    scheme: str,
    language: str,
    viewport: dict[str, int],
) -> None:
    page = visit(f"{seed_served.url}{language}/", at=SUNDAY, scheme=scheme, viewport=viewport).page
    load_every_image(page)
    name = f"{language}-{viewport['width']}x{viewport['height']}-{scheme}"
    page.screenshot(path=str(artifact(f"{name}.png")), full_page=True)
    page.evaluate("() => window.scrollTo(0, 0)")
    page.screenshot(path=str(artifact(f"{name}-first-screen.png")))
    assert artifact(f"{name}.png").stat().st_size > 10_000
