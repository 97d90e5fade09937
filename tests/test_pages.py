"""The help pages, parsed: every seed channel, hour and contact, in every language, with working links."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from examples import NOTICES, use_notices

from generator import pipeline
from generator.cache import BuildCache
from generator.content.model import Site
from generator.outputs import Files

ROOT = Path(__file__).resolve().parent.parent

# The seed, as the customer wrote it: channel ids in order, with the link each must carry.
SEED_CHANNELS = [
    ("phone-bogota", "tel:+576017442727"),
    ("phone-toll-free", "tel:018000181531"),
    ("email", "mailto:mesadeayuda@certicamara.com"),
    ("whatsapp-monitoring", "https://wa.me/573184872656"),
    ("whatsapp-corporate", "https://wa.me/573168731648"),
    ("portal", "https://certicamara.service-now.com/csm"),
]
SEED_CONTACTS = {
    "level-2": (
        "Orlando Méndez",
        ["supervisor.mesadeayuda@certicamara.com", "orlando.mendez@certicamara.com"],
        [],
    ),
    "level-3": (
        "Nelson Calderón",
        ["coordinador.mesadeayuda@certicamara.com", "nelson.calderon@certicamara.com"],
        ["tel:+573187174937", "https://wa.me/573187174937"],
    ),
    "level-4": ("Iván Rodríguez", ["ivan.rodriguez@certicamara.com"], ["tel:+573222197967"]),
}
NNBSP = "\u202f"
BUSINESS_HOURS = {
    "es": f"lunes a viernes, 7:00{NNBSP}a.{NNBSP}m. – 7:00{NNBSP}p.{NNBSP}m. sábado, 8:00{NNBSP}a.{NNBSP}m. – 1:00{NNBSP}p.{NNBSP}m.",
    "en": f"Monday to Friday, 7:00{NNBSP}AM – 7:00{NNBSP}PM Saturday, 8:00{NNBSP}AM – 1:00{NNBSP}PM",
}
ALWAYS = {"es": "24 horas, todos los días", "en": "24 hours a day, every day"}


def page(files: Files, path: str) -> BeautifulSoup:
    return BeautifulSoup(files[path].decode("utf-8"), "html.parser")


def channel_items(soup: BeautifulSoup) -> list[Tag]:
    return soup.select("[data-channel]")


@pytest.mark.parametrize("language", ["es", "en"])
def test_every_seed_channel_in_order_with_its_link(seed_files: Files, language: str) -> None:
    soup = page(seed_files, f"{language}/index.html")
    items = channel_items(soup)
    assert [item["data-channel"] for item in items] == [channel for channel, _ in SEED_CHANNELS]
    for item, (_, href) in zip(items, SEED_CHANNELS, strict=True):
        link = item.select_one(".channel-link a")
        assert link is not None and link["href"] == href
        assert item.h3 is not None and item.h3.get_text(strip=True)


@pytest.mark.parametrize("language", ["es", "en"])
def test_hours_in_words_for_each_channel(seed_files: Files, language: str) -> None:
    soup = page(seed_files, f"{language}/index.html")
    hours = {
        item["data-channel"]: item.select_one(".hours").get_text(" ", strip=True)
        for item in channel_items(soup)
    }  # type: ignore[union-attr]
    for channel in ("phone-bogota", "phone-toll-free", "email", "whatsapp-corporate"):
        assert BUSINESS_HOURS[language] in hours[channel]
        assert ALWAYS[language] not in hours[channel]
    assert ALWAYS[language] in hours["whatsapp-monitoring"]
    assert BUSINESS_HOURS[language] not in hours["whatsapp-monitoring"]
    # The portal: incidents around the clock, requests in service hours.
    portal = page(seed_files, f"{language}/index.html").select('[data-channel="portal"] .hours li')
    assert [ALWAYS[language] in li.get_text() for li in portal] == [True, False]
    assert BUSINESS_HOURS[language] in portal[1].get_text(" ", strip=True)


def test_request_types_and_descriptions_in_spanish(seed_files: Files) -> None:
    soup = page(seed_files, "es/index.html")
    item = {i["data-channel"]: i for i in channel_items(soup)}
    assert (
        item["whatsapp-monitoring"].select_one(".request-types").get_text(strip=True) == "Incidentes críticos"
    )  # type: ignore[union-attr]
    assert item["phone-bogota"].select_one(".request-types").get_text(strip=True) == "Todos"  # type: ignore[union-attr]
    text = soup.get_text(" ")
    for seed_text in (
        "Línea de servicio al cliente de Certicámara en Bogotá.",
        "Correo electrónico para atención de casos.",
        "WhatsApp Centro de Monitoreo de Certicámara para notificación de incidentes críticos.",
        "WhatsApp Corporativo, que permite interactuar con un agente de servicio para la atención de solicitudes.",
        "verificar notas y avances en línea",
        "requerimientos, cambios o incidentes",
        "haya surtido los niveles de escalamiento precedentes",
    ):
        assert seed_text in " ".join(text.split())


def test_phone_numbers_shown_nationally_and_the_toll_free_line_is_domestic(seed_files: Files) -> None:
    for language, domestic in (
        ("es", "Solo se puede marcar desde Colombia."),
        ("en", "only from within Colombia"),
    ):
        soup = page(seed_files, f"{language}/index.html")
        toll_free = soup.select_one('[data-channel="phone-toll-free"]')
        assert toll_free is not None
        assert toll_free.select_one(".channel-link a").get_text() == "01 8000 181531"  # type: ignore[union-attr]
        assert domestic in toll_free.get_text()
        assert "+57" not in toll_free.get_text()
        bogota = soup.select_one('[data-channel="phone-bogota"]')
        assert bogota is not None and "+57 601 7442727" in bogota.get_text()


@pytest.mark.parametrize("language", ["es", "en"])
def test_escalation_ladder(seed_files: Files, language: str) -> None:
    soup = page(seed_files, f"{language}/index.html")
    levels = soup.select("ol.levels > li")
    assert [level["id"] for level in levels] == ["level-1", "level-2", "level-3", "level-4"]
    first = [a["href"] for a in levels[0].select("a")]
    assert first == [
        "mailto:mesadeayuda@certicamara.com",
        "tel:+576017442727",
        "https://wa.me/573168731648",
        "https://certicamara.service-now.com/csm",
    ]
    for level in levels[1:]:
        person, emails, phones = SEED_CONTACTS[str(level["id"])]
        assert level.select_one(".person").get_text() == person  # type: ignore[union-attr]
        hrefs = [str(a["href"]) for a in level.select("a") if "contacts/" not in str(a["href"])]
        assert hrefs == [f"mailto:{email}" for email in emails] + phones
    rule = soup.select_one(".escalation .rule")
    assert rule is not None and rule.get_text(strip=True)


def test_html_lang_hreflang_and_switcher(seed_files: Files) -> None:
    for language, other, other_name in (("es", "en", "English"), ("en", "es", "Español")):
        soup = page(seed_files, f"{language}/index.html")
        assert soup.html is not None and soup.html["lang"] == language
        alternates = {
            link["hreflang"]: link["href"] for link in soup.select('link[rel="alternate"][hreflang]')
        }
        assert alternates == {"es": "../es/", "en": "../en/", "x-default": "../"}
        switch = soup.select_one(f'nav.languages a[hreflang="{other}"]')
        assert switch is not None and switch["lang"] == other and switch.get_text() == other_name
        current = soup.select_one('nav.languages a[aria-current="page"]')
        assert current is not None and current["hreflang"] == language


def test_root_page_sends_visitors_to_the_default_language_without_javascript(seed_files: Files) -> None:
    soup = page(seed_files, "index.html")
    refresh = soup.select_one('meta[http-equiv="refresh"]')
    assert refresh is not None and refresh["content"] == "0; url=es/"
    assert [a["href"] for a in soup.select("main a")] == ["es/", "en/"]
    assert not soup.select("script")


def test_links_are_well_formed(seed_files: Files) -> None:
    for path in ("es/index.html", "en/index.html"):
        for anchor in page(seed_files, path).select("a[href]"):
            href = str(anchor["href"])
            assert re.fullmatch(
                r"tel:\+?\d+|mailto:[\w.+-]+@[\w.-]+|https://[\w./?=&%-]+|#[\w-]+|\.\./(es|en)/|[\w/.-]+\.(ics|vcf|atom)|\.\./data/help-desk\.json|webcal://.+",
                href,
            ), href
            assert anchor.get_text(strip=True), f"empty link text for {href}"


def test_base_url_makes_canonical_and_alternates_absolute(seed_site: Site, cache: BuildCache) -> None:
    files = pipeline.render(seed_site._replace(base_url="https://example.org/ayuda/"), cache)
    soup = page(files, "en/index.html")
    canonical = soup.select_one('link[rel="canonical"]')
    assert canonical is not None and canonical["href"] == "https://example.org/ayuda/en/"
    alternates = {link["hreflang"]: link["href"] for link in soup.select('link[rel="alternate"][hreflang]')}
    assert alternates == {
        "es": "https://example.org/ayuda/es/",
        "en": "https://example.org/ayuda/en/",
        "x-default": "https://example.org/ayuda/",
    }


def test_markdown_prose_lets_no_html_through(content_copy: Path, cache: BuildCache) -> None:
    (content_copy / "pages" / "en" / "intro.md").write_text(
        'Hello <script>alert(1)</script> <b onclick="x()">bold</b>\n\n<div>block</div>\n\n'
        "[click](javascript:alert(1)) and [ok](https://example.org)\n",
        encoding="utf-8",
    )
    files = pipeline.render(pipeline.load(content_copy, cache), cache)
    intro = page(files, "en/index.html").select_one(".intro")
    assert intro is not None
    assert not intro.select("script, b, div, [onclick]")
    assert "<script>alert(1)</script>" in intro.get_text()
    assert [a.get("href") for a in intro.select("a")] == [None, "https://example.org"]


@pytest.mark.parametrize("language", ["es", "en"])
def test_each_schedule_links_its_feed(seed_files: Files, language: str) -> None:
    soup = page(seed_files, f"{language}/index.html")
    schedules = soup.select(".schedules .schedule")
    assert [s["id"] for s in schedules] == ["_hours-business", "_hours-always"]
    for schedule in schedules:
        download = schedule.select_one("a.download")
        assert download is not None and download.has_attr("download")
        assert f"{language}/{download['href']}" in seed_files  # the link finds its file
        # Without a base URL, subscribing needs the page's own address: the script fills it in.
        for link in schedule.select("a.subscribe, a.add-to-google"):
            assert link.has_attr("hidden") and link["data-feed"] == download["href"]
    # The inlined script does it, so the page needs no other request.
    assert "a[data-feed][hidden]" in str(soup.select("script:not([type])")[0])


def test_feed_links_with_a_base_url(seed_site: Site, cache: BuildCache) -> None:
    files = pipeline.render(seed_site._replace(base_url="https://example.org/ayuda/"), cache)
    soup = page(files, "es/index.html")
    business = soup.select_one("#_hours-business")
    assert business is not None
    assert business.select_one("a.subscribe")["href"] == "webcal://example.org/ayuda/es/hours/business.ics"  # type: ignore[index]
    google = str(business.select_one("a.add-to-google")["href"])  # type: ignore[index]
    assert (
        google
        == "https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2Fexample.org%2Fayuda%2Fes%2Fhours%2Fbusiness.ics"
    )
    assert not soup.select("a[hidden]")


HTML_PAGES = ("es/index.html", "en/index.html", "index.html", "404.html")


def _sha256(text: str) -> str:
    import base64
    import hashlib

    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


@pytest.mark.parametrize("path", HTML_PAGES)
def test_csp_allows_only_the_hashed_inline_style_and_script(seed_files: Files, path: str) -> None:
    soup = page(seed_files, path)
    meta = soup.select_one('meta[http-equiv="Content-Security-Policy"]')
    assert meta is not None
    policy = dict(part.strip().split(" ", 1) for part in str(meta["content"]).split(";"))
    assert policy["default-src"] == "'none'" and policy["img-src"] == "'self'"
    assert policy["connect-src"] == "'self'"  # robots.txt, for audits run inside the page
    assert policy["base-uri"] == "'none'" and policy["form-action"] == "'none'"
    styles = soup.select("style")
    # The inline stylesheet by its hash, and the site's own print stylesheet file.
    assert len(styles) == 1 and policy["style-src"] == f"{_sha256(styles[0].string or '')} 'self'"
    scripts = [s for s in soup.select("script") if not s.get("type")]
    assert all(policy["script-src"] == _sha256(s.string or "") for s in scripts)
    assert "unsafe" not in str(meta["content"])
    # The policy must come before what it governs.
    assert str(soup).index("Content-Security-Policy") < str(soup).index("<style>")
    assert soup.select_one('meta[name="referrer"]')["content"] == "strict-origin-when-cross-origin"  # type: ignore[index]
    assert not soup.select("[style], [onclick], [onload]")


@pytest.mark.parametrize("path", HTML_PAGES)
def test_no_request_leaves_the_site_and_nothing_blocks_rendering(seed_files: Files, path: str) -> None:
    soup = page(seed_files, path)
    assert not soup.select('link[rel="stylesheet"]:not([media="print"]), script[src]')
    # The print stylesheet alone is a file, and only for print: it never delays rendering.
    for sheet in soup.select('link[rel="stylesheet"]'):
        name = re.sub(r"^(\.\./)?", "", str(sheet["href"]))
        assert re.fullmatch(r"static/print\.[0-9a-f]{10}\.css", name) and name in seed_files
    for element in soup.select("link[href], img[src], script[src], iframe, object, embed, video, audio"):
        url = str(element.get("href") or element.get("src"))
        assert not re.match(r"(https?:)?//", url), url
    assert "@import" not in (soup.style.string or "") and "url(" not in (soup.style.string or "")  # type: ignore[union-attr]


@pytest.mark.parametrize("language", ["es", "en"])
def test_head_has_description_favicon_and_structured_data(seed_files: Files, language: str) -> None:
    soup = page(seed_files, f"{language}/index.html")
    description = soup.select_one('meta[name="description"]')
    assert description is not None and "Certicámara" in str(description["content"])
    icon = soup.select_one('link[rel="icon"]')
    assert icon is not None and icon["type"] == "image/svg+xml"
    assert f"{language}/{icon['href']}".replace(f"{language}/../", "") in seed_files
    assert soup.select_one('script[type="application/ld+json"]') is not None


@pytest.mark.parametrize("language", ["es", "en"])
def test_every_channel_has_a_status_slot_per_availability(seed_files: Files, language: str) -> None:
    soup = page(seed_files, f"{language}/index.html")
    for item in channel_items(soup):
        statuses = item.select(".statuses > li.status")
        assert statuses and item.select_one(".statuses").has_attr("hidden")  # type: ignore[union-attr]
        assert all(not s.has_attr("data-state") for s in statuses)  # the script sets it
    portal = soup.select('[data-channel="portal"] .status')
    assert [s["data-schedule"] for s in portal] == ["always", "business"]
    assert all(s.select_one(".status-label") for s in portal)


def test_the_round_the_clock_channel_stands_out(seed_files: Files) -> None:
    for language, heading in (
        ("es", "Incidentes críticos, día y noche"),
        ("en", "Critical incidents, around the clock"),
    ):
        soup = page(seed_files, f"{language}/index.html")
        assert [li["data-channel"] for li in soup.select(".round-the-clock")] == ["whatsapp-monitoring"]
        urgent = soup.select_one("section.urgent")
        assert urgent is not None and urgent.h2 is not None and urgent.h2.get_text() == heading
        assert urgent.select_one("a.button")["href"] == "https://wa.me/573184872656"  # type: ignore[index]
        assert urgent.select_one('a[href="#whatsapp-monitoring"]') is not None
        # It comes before the channels, which keep their order (WCAG 3.2.6).
        assert str(soup).index('id="_urgent-whatsapp-monitoring"') < str(soup).index('id="_channels-heading"')


@pytest.mark.parametrize("language", ["es", "en"])
def test_qr_images_point_at_built_files(seed_files: Files, language: str) -> None:
    soup = page(seed_files, f"{language}/index.html")
    images = soup.select("figure.qr img")
    assert len(images) == 2 + 3 + 1  # two WhatsApp channels, three contact cards, one contact's WhatsApp
    for image in images:
        src = str(image["src"])
        path = src[3:] if src.startswith("../") else f"{language}/{src}"
        assert path in seed_files and image["loading"] == "lazy" and image["alt"] == ""
        assert image.find_next_sibling("figcaption") is not None


def test_the_404_page_works_at_any_depth(seed_site: Site, seed_files: Files, cache: BuildCache) -> None:
    soup = page(seed_files, "404.html")
    assert [a["href"] for a in soup.select("main a")] == ["/es/", "/en/"]
    assert re.fullmatch(r"/static/favicon\.[0-9a-f]{10}\.svg", soup.select_one('link[rel="icon"]')["href"])  # type: ignore[arg-type, index]
    assert [s["lang"] for s in soup.select("main section")] == ["es", "en"]
    assert soup.select_one('meta[name="robots"]')["content"] == "noindex"  # type: ignore[index]
    files = pipeline.render(seed_site._replace(base_url="https://example.org/ayuda/"), cache)
    hrefs = [a["href"] for a in page(files, "404.html").select("main a")]
    assert hrefs == ["https://example.org/ayuda/es/", "https://example.org/ayuda/en/"]


INFORMATION = """\
  - id: new-portal-address
    kind: information
    starts: 2026-11-29T08:00
    ends: 2027-01-31T23:59
    title: {es: El portal cambia de dirección, en: The portal has a new address}
    body:
      es: Desde el 1 de diciembre el portal de autogestión está en una nueva dirección. Los enlaces de esta página ya la usan.
      en: From 1 December the self-service portal lives at a new address. The links on this page already use it.
"""


@pytest.mark.parametrize("variant", ["seed", "holidays-and-base-url", "holidays-base-url-and-three-notices"])
def test_pages_fit_the_one_round_trip_budget(
    content_copy: Path, tmp_path: Path, variant: str, cache: BuildCache
) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("page_budget", ROOT / "benchmarks" / "page_budget.py")
    assert spec is not None and spec.loader is not None
    budget = importlib.util.module_from_spec(spec)
    sys.modules["page_budget"] = budget  # dataclasses look their module up
    spec.loader.exec_module(budget)
    base_url = None
    if variant.endswith("three-notices"):
        # A maintenance, an incident and an information notice, all on the page.
        use_notices(content_copy, NOTICES + INFORMATION)
    if variant != "seed":
        # Closed dates add to the structured data and the open-now data: the heavier case.
        hours = content_copy / "hours.yaml"
        marker = '        closes: "13:00"\n'
        extra = "    closures:\n      holidays: CO\n      dates: [2026-12-24, 2026-12-31]\n"
        hours.write_text(
            hours.read_text(encoding="utf-8").replace(marker, marker + extra, 1), encoding="utf-8"
        )
        base_url = "https://example.org/ayuda/"
    pipeline.build(content_copy, tmp_path / "site", cache, base_url=base_url)
    costs = budget.measure(tmp_path / "site")
    assert {cost.path for cost in costs} == {*HTML_PAGES, "es/embed/index.html", "en/embed/index.html"}
    for cost in costs:
        # 12,000 bytes; 6,000 for the embeddable status pages (tests/test_embed.py).
        assert cost.gzip <= cost.budget, f"{cost.path}: {cost.gzip} bytes gzip"
        assert not cost.blocking, cost.blocking
