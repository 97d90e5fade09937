"""Nothing assumes Spanish and English, or two languages: add a third, or keep one."""

from __future__ import annotations

import datetime
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import feedparser
import icalendar
import recurring_ical_events
import vobject
import yaml
from bs4 import BeautifulSoup
from examples import ROOT, add_language, use_notices
from one_language import catalog

from generator import pipeline
from generator.cache import BuildCache


def translate(value: Any, add: str, source: str) -> Any:
    """Give every per-language text a copy in `add`, marked so it can be found on the page."""
    if isinstance(value, dict):
        if source in value and all(isinstance(text, str) for text in value.values()) and len(value) > 1:
            return {**value, add: f"[{add}] {value[source]}"}
        return {key: translate(item, add, source) for key, item in value.items()}
    if isinstance(value, list):
        return [translate(item, add, source) for item in value]
    return value


def test_a_third_language(content_copy: Path, cache: BuildCache) -> None:
    for name in ("hours.yaml", "channels.yaml", "escalation.yaml", "site.yaml"):
        path = content_copy / name
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        path.write_text(yaml.safe_dump(translate(data, "pt", "en"), allow_unicode=True), encoding="utf-8")
    site_path = content_copy / "site.yaml"
    site = yaml.safe_load(site_path.read_text(encoding="utf-8"))
    site["languages"].append({"code": "pt", "locale": "pt_BR"})
    site["updated"] = "2026-11-29"
    site_path.write_text(yaml.safe_dump(site, allow_unicode=True), encoding="utf-8")
    # The content's own texts only: the interface comes from the generator's Portuguese.
    shutil.copytree(content_copy / "pages" / "en", content_copy / "pages" / "pt")

    files = pipeline.render(pipeline.load(content_copy, cache), cache)
    portuguese = catalog("pt")
    soup = BeautifulSoup(files["pt/index.html"], "html.parser")
    assert soup.html is not None and soup.html["lang"] == "pt"
    assert [link["hreflang"] for link in soup.select('link[rel="alternate"][hreflang]')] == [
        "es",
        "en",
        "pt",
        "x-default",
    ]
    assert soup.select_one('nav.languages a[hreflang="pt"]').get_text() == "Português"  # type: ignore[union-attr]
    assert "[pt] Bogotá customer line" in soup.get_text()
    # The interface is the shipped Portuguese; the day names come from CLDR for pt_BR.
    assert soup.select_one("#_channels-heading").get_text() == portuguese["channels_heading"]  # type: ignore[union-attr]
    assert portuguese["day_range"].format(first="segunda-feira", last="sexta-feira") in soup.get_text()


def test_a_single_language(content_copy: Path, cache: BuildCache) -> None:
    for name in ("hours.yaml", "channels.yaml", "escalation.yaml", "site.yaml"):
        path = content_copy / name
        data = yaml.safe_load(path.read_text(encoding="utf-8"))

        def drop(value: Any) -> Any:
            if isinstance(value, dict):
                return {key: drop(item) for key, item in value.items() if key != "en"}
            if isinstance(value, list):
                return [
                    drop(item) for item in value if not (isinstance(item, dict) and item.get("code") == "en")
                ]
            return value

        path.write_text(yaml.safe_dump(drop(data), allow_unicode=True), encoding="utf-8")
    site_path = content_copy / "site.yaml"
    site_path.write_text(
        site_path.read_text(encoding="utf-8").replace("updated: 2026-11-29", "updated: '2026-11-29'")
    )
    shutil.rmtree(content_copy / "pages" / "en")
    files = pipeline.render(pipeline.load(content_copy, cache), cache)
    assert "en/index.html" not in files
    assert BeautifulSoup(files["es/index.html"], "html.parser").select("[data-channel]")


def test_portuguese_and_arabic_from_the_contents_own_texts(content_copy: Path, tmp_path: Path) -> None:
    """Adding a shipped language takes only the content's texts: `check` finds nothing missing,
    and the build's cards and feeds in Arabic parse like any other language's."""
    use_notices(content_copy)
    add_language(content_copy, "pt", "pt_BR")
    add_language(content_copy, "ar", "ar")
    assert not (content_copy / "strings" / "pt.yaml").exists()
    checked = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "check", "--content", str(content_copy)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr
    assert "4 languages" in checked.stdout

    cache = BuildCache()
    files = pipeline.render(pipeline.load(content_copy, cache), cache)
    arabic = catalog("ar")
    table = yaml.safe_load((ROOT / "tests" / "translations" / "ar.yaml").read_text(encoding="utf-8"))
    page = BeautifulSoup(files["ar/index.html"], "html.parser")
    assert page.html is not None and page.html.get("dir") == "rtl"
    assert page.select_one("#_escalation-heading").get_text() == arabic["escalation_heading"]  # type: ignore[union-attr]

    card = vobject.readOne(files["ar/contacts/orlando-mendez.vcf"].decode("utf-8"))
    level = yaml.safe_load((content_copy / "escalation.yaml").read_text(encoding="utf-8"))["levels"][1]
    assert card.note.value == arabic["card_note"].format(title=level["title"]["ar"], name=level["name"]["ar"])

    feed = icalendar.Calendar.from_ical(files["ar/hours/business.ics"])
    assert str(feed["X-WR-CALNAME"]) == arabic["calendar_name"].format(
        schedule=table["Service hours"], organisation="Certicámara"
    )
    week = recurring_ical_events.of(feed).between(datetime.date(2026, 12, 7), datetime.date(2026, 12, 12))
    assert len(week) == 5 and {str(event["SUMMARY"]) for event in week} == {
        arabic["event_summary"].format(organisation="Certicámara", schedule=table["Service hours"])
    }

    atom = feedparser.parse(files["ar/notices.atom"])
    assert atom.feed.language == "ar" and not atom.bozo
    assert atom.feed.title == arabic["notices_feed_title"].format(organisation="Certicámara")
    assert [entry.title for entry in atom.entries][-1] == table["Portal maintenance"]
