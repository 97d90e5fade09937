"""The embeddable status page, <lang>/embed/, parsed: one compact row per channel, the full page's
links, script and open-now data, its own hashed stylesheet, nothing from elsewhere, and its budget."""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import json
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest
from bs4 import BeautifulSoup, Tag
from examples import add_language

from generator import pipeline
from generator.cache import BuildCache
from generator.content.model import Site
from generator.outputs import Files

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("es", "en")
SEED_CHANNELS = (
    "phone-bogota",
    "phone-toll-free",
    "email",
    "whatsapp-monitoring",
    "whatsapp-corporate",
    "portal",
)


def soup_of(files: Files, path: str) -> BeautifulSoup:
    return BeautifulSoup(files[path].decode("utf-8"), "html.parser")


def embed(files: Files, language: str) -> BeautifulSoup:
    return soup_of(files, f"{language}/embed/index.html")


def full(files: Files, language: str) -> BeautifulSoup:
    return soup_of(files, f"{language}/index.html")


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def _policy(soup: BeautifulSoup) -> dict[str, str]:
    meta = soup.select_one('meta[http-equiv="Content-Security-Policy"]')
    assert meta is not None
    return dict(part.strip().split(" ", 1) for part in str(meta["content"]).split(";"))


def _rows(soup: BeautifulSoup) -> list[Tag]:
    return soup.select("ul.channels > li[data-channel]")


def test_every_language_has_an_embeddable_page(seed_site: Site, seed_files: Files) -> None:
    for language in seed_site.languages:
        soup = embed(seed_files, language.code)
        assert soup.html is not None and soup.html["lang"] == language.code
        assert soup.title is not None and soup.title.string == full(seed_files, language.code).title.string  # type: ignore[union-attr]


@pytest.mark.parametrize("language", LANGUAGES)
def test_one_row_per_channel_with_its_name_and_the_full_pages_link(seed_files: Files, language: str) -> None:
    page = full(seed_files, language)
    rows = _rows(embed(seed_files, language))
    assert [row["data-channel"] for row in rows] == list(SEED_CHANNELS)
    for row in rows:
        channel = page.select_one(f'[data-channel="{row["data-channel"]}"]')
        assert channel is not None and channel.h3 is not None and row.h2 is not None
        assert row.h2.get_text() == channel.h3.get_text()
        links = row.select("a")
        assert len(links) == 1  # the channel's main action, and nothing else
        main = channel.select_one(".channel-link a")
        assert main is not None
        assert links[0]["href"] == main["href"]
        assert links[0].decode_contents() == main.decode_contents()


@pytest.mark.parametrize("language", LANGUAGES)
def test_calls_and_emails_open_in_the_top_window_web_links_in_a_new_tab(
    seed_files: Files, language: str
) -> None:
    targets = {}
    for row in _rows(embed(seed_files, language)):
        link = row.select_one(".channel-link a")
        assert link is not None
        href = str(link["href"])
        targets[row["data-channel"]] = (href.split(":", 1)[0], link.get("target"), link.get("rel"))
    assert targets == {
        "phone-bogota": ("tel", "_top", None),
        "phone-toll-free": ("tel", "_top", None),
        "email": ("mailto", "_top", None),
        "whatsapp-monitoring": ("https", "_blank", ["noopener"]),
        "whatsapp-corporate": ("https", "_blank", ["noopener"]),
        "portal": ("https", "_blank", ["noopener"]),
    }


def test_a_link_to_the_full_page_in_a_new_tab(seed_site: Site, seed_files: Files, cache: BuildCache) -> None:
    for language in LANGUAGES:
        link = embed(seed_files, language).select_one("h1 a")
        assert link is not None
        # The embed sits one folder below its language's page.
        assert (link["href"], link["target"], link["rel"]) == ("../", "_blank", ["noopener"])
        assert "Certicámara" in link.get_text()
    files = pipeline.render(seed_site._replace(base_url="https://example.org/ayuda/"), cache)
    for language in LANGUAGES:
        link = embed(files, language).select_one("h1 a")
        assert link is not None and link["href"] == f"https://example.org/ayuda/{language}/"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_same_script_and_data_as_the_full_page(seed_files: Files, language: str) -> None:
    page, soup = full(seed_files, language), embed(seed_files, language)
    data = soup.select_one("script#_open-now-data")
    assert data is not None and data["type"] == "application/json"
    assert data.string == page.select_one("script#_open-now-data").string  # type: ignore[union-attr]
    assert json.loads(data.string or "")["schedules"]
    scripts = [s for s in soup.select("script") if not s.get("type")]
    assert len(scripts) == 2
    full_script = next(s for s in page.select("script") if not s.get("type"))
    assert scripts[0].string == full_script.string  # page.js, byte for byte
    assert "postMessage" in (scripts[1].string or "") and '"height"' in (scripts[1].string or "")
    # The script, not the build, says whether a channel is open: the statuses are the full page's
    # slots, hidden and stateless, with the hours in words showing in their place until then.
    for row in _rows(soup):
        channel = page.select_one(f'[data-channel="{row["data-channel"]}"]')
        assert channel is not None
        ours, theirs = row.select_one("ul.statuses"), channel.select_one("ul.statuses")
        assert ours is not None and theirs is not None
        assert ours.has_attr("hidden") and not ours.select("[data-state]")
        assert [(s["data-schedule"], s.decode_contents()) for s in ours.select("li.status")] == [
            (s["data-schedule"], s.decode_contents()) for s in theirs.select("li.status")
        ]
        assert len(row.select("p.hours")) == len(channel.select(".hours > ul > li"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_hours_in_words_stand_in_without_the_script(seed_files: Files, language: str) -> None:
    always = {"es": "24 horas, todos los días", "en": "24 hours a day, every day"}[language]
    saturday = {"es": "sábado, 8:00", "en": "Saturday, 8:00"}[language]
    rows = {row["data-channel"]: row for row in _rows(embed(seed_files, language))}
    assert always in rows["whatsapp-monitoring"].select_one("p.hours").get_text()  # type: ignore[union-attr]
    assert saturday in rows["phone-bogota"].select_one("p.hours").get_text()  # type: ignore[union-attr]
    portal = [p.get_text() for p in rows["portal"].select("p.hours")]
    assert len(portal) == 2 and always in portal[0] and saturday in portal[1]


@pytest.mark.parametrize("language", LANGUAGES)
def test_csp_allows_exactly_its_own_style_and_the_two_scripts(seed_files: Files, language: str) -> None:
    soup = embed(seed_files, language)
    policy = _policy(soup)
    assert policy == {
        "default-src": "'none'",
        "style-src": policy["style-src"],
        "script-src": policy["script-src"],
        "base-uri": "'none'",
        "form-action": "'none'",
    }
    styles = soup.select("style")
    assert len(styles) == 1 and policy["style-src"] == _sha256(styles[0].string or "")
    scripts = [s for s in soup.select("script") if not s.get("type")]
    assert policy["script-src"].split() == [_sha256(s.string or "") for s in scripts]
    # The policy comes before what it governs, and nothing inline escapes it.
    assert str(soup).index("Content-Security-Policy") < str(soup).index("<style>")
    assert not soup.select("[style], [onclick], [onload]")
    assert soup.select_one('meta[name="referrer"]')["content"] == "strict-origin-when-cross-origin"  # type: ignore[index]


@pytest.mark.parametrize("language", LANGUAGES)
def test_its_own_small_stylesheet_not_the_full_one(seed_files: Files, language: str) -> None:
    ours = embed(seed_files, language).style.string or ""  # type: ignore[union-attr]
    theirs = full(seed_files, language).style.string or ""  # type: ignore[union-attr]
    assert "color-scheme: light dark" in ours and "prefers-color-scheme: dark" in ours
    assert len(ours) < len(theirs) / 3
    assert ".site-header" not in ours and ".site-header" in theirs


@pytest.mark.parametrize("language", LANGUAGES)
def test_nothing_from_elsewhere_and_no_link_but_the_channels_and_the_full_page(
    seed_files: Files, language: str
) -> None:
    soup = embed(seed_files, language)
    assert not soup.select("link, img, iframe, object, embed, video, audio, form, script[src], [srcset]")
    channel_links = {str(a["href"]) for a in full(seed_files, language).select(".channel-link a")}
    hrefs = [str(a["href"]) for a in soup.select("[href]")]
    assert set(hrefs) == channel_links | {"../"}
    style = soup.style.string or ""  # type: ignore[union-attr]
    assert "@import" not in style and "url(" not in style
    text = str(soup)
    # No script reads or writes cookies or storage.
    assert not re.search(r"cookie|localStorage|sessionStorage|indexedDB", text, re.IGNORECASE)


def test_not_for_search_engines_and_not_in_the_sitemap(seed_site: Site, cache: BuildCache) -> None:
    files = pipeline.render(seed_site._replace(base_url="https://example.org/ayuda/"), cache)
    for language in LANGUAGES:
        soup = embed(files, language)
        assert soup.select_one('meta[name="robots"]')["content"] == "noindex"  # type: ignore[index]
        assert soup.select_one('link[rel="canonical"]') is None
    assert b"embed" not in files["sitemap.xml"]
    assert b"embed" not in files["robots.txt"]


def test_a_right_to_left_language_says_so(content_copy: Path, cache: BuildCache) -> None:
    add_language(content_copy, "ar", "ar")
    files = pipeline.render(pipeline.load(content_copy, cache), cache)
    soup = embed(files, "ar")
    assert soup.html is not None and soup.html["lang"] == "ar" and soup.html["dir"] == "rtl"
    assert [row["data-channel"] for row in _rows(soup)] == list(SEED_CHANNELS)
    # Numbers and addresses stay left to right inside it, as on the full page.
    assert soup.select_one('[data-channel="phone-bogota"] .channel-link bdi[dir="ltr"]') is not None
    for language in LANGUAGES:
        assert not embed(files, language).html.has_attr("dir")  # type: ignore[union-attr]


def _budget() -> ModuleType:
    spec = importlib.util.spec_from_file_location("page_budget", ROOT / "benchmarks" / "page_budget.py")
    assert spec is not None and spec.loader is not None
    budget = importlib.util.module_from_spec(spec)
    sys.modules["page_budget"] = budget  # dataclasses look their module up
    spec.loader.exec_module(budget)
    return budget


def test_the_seeds_embeddable_pages_fit_their_budget(tmp_path: Path, cache: BuildCache) -> None:
    budget = _budget()
    assert budget.EMBED_BUDGET == 6_000 and budget.BUDGET == 12_000
    assert budget.budget_for("es/embed/index.html") == 6_000
    assert budget.budget_for("es/index.html") == budget.budget_for("404.html") == 12_000
    pipeline.build(ROOT / "content", tmp_path / "site", cache)
    costs = {cost.path: cost for cost in budget.measure(tmp_path / "site")}
    for language in LANGUAGES:
        cost = costs[f"{language}/embed/index.html"]
        assert cost.budget == 6_000
        assert cost.gzip <= cost.budget, f"{cost.path}: {cost.gzip} bytes gzip"
        assert not cost.blocking and cost.ok
