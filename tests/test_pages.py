"""The help pages, parsed: every seed channel, hour and contact, in every language, with working links."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from generator import pipeline
from generator.content.model import Site
from generator.outputs import Files

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
        alternates = {link["hreflang"]: link["href"] for link in soup.select('link[rel="alternate"]')}
        assert alternates == {"es": "../es/", "en": "../en/"}
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
                r"tel:\+?\d+|mailto:[\w.+-]+@[\w.-]+|https://[\w./?=&%-]+|#main|\.\./(es|en)/|[\w/.-]+\.(ics|vcf)|webcal://.+",
                href,
            ), href
            assert anchor.get_text(strip=True), f"empty link text for {href}"


def test_base_url_makes_canonical_and_alternates_absolute(seed_site: Site) -> None:
    from dataclasses import replace

    files = pipeline.render(replace(seed_site, base_url="https://example.org/ayuda/"))
    soup = page(files, "en/index.html")
    canonical = soup.select_one('link[rel="canonical"]')
    assert canonical is not None and canonical["href"] == "https://example.org/ayuda/en/"
    alternates = {link["hreflang"]: link["href"] for link in soup.select('link[rel="alternate"]')}
    assert alternates == {"es": "https://example.org/ayuda/es/", "en": "https://example.org/ayuda/en/"}


def test_markdown_prose_lets_no_html_through(content_copy: Path) -> None:
    (content_copy / "pages" / "en" / "intro.md").write_text(
        'Hello <script>alert(1)</script> <b onclick="x()">bold</b>\n\n<div>block</div>\n\n'
        "[click](javascript:alert(1)) and [ok](https://example.org)\n",
        encoding="utf-8",
    )
    files = pipeline.render(pipeline.load(content_copy))
    intro = page(files, "en/index.html").select_one(".intro")
    assert intro is not None
    assert not intro.select("script, b, div, [onclick]")
    assert "<script>alert(1)</script>" in intro.get_text()
    assert [a.get("href") for a in intro.select("a")] == [None, "https://example.org"]


@pytest.mark.parametrize("language", ["es", "en"])
def test_each_schedule_links_its_feed(seed_files: Files, language: str) -> None:
    soup = page(seed_files, f"{language}/index.html")
    schedules = soup.select(".schedules .schedule")
    assert [s["id"] for s in schedules] == ["hours-business", "hours-always"]
    for schedule in schedules:
        download = schedule.select_one("a.download")
        assert download is not None and download.has_attr("download")
        assert f"{language}/{download['href']}" in seed_files  # the link finds its file
        # Without a base URL, subscribing needs the page's own address: the script fills it in.
        for link in schedule.select("a.subscribe, a.add-to-google"):
            assert link.has_attr("hidden") and link["data-feed"] == download["href"]
    assert soup.select_one('script[src="../static/calendar-links.js"]') is not None


def test_feed_links_with_a_base_url(seed_site: Site) -> None:
    from dataclasses import replace

    files = pipeline.render(replace(seed_site, base_url="https://example.org/ayuda/"))
    soup = page(files, "es/index.html")
    business = soup.select_one("#hours-business")
    assert business is not None
    assert business.select_one("a.subscribe")["href"] == "webcal://example.org/ayuda/es/hours/business.ics"  # type: ignore[index]
    google = str(business.select_one("a.add-to-google")["href"])  # type: ignore[index]
    assert (
        google
        == "https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2Fexample.org%2Fayuda%2Fes%2Fhours%2Fbusiness.ics"
    )
    assert not soup.select("a[hidden]")
    assert not soup.select("script")
