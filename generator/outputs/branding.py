"""The organisation's brand in the outputs: its logo as an asset, the favicon in its colour, and
the stylesheet's colours (generator.brand works out which shades stay readable)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import NamedTuple

from generator.brand import Palette
from generator.cache import BuildCache, register
from generator.content.model import Site
from generator.outputs import Files

FAVICON = "static/favicon.svg"
# The app icons (outputs/offline.py's manifest), drawn from the favicon at each size.
ICONS = {192: "static/icon-192.png", 512: "static/icon-512.png"}
ICON = register("icon", packages=("resvg-py",), modules=(__name__,))
# The favicon's own colours (templates/static/favicon.svg): the brand's parts and the text on them.
FAVICON_BRAND = "#0b3d5c"
FAVICON_ON_BRAND = "#fff"
SVG = "http://www.w3.org/2000/svg"


class LogoView(NamedTuple):
    """The logo as the header shows it: where it is published and its drawing size."""

    href: str
    width: int
    height: int


def logo_path(site: Site) -> str | None:
    """Where the logo is published before fingerprinting, or None without one."""
    logo = site.brand.logo
    return f"static/logo{logo.suffix}" if logo else None


def logo_view(site: Site, address: Callable[[str], str]) -> LogoView | None:
    """The header's logo at `address(its plain path)`, sized to the header's 40 px height, so that
    the page keeps its place before the image loads."""
    path, logo = logo_path(site), site.brand.logo
    if path is None or logo is None:
        return None
    height = 40
    return LogoView(address(path), max(1, round(logo.width * height / logo.height)), height)


def brand_assets(site: Site, palette: Palette | None, static: Files, cache: BuildCache) -> Files:
    """The static files with the brand applied: the favicon in the accent, the app icons drawn
    from it, and the logo."""
    files = dict(static)
    if FAVICON in files:
        if palette is not None:
            colours = {FAVICON_BRAND: palette.header, FAVICON_ON_BRAND: palette.on_header}
            files[FAVICON] = _recoloured(files[FAVICON], colours)
        favicon = files[FAVICON]
        for size, icon in ICONS.items():
            files[icon] = cache.keep(ICON, (favicon, size), functools.partial(_icon, favicon, size))
    path, logo = logo_path(site), site.brand.logo
    if path and logo:
        files[path] = logo.data
    return files


def _icon(svg: bytes, size: int) -> bytes:
    """The SVG drawn as a square PNG of `size` pixels."""
    # Imported here: a build whose icons are all in the cache does without it.
    import resvg_py

    png: bytes = resvg_py.svg_to_bytes(
        svg_string=svg.decode(), width=size, height=size, skip_system_fonts=True
    )
    return png


def _recoloured(svg: bytes, colours: Mapping[str, str]) -> bytes:
    """An SVG with each `fill` in `colours` replaced; other colours are the operator's own."""
    # Imported here: a site without a brand, or whose build is all cached, does without it.
    import xml.etree.ElementTree as ElementTree

    ElementTree.register_namespace("", SVG)
    root = ElementTree.fromstring(svg)
    for element in root.iter():
        fill = element.get("fill", "")
        if fill in colours:
            element.set("fill", colours[fill])
    written: bytes = ElementTree.tostring(root, encoding="utf-8", xml_declaration=False)
    return written


def brand_style(palette: Palette | None) -> str:
    """The stylesheet's colours that the accent replaces, after its own (the last rule wins)."""
    if palette is None:
        return ""
    light = f"--brand:{palette.header};--on-brand:{palette.on_header};--accent:{palette.steps_light}"
    dark = f"--brand:{palette.header};--accent:{palette.steps_dark}"
    return f":root{{{light}}}@media (prefers-color-scheme:dark){{:root{{{dark}}}}}"
