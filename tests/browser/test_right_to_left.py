"""Arabic added to the seed with its content texts only: the page is right to left and its layout
mirrors, while numbers, emails and addresses stay left to right; axe finds nothing."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from conftest import PHONE, Served, _serve, build_variant
from examples import add_language

pytestmark = pytest.mark.browser
AT = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("America/Bogota"))


@pytest.fixture(scope="module")
def arabic_served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    yield from _serve(
        build_variant(tmp_path_factory.mktemp("arabic"), lambda content: add_language(content, "ar", "ar"))
    )


def box(page: Any, selector: str) -> dict[str, float]:
    found: dict[str, float] = page.locator(selector).first.bounding_box()
    return found


def style(page: Any, selector: str, prop: str) -> str:
    value: str = page.locator(selector).first.evaluate(f"e => getComputedStyle(e)['{prop}']")
    return value


def test_the_page_says_it_is_right_to_left(visit: Any, arabic_served: Served) -> None:
    arabic = visit(f"{arabic_served.url}ar/", at=AT).page
    assert arabic.locator("html").get_attribute("dir") == "rtl"
    assert arabic.locator("html").get_attribute("lang") == "ar"
    spanish = visit(f"{arabic_served.url}es/", at=AT).page
    assert spanish.locator("html").get_attribute("dir") is None
    # Each language's name in the switcher, in its own direction.
    assert spanish.locator('nav.languages a[hreflang="ar"]').get_attribute("dir") == "rtl"


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_layout_mirrors(visit: Any, arabic_served: Served, viewport: str) -> None:
    size = PHONE if viewport == "phone" else {"width": 1280, "height": 800}
    pages = {code: visit(f"{arabic_served.url}{code}/", at=AT, viewport=size).page for code in ("en", "ar")}
    for code, page in pages.items():
        start, end = ("left", "right") if code == "en" else ("right", "left")
        # The urgent box's stripe and the escalation rule's line are on the start side.
        for selector in (".urgent", ".rule"):
            assert style(page, selector, f"border-{start}-width") != "0px", (code, selector)
            assert style(page, selector, f"border-{end}-width") == "0px", (code, selector)
        # The ladder's numbers and line are on the start side of each level.
        level, step = box(page, ".level"), box(page, ".level .step")
        if code == "en":
            assert step["x"] - level["x"] < 4
        else:
            assert level["x"] + level["width"] - (step["x"] + step["width"]) < 4
        heading = box(page, ".level h3")
        assert (step["x"] < heading["x"]) == (code == "en")
    if viewport == "desktop":
        # The QR codes sit on the end side of their channel.
        for code, page in pages.items():
            channel = '[data-channel="whatsapp-corporate"]'
            code_box, name_box = box(page, f"{channel} .qr"), box(page, f"{channel} h3")
            assert (code_box["x"] > name_box["x"]) == (code == "en"), code


def first_and_last_character(page: Any, selector: str) -> tuple[float, float]:
    """The x of the first and the last character of an element's text, as laid out on screen."""
    found: tuple[float, float] = page.locator(selector).first.evaluate(
        """element => {
            const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
            const node = walker.nextNode();
            const range = document.createRange();
            range.setStart(node, 0); range.setEnd(node, 1);
            const first = range.getBoundingClientRect().x;
            range.setStart(node, node.length - 1); range.setEnd(node, node.length);
            return [first, range.getBoundingClientRect().x];
        }"""
    )
    return found


def test_numbers_and_addresses_stay_left_to_right(visit: Any, arabic_served: Served) -> None:
    page = visit(f"{arabic_served.url}ar/", at=AT).page
    isolated = page.locator('bdi[dir="ltr"]')
    texts = [isolated.nth(index).inner_text() for index in range(isolated.count())]
    assert "+57 601 7442727" in texts and "(601) 7442727" in texts and "mesadeayuda@certicamara.com" in texts
    # Every phone link's number, and the number inside "From abroad: +57 …", reads left to right
    # on screen: its first character is left of its last.
    for selector in (
        '[data-channel="phone-bogota"] .channel-link bdi',
        '[data-channel="phone-bogota"] .link-note bdi',
        '[data-channel="whatsapp-corporate"] .channel-link bdi',
        '.level-links a[href^="mailto:"] bdi',
    ):
        first, last = first_and_last_character(page, selector)
        assert first < last, selector
    # A phone number is one line, even in the urgent box's button on a phone.
    phone = visit(f"{arabic_served.url}ar/", at=AT, viewport=PHONE).page
    heights = phone.locator(".number").evaluate_all("all => all.map(e => e.getClientRects().length)")
    assert heights and set(heights) == {1}
    # The sentence around it is right to left: the note's label comes first, on the right.
    note = '[data-channel="phone-bogota"] .link-note'
    label_x, _ = first_and_last_character(page, note)
    number_x, _ = first_and_last_character(page, f"{note} bdi")
    assert label_x > number_x


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_on_the_arabic_page(
    visit: Any, arabic_served: Served, scheme: str, artifact: Callable[[str], Path]
) -> None:
    from axe_playwright_python.sync_playwright import Axe
    from test_page import WCAG_22_AA

    for name, viewport in (("phone", PHONE), ("desktop", {"width": 1280, "height": 800})):
        page = visit(f"{arabic_served.url}ar/", at=AT, scheme=scheme, viewport=viewport).page
        page.screenshot(path=str(artifact(f"ar-{name}-{scheme}.png")), full_page=True)
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    violations = [
        (v["id"], v["help"], [node["target"] for node in v["nodes"]]) for v in results.response["violations"]
    ]
    assert violations == []
