"""The schedules docs/content.md shows as examples, used as test content: what the docs promise is
what the tests build.

`use_example(content, title)` replaces the seed's business schedule (which every business-hours
channel names) with the example headed `### Example: <title>`, keeping the id `business`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "content.md"
CHRISTMAS = "Christmas in Bogotá"
SUMMER = "summer hours in Madrid"


def example(title: str) -> str:
    """The YAML of the schedule under the docs' heading `### Example: <title>`."""
    text = DOCS.read_text(encoding="utf-8")
    match = re.search(rf"### Example: {re.escape(title)}\n.*?```yaml\n(.*?)```", text, re.DOTALL)
    assert match, f"docs/content.md has no example {title!r}"
    return match.group(1)


def use_example(content: Path, title: str) -> None:
    """Make the content folder's business schedule the docs' example."""
    schedule = re.sub(r"(?m)^  - id: [a-z-]+$", "  - id: business", example(title), count=1)
    path = content / "hours.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  - id: business\n")
    end = text.index("  - id: always\n")
    path.write_text(text[:start] + schedule + "\n" + text[end:], encoding="utf-8")


# Notices for tests: a maintenance of the portal and an incident on the Bogotá line, in the
# site's zone (America/Bogota), and a maintenance across the night Madrid's clocks go back.
NOTICES = """\
notices:
  - id: portal-maintenance-2026-12
    kind: maintenance
    posted: 2026-12-01T10:00
    starts: 2026-12-12T22:00
    ends: 2026-12-13T04:00
    title: {es: Mantenimiento del portal, en: Portal maintenance}
    body:
      es: El portal no estará disponible mientras actualizamos la plataforma.
      en: The portal will be unavailable while we upgrade the platform.
    affects:
      - channel: portal
        effect: unavailable
        alternatives: [phone-bogota, email]
  - id: phone-outage-2026-12-02
    kind: incident
    starts: 2026-12-02T09:10
    title: {es: Fallas en la línea de Bogotá, en: Problems with the Bogotá line}
    body: {es: Algunas llamadas no entran., en: Some calls do not get through.}
    affects:
      - channel: phone-bogota
        effect: degraded
        alternatives: [phone-toll-free, whatsapp-corporate]
    updates:
      - at: 2026-12-02T09:20
        status: investigating
        text: {es: Estamos revisando con el operador., en: We are looking into it with the carrier.}
      - at: 2026-12-02T11:05
        status: resolved
        text: {es: Las llamadas entran con normalidad., en: Calls get through again.}
"""

MADRID_NOTICES = """\
notices:
  - id: portal-migration-2027-10
    kind: maintenance
    posted: 2027-10-20T10:00
    starts: 2027-10-30T23:00
    ends: 2027-10-31T04:00          # after the clocks go back from 03:00 to 02:00
    title: {es: Migración del portal, en: Portal migration}
    body: {es: El portal no estará disponible., en: The portal will be unavailable.}
    affects:
      - channel: portal
        effect: unavailable
        alternatives: [email]
"""


def use_notices(content: Path, text: str = NOTICES) -> None:
    """Give the content folder a notices.yaml."""
    (content / "notices.yaml").write_text(text, encoding="utf-8")


def in_madrid(content: Path) -> None:
    """Make the site's zone Madrid's, where the clocks change."""
    path = content / "site.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("timezone: America/Bogota", "timezone: Europe/Madrid"), encoding="utf-8")


DATA_FILES = ("site.yaml", "hours.yaml", "channels.yaml", "escalation.yaml", "notices.yaml")
Texts = dict[str, str]


def rewrite_texts(
    content: Path,
    change: Callable[[Texts], Texts],
    languages: Callable[[list[Texts]], list[Texts]],
) -> None:
    """Pass every per-language text of the content's data files (a mapping with es and en) through
    `change`, and the site's list of languages through `languages`."""

    def rewrite(value: Any) -> Any:
        if isinstance(value, dict):
            if {"es", "en"} <= set(value) and all(isinstance(text, str) for text in value.values()):
                return change(value)
            return {key: rewrite(item) for key, item in value.items()}
        if isinstance(value, list):
            return [rewrite(item) for item in value]
        return value

    for name in DATA_FILES:
        path = content / name
        if not path.is_file():
            continue
        data = rewrite(yaml.safe_load(path.read_text(encoding="utf-8")))
        if name == "site.yaml":
            data["languages"] = languages(data["languages"])
            data["updated"] = str(data["updated"])
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


TRANSLATIONS = ROOT / "tests" / "translations"


def add_language(content: Path, code: str, locale: str, *, first: bool = False) -> None:
    """Add a language to the content with its own texts only (no interface strings): translated
    from English by tests/translations/<code>.yaml, or, without one, English marked "[code]"."""
    table_path = TRANSLATIONS / f"{code}.yaml"
    table: dict[str, str] = (
        yaml.safe_load(table_path.read_text(encoding="utf-8")) if table_path.is_file() else {}
    )

    def translated(english: str) -> str:
        return table[english] if table else f"[{code}] {english}"

    def insert(languages: list[dict[str, str]]) -> list[dict[str, str]]:
        added = {"code": code, "locale": locale}
        return [added, *languages] if first else [*languages, added]

    rewrite_texts(content, lambda text: {**text, code: translated(text["en"])}, insert)
    (content / "pages" / code).mkdir()
    for page in (content / "pages" / "en").iterdir():
        key = f"pages/{page.name}"
        text = table[key] if table else f"[{code}] " + page.read_text(encoding="utf-8")
        (content / "pages" / code / page.name).write_text(text, encoding="utf-8")


BRAND = Path(__file__).resolve().parent / "brand"


def add_brand(content: Path, brand_yaml: str, files: dict[str, bytes] | None = None) -> None:
    """Append a `brand:` block to the content's site.yaml and lay `files` into the folder."""
    site = content / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8") + brand_yaml, encoding="utf-8")
    for name, data in (files or {}).items():
        (content / name).parent.mkdir(parents=True, exist_ok=True)
        (content / name).write_bytes(data)
