"""The offline worker's list and version, the manifest and its icons, and `offline: false`.

tests/browser/test_offline_in_browser.py checks the same in Chromium: offline loads, updates, installability.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from generator import pipeline
from generator.cache import BuildCache
from generator.outputs import offline

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic import write_content  # noqa: E402


def _kept(site: Path) -> list[str]:
    """The addresses the built worker keeps, relative to the site's root."""
    text = (site / offline.WORKER).read_text(encoding="utf-8")
    match = re.search(r"^var PRECACHE = (\[.*?\]);$", text, re.MULTILINE | re.DOTALL)
    assert match, "sw.js has no PRECACHE list"
    addresses: list[str] = json.loads(match.group(1))
    return addresses


def _file(site: Path, address: str) -> Path:
    return site / (address.removeprefix("./") + "index.html" if address.endswith("/") else address)


@pytest.fixture(scope="module")
def seed_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("seed") / "site"
    pipeline.build(ROOT / "content", site, BuildCache())
    return site


def test_the_worker_keeps_the_pages_cards_calendars_and_what_pages_show(seed_site: Path) -> None:
    kept = _kept(seed_site)
    assert all(_file(seed_site, address).is_file() for address in kept)
    for code in ("es", "en"):
        assert {f"{code}/", f"{code}/contacts/help-desk.vcf", f"{code}/contacts/escalation.vcf"} <= set(kept)
        assert {f"{code}/hours/business.ics", f"{code}/hours/always.ics", f"{code}/notices.ics"} <= set(kept)
        # Every image the page shows is kept, so the page is whole offline.
        soup = BeautifulSoup((seed_site / code / "index.html").read_text(encoding="utf-8"), "html.parser")
        shown = {str(tag["src"]).removeprefix("../") for tag in soup.select("img")}
        shown.add(str(soup.select_one("link[rel=icon]")["href"]).removeprefix("../"))  # type: ignore[index]
        assert shown <= set(kept), shown - set(kept)
    assert {"./", "manifest.webmanifest"} <= set(kept)
    # Never what must be live or is for other tools.
    assert not [a for a in kept if a.startswith("data/") or a.endswith((".atom", ".xml", ".txt"))]


def test_a_large_desk_keeps_the_bundle_not_every_contact(tmp_path: Path) -> None:
    content = write_content(tmp_path / "content", channels=3, contacts=60, languages=2, schedules=2)
    site = tmp_path / "site"
    pipeline.build(content, site, BuildCache())
    kept = _kept(site)
    assert len(list((site / "qr").glob("contact-*"))) == 60
    assert not [a for a in kept if "/contacts/" in a and not a.endswith(("help-desk.vcf", "escalation.vcf"))]
    assert not [a for a in kept if a.startswith("qr/contact-")]
    assert len([a for a in kept if a.endswith("escalation.vcf")]) == 2


def test_the_worker_changes_when_a_kept_file_does(tmp_path: Path, seed_site: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    again = tmp_path / "again"
    pipeline.build(content, again, BuildCache())
    assert (again / "sw.js").read_bytes() == (seed_site / "sw.js").read_bytes()
    channels = content / "channels.yaml"
    channels.write_text(
        channels.read_text(encoding="utf-8").replace("Bogotá", "Bogotá D.C.", 1), encoding="utf-8"
    )
    changed = tmp_path / "changed"
    pipeline.build(content, changed, BuildCache())
    version = re.compile(rb'^var VERSION = "([0-9a-f]{16})";$', re.MULTILINE)
    old, new = (version.search((site / "sw.js").read_bytes()) for site in (seed_site, changed))
    assert old and new and old[1] != new[1]
    # The list itself is the same: only the pages changed, not what is kept.
    assert _kept(changed) == _kept(seed_site)


def test_the_manifest_and_its_icons(seed_site: Path) -> None:
    manifest = json.loads((seed_site / offline.MANIFEST).read_text(encoding="utf-8"))
    assert manifest["name"] == "Canales de atención · Certicámara"
    assert (manifest["short_name"], manifest["lang"], manifest["dir"]) == ("Certicámara", "es", "ltr")
    assert (manifest["start_url"], manifest["scope"], manifest["id"]) == ("es/", "./", "./")
    assert (manifest["display"], manifest["theme_color"]) == ("standalone", "#0b3d5c")
    sizes = {}
    for icon in manifest["icons"]:
        data = (seed_site / icon["src"]).read_bytes()
        if icon["type"] == "image/png":
            image = Image.open(io.BytesIO(data))
            assert image.format == "PNG"
            sizes[icon["sizes"]] = image.size
            # Drawn from the favicon: its corner is transparent, its middle the brand's blue.
            assert image.convert("RGBA").getpixel((0, 0))[3] == 0
            assert image.convert("RGB").getpixel((image.width // 8, image.height // 2)) == (11, 61, 92)
        else:
            assert icon == {"src": icon["src"], "sizes": "any", "type": "image/svg+xml"}
            assert icon["src"].startswith("static/favicon.")
    assert sizes == {"192x192": (192, 192), "512x512": (512, 512)}
    page = BeautifulSoup((seed_site / "es" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert page.select_one("link[rel=manifest]")["href"] == "../manifest.webmanifest"  # type: ignore[index]
    assert page.select_one("meta[name=theme-color]")["content"] == "#0b3d5c"  # type: ignore[index]


def test_pages_register_the_worker_and_their_policy_allows_it(seed_site: Path) -> None:
    for page, worker in (
        ("es/index.html", "../sw.js"),
        ("en/index.html", "../sw.js"),
        ("index.html", "sw.js"),
    ):
        soup = BeautifulSoup((seed_site / page).read_text(encoding="utf-8"), "html.parser")
        assert soup.html["data-worker"] == worker  # type: ignore[index]
        policy = soup.select_one('meta[http-equiv="Content-Security-Policy"]')["content"]  # type: ignore[index]
        assert "worker-src 'self'" in policy and "manifest-src 'self'" in policy
        assert "default-src 'none'" in policy
    # The 404 page is served at any depth: it registers nothing.
    soup = BeautifulSoup((seed_site / "404.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.html is not None and not soup.html.has_attr("data-worker")


def test_offline_false_publishes_a_worker_that_retires_itself(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "site.yaml").write_text(
        (content / "site.yaml").read_text(encoding="utf-8") + "offline: false\n", encoding="utf-8"
    )
    site = tmp_path / "site"
    pipeline.build(content, site, BuildCache())
    worker = (site / "sw.js").read_text(encoding="utf-8")
    assert "unregister()" in worker and "PRECACHE" not in worker
    assert worker == (ROOT / "templates" / "assets" / "sw-retire.js").read_text(encoding="utf-8")
    for page in ("es/index.html", "en/index.html", "index.html"):
        soup = BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")
        assert soup.html is not None and not soup.html.has_attr("data-worker")
