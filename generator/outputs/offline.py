"""The site where clients are when the network is not: an offline worker and a web app manifest.

The worker (templates/assets/sw.js, published as `sw.js` at the site's root, so that its scope is
the site's base path) keeps what a client with an outage needs, after one visit:

- every language's page, and the root page;
- each language's help desk card and escalation bundle, its calendars and its notices calendar;
- the fingerprinted files those pages show: the favicon, the logo, the app icons, the channels'
  QR codes;
- the contacts' own cards and QR codes only while there are at most KEEP_EVERY_CONTACT_UP_TO
  contacts: the bundle already holds every contact, and a desk of thousands would otherwise make
  each first visit download thousands of files. Above that they are kept once visited.

The list is written into the worker with a version made from the content of what it keeps, so a
build that changes any kept file publishes a changed worker, which browsers install in place of
the old one, dropping its cache. `offline: false` in site.yaml publishes a worker that retires
itself instead (templates/assets/sw-retire.js), and pages no longer register one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path

from generator.outputs import Files, branding, calendars, cards, notices, qr
from generator.outputs.context import RenderContext

WORKER = "sw.js"
MANIFEST = "manifest.webmanifest"
KEEP_EVERY_CONTACT_UP_TO = 50
# The generator's own header colour (templates/assets/style.css) when the site has no brand.
THEME = "#0b3d5c"


def kept_paths(ctx: RenderContext, published: Mapping[str, str]) -> frozenset[str]:
    """The published paths the worker keeps (see the module's docstring for the rule)."""
    site = ctx.site
    contacts = [level for level in site.levels if level.contact is not None]
    every_contact = len(contacts) <= KEEP_EVERY_CONTACT_UP_TO
    paths = {"index.html", MANIFEST}
    for language in site.languages:
        paths |= {
            f"{language.code}/index.html",
            cards.organisation_card_path(language),
            cards.bundle_path(language),
            notices.ics_path(language),
            *(calendars.calendar_path(schedule, language) for schedule in site.schedules),
        }
        if every_contact:
            paths |= {cards.card_path(level, language, ctx) for level in contacts}
    kept_assets = (
        ("static/", qr.WHATSAPP_PREFIX, qr.CONTACT_PREFIX)
        if every_contact
        else ("static/", qr.WHATSAPP_PREFIX)
    )
    return frozenset(paths | {name for plain, name in published.items() if plain.startswith(kept_assets)})


def digests(kept: frozenset[str], files: Files) -> dict[str, str]:
    """The SHA-256 of each kept file among `files`: what the worker's version is made from."""
    return {path: hashlib.sha256(data).hexdigest() for path, data in files.items() if path in kept}


def render_worker(ctx: RenderContext, templates: Path, kept_digests: Mapping[str, str]) -> Files:
    """`sw.js`: the offline worker with its list and version, or the retiring one."""
    assets = templates / "assets"
    if not ctx.site.offline:
        return {WORKER: (assets / "sw-retire.js").read_bytes()}
    listed = sorted(kept_digests)
    version = hashlib.sha256(json.dumps(sorted(kept_digests.items())).encode()).hexdigest()[:16]
    # Addresses relative to the worker's own: the page of a language is kept as its folder.
    addresses = [_address(path) for path in listed]
    head = f"var VERSION = {json.dumps(version)};\nvar PRECACHE = {json.dumps(addresses, indent=0)};\n"
    return {WORKER: (head + (assets / "sw.js").read_text(encoding="utf-8")).encode()}


def _address(path: str) -> str:
    """`es/index.html` → `es/`, `index.html` → `./`: the address a visitor opens."""
    if path == "index.html":
        return "./"
    return path.removesuffix("index.html")


def worker_address(relative: str, ctx: RenderContext) -> str | None:
    """What a page at `relative` to the root registers, or None when the site is not offline."""
    return f"{relative}{WORKER}" if ctx.site.offline else None


def render_manifest(ctx: RenderContext, published: Mapping[str, str]) -> Files:
    """The web app manifest: the help desk installable as an app, opening on its default page.

    Addresses are relative to the manifest, at the site's root, so they follow the base path."""
    site = ctx.site
    default = site.default_language
    wording = ctx.wordings[default.code]
    icons = [{"src": published[branding.FAVICON], "sizes": "any", "type": "image/svg+xml"}]
    icons += [
        {"src": published[path], "sizes": f"{size}x{size}", "type": "image/png"}
        for size, path in branding.ICONS.items()
        if path in published
    ]
    manifest = {
        "id": "./",
        "name": f"{site.title[default.code]} · {site.organisation}",
        "short_name": site.organisation,
        "description": site.strings[default.code]["description"].format(organisation=site.organisation),
        "lang": default.code,
        "dir": wording.direction,
        "start_url": f"{default.code}/",
        "scope": "./",
        "display": "standalone",
        "theme_color": theme_colour(ctx),
        "background_color": "#ffffff",
        "icons": icons,
    }
    return {MANIFEST: (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode()}


def theme_colour(ctx: RenderContext) -> str:
    """The header's colour, for the browser's own bar and the installed app's title bar."""
    return ctx.palette.header if ctx.palette else THEME
