"""The interface strings the generator ships: complete in every language, chosen by locale,
overridden key by key, and no language's words on another language's pages, cards or feeds."""

from __future__ import annotations

import io
import string
from pathlib import Path

import feedparser
import icalendar
import pytest
import vobject
import yaml
from bs4 import BeautifulSoup
from one_language import SHIPPED, catalog, leaks, pieces, single_language_content

from generator import pipeline
from generator.cache import BuildCache
from generator.content import ui_strings
from generator.content.errors import ContentErrors
from generator.content.reader import CATALOG
from generator.content.schema import Context
from generator.content.ui_strings import CATALOGS, UI_STRINGS, shipped_catalog
from generator.content.yamlsource import load_yaml
from generator.outputs import Files

# The ten; more are welcome, never fewer.
REQUIRED = {"es", "en", "pt", "fr", "de", "it", "ca", "nl", "pl", "ar"}


def test_the_ten_languages_are_shipped() -> None:
    assert set(SHIPPED) >= REQUIRED


@pytest.mark.parametrize("code", SHIPPED)
def test_a_catalog_has_every_key_with_exactly_its_placeholders(code: str) -> None:
    texts = catalog(code)
    assert set(texts) == set(UI_STRINGS), f"{code}: keys differ from UI_STRINGS"
    for key, text in texts.items():
        assert isinstance(text, str) and text.strip(), f"{code}.{key} is empty"
        found = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
        assert found == set(UI_STRINGS[key].placeholders), f"{code}.{key}: {found}"
    # And the generator's own reader accepts it as a complete catalog.
    document = load_yaml(CATALOGS / f"{code}.yaml", f"{code}.yaml")
    ctx = Context(document, (code,))
    assert CATALOG.parse(document.data, (), ctx) is not None and not ctx.errors, ctx.errors


def test_a_regional_locale_falls_back_to_its_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert shipped_catalog("pt_BR") == CATALOGS / "pt.yaml"
    assert shipped_catalog("es_CO") == CATALOGS / "es.yaml"
    assert shipped_catalog("pt-br") == CATALOGS / "pt.yaml"
    assert shipped_catalog("cy") is None
    # A regional catalog, when shipped, wins over its language's; a script's over its language's.
    for name in ("pt", "pt_PT", "zh", "zh_Hant"):
        (tmp_path / f"{name}.yaml").write_text("{}", encoding="utf-8")
    monkeypatch.setattr(ui_strings, "CATALOGS", tmp_path)
    assert shipped_catalog("pt_PT") == tmp_path / "pt_PT.yaml"
    assert shipped_catalog("pt_BR") == tmp_path / "pt.yaml"
    assert shipped_catalog("zh_Hant_TW") == tmp_path / "zh_Hant.yaml"
    assert shipped_catalog("zh_Hans_CN") == tmp_path / "zh.yaml"


def test_the_seeds_strings_are_overrides_only() -> None:
    """The seed's strings folder shows how overriding works: only keys that differ."""
    overrides = yaml.safe_load((ROOT_CONTENT / "strings" / "es.yaml").read_text(encoding="utf-8"))
    assert overrides and all(overrides[key] != catalog("es")[key] for key in overrides)
    assert not (ROOT_CONTENT / "strings" / "en.yaml").exists()


ROOT_CONTENT = Path(__file__).resolve().parent.parent / "content"


def test_an_override_of_one_key(content_copy: Path, cache: BuildCache) -> None:
    (content_copy / "strings" / "en.yaml").write_text("status_open: Open right now\n", encoding="utf-8")
    site = pipeline.load(content_copy, cache)
    assert site.strings["en"]["status_open"] == "Open right now"
    assert site.strings["en"]["status_closed"] == catalog("en")["status_closed"]
    # The seed's Colombian overrides over the shipped Spanish.
    assert site.strings["es"]["mobile"] == "Celular"
    assert catalog("es")["mobile"] == "Móvil"
    page = BeautifulSoup(pipeline.render(site, cache)["es/index.html"], "html.parser")
    labels = [label.get_text() for label in page.select(".link-label")]
    assert "Celular y WhatsApp:" in labels and "Móvil y WhatsApp:" not in labels


def test_a_language_not_shipped_needs_every_key(content_copy: Path, edit: object) -> None:
    site_file = content_copy / "site.yaml"
    site_file.write_text(
        site_file.read_text(encoding="utf-8").replace("    locale: en\n", "    locale: cy\n"),
        encoding="utf-8",
    )
    with pytest.raises(ContentErrors) as raised:
        pipeline.load(content_copy, BuildCache())
    (error,) = raised.value.errors
    assert error.file.endswith("strings/en.yaml") and "ships no interface strings for 'cy'" in error.message
    # With every key, it builds, in its own words.
    english = {**catalog("en"), "status_open": "Ar agor"}
    (content_copy / "strings" / "en.yaml").write_text(yaml.safe_dump(english), encoding="utf-8")
    assert pipeline.load(content_copy, BuildCache()).strings["en"]["status_open"] == "Ar agor"


def test_the_languages_really_differ() -> None:
    """The leak check compares languages that say things differently: every pair of shipped
    catalogs differs in most of its keys."""
    for first in SHIPPED:
        for second in SHIPPED:
            if first < second:
                same = [key for key, text in catalog(first).items() if catalog(second)[key] == text]
                assert len(same) < len(catalog(first)) // 4, (first, second, same)


# --- no language's words on another's pages -----------------------------------------------------


def test_the_leak_check_finds_a_leak() -> None:
    """The check below can fail: English's "Open now" is found on a Portuguese text."""
    assert "Open now" in leaks("Canais · Open now · fecha às 19:00", "pt")
    assert not leaks("Canais · " + catalog("pt")["status_open"], "pt")
    assert pieces('"{label} ({dates}): {hours}"') == []


def visible_texts(files: Files, code: str) -> dict[str, str]:
    """What a reader of each output in `code` reads: the pages' text and attributes, the cards'
    notes and categories, the calendars' names and events, the Atom feed's titles and content."""
    texts: dict[str, str] = {}
    for path in (f"{code}/index.html", "index.html", "404.html"):
        soup = BeautifulSoup(files[path], "html.parser")
        attributes = [
            str(value)
            for tag in soup.find_all(True)
            for name, value in tag.attrs.items()
            if name in ("aria-label", "title", "alt", "content")
        ]
        texts[path] = "\n".join([soup.get_text("\n"), *attributes])
    for path, data in files.items():
        if path.endswith(".vcf"):
            for card in vobject.readComponents(io.StringIO(data.decode("utf-8"))):
                said = [card.contents[key][0].value for key in ("note", "categories") if key in card.contents]
                texts[path] = "\n".join(str(value) for value in said)
        elif path.endswith(".ics"):
            calendar = icalendar.Calendar.from_ical(data)
            said = [str(calendar.get(key, "")) for key in ("X-WR-CALNAME", "X-WR-CALDESC", "NAME")]
            for event in calendar.walk("VEVENT"):
                said += [str(event.get("SUMMARY", "")), str(event.get("DESCRIPTION", ""))]
            texts[path] = "\n".join(said)
        elif path.endswith(".atom"):
            feed = feedparser.parse(data)
            said = [feed.feed.get("title", ""), feed.feed.get("subtitle", "")]
            for entry in feed.entries:
                said += [entry.title, *(content.value for content in entry.get("content", []))]
            texts[path] = "\n".join(said)
    return texts


@pytest.mark.parametrize("code", SHIPPED)
def test_no_other_languages_words_in_a_shipped_language(code: str, tmp_path: Path) -> None:
    cache = BuildCache()
    files = pipeline.render(pipeline.load(single_language_content(tmp_path, code), cache), cache)
    texts = visible_texts(files, code)
    assert any(path.endswith(".vcf") for path in texts) and any(path.endswith(".atom") for path in texts)
    assert any(path.endswith(".ics") for path in texts)
    found = {path: leaks(text, code) for path, text in texts.items()}
    assert not {path: pieces for path, pieces in found.items() if pieces}
    # The interface is there, in this language: the leak check read real text.
    page = texts[f"{code}/index.html"]
    for key in ("channels_heading", "escalation_heading", "notices_heading", "special_days"):
        assert catalog(code)[key] in page
