"""A branded site in a real browser: the logo loads under the pages' CSP, axe-core finds no WCAG
2.2 AA violation in light or dark mode (the accent's contrast included), and screenshots.

Two brands: a deep red with an SVG logo (used as given), and a light yellow with a raster logo
(the header writes dark text, and the steps take darker and lighter shades).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import Served, _serve, build_variant
from examples import BRAND, add_brand
from test_page import DESKTOP, PHONE, SUNDAY, WCAG_22_AA, load_every_image

pytestmark = pytest.mark.browser


def _red(content: Path) -> None:
    logo = (BRAND / "acme-logo.svg").read_bytes()
    add_brand(content, 'brand:\n  logo: brand/acme.svg\n  accent: "#c8102e"\n', {"brand/acme.svg": logo})


def _yellow(content: Path) -> None:
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (360, 120), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((4, 4, 116, 116), 24, fill="#1b1f24")
    draw.ellipse((30, 30, 90, 90), fill="#ffd100")
    draw.rectangle((140, 40, 350, 80), fill="#1b1f24")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    add_brand(content, 'brand:\n  logo: logo.png\n  accent: "#ffd100"\n', {"logo.png": buffer.getvalue()})


BRANDS = {"red": _red, "yellow": _yellow}


@pytest.fixture(scope="module", params=list(BRANDS))
def branded(request: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Served]]:
    name = request.param
    for served in _serve(build_variant(tmp_path_factory.mktemp(name), BRANDS[name])):
        yield name, served


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_branded_page_is_accessible_and_looks_right(
    visit: Callable[..., Any],
    branded: tuple[str, Served],
    artifact: Callable[[str], Path],
    scheme: str,
    viewport: dict[str, int],
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    name, served = branded
    opened = visit(f"{served.url}es/", at=SUNDAY, scheme=scheme, viewport=viewport)
    page = opened.page
    load_every_image(page)
    logo = page.locator("header .organisation img")
    assert logo.evaluate("i => i.naturalWidth > 0")
    box = logo.bounding_box()
    assert box is not None and box["height"] == 40
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    violations = [(v["id"], [node["target"] for node in v["nodes"]]) for v in results.response["violations"]]
    assert violations == []
    assert opened.errors == [] and opened.off_site == []
    shot = artifact(f"brand-{name}-{viewport['width']}-{scheme}.png")
    page.screenshot(path=str(shot), full_page=False)
    assert shot.stat().st_size > 10_000


def test_the_404_page_and_the_root_carry_the_logo(
    visit: Callable[..., Any], branded: tuple[str, Served]
) -> None:
    _, served = branded
    for path in ("404.html", ""):
        page = visit(f"{served.url}{path}").page
        logo = page.locator("header .organisation img")
        logo.evaluate("i => i.decode()")
        assert logo.evaluate("i => i.complete && i.naturalWidth > 0"), path
