"""Assets carry a content hash in their names; pages link those names; feeds and cards keep theirs."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

from generator import pipeline
from generator.cache import BuildCache
from generator.content.model import Site
from generator.outputs import Files
from generator.outputs.fingerprint import fingerprint, fingerprinted

HASHED = re.compile(r".*\.[0-9a-f]{10}\.[a-z]+")


def test_the_hash_goes_before_the_suffix_and_follows_the_bytes() -> None:
    assert fingerprinted("static/favicon.svg", b"a") == "static/favicon.ca978112ca.svg"
    assert fingerprinted("es/contacts/ana.qr.svg", b"a") == "es/contacts/ana.qr.ca978112ca.svg"
    assert fingerprinted("static/favicon.svg", b"b") != fingerprinted("static/favicon.svg", b"a")
    files, names = fingerprint({"static/x.svg": b"a"})
    assert files == {"static/x.ca978112ca.svg": b"a"} and names == {"static/x.svg": "static/x.ca978112ca.svg"}


def test_every_image_and_icon_the_pages_load_is_fingerprinted_and_exists(seed_files: Files) -> None:
    for page in ("es/index.html", "en/index.html", "index.html"):
        soup = BeautifulSoup(seed_files[page], "html.parser")
        loaded = [str(tag["src"]) for tag in soup.select("img[src]")] + [
            str(tag["href"]) for tag in soup.select('link[rel="icon"]')
        ]
        assert loaded
        folder = page.rpartition("/")[0]
        for reference in loaded:
            assert HASHED.fullmatch(reference), reference
            path = "/".join(part for part in f"{folder}/{reference}".split("/") if part not in ("", "."))
            while "/../" in f"/{path}":
                path = re.sub(r"(^|/)[^/]+/\.\./", r"\1", path, count=1)
            assert path.removeprefix("../") in seed_files, reference


def test_feeds_and_cards_keep_stable_names(seed_files: Files) -> None:
    assert "es/hours/business.ics" in seed_files
    assert "en/contacts/orlando-mendez.vcf" in seed_files
    assert not [path for path in seed_files if path.endswith((".ics", ".vcf")) and HASHED.fullmatch(path)]


def test_a_changed_asset_gets_a_new_name(seed_site: Site, seed_files: Files, cache: BuildCache) -> None:
    changed = seed_site._replace(levels=seed_site.levels[:3])  # Iván's card and its QR code go
    before = {p for p in seed_files if p.endswith(".svg")}
    after = {p for p in pipeline.render(changed, cache) if p.endswith(".svg")}
    assert not any("ivan-rodriguez" in p for p in after)
    assert before - after == {p for p in before if "ivan-rodriguez" in p}
