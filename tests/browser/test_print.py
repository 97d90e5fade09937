"""Printing a language's page gives a support card (issue #18): at most two A4 or Letter pages for
a desk the seed's size, every channel with its number or address written out and its hours, the
escalation ladder with names, emails and phones; no switcher, contents, QR codes, open-now statuses,
calendar or contact-file links, and no notice that is over.

Each PDF, and a PNG of each of its pages, is saved under test-artifacts/screenshots/ for people to
look at (the PNGs by poppler's pdftoppm where it is installed, else a print-emulated screenshot).
"""

from __future__ import annotations

import datetime
import io
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from conftest import DESKTOP, Served, _serve, build_variant
from examples import BRAND, NOTICES, add_brand, use_notices

from generator import pipeline
from generator.cache import BuildCache
from generator.content.model import Phone, Site

pytestmark = pytest.mark.browser

BOGOTA = ZoneInfo("America/Bogota")
# Sunday noon: the 24/7 channels open and the others closed, so the page shows both statuses.
SUNDAY = datetime.datetime(2026, 12, 6, 12, 0, tzinfo=BOGOTA)
# The incident in examples.NOTICES is current and the portal's maintenance planned.
DURING_INCIDENT = datetime.datetime(2026, 12, 2, 10, 0, tzinfo=BOGOTA)
# The maintenance is over (shown on screen for a few days, never printed); the incident long over.
AFTER_MAINTENANCE = datetime.datetime(2026, 12, 13, 5, 0, tzinfo=BOGOTA)
FORMATS = ["A4", "Letter"]
# The grown desk's and the busy desk's channels and levels, added to the seed's six and four.
EXTRA_CHANNELS = [
    ("phone", "604 4441234"),
    ("email", "facturacion@certicamara.com"),
    ("whatsapp", "+57 310 5550101"),
    ("web", "https://estado.certicamara.com/"),
]
GUIDE = {"es": "https://certicamara.com/guia", "en": "https://certicamara.com/guide"}


def squeezed(text: str) -> str:
    """Text without whitespace (a PDF wraps lines anywhere, a hyphenated address included), in
    compatibility form (no ligatures)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def grow(content: Path, channels: int, levels: int) -> None:
    """The seed with `channels` more channels and `levels` more levels (each a contact with two
    emails and a phone), a logo and a prose link whose text hides its address."""
    added = "".join(
        f"""
  - id: extra-{i}
    kind: {kind}
    value: "{value}"
    name: {{es: Canal adicional {i}, en: Extra channel {i}}}
    description: {{es: Un canal más para una mesa mayor., en: One more channel for a bigger desk.}}
    request_types: [requests, changes]
    availability:
      - schedule: business
"""
        for i, (kind, value) in enumerate(EXTRA_CHANNELS[:channels])
    )
    (content / "channels.yaml").write_text(
        (content / "channels.yaml").read_text(encoding="utf-8") + added, encoding="utf-8"
    )
    added = "".join(
        f"""
  - id: level-{5 + i}
    title: {{es: Escalamiento adicional {i}, en: Extra escalation {i}}}
    name: {{es: Gerencia {i}, en: Management {i}}}
    contact:
      person: Persona De Prueba {i}
      emails: [persona{i}@certicamara.com, gerencia{i}@certicamara.com]
      phones:
        - number: "31{i} 5551234"
"""
        for i in range(levels)
    )
    (content / "escalation.yaml").write_text(
        (content / "escalation.yaml").read_text(encoding="utf-8") + added, encoding="utf-8"
    )
    add_brand(
        content,
        'brand:\n  logo: brand/acme.svg\n  accent: "#c8102e"\n',
        {"brand/acme.svg": (BRAND / "acme-logo.svg").read_bytes()},
    )
    for language, words in (("es", "Consulte también la [guía de uso]"), ("en", "See also the [user guide]")):
        intro = content / "pages" / language / "intro.md"
        text = intro.read_text(encoding="utf-8")
        intro.write_text(f"{text}\n{words}({GUIDE[language]}).\n", encoding="utf-8")


@pytest.fixture(scope="module")
def grown_served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """Eight channels and six levels, with a logo: still two pages."""
    yield from _serve(build_variant(tmp_path_factory.mktemp("print-grown"), lambda c: grow(c, 2, 2)))


@pytest.fixture(scope="module")
def busy_served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """Ten channels, six levels, a logo and two notices: more than two pages' worth."""

    def change(content: Path) -> None:
        grow(content, 4, 2)
        use_notices(content, NOTICES)

    yield from _serve(build_variant(tmp_path_factory.mktemp("print-busy"), change))


def model(served: Served) -> Site:
    """The content a served variant was built from (build_variant puts it beside the site)."""
    return pipeline.load(served.root.parent / "content", BuildCache())


def written_out(value: Phone | str, kind: str) -> str:
    """A channel's number or address as the page writes it: a phone line's national form, a WhatsApp
    number's international form, an email address, a web address without its scheme."""
    if isinstance(value, Phone):
        return value.international if kind == "whatsapp" else value.national
    return value.split("://", 1)[-1].rstrip("/")


def card_texts(site: Site, language: str) -> list[str]:
    """What the card must carry, from the model: each channel's name and number or address, each
    level's title, its contact's name, emails and phones."""
    texts: list[str] = []
    for channel in site.channels:
        texts += [channel.name[language], written_out(channel.value, channel.kind)]
    for level in site.levels:
        texts.append(level.title[language])
        if level.contact:
            texts += [level.contact.person, *level.contact.emails]
            texts += [phone.phone.national for phone in level.contact.phones]
    return texts


def hours_texts(html: str) -> list[str]:
    """Every channel's hours in words (phrases, and the labels that say what they are for), as the
    built page gives them."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    found = [node.get_text() for node in soup.select(".channel .hours-label, .channel .hours-phrase")]
    assert found
    return found


def screen_only_texts(page: Any) -> list[str]:
    """Texts only the screen shows, read from the page as the browser has it (the script has run):
    the switcher's languages, the contents' title, open-now statuses, calendar and contact-file
    links, the data link."""
    selectors = (
        "nav.languages a",
        "#_contents-title",
        ".status-text",
        ".calendar-links a",
        ".save-contact a",
        ".contact-files a",
        ".site-footer a",
    )
    texts = [text for selector in selectors for text in page.locator(selector).all_inner_texts()]
    assert any(texts), "the page should have texts that only the screen shows"
    return [text for text in texts if text.strip()]


def print_page(
    page: Any, artifact: Callable[[str], Path], name: str, paper: str, *, background: bool = False
) -> tuple[Any, str]:
    """Print the page as a browser's print dialog would, save the PDF and a PNG of each of its pages
    as artifacts, and give the PDF's reader and its text."""
    from pypdf import PdfReader

    page.emulate_media(media="print")
    data = page.pdf(format=paper, print_background=background)
    pdf = artifact(f"{name}.pdf")
    pdf.write_bytes(data)
    for old in pdf.parent.glob(f"{name}-*.png"):
        if re.fullmatch(rf"{re.escape(name)}-(\d+|all)\.png", old.name):
            old.unlink()
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "80", str(pdf), str(pdf.with_suffix(""))], check=True)
    else:
        # No poppler: the printed layout in one tall image, as wide as an A4 page inside its margins.
        page.set_viewport_size({"width": 703, "height": 1000})
        page.screenshot(path=artifact(f"{name}-all.png"), full_page=True)
        page.set_viewport_size(DESKTOP)
    reader = PdfReader(io.BytesIO(data))
    return reader, "\n".join(sheet.extract_text() for sheet in reader.pages)


def assert_a_card(reader: Any, text: str, site: Site, language: str, html: str, page: Any) -> None:
    """Everything the card carries is printed, and nothing only the screen shows."""
    printed = squeezed(text)
    for expected in [*card_texts(site, language), *hours_texts(html)]:
        assert squeezed(expected) in printed, f"{expected!r} is not printed"
    for screen_only in screen_only_texts(page):
        assert squeezed(screen_only) not in printed, f"{screen_only!r} is printed"
    # The generator's links say their number or address: no tel:, mailto: or wa.me printed after them.
    for target in ("tel:", "mailto:", "wa.me/", "https://"):
        assert target not in printed.replace(f"({squeezed(GUIDE[language])})", "")
    # No QR code, nor any image but the header's logo.
    assert not page.locator(".qr").first.is_visible()
    for image in page.locator("main img").all():
        assert not image.is_visible()
    assert sum(len(sheet.images) for sheet in reader.pages) <= page.locator(".organisation img").count()
    # The urgent box's WhatsApp button prints as text: no coloured button.
    button = page.locator(".urgent .button")
    assert button.evaluate("b => getComputedStyle(b).backgroundColor") == "rgba(0, 0, 0, 0)"
    assert squeezed(button.inner_text()) in printed


@pytest.mark.parametrize("paper", FORMATS)
@pytest.mark.parametrize("language", ["es", "en"])
def test_the_seed_prints_a_card_of_at_most_two_pages(
    visit: Callable[..., Any], seed_served: Served, artifact: Callable[[str], Path], language: str, paper: str
) -> None:
    # Desktop width: the screen shows the QR codes there, so their absence in print means something.
    opened = visit(f"{seed_served.url}{language}/", at=SUNDAY, viewport=DESKTOP)
    page = opened.page
    html = (seed_served.root / language / "index.html").read_text(encoding="utf-8")
    assert page.locator(".qr").first.is_visible()
    assert page.locator(".status-text strong").first.is_visible()
    reader, text = print_page(page, artifact, f"print-{language}-{paper}", paper)
    assert len(reader.pages) <= 2
    assert_a_card(reader, text, model(seed_served), language, html, page)
    assert opened.errors == []


@pytest.mark.parametrize("language", ["es", "en"])
def test_backgrounds_printed_or_not_the_card_is_the_same(
    visit: Callable[..., Any], seed_served: Served, artifact: Callable[[str], Path], language: str
) -> None:
    # "Background graphics" ticked, from a dark-mode system: black on white all the same.
    page = visit(f"{seed_served.url}{language}/", at=SUNDAY, scheme="dark").page
    reader, _ = print_page(page, artifact, f"print-{language}-A4-dark-backgrounds", "A4", background=True)
    assert len(reader.pages) <= 2
    for selector in ("body", ".channel", ".urgent"):
        colours = page.locator(selector).first.evaluate(
            "e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor]"
        )
        assert colours == ["rgb(0, 0, 0)", "rgba(0, 0, 0, 0)"], selector


@pytest.mark.parametrize("paper", FORMATS)
@pytest.mark.parametrize("language", ["es", "en"])
def test_a_grown_desk_still_prints_two_pages(
    visit: Callable[..., Any],
    grown_served: Served,
    artifact: Callable[[str], Path],
    language: str,
    paper: str,
) -> None:
    page = visit(f"{grown_served.url}{language}/", at=SUNDAY).page
    html = (grown_served.root / language / "index.html").read_text(encoding="utf-8")
    reader, text = print_page(page, artifact, f"print-grown-{language}-{paper}", paper)
    assert len(reader.pages) <= 2
    site = model(grown_served)
    assert len(site.channels) == 8 and len(site.levels) == 6
    assert_a_card(reader, text, site, language, html, page)
    # The header keeps the logo (on the brand's colour, printed) and the organisation's name.
    assert page.locator(".organisation img").is_visible()
    assert squeezed(site.organisation) in squeezed(text)
    # A prose link prints its address after its text.
    assert squeezed(f"({GUIDE[language]})") in squeezed(text)


@pytest.mark.parametrize("language", ["es", "en"])
def test_a_busy_desk_prints_current_and_planned_notices_only(
    visit: Callable[..., Any], busy_served: Served, artifact: Callable[[str], Path], language: str
) -> None:
    site = model(busy_served)
    html = (busy_served.root / language / "index.html").read_text(encoding="utf-8")
    titles = [notice.title[language] for notice in site.notices]
    assert len(titles) == 2
    # The incident current, the maintenance planned: both printed, without the incident's timeline.
    page = visit(f"{busy_served.url}{language}/", at=DURING_INCIDENT).page
    reader, text = print_page(page, artifact, f"print-busy-{language}-A4", "A4")
    # Ten channels, six levels and two notices take a third page; every card stays whole.
    assert len(reader.pages) <= 3
    assert_a_card(reader, text, site, language, html, page)
    for title in titles:
        assert squeezed(title) in squeezed(text)
    for update in page.locator(".notice-updates li").all_inner_texts():
        assert squeezed(update) not in squeezed(text)
    # The maintenance over (still on screen for a few days): not printed.
    page = visit(f"{busy_served.url}{language}/", at=AFTER_MAINTENANCE).page
    assert page.locator("#_notice-portal-maintenance-2026-12").is_visible()
    reader, text = print_page(page, artifact, f"print-busy-{language}-A4-after", "A4")
    assert all(squeezed(title) not in squeezed(text) for title in titles)
    assert len(reader.pages) <= 3
