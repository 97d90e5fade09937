"""The organisation's logo, read from the content folder and checked before it may be published.

An SVG is a document that can run scripts and load other addresses, and the site would serve it
from its own origin. So an SVG logo is parsed (defusedxml: no entity tricks) and rebuilt from an
allowlist: drawing elements and their styling attributes are kept; editors' metadata (Inkscape's,
Illustrator's, RDF) is left out; and anything that could run or reach elsewhere is refused with
its line and column, never silently published:

- elements outside the allowlist (script, foreignObject, a, animations, iframe, feImage, …);
- event attributes (onload, onclick, …);
- references to anything but the logo itself (href="#id", url(#id)); images only as data: PNG,
  JPEG, GIF or WebP;
- CSS that imports, escapes or reaches for a URL.

A raster logo (PNG, JPEG, WebP) is opened with Pillow, which proves it is the image it claims to
be and gives its size; it is published as given.
"""

from __future__ import annotations

import io
import re
import xml.sax
import xml.sax.handler
from pathlib import Path
from typing import Any
from xml.sax.saxutils import XMLGenerator
from xml.sax.xmlreader import AttributesNSImpl

from defusedxml import DefusedXmlException
from defusedxml.expatreader import DefusedExpatParser

from generator.content.errors import ContentError
from generator.content.model import Logo
from generator.content.yamlsource import Position

MAX_LOGO_BYTES = 512 * 1024
MAX_LOGO_PIXELS = 4096

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
XML = "http://www.w3.org/XML/1998/namespace"


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


# What a static drawing needs: shapes, text, grouping and reuse, paint servers, clipping, masks,
# markers and filters, minus what can load or run (feImage, script, foreignObject, animations).
DRAWING_ELEMENTS = _names(
    """svg g defs symbol use title desc switch path rect circle ellipse line polyline polygon
    text tspan textPath linearGradient radialGradient stop pattern clipPath mask marker image
    style filter feBlend feColorMatrix feComponentTransfer feComposite feConvolveMatrix
    feDiffuseLighting feDisplacementMap feDistantLight feDropShadow feFlood feFuncA feFuncB
    feFuncG feFuncR feGaussianBlur feMerge feMergeNode feMorphology feOffset fePointLight
    feSpecularLighting feSpotLight feTile feTurbulence"""
)
# SVG elements left out with all they contain: editors' notes, which no renderer draws.
NOTES = frozenset({"metadata"})
# Attributes kept: geometry, paint and text styling, references checked below. Others are inert
# to a renderer (Illustrator's data-name, Inkscape's labels) and are left out.
DRAWING_ATTRIBUTES = _names(
    """id class style transform viewBox width height x y x1 y1 x2 y2 cx cy r rx ry fx fy fr d
    points pathLength href preserveAspectRatio version offset gradientUnits gradientTransform
    spreadMethod patternUnits patternContentUnits patternTransform clipPathUnits maskUnits
    maskContentUnits filterUnits primitiveUnits markerUnits markerWidth markerHeight refX refY
    orient in in2 result stdDeviation dx dy mode operator k1 k2 k3 k4 values type tableValues
    slope intercept amplitude exponent offset baseFrequency numOctaves seed stitchTiles radius
    kernelMatrix order divisor bias targetX targetY edgeMode kernelUnitLength preserveAlpha
    scale xChannelSelector yChannelSelector surfaceScale diffuseConstant specularConstant
    specularExponent azimuth elevation z pointsAtX pointsAtY pointsAtZ limitingConeAngle
    fill opacity clip-path clip-rule mask filter color display visibility overflow paint-order
    vector-effect shape-rendering text-rendering image-rendering color-interpolation
    color-interpolation-filters lighting-color text-anchor dominant-baseline alignment-baseline
    baseline-shift letter-spacing word-spacing text-decoration writing-mode direction
    unicode-bidi rotate textLength lengthAdjust startOffset method spacing side
    systemLanguage mix-blend-mode isolation lang"""
)
DRAWING_ATTRIBUTE_FAMILIES = ("fill-", "stroke", "font-", "marker", "stop-", "flood-")
DATA_IMAGE = re.compile(r"data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*")
# In CSS and attribute values: url(#id) is the logo's own; any other url( reaches elsewhere.
OWN_URL = re.compile(r"""url\(\s*(['"]?)#[^)'"\s]*\1\s*\)""", re.IGNORECASE)
UNSAFE_CSS = re.compile(r"url\(|@import|\\|expression\s*\(|javascript:|behavior|binding", re.IGNORECASE)

RASTER_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".webp": "WEBP"}


class LogoRefused(Exception):
    """The logo cannot be published; `errors` say where in it and why."""

    def __init__(self, errors: list[ContentError]) -> None:
        super().__init__("; ".join(map(str, errors)))
        self.errors = errors


class LogoUnreadable(Exception):
    """The logo's file is missing or cannot be read: a problem of the path that names it."""


def read_logo(path: Path, shown: str) -> Logo:
    """The logo at `path` (`shown` is its name in messages), checked; raises LogoUnreadable or
    LogoRefused."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise LogoUnreadable(f"there is no file {shown}") from None
    except OSError as error:
        raise LogoUnreadable(f"{shown} cannot be read: {error.strerror}") from None
    if len(data) > MAX_LOGO_BYTES:
        raise _refused(shown, f"the logo is {len(data):,} bytes; a logo may have {MAX_LOGO_BYTES:,} at most")
    suffix = path.suffix.lower()
    if suffix == ".svg":
        return _svg_logo(data, shown)
    return _raster_logo(data, suffix, shown)


def _refused(
    shown: str, message: str, line: int = 1, column: int = 1, lines: list[str] | None = None
) -> LogoRefused:
    """The refusal of a logo, placed in its file when the problem has a place (an SVG's line)."""
    source = lines[line - 1] if lines and 0 < line <= len(lines) else ""
    return LogoRefused([ContentError(shown, line, column, message, source=source)])


def _raster_logo(data: bytes, suffix: str, shown: str) -> Logo:
    # Imported here: only a site with a raster logo pays for loading Pillow.
    from PIL import Image, UnidentifiedImageError

    expected = RASTER_FORMATS[suffix]
    try:
        with Image.open(io.BytesIO(data)) as image:
            found, (width, height) = image.format, image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _refused(shown, f"the logo is not a readable {expected} image") from None
    if found != expected:
        raise _refused(shown, f"the logo is a {found} image, not the {expected} its name says")
    if max(width, height) > MAX_LOGO_PIXELS:
        raise _refused(shown, f"the logo is {width}×{height} pixels; {MAX_LOGO_PIXELS} is the most on a side")
    return Logo(data, ".jpg" if expected == "JPEG" else suffix, width, height)


def _svg_logo(data: bytes, shown: str) -> Logo:
    lines = data.decode("utf-8", "replace").splitlines()
    out = io.BytesIO()
    rebuilder = _Rebuilder(XMLGenerator(out, encoding="utf-8", short_empty_elements=True))
    # A DOCTYPE is common in exported SVGs and harmless once entities are refused (an external DTD
    # is never fetched: Python's expat reader resolves no external entities).
    parser = DefusedExpatParser(forbid_dtd=False, forbid_entities=True, forbid_external=False)
    parser.setFeature(xml.sax.handler.feature_namespaces, True)
    parser.setContentHandler(rebuilder)
    try:
        parser.parse(io.BytesIO(data))
    except _Unsafe as unsafe:
        raise _refused(shown, str(unsafe), unsafe.line, unsafe.column, lines) from None
    except xml.sax.SAXParseException as error:
        message = f"the logo is not well-formed XML: {error.getMessage()}"
        raise _refused(
            shown, message, error.getLineNumber() or 1, (error.getColumnNumber() or 0) + 1, lines
        ) from None
    except DefusedXmlException:
        raise _refused(shown, "the logo declares XML entities; a logo may not") from None
    if rebuilder.size is None:
        raise _refused(
            shown, "the logo's <svg> needs a viewBox (or a width and a height) to be drawn to size"
        )
    return Logo(out.getvalue(), ".svg", *rebuilder.size)


class _Unsafe(Exception):
    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.line, self.column = line, column


class _Rebuilder(xml.sax.handler.ContentHandler):
    """Writes the allowlisted part of an SVG as it is read, and stops at the first unsafe thing."""

    def __init__(self, writer: XMLGenerator) -> None:
        super().__init__()
        self.writer = writer
        self.locator: Any = None
        self.open: list[str] = []  # the elements written and not yet closed
        self.skipping = 0  # depth inside left-out elements (notes, other namespaces)
        self.style: list[str] | None = None  # a <style>'s text, checked whole when it closes
        self.style_at = Position(1, 1)  # where that <style> began
        self.size: tuple[float, float] | None = None

    def setDocumentLocator(self, locator: Any) -> None:
        self.locator = locator

    def _position(self) -> Position:
        return Position(self.locator.getLineNumber(), self.locator.getColumnNumber() + 1)

    def _unsafe(self, message: str) -> _Unsafe:
        return _Unsafe(message, *self._position())

    def startDocument(self) -> None:
        self.writer.startDocument()

    def startElementNS(self, name: tuple[str | None, str], qname: str | None, attrs: Any) -> None:
        namespace, local = name
        if self.style is not None:
            raise self._unsafe("a <style> may hold only CSS")
        if self.skipping or namespace != SVG or local in NOTES:
            if not self.open and not self.skipping:
                raise self._unsafe("the logo's root element must be an SVG <svg>")
            self.skipping += 1
            return
        if local not in DRAWING_ELEMENTS:
            reason = "a logo may not run scripts" if local == "script" else "only drawing elements are"
            raise self._unsafe(f"<{local}> is not allowed in a logo ({reason})")
        if not self.open and local != "svg":
            raise self._unsafe("the logo's root element must be an SVG <svg>")
        kept = self._attributes(local, attrs)
        if not self.open:
            kept[(None, "xmlns")] = SVG
            self.size = _size(kept)
            if self.size and (None, "viewBox") not in kept:
                # Without a viewBox, the drawing would not scale to the size the header gives it.
                kept[(None, "viewBox")] = f"0 0 {self.size[0]:g} {self.size[1]:g}"
        names = {key: key[1] for key in kept}
        self.writer.startElementNS((None, local), local, AttributesNSImpl(kept, names))
        self.open.append(local)
        if local == "style":
            self.style, self.style_at = [], self._position()

    def _attributes(self, element: str, attrs: Any) -> dict[tuple[str | None, str], str]:
        kept: dict[tuple[str | None, str], str] = {}
        for (namespace, local), value in attrs.items():
            if local.lower().startswith("on"):
                raise self._unsafe(f"the attribute {local} runs a script; a logo may not")
            if local == "href" and namespace in (None, XLINK):
                if not (value.startswith("#") or (element == "image" and DATA_IMAGE.fullmatch(value))):
                    raise self._unsafe(
                        f"href={value[:60]!r} reaches outside the logo; only #id references "
                        "(and images as data:image/png, jpeg, gif or webp) are allowed"
                    )
                kept[(None, "href")] = value  # SVG 2's plain href: no xlink namespace to declare
                continue
            if namespace is not None and namespace != XML:
                continue  # editors' attributes (inkscape:label, sodipodi:…)
            if namespace == XML:
                if local in ("space", "lang"):
                    kept[(None, f"xml:{local}")] = value
                continue  # xml:base would change what references resolve against
            if local in DRAWING_ATTRIBUTES or local.startswith(DRAWING_ATTRIBUTE_FAMILIES):
                self._check_css(value, f"the attribute {local}")
                kept[(None, local)] = value
        return kept

    def _check_css(self, text: str, where: str) -> None:
        if UNSAFE_CSS.search(OWN_URL.sub("", text)):
            raise self._unsafe(
                f"{where} reaches outside the logo (url(), @import or escapes); only url(#id) is allowed"
            )

    def endElementNS(self, name: tuple[str | None, str], qname: str | None) -> None:
        if self.skipping:
            self.skipping -= 1
            return
        if self.style is not None:
            # Checked whole: a character reference (&#117;rl) arrives as pieces of text.
            text, self.style = "".join(self.style), None
            try:
                self._check_css(text, "the <style>")
            except _Unsafe as unsafe:
                # Placed at the <style> itself: the locator is at its end now.
                raise _Unsafe(str(unsafe), self.style_at.line, self.style_at.column) from None
            self.writer.characters(text)
        self.writer.endElementNS((None, self.open.pop()), name[1])

    def characters(self, content: str) -> None:
        if self.skipping or not self.open:
            return
        if self.style is not None:
            self.style.append(content)
        else:
            self.writer.characters(content)

    def ignorableWhitespace(self, whitespace: str) -> None:
        self.characters(whitespace)

    def skippedEntity(self, name: str) -> None:
        raise self._unsafe(f"the entity &{name}; is not defined in the logo")

    def endDocument(self) -> None:
        self.writer.endDocument()


def _size(attributes: dict[tuple[str | None, str], str]) -> tuple[float, float] | None:
    """The root's drawing size: its viewBox's, else its width and height in user units."""
    numbers = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
    view_box = re.findall(numbers, attributes.get((None, "viewBox"), ""))
    if len(view_box) == 4 and float(view_box[2]) > 0 and float(view_box[3]) > 0:
        return float(view_box[2]), float(view_box[3])
    width, height = attributes.get((None, "width"), ""), attributes.get((None, "height"), "")
    sizes = [re.fullmatch(rf"\s*({numbers})\s*(px)?\s*", text) for text in (width, height)]
    if sizes[0] and sizes[1] and float(sizes[0][1]) > 0 and float(sizes[1][1]) > 0:
        return float(sizes[0][1]), float(sizes[1][1])
    return None
