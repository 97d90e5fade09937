"""Offline once visited, and installable, in Debian's Chromium.

The site is published under a sub-path (/ayuda/), as behind the nginx recipe or on GitHub Pages,
so the worker's scope must follow it. After one visit, with the network off, every language's
page and the cards and calendars the page links open from the worker's cache; after a rebuild,
the next online load shows the new text (pages are network first), and so does the cache.
"""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from conftest import ROOT, Served, _serve
from PIL import Image

from generator import pipeline
from generator.cache import BuildCache

pytestmark = pytest.mark.browser

NEW_NAME = "Línea de atención en Bogotá (nueva)"


@pytest.fixture
def published(tmp_path: Path) -> Iterator[tuple[Path, Served]]:
    """The seed built into www/ayuda/, and a server for www/; yields the content folder too."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    pipeline.build(content, tmp_path / "www" / "ayuda", BuildCache())
    # Served with the recipes' five-minute caching: a rebuilt page must reach an online visitor
    # even while the browser's HTTP cache still holds the old one.
    for served in _serve(tmp_path / "www", cached=True):
        yield content, served


@dataclass
class Visited:
    """A fresh browser context after one visit to the Spanish page, its worker in control."""

    context: Any
    page: Any
    base: str  # the site's address, under /ayuda/
    errors: list[str]  # console errors since the visit began


@pytest.fixture
def visited(browser: Any, published: tuple[Path, Served]) -> Iterator[Visited]:
    _, served = published
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    base = f"{served.url}ayuda/"
    page.goto(f"{base}es/")
    assert _ready(page) == base
    yield Visited(context, page, base, errors)
    context.close()


def _rebuild_with_new_name(content: Path, www: Path) -> None:
    channels = content / "channels.yaml"
    text = channels.read_text(encoding="utf-8")
    assert "Línea de atención en Bogotá" in text
    channels.write_text(text.replace("Línea de atención en Bogotá", NEW_NAME, 1), encoding="utf-8")
    pipeline.build(content, www / "ayuda", BuildCache())


def _fetch(page: Any, url: str) -> dict[str, Any]:
    """A fetch from inside the page, so that it goes through the page's worker."""
    result: dict[str, Any] = page.evaluate(
        """async (url) => {
            try {
                const response = await fetch(url);
                return {status: response.status, text: await response.text()};
            } catch (error) { return {status: 0, text: String(error)}; }
        }""",
        url,
    )
    return result


def _ready(page: Any) -> str:
    """Wait until a worker controls the page; returns its scope."""
    scope: str = page.evaluate("async () => (await navigator.serviceWorker.ready).scope")
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    return scope


def test_after_one_visit_every_page_card_and_calendar_opens_offline(visited: Visited) -> None:
    context, page, base = visited.context, visited.page, visited.base
    links = page.eval_on_selector_all(
        "main a[href$='.vcf'], main a[href$='.ics']", "links => links.map(link => link.href)"
    )
    links = [link for link in links if link.startswith(base)]  # not webcal: subscriptions
    cards = [link for link in links if link.endswith(".vcf")]
    calendars = sorted({link for link in links if link.endswith(".ics")})
    assert f"{base}es/contacts/help-desk.vcf" in cards and f"{base}es/contacts/escalation.vcf" in cards
    assert f"{base}es/hours/business.ics" in calendars

    context.set_offline(True)
    for language, title in (("es", "Canales de atención"), ("en", "Support channels")):
        response = page.goto(f"{base}{language}/")
        assert response is not None and response.ok
        assert page.locator("h1").inner_text() == title
        assert page.locator("a[href^='tel:']").count() >= 4
        assert page.locator("link[rel=icon]").evaluate("link => link.href").startswith(base)
        page.locator("img").first.evaluate("image => image.decode()")  # the QR codes and icons too
    assert visited.errors == []
    for url in cards:
        fetched = _fetch(page, url)
        assert fetched["status"] == 200 and fetched["text"].startswith("BEGIN:VCARD"), url
    for url in calendars:
        fetched = _fetch(page, url)
        assert fetched["status"] == 200 and fetched["text"].startswith("BEGIN:VCALENDAR"), url
    # Nothing else is kept: the data file for other tools is the network's alone, and it is off.
    assert _fetch(page, f"{base}data/help-desk.json")["status"] == 0


def test_after_a_rebuild_the_next_online_load_shows_the_new_text(
    visited: Visited, published: tuple[Path, Served]
) -> None:
    content, served = published
    context, page, base = visited.context, visited.page, visited.base
    old_worker = (served.root / "ayuda" / "sw.js").read_bytes()
    (old_cache,) = page.evaluate("async () => await caches.keys()")
    assert page.get_by_text(NEW_NAME).count() == 0

    _rebuild_with_new_name(content, served.root)
    assert (served.root / "ayuda" / "sw.js").read_bytes() != old_worker  # a new version to install
    page.goto(f"{base}es/")
    assert page.locator("h3", has_text=NEW_NAME).count() == 1
    # The new worker installs with the new pages, and the old cache goes.
    page.evaluate(
        "async () => { const r = await navigator.serviceWorker.getRegistration(); await r.update(); }"
    )
    page.wait_for_function(
        """async ([old, page]) => {
            const names = await caches.keys();
            if (names.length !== 1 || names[0] === old) return false;
            const kept = await (await caches.open(names[0])).match(page);
            return kept !== undefined && (await kept.text()).includes("(nueva)");
        }""",
        arg=[old_cache, f"{base}es/"],
    )
    context.set_offline(True)
    page.goto(f"{base}es/")
    assert page.locator("h3", has_text=NEW_NAME).count() == 1
    page.goto(f"{base}en/")
    assert page.locator("h1").inner_text() == "Support channels"


def test_the_manifest_parses_and_its_icons_load(visited: Visited) -> None:
    context, page, base = visited.context, visited.page, visited.base
    session = context.new_cdp_session(page)
    manifest = session.send("Page.getAppManifest")
    assert manifest["url"] == f"{base}manifest.webmanifest"
    assert manifest["errors"] == []
    # Playwright's contexts are incognito windows, where Chromium installs nothing: that is the
    # one reason allowed, and one that no site can change.
    reasons = [
        error["errorId"] for error in session.send("Page.getInstallabilityErrors")["installabilityErrors"]
    ]
    assert reasons in ([], ["in-incognito"])
    data = json.loads(manifest["data"])
    assert data["name"] == "Canales de atención · Certicámara" and data["short_name"] == "Certicámara"
    assert (data["start_url"], data["scope"], data["display"]) == ("es/", "./", "standalone")
    assert data["theme_color"] == "#0b3d5c"
    sizes = {}
    for icon in data["icons"]:
        url = urljoin(manifest["url"], icon["src"])
        response = context.request.get(url)
        assert response.ok, url
        if icon["type"] == "image/png":
            sizes[icon["sizes"]] = Image.open(io.BytesIO(response.body())).size
    assert sizes == {"192x192": (192, 192), "512x512": (512, 512)}


def test_offline_false_retires_the_worker(visited: Visited, published: tuple[Path, Served]) -> None:
    content, served = published
    page, base = visited.page, visited.base
    assert page.evaluate("async () => (await caches.keys()).length") == 1

    site = content / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8") + "offline: false\n", encoding="utf-8")
    pipeline.build(content, served.root / "ayuda", BuildCache())
    page.goto(f"{base}es/")
    assert page.locator("html").get_attribute("data-worker") is None
    page.evaluate(
        "async () => { const r = await navigator.serviceWorker.getRegistration(); await r.update(); }"
    )
    page.wait_for_function(
        "async () => (await caches.keys()).length === 0"
        " && (await navigator.serviceWorker.getRegistrations()).length === 0"
    )
