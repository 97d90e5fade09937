"""The brand: the accent's contrast and derived shades, the logo's checks, and what reaches the site.

Contrast is checked here against WCAG's published figures; axe-core checks the rendered pages in
tests/browser/test_brand.py.
"""

from __future__ import annotations

import colorsys
import io
import json
import re
import shutil
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from examples import BRAND, add_brand
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from generator import brand, cli, pipeline
from generator.cache import BuildCache
from generator.content.errors import ContentErrors
from generator.content.logo import LogoRefused, read_logo

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "content"
SVG = "{http://www.w3.org/2000/svg}"


def with_brand(tmp_path: Path, brand_yaml: str, files: dict[str, bytes] | None = None) -> Path:
    """The seed content with a `brand:` block in site.yaml and files laid into the folder."""
    content = tmp_path / "content"
    shutil.copytree(SEED, content)
    add_brand(content, brand_yaml, files)
    return content


def problems(content: Path) -> list[str]:
    with pytest.raises(ContentErrors) as raised:
        pipeline.load(content, BuildCache())
    return [str(error) for error in raised.value.errors]


# --- colours -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("one", "other", "ratio"),
    [
        ("#000000", "#ffffff", 21.0),
        ("#ffffff", "#ffffff", 1.0),
        # WebAIM's contrast checker: #767676 is the lightest grey that passes AA on white.
        ("#767676", "#ffffff", 4.54),
        ("#777777", "#ffffff", 4.48),
        ("#0000ff", "#ffffff", 8.59),
        ("#ff0000", "#ffffff", 4.0),
    ],
)
def test_contrast_matches_wcag_figures(one: str, other: str, ratio: float) -> None:
    assert brand.contrast(one, other) == pytest.approx(ratio, abs=0.01)
    assert brand.contrast(other, one) == pytest.approx(ratio, abs=0.01)


def test_a_dark_accent_is_used_as_given_with_white_text() -> None:
    palette = brand.palette("#0b3d5c")
    assert (palette.header, palette.on_header, palette.steps_light) == ("#0b3d5c", "#ffffff", "#0b3d5c")
    assert palette.adjusted == ()
    assert brand.warning(palette) is None
    # On the dark page the same blue is too dark for the steps: a lighter shade of it.
    assert brand.contrast("#0b3d5c", brand.DARK_BACKGROUND) < 4.5
    assert brand.contrast(palette.steps_dark, brand.DARK_BACKGROUND) >= 4.5


def test_a_light_accent_keeps_its_header_with_dark_text_and_darker_steps() -> None:
    palette = brand.palette("#ffd100")
    assert (palette.header, palette.on_header) == ("#ffd100", brand.DARK_TEXT)
    assert palette.steps_light != "#ffd100"
    assert brand.contrast(palette.steps_light, "#ffffff") >= 4.5
    assert palette.steps_dark == "#ffd100"  # bright on the dark page already
    message = brand.warning(palette)
    assert message is not None
    assert "brand.accent #ffd100" in message and "dark #1b1f24" in message and palette.steps_light in message


def test_a_middle_tone_readable_with_neither_text_gets_a_darker_header() -> None:
    accent = "#808080"
    assert brand.contrast(accent, "#ffffff") < 4.5 and brand.contrast(accent, brand.DARK_TEXT) < 4.5
    palette = brand.palette(accent)
    assert palette.on_header == "#ffffff"
    assert palette.header != accent and brand.contrast(palette.header, "#ffffff") >= 4.5
    message = brand.warning(palette)
    assert message is not None and f"the header uses {palette.header}" in message


def _hue(colour: str) -> float:
    rgb = tuple(int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return colorsys.rgb_to_hls(*rgb)[0]


@given(st.integers(0, 0xFFFFFF))
def test_every_accent_gives_readable_colours_of_its_own_hue(value: int) -> None:
    accent = f"#{value:06x}"
    palette = brand.palette(accent)
    assert brand.contrast(palette.header, palette.on_header) >= 4.5
    assert brand.contrast(palette.steps_light, "#ffffff") >= 4.5
    assert brand.contrast(palette.steps_dark, brand.DARK_BACKGROUND) >= 4.5
    for shade in (palette.header, palette.steps_light, palette.steps_dark):
        saturated = max(
            abs(int(accent[i : i + 2], 16) - int(accent[i + 2 : i + 4] or "00", 16)) for i in (1, 3)
        )
        if shade != accent and saturated > 40:
            difference = abs(_hue(shade) - _hue(accent))
            assert min(difference, 1 - difference) < 0.03, (accent, shade)


# --- the logo --------------------------------------------------------------------------------------

MALICIOUS = {
    "script": (
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">\n  <script>alert(1)</script>\n</svg>',
        "2:3",
        "<script> is not allowed",
    ),
    "onload": (
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" onload="alert(1)"/>',
        "1:1",
        "onload runs a script",
    ),
    "onclick-nested": (
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><g><rect ONCLICK="x()"/></g></svg>',
        "1:64",
        "ONCLICK runs a script",
    ),
    "external-href": (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10"><image xlink:href="https://tracker.example/p.png"/></svg>',
        "1:104",
        "reaches outside the logo",
    ),
    "external-use": (
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><use href="https://x.example/s.svg#a"/></svg>',
        "1:61",
        "reaches outside the logo",
    ),
    "javascript-link": (
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><a href="javascript:alert(1)"><rect/></a></svg>',
        "1:61",
        "<a> is not allowed",
    ),
    "foreign-object": (
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><foreignObject><iframe xmlns="http://www.w3.org/1999/xhtml" src="https://x.example"/></foreignObject></svg>',
        "1:61",
        "<foreignObject> is not allowed",
    ),
    "animation": (
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><set attributeName="href" to="javascript:alert(1)"/></svg>',
        "1:61",
        "<set> is not allowed",
    ),
    "css-import": (
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><style>@import "https://x.example/a.css";</style></svg>',
        "1:61",
        "the <style> reaches outside",
    ),
    "css-url-escaped": (
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><style>a{fill:&#117;rl(https://x.example/)}</style></svg>',
        "1:61",
        "the <style> reaches outside",
    ),
    "style-attribute": (
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect style="fill:url(https://x.example/p)"/></svg>',
        "1:61",
        "the attribute style reaches outside",
    ),
    "entity": (
        b'<!DOCTYPE svg [<!ENTITY leak SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><text>&leak;</text></svg>',
        "1:1",
        "declares XML entities",
    ),
    "not-svg": (
        b'<html xmlns="http://www.w3.org/1999/xhtml"><body onload="x()"/></html>',
        "1:1",
        "root element must be an SVG",
    ),
    "html-in-svg-namespace": (
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><iframe src="https://x.example"/></svg>',
        "1:61",
        "<iframe> is not allowed",
    ),
}


@pytest.mark.parametrize("name", MALICIOUS)
def test_a_logo_that_could_run_or_reach_elsewhere_is_refused_at_its_line(tmp_path: Path, name: str) -> None:
    data, place, message = MALICIOUS[name]
    path = tmp_path / "logo.svg"
    path.write_bytes(data)
    with pytest.raises(LogoRefused) as refused:
        read_logo(path, "brand/logo.svg")
    (error,) = refused.value.errors
    assert f"{error.line}:{error.column}" == place
    assert message in error.message
    assert str(error).startswith(f"brand/logo.svg:{place}: ")


def test_a_drawing_keeps_what_draws_and_loses_editors_metadata() -> None:
    logo = read_logo(BRAND / "acme-logo.svg", "acme-logo.svg")
    assert (logo.suffix, logo.width, logo.height) == (".svg", 96, 96)
    root = ElementTree.fromstring(logo.data)
    tags = [element.tag.removeprefix(SVG) for element in root.iter()]
    assert tags == [
        "svg",
        "title",
        "defs",
        "linearGradient",
        "stop",
        "stop",
        "style",
        "g",
        "circle",
        "path",
        "use",
    ]
    attributes = {name for element in root.iter() for name in element.attrib}
    assert not any("inkscape" in name or "sodipodi" in name or name == "data-name" for name in attributes)
    assert root.find(f"{SVG}g/{SVG}use").get("href") == "#mark"  # type: ignore[union-attr]
    assert root.find(f"{SVG}style").text == ".ring { fill: none; stroke: url(#shine); stroke-width: 8; }"  # type: ignore[union-attr]
    assert b"<!DOCTYPE" not in logo.data and b"<!--" not in logo.data


def test_a_raster_logo_is_published_as_given_with_its_size(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 100), "#c8102e").save(buffer, "PNG")
    path = tmp_path / "logo.png"
    path.write_bytes(buffer.getvalue())
    logo = read_logo(path, "logo.png")
    assert (logo.data, logo.suffix, logo.width, logo.height) == (buffer.getvalue(), ".png", 300, 100)


def test_a_raster_logo_must_be_the_image_its_name_says(tmp_path: Path) -> None:
    jpeg = io.BytesIO()
    Image.new("RGB", (10, 10)).save(jpeg, "JPEG")
    (tmp_path / "photo.png").write_bytes(jpeg.getvalue())
    (tmp_path / "page.png").write_bytes(b"<html><script>alert(1)</script></html>")
    with pytest.raises(LogoRefused, match="is a JPEG image, not the PNG its name says"):
        read_logo(tmp_path / "photo.png", "photo.png")
    with pytest.raises(LogoRefused, match="is not a readable PNG image"):
        read_logo(tmp_path / "page.png", "page.png")


# --- the content's errors --------------------------------------------------------------------------


def test_brand_mistakes_are_placed_in_site_yaml(tmp_path: Path) -> None:
    content = with_brand(tmp_path, 'brand:\n  logo: ../secrets/logo.svg\n  accent: "#12345"\n')
    found = problems(content)
    assert len(found) == 2
    assert re.fullmatch(
        r".*site\.yaml:17:9: brand\.logo: .*give a path inside the content folder.*", found[0]
    )
    assert re.fullmatch(r".*site\.yaml:18:11: brand\.accent: .*write it as #rrggbb.*", found[1])


def test_a_missing_logo_is_placed_where_it_is_named(tmp_path: Path) -> None:
    content = with_brand(tmp_path, "brand:\n  logo: brand/logo.svg\n")
    (found,) = problems(content)
    assert re.fullmatch(r".*site\.yaml:17:9: brand\.logo: there is no file .*brand/logo\.svg", found)


def test_an_unsafe_logo_is_placed_in_the_logo(tmp_path: Path) -> None:
    content = with_brand(
        tmp_path, "brand:\n  logo: brand/logo.svg\n", {"brand/logo.svg": MALICIOUS["onload"][0]}
    )
    (found,) = problems(content)
    assert re.fullmatch(r".*brand/logo\.svg:1:1: the attribute onload runs a script; a logo may not", found)


# --- the built site ----------------------------------------------------------------------------------


def test_the_brand_reaches_the_header_the_favicon_the_steps_and_the_manifest(tmp_path: Path) -> None:
    logo = (BRAND / "acme-logo.svg").read_bytes()
    content = with_brand(
        tmp_path, 'brand:\n  logo: brand/acme.svg\n  accent: "#c8102e"\n', {"brand/acme.svg": logo}
    )
    site = tmp_path / "site"
    report = pipeline.build(content, site, BuildCache())
    assert not any("brand" in warning for warning in report.warnings)  # #c8102e passes on white
    for page, prefix in (("es/index.html", "../"), ("index.html", ""), ("404.html", "/")):
        soup = BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")
        image = soup.select_one("header .organisation img")
        assert image is not None, page
        assert (image["alt"], image["width"], image["height"]) == ("", "40", "40")
        src = str(image["src"])
        assert re.fullmatch(rf"{prefix}static/logo\.[0-9a-f]{{10}}\.svg", src)
        assert (site / src.removeprefix(prefix)).read_bytes() == read_logo(BRAND / "acme-logo.svg", "").data
        assert soup.select_one(".organisation").get_text() == "Certicámara"  # type: ignore[union-attr]
        style = soup.style.string  # type: ignore[union-attr]
        dark = brand.palette("#c8102e").steps_dark
        assert style.endswith(
            ":root{--brand:#c8102e;--on-brand:#ffffff;--accent:#c8102e}"
            f"@media (prefers-color-scheme:dark){{:root{{--brand:#c8102e;--accent:{dark}}}}}"
        )
        icon = soup.select_one('link[rel="icon"]')["href"]  # type: ignore[index]
        favicon = ElementTree.fromstring((site / str(icon).removeprefix(prefix)).read_bytes())
        fills = {element.get("fill") for element in favicon.iter() if element.get("fill")}
        assert fills == {"#c8102e", "#ffffff"}
    # The installed app: its theme colour and its icons, drawn from the branded favicon.
    manifest = json.loads((site / "manifest.webmanifest").read_text(encoding="utf-8"))
    assert manifest["theme_color"] == "#c8102e"
    (png,) = [icon for icon in manifest["icons"] if icon["sizes"] == "192x192"]
    image = Image.open(site / png["src"]).convert("RGB")
    assert image.getpixel((24, 96)) == (0xC8, 0x10, 0x2E)


def test_without_a_brand_the_site_is_as_before(tmp_path: Path) -> None:
    site = tmp_path / "site"
    pipeline.build(SEED, site, BuildCache())
    soup = BeautifulSoup((site / "es" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.select_one("header img") is None
    assert "--brand:#0b3d5c" not in soup.style.string  # type: ignore[union-attr]
    assert [path.name.split(".")[0] for path in (site / "static").iterdir() if path.suffix == ".svg"].count(
        "logo"
    ) == 0
    favicon = (ROOT / "templates" / "static" / "favicon.svg").read_bytes()
    assert any(path.read_bytes() == favicon for path in (site / "static").iterdir())


def test_an_adjusted_accent_is_said_by_the_build(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = with_brand(tmp_path, 'brand:\n  accent: "#FD0"\n')
    status = cli.main(["build", "--content", str(content), "--output", str(tmp_path / "site"), "--no-cache"])
    assert status == 0
    warnings = [line for line in capsys.readouterr().err.splitlines() if "brand" in line]
    assert warnings == [
        "warning: brand.accent #ffdd00 in site.yaml has a contrast of 1.3:1 with white (WCAG AA asks 4.5:1 "
        f"for text): the header writes its text in dark #1b1f24; the escalation steps use "
        f"{brand.palette('#ffdd00').steps_light} (4.5:1)"
    ]
