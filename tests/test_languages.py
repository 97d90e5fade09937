"""Nothing assumes Spanish and English, or two languages: add a third, or keep one."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml
from bs4 import BeautifulSoup

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
    shutil.copy(content_copy / "strings" / "en.yaml", content_copy / "strings" / "pt.yaml")
    shutil.copytree(content_copy / "pages" / "en", content_copy / "pages" / "pt")

    files = pipeline.render(pipeline.load(content_copy, cache), cache)
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
    # The day-range pattern was copied from English; the day names come from CLDR for pt_BR.
    assert "segunda-feira to sexta-feira" in soup.get_text()


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
    (content_copy / "strings" / "en.yaml").unlink()
    shutil.rmtree(content_copy / "pages" / "en")
    files = pipeline.render(pipeline.load(content_copy, cache), cache)
    assert "en/index.html" not in files
    assert BeautifulSoup(files["es/index.html"], "html.parser").select("[data-channel]")
