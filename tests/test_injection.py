"""Hostile text in any field reaches every output as text, and never as markup or a new property.

The method is differential. Every text field of the model (and every interface string) is given
a token, `Qz07x` say, and the site is rendered once; then each field is given hostile text, and
the site is rendered again with generator.pipeline.render. The second render must be the first
with each token replaced by its text:

- each HTML page has the same elements with the same attributes, in the same order, and every
  text node, attribute value and embedded JSON equals the first's with the tokens replaced;
- each .vcf and .ics parses back (vobject, icalendar) to the same properties, whose values equal
  the first's with the tokens replaced (line breaks normalised: both formats have one kind);
- the JSON data parses back the same way;
- each Atom feed parses back (ElementTree) to the same elements and attributes, whose texts equal
  the first's with the tokens replaced (line breaks normalised, as XML reads them).

Markdown fields (details, the prose) legitimately change the page's structure, so for them the
check is an allow-list: only the elements and attributes the templates produce with the seed
content, plus Markdown's own, and links only to safe schemes.

The hypothesis tests stub the QR encoder (a code holds no text to compare, and encoding the codes
is most of a render's time); the sweep of fixed payloads encodes them for real. The short vCard a
QR code carries is checked apart, at the end.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
import unicodedata
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any
from unittest import mock
from urllib.parse import urlsplit

import pytest
import vobject
from bs4 import BeautifulSoup, Tag
from bs4.element import Comment, NavigableString
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from icalendar import Calendar, vText
from icalendar.parser import unescape_backslash
from icalendar.prop import vUnknown
from render_context import context

from generator import pipeline
from generator.cache import BuildCache
from generator.content.model import Site, Text
from generator.content.ui_strings import UI_STRINGS
from generator.content.yamlsource import UNWRITABLE
from generator.outputs import Files, cards, offline, qr
from generator.outputs.markdown_text import render_markdown
from generator.writer import check_path

SEED = Path(__file__).resolve().parent.parent / "content"

# --- hostile text ----------------------------------------------------------------------------------

PAYLOADS = [
    "<script>alert(1)</script>",
    "</script><script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' onmouseover='alert(1)' x='",
    '<a href="javascript:alert(1)">x</a>',
    "<svg/onload=alert(1)>",
    "<style>*{display:none}</style>",
    "<!-- x --><![CDATA[ y ]]>",
    "&lt;b&gt; &amp; &#60;i&#62; &#x3C;",
    "<b onclick=alert(1)>bold</b>",
    "[click](javascript:alert(1))",
    "{{ 7*7 }} {% raw %} ${7*7}",
    "Ana\r\nTEL:123",
    "x\nEMAIL:evil@example.org",
    "x\rURL:https://evil.example",
    "END:VCARD\r\nBEGIN:VCARD\r\nFN:Mallory",
    "END:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:Mallory",
    "END:VCALENDAR\nBEGIN:VCALENDAR",
    "a;b,c:d\\e",
    ":;,\\n\\",
    "\\N\\n\\;\\,",
    'x";DTSTART:20200101T000000Z;a="',
    "Nelson 😀👩🏽‍💻 Calderón",
    "ñ" * 90,
    "\u202eevil\u202c and \u200b",
    "\u2028\u2029\x85",
]

# What the reader lets through: any character but the ones a YAML stream may not hold (control
# characters, noncharacters, lone surrogates), which it refuses even as escapes.
CHARACTERS = st.characters(
    codec="utf-8",
    exclude_categories=["Cc", "Cs"],
    include_characters="\t\n\r\x85",
    exclude_characters="\ufffe\uffff",
)
FREE_TEXT = st.text(CHARACTERS, min_size=1, max_size=30)
PIECE = st.one_of(st.sampled_from(PAYLOADS), FREE_TEXT)
# Text values are stripped by the reader, and a value of spaces only is refused.
HOSTILE = st.lists(PIECE, min_size=1, max_size=3).map("".join).map(str.strip).filter(bool)


def test_hostile_characters_are_exactly_what_the_reader_accepts() -> None:
    """CHARACTERS, spelt in categories for speed, is the reader's rule (yamlsource.UNWRITABLE)."""
    allowed = {"\t", "\n", "\r", "\x85"}
    for code in [*range(0x3000), *range(0xD7F0, 0xE010), *range(0xFFF0, 0x10010)]:
        ch = chr(code)
        by_category = unicodedata.category(ch) not in ("Cc", "Cs") or ch in allowed
        by_category = by_category and ch not in "\ufffe\uffff"
        assert by_category == (UNWRITABLE.fullmatch(ch) is None), hex(code)


def token(index: int) -> str:
    """A placeholder no field holds, and no other token contains."""
    return f"Qz{index:02d}x"


def same_text(site: Site, text: str) -> Text:
    return Text(tuple((language.code, text) for language in site.languages))


# --- the fields --------------------------------------------------------------------------------------

Setter = Callable[[Site, str], Site]


def _channels(site: Site, **changes: Callable[[Any], Any]) -> Site:
    channels = tuple(c._replace(**{name: make(c) for name, make in changes.items()}) for c in site.channels)
    return site._replace(channels=channels)


def _levels(site: Site, change: Callable[[Any], Any]) -> Site:
    return site._replace(levels=tuple(change(level) for level in site.levels))


def _person(level: Any, text: str) -> Any:
    if level.contact is None:
        return level
    return level._replace(contact=level.contact._replace(person=text))


def _labels(site: Site, text: str) -> Site:
    def relabel(channel: Any) -> Any:
        return tuple(a._replace(label=same_text(site, text)) for a in channel.availability)

    return _channels(site, availability=relabel)


# Every plain text field of the model. Each setter gives the text to every object that has the field
# (every channel's name, every contact's person), so that every place a template shows it is covered.
PLAIN_FIELDS: dict[str, Setter] = {
    "organisation": lambda site, text: site._replace(organisation=text),
    "title": lambda site, text: site._replace(title=same_text(site, text)),
    "language name": lambda site, text: site._replace(
        languages=tuple(language._replace(name=text) for language in site.languages)
    ),
    "schedule name": lambda site, text: site._replace(
        schedules=tuple(s._replace(name=same_text(site, text)) for s in site.schedules)
    ),
    "request type name": lambda site, text: site._replace(
        request_types=tuple(r._replace(name=same_text(site, text)) for r in site.request_types),
    ),
    "channel name": lambda site, text: _channels(site, name=lambda c: same_text(site, text)),
    "channel description": lambda site, text: _channels(site, description=lambda c: same_text(site, text)),
    "availability label": _labels,
    "level title": lambda site, text: _levels(site, lambda lv: lv._replace(title=same_text(site, text))),
    "level name": lambda site, text: _levels(site, lambda lv: lv._replace(name=same_text(site, text))),
    # Every contact gets the same name, so their card files fall back to the level ids in both renders.
    "person": lambda site, text: _levels(site, lambda lv: _person(lv, text)),
}

MARKDOWN_FIELDS: dict[str, Setter] = {
    "channel details": lambda site, text: _channels(site, details=lambda c: same_text(site, text)),
    "intro": lambda site, text: _prose(site, "intro", text),
    "escalation rule": lambda site, text: _prose(site, "escalation", text),
}


def _prose(site: Site, slot: str, text: str) -> Site:
    prose = {code: {**texts, slot: text} for code, texts in site.prose.items()}
    return site._replace(prose=prose)


def _escape_braces(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def with_strings(site: Site, texts: Mapping[str, str]) -> Site:
    """Every interface string replaced by its text, followed by the placeholders it must carry."""

    def string(key: str) -> str:
        # As the reader gives them: a template where there are placeholders, else the text itself.
        if not UI_STRINGS[key].placeholders:
            return texts[key]
        return _escape_braces(texts[key]) + "".join(f" {{{name}}}" for name in UI_STRINGS[key].placeholders)

    strings = {code: {key: string(key) for key in UI_STRINGS} for code in site.strings}
    return site._replace(strings=strings)


UI_KEYS = sorted(UI_STRINGS)
PLAIN_TOKENS = {name: token(i) for i, name in enumerate(PLAIN_FIELDS)}
UI_TOKENS = {key: token(len(PLAIN_TOKENS) + i) for i, key in enumerate(UI_KEYS)}
TEMPLATE_TOKENS = {UI_TOKENS[key] for key in UI_KEYS if UI_STRINGS[key].placeholders}


@functools.cache
def seed() -> Site:
    return pipeline.load(SEED, BuildCache())


def render(site: Site) -> Files:
    """pipeline.render with a build cache of its own: nothing one render made (a stubbed QR code,
    a token's card) can be found by another."""
    return pipeline.render(site, BuildCache())


def hostile_site(plain: Mapping[str, str], ui: Mapping[str, str], markdown: Mapping[str, str]) -> Site:
    site = seed()
    for name, text in plain.items():
        site = PLAIN_FIELDS[name](site, text)
    for name, text in markdown.items():
        site = MARKDOWN_FIELDS[name](site, text)
    return with_strings(site, ui) if ui else site


@functools.cache
def token_files() -> Files:
    """The site with a token in every plain field and every interface string."""
    return unprinted_files(render(hostile_site(PLAIN_TOKENS, UI_TOKENS, {})))


def unprinted_files(files: Files) -> Files:
    return {unprinted(path): data for path, data in files.items()}


def _no_qr(code: qr.Code) -> bytes:
    return b"<svg></svg>\n"


def quick_render(site: Site) -> Files:
    """pipeline.render with the QR encoder stubbed: a code holds no text to check, and encoding the
    codes is most of a render's time. The sweep of payloads below encodes them for real."""
    with mock.patch("generator.outputs.qr.draw", _no_qr):  # every code, WhatsApp and contact
        return unprinted_files(render(site))


# --- reading outputs back -----------------------------------------------------------------------------

Swap = Callable[[str], str]


def lines_as_written(text: str) -> str:
    """vCard and iCalendar text has one kind of line break: CR LF and a lone CR come back as LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def swapper(pairs: Mapping[str, str], normalise: Callable[[str], str] = lambda text: text) -> Swap:
    """A function that puts each token's text in place of the token."""
    pattern = re.compile("|".join(map(re.escape, pairs)))
    texts = {tok: normalise(text) for tok, text in pairs.items()}
    return lambda value: pattern.sub(lambda match: texts[match.group()], value)


@dataclasses.dataclass(frozen=True)
class Swaps:
    """Each token's text as each kind of output carries it."""

    text: Swap  # pages, JSON: as written
    lines: Swap  # vCard, iCalendar: one kind of line break
    template: Swap  # UI strings handed to the page's script: still templates, braces doubled


def swaps(pairs: Mapping[str, str]) -> Swaps:
    templates = {tok: _escape_braces(text) if tok in TEMPLATE_TOKENS else text for tok, text in pairs.items()}
    return Swaps(swapper(pairs), swapper(pairs, lines_as_written), swapper(templates))


def swap_json(value: Any, swap: Swap) -> Any:
    if isinstance(value, str):
        return swap(value)
    if isinstance(value, list):
        return [swap_json(item, swap) for item in value]
    if isinstance(value, dict):
        return {swap(key): swap_json(item, swap) for key, item in value.items()}
    return value


def html_shape(html: bytes) -> Iterator[tuple[str, list[str]]]:
    """Every element's name and attribute names, in document order."""
    for tag in BeautifulSoup(html, "html.parser").find_all(True):
        yield tag.name, sorted(tag.attrs)


# Assets carry a content hash in their names (outputs/fingerprint.py), and a QR code's content
# holds the text: the names differ between renders, by design.
FINGERPRINT = re.compile(r"\.[0-9a-f]{10}(?=\.[a-z]+$)")


def unprinted(path: str) -> str:
    return FINGERPRINT.sub(".#", path)


def html_values(html: bytes) -> Iterator[tuple[str, Any]]:
    """Every attribute value and text node in document order; JSON in a script element, parsed."""
    soup = BeautifulSoup(html, "html.parser")
    for node in soup.descendants:
        if isinstance(node, Tag):
            for name, value in sorted(node.attrs.items()):
                text = " ".join(value) if isinstance(value, list) else value
                yield f"{node.name}@{name}", unprinted(text) if name in ("src", "href") else text
        elif isinstance(node, NavigableString):
            parent = node.parent
            if parent is not None and parent.name == "script" and "json" in str(parent.get("type", "")):
                yield "script json", json.loads(str(node))
            else:
                yield type(node).__name__, str(node)


def card_properties(data: bytes) -> list[list[tuple[str, dict[str, Any], Any]]]:
    """Every card in a .vcf, as its properties: name, parameters, value."""
    found = []
    for card in vobject.readComponents(data.decode("utf-8")):
        properties = []
        for line in card.lines():
            value = line.value
            if isinstance(value, vobject.vcard.Name):
                value = [value.family, value.given, value.additional, value.prefix, value.suffix]
            properties.append((line.name, dict(line.params), value))
        found.append(properties)
    return found


def calendar_properties(data: bytes) -> list[tuple[str, str, str, Any]]:
    """Every property of every component of an .ics: component, name, parameters, value."""
    found = []
    for component in Calendar.from_ical(data).walk():
        for name, value in component.property_items(recursive=False, sorted=False):
            if name in ("BEGIN", "END"):
                continue
            if isinstance(value, vText):
                shown = str(value)
            else:
                raw = value.to_ical()
                shown = raw.decode() if isinstance(raw, bytes) else str(raw)
                if isinstance(value, vUnknown):  # NAME, X-WR-*: read back escaped, as text
                    shown = unescape_backslash(shown)
            found.append((component.name, name, str(dict(getattr(value, "params", {}))), shown))
    return found


def atom_elements(data: bytes) -> list[tuple[str, list[tuple[str, str]], str]]:
    """Every element of an Atom feed in document order: its name, its attributes, its text."""
    root = ElementTree.fromstring(data)
    return [(element.tag, sorted(element.attrib.items()), element.text or "") for element in root.iter()]


def swap_value(value: Any, swap: Swap) -> Any:
    if isinstance(value, str):
        return swap(value)
    if isinstance(value, list):
        return [swap_value(item, swap) for item in value]
    return value


def assert_line_structure(path: str, data: bytes) -> None:
    """CR and LF appear only together, as line ends; lines are folded at 75 octets."""
    assert data.endswith(b"\r\n"), path
    body = data.replace(b"\r\n", b"")
    assert b"\r" not in body and b"\n" not in body, f"{path}: a bare CR or LF"
    assert all(len(line) <= 75 for line in data.split(b"\r\n")), f"{path}: a line over 75 octets"


@functools.cache
def token_view(path: str) -> Any:
    """A file of the token render as its format reads it back (parsed once: every example needs it)."""
    data = token_files()[path]
    if path.endswith(".html"):
        return list(html_shape(data)), list(html_values(data))
    if path.endswith(".vcf"):
        return card_properties(data)
    if path.endswith(".ics"):
        return calendar_properties(data)
    if path.endswith((".json", ".webmanifest")):
        return json.loads(data)
    if path.endswith(".atom"):
        return atom_elements(data)
    if path.endswith(".png"):
        return data
    if path == offline.WORKER:
        return _without_version(data)
    return data.decode()


def _without_version(worker: bytes) -> str:
    """The offline worker without its version and the hashes in its list: the content of what it
    keeps sets them (a QR code carries a contact's name)."""
    text = re.sub(r'^var VERSION = "[0-9a-f]+";$', "", worker.decode(), count=1, flags=re.MULTILINE)
    return re.sub(r"\.[0-9a-f]{10}\.", ".#.", text)


def assert_same_but_swapped(path: str, hostile: bytes, swap: Swaps, person: str) -> None:
    """`hostile` is the token render's file with every token replaced by its text, read back."""
    token = token_view(path)
    if path.endswith(".html"):
        shape, values = token
        assert list(html_shape(hostile)) == shape, f"{path}: elements changed"
        expected = [
            (kind, swap_json(value, swap.template) if kind == "script json" else swap.text(value))
            for kind, value in values
        ]
        assert list(html_values(hostile)) == expected, path
    elif path.endswith(".vcf"):
        assert_line_structure(path, hostile)
        found = card_properties(hostile)
        assert [[p[:2] for p in card] for card in found] == [[p[:2] for p in card] for card in token], path
        for card, token_card in zip(found, token, strict=True):
            for (name, _, value), (_, _, token_value) in zip(card, token_card, strict=True):
                if name == "UID":
                    continue  # derived from the organisation's name: a hash, checked in test_cards
                if name == "N" and PLAIN_TOKENS["person"] in token_value:
                    # The token is one word; a name is split into given and family at its last space.
                    given, family = cards.split_name(person)
                    expected_value = [lines_as_written(family), lines_as_written(given), "", "", ""]
                else:
                    expected_value = swap_value(token_value, swap.lines)
                assert value == expected_value, f"{path}: {name}"
    elif path.endswith(".ics"):
        assert_line_structure(path, hostile)
        expected_props = [(c, n, p, swap_value(v, swap.lines)) for c, n, p, v in token]
        assert calendar_properties(hostile) == expected_props, path
    elif path.endswith((".json", ".webmanifest")):
        assert json.loads(hostile) == swap_json(token, swap.text), path
    elif path.endswith(".png"):
        assert hostile == token, path  # the app icons: drawn from the favicon, no text
    elif path == offline.WORKER:
        assert _without_version(hostile) == token, path  # paths only: no text of the content
    elif path.endswith(".atom"):
        found = atom_elements(hostile)
        shape = [(tag, [name for name, _ in attributes]) for tag, attributes, _ in found]
        assert shape == [(tag, [name for name, _ in attributes]) for tag, attributes, _ in token], path
        for (tag, attributes, text), (_, token_attributes, token_text) in zip(found, token, strict=True):
            if tag == "{http://www.w3.org/2005/Atom}id":
                continue  # a tag: URI with the organisation's name as a slug: tests/test_notices_feeds.py
            assert attributes == [(name, swap.text(value)) for name, value in token_attributes], path
            # XML reads a CR, alone or before LF, as LF.
            assert text == swap.lines(token_text), f"{path}: {tag}"
    elif path.endswith(".svg"):
        pass  # QR codes: modules, not text (qr.py's vCard is checked apart, below)
    else:
        assert hostile.decode() == swap.text(token), path


# --- plain text: exact ------------------------------------------------------------------------------


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    plain=st.fixed_dictionaries(dict.fromkeys(PLAIN_FIELDS, HOSTILE)),
    ui=st.fixed_dictionaries(dict.fromkeys(UI_KEYS, HOSTILE)),
)
def test_text_in_every_field_reaches_every_output_as_text(plain: dict[str, str], ui: dict[str, str]) -> None:
    pairs = {PLAIN_TOKENS[name]: text for name, text in plain.items()}
    pairs |= {UI_TOKENS[key]: text for key, text in ui.items()}
    assume(not any(tok in text for tok in pairs for text in pairs.values()))
    rendered = quick_render(hostile_site(plain, ui, {}))
    assert rendered.keys() == token_files().keys()
    swap = swaps(pairs)
    for path, data in rendered.items():
        assert_same_but_swapped(path, data, swap, plain["person"])


def test_the_payloads_themselves_in_every_field() -> None:
    """Each payload everywhere at once: the same check, without leaving it to chance."""
    for payload in PAYLOADS:
        pairs = dict.fromkeys([*PLAIN_TOKENS.values(), *UI_TOKENS.values()], payload)
        site = hostile_site(dict.fromkeys(PLAIN_FIELDS, payload), dict.fromkeys(UI_KEYS, payload), {})
        rendered = unprinted_files(render(site))
        swap = swaps(pairs)
        for path, data in rendered.items():
            assert_same_but_swapped(path, data, swap, payload)


# --- Markdown: an allow-list ---------------------------------------------------------------------------

MARKDOWN_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](java&#115;cript:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](<javascript:alert(1)>)",
    "[x]( javascript:alert(1) )",
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "[x](vbscript:msgbox(1))",
    "[x](//evil.example/)",
    '[x](https://ok.example/ "t" onclick="alert(1)")',
    '[x](https://ok.example/ "a&quot; onclick=&quot;alert(1)")',
    "[x][r]\n\n[r]: javascript:alert(1)",
    "![x](javascript:alert(1))",
    "![x](https://evil.example/pixel.gif)",
    "<javascript:alert(1)>",
    "<ftp://evil.example/>",
    "<mailto:a@example.org>",
    "`<script>`",
    "    <script>alert(1)</script>",
    "> <iframe src=//evil.example>",
    "* <b onmouseover=alert(1)>x</b>",
    '<div style="position:fixed">x</div>',
    "<!-- comment --> <?php x ?> <![CDATA[x]]>",
    "&lt;script&gt;",
    "# Heading\n\n1. one\n2. two\n\n---\n\n**bold** _em_ `code`",
]
MARKDOWN_TAGS = {"p", "em", "strong", "a", "code", "pre", "blockquote", "ul", "ol", "li", "hr", "br", "span"}
MARKDOWN_TAGS |= {f"h{level}" for level in range(1, 7)}
MARKDOWN_ATTRIBUTES = {"a": {"href", "title"}}
SAFE_SCHEMES = {"", "https", "http", "mailto", "tel", "webcal"}


@dataclasses.dataclass(frozen=True)
class Allowed:
    """What the templates produce with the seed content: elements, each one's attributes, comments."""

    tags: frozenset[str]
    attributes: dict[str, frozenset[str]]
    comments: frozenset[str]


@functools.cache
def allowed() -> Allowed:
    tags: set[str] = set()
    attributes: dict[str, set[str]] = {}
    comments: set[str] = set()
    for path, data in quick_render(seed()).items():
        if path.endswith(".html"):
            for name, names in html_shape(data):
                tags.add(name)
                attributes.setdefault(name, set()).update(names)
            soup = BeautifulSoup(data, "html.parser")
            comments.update(str(c) for c in soup.find_all(string=lambda s: isinstance(s, Comment)))
    return Allowed(
        frozenset(tags), {name: frozenset(names) for name, names in attributes.items()}, frozenset(comments)
    )


def scheme(href: str) -> str:
    """The scheme a browser would see: it ignores leading spaces and controls, and tabs and newlines."""
    cleaned = re.sub(r"[\t\n\r]", "", href).lstrip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f ")
    return urlsplit(cleaned).scheme.lower() if re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", cleaned) else ""


def assert_only_allowed_markup(path: str, html: bytes) -> None:
    seed = allowed()
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(True):
        assert tag.name in seed.tags | MARKDOWN_TAGS, f"{path}: <{tag.name}>"
        permitted = seed.attributes.get(tag.name, frozenset()) | MARKDOWN_ATTRIBUTES.get(tag.name, set())
        assert set(tag.attrs) <= permitted, f"{path}: <{tag.name} {sorted(set(tag.attrs) - permitted)}>"
        for name in ("href", "src", "action", "formaction"):
            if name in tag.attrs:
                assert scheme(str(tag[name])) in SAFE_SCHEMES, f"{path}: {name}={tag[name]!r}"
    # A comment opened by text could swallow the rest of the page.
    comments = {str(c) for c in soup.find_all(string=lambda s: isinstance(s, Comment))}
    assert comments <= seed.comments, f"{path}: a comment"


MARKDOWN_TEXT = st.one_of(
    st.sampled_from(MARKDOWN_PAYLOADS),
    st.lists(st.one_of(st.sampled_from(MARKDOWN_PAYLOADS), FREE_TEXT), min_size=1, max_size=4).map("\n".join),
).filter(lambda text: bool(text.strip()))


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(markdown=st.fixed_dictionaries(dict.fromkeys(MARKDOWN_FIELDS, MARKDOWN_TEXT)))
def test_markdown_makes_only_markdown_markup(markdown: dict[str, str]) -> None:
    rendered = quick_render(hostile_site({}, {}, markdown))
    assert rendered.keys() == seed_paths()
    for path, data in rendered.items():
        if path.endswith(".html"):
            assert_only_allowed_markup(path, data)
        elif path.endswith((".vcf", ".ics")):
            assert_line_structure(path, data)


@pytest.mark.parametrize("payload", MARKDOWN_PAYLOADS)
def test_each_markdown_payload(payload: str) -> None:
    html = str(render_markdown(payload, BuildCache())).encode()
    assert_only_allowed_markup("markdown", html)
    soup = BeautifulSoup(html, "html.parser")
    text = soup.get_text()
    # Raw HTML is shown as the editor wrote it, never dropped silently nor obeyed.
    for raw in re.findall(r"<(?:script|img|iframe|div|b |a )[^>]*>", payload):
        if not payload.startswith("    "):  # an indented block is code: shown too, in <pre>
            assert raw in text, raw


def test_markdown_raw_html_is_text() -> None:
    html = str(render_markdown('Hi <script>alert(1)</script> <img src=x onerror="alert(1)">', BuildCache()))
    assert "<script" not in html and "<img" not in html
    assert (
        BeautifulSoup(html, "html.parser").get_text()
        == 'Hi <script>alert(1)</script> <img src=x onerror="alert(1)">'
    )


def test_markdown_links_keep_only_safe_targets() -> None:
    html = str(
        render_markdown(
            "[a](https://example.org/) [b](mailto:x@example.org) [c](tel:+5716017442727) [d](javascript:alert(1))",
            BuildCache(),
        )
    )
    hrefs = [a.get("href") for a in BeautifulSoup(html, "html.parser").find_all("a")]
    assert hrefs == ["https://example.org/", "mailto:x@example.org", "tel:+5716017442727", None]


# --- URLs: valid, yet full of delimiters -------------------------------------------------------------

URL_PATH = st.text(st.sampled_from(list("azAZ09-._~:/?#[]@!$&'()*+,;=%\"<>{}|\\^`")), min_size=1, max_size=30)


@functools.cache
def seed_paths() -> set[str]:
    return set(quick_render(seed()))


@functools.cache
def reference_with_base_url() -> dict[str, Any]:
    """The seed site with a plain base URL, as its formats read it back: properties, elements."""
    views: dict[str, Any] = {}
    for path, data in quick_render(seed()._replace(base_url="https://example.org/")).items():
        if path.endswith(".html"):
            views[path] = list(html_shape(data))
        elif path.endswith(".vcf"):
            views[path] = [[p[:2] for p in card] for card in card_properties(data)]
        elif path.endswith(".ics"):
            views[path] = [p[:2] for p in calendar_properties(data)]
        else:
            views[path] = None
    return views


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(portal=URL_PATH, base=URL_PATH)
def test_addresses_full_of_delimiters_stay_one_attribute_and_one_property(portal: str, base: str) -> None:
    from generator.content.formats import _web_url

    portal_url, base_url = f"https://portal.example/{portal}", f"https://example.org/{base}"
    for url in (portal_url, base_url):
        try:
            _web_url(url)
        except ValueError:
            assume(False)
    site = _channels(seed(), value=lambda c: portal_url if c.kind == "web" else c.value)
    rendered = quick_render(site._replace(base_url=base_url))
    reference = reference_with_base_url()
    assert rendered.keys() == reference.keys()
    for path, data in rendered.items():
        if path.endswith(".html"):
            assert list(html_shape(data)) == reference[path], path
            assert_only_allowed_markup(path, data)
        elif path.endswith(".vcf"):
            assert_line_structure(path, data)
            properties = card_properties(data)
            assert [[p[:2] for p in card] for card in properties] == reference[path], path
            if path.endswith("help-desk.vcf"):
                assert portal_url in [p[2] for card in properties for p in card if p[0] == "URL"]
        elif path.endswith(".ics"):
            assert_line_structure(path, data)
            assert [p[:2] for p in calendar_properties(data)] == reference[path], path


# --- file names made from text -----------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(people=st.lists(HOSTILE, min_size=3, max_size=3))
def test_names_make_safe_file_names(people: list[str]) -> None:
    names = iter(people)
    site = _levels(seed(), lambda level: _person(level, next(names)) if level.contact else level)
    ctx = context(site)
    for language in site.languages:
        for level in site.levels:
            if level.contact:
                path = cards.card_path(level, language, ctx)
                check_path(path)
                assert re.fullmatch(rf"{language.code}/contacts/[a-z0-9]+(-[a-z0-9]+)*\.vcf", path), path


# --- qr.py's short vCards ------------------------------------------------------------------------------


@pytest.mark.parametrize("payload", ["Ana\r\nEMAIL:evil@example.org", "Ana\nURL:https://evil.example", "a\\"])
def test_qr_card_text_adds_no_property(payload: str) -> None:
    from generator.outputs import qr

    site = _levels(seed(), lambda level: _person(level, payload))
    site = site._replace(organisation=payload)
    level = next(level for level in site.levels if level.contact)
    data = qr.card_data(qr.contact_code(level, site))
    card = next(vobject.readComponents(data))
    assert sorted(card.contents) == sorted(
        next(vobject.readComponents(qr.card_data(qr.contact_code(seed().levels[1], seed())))).contents
    )
    assert card.fn.value == lines_as_written(payload)


def test_a_contact_too_long_for_a_code_still_builds() -> None:
    # No QR code holds 120 addresses: the code falls back to the name and one phone or email.
    emails = tuple(f"someone.with.a.long.address.{n}@certicamara.com" for n in range(120))
    site = _levels(
        seed(),
        lambda level: (
            level._replace(contact=level.contact._replace(emails=emails)) if level.contact else level
        ),
    )
    files = render(site)
    short = qr.card_data(qr.contact_code(site.levels[1], site), short=True)
    assert short.count("EMAIL") == 1 and "FN:Orlando Méndez" in short
    assert any(path.startswith("qr/contact-orlando-mendez.") for path in files)
