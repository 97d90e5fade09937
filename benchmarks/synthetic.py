"""Synthetic content, valid against the real content format, at any size.

`write_content(folder, channels=N, contacts=M, languages=L, schedules=S)` writes a content folder
with N channels, M escalation contacts (one level each), L languages and S schedules. Texts are
distinct per item and language, phone numbers and emails are valid and unique.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

from generator.content.ui_strings import CATALOGS, shipped_catalog

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ["es_CO", "en", "pt_BR", "fr", "de", "it", "nl", "pl", "sv", "ja"]
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def _code(locale: str) -> str:
    return locale.split("_")[0]


def _text(codes: list[str], label: str) -> dict[str, str]:
    return {code: f"{label} ({code})" for code in codes}


def write_content(folder: Path, *, channels: int, contacts: int, languages: int, schedules: int) -> Path:
    """Write a content folder of the given size; returns it."""
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "strings").mkdir(parents=True)
    locales = LOCALES[:languages]
    codes = [_code(locale) for locale in locales]
    seed = ROOT / "content"
    english_strings = yaml.safe_load((CATALOGS / "en.yaml").read_text(encoding="utf-8"))
    for locale, code in zip(locales, codes, strict=True):
        # A language the generator ships needs no strings file; another needs every key.
        if shipped_catalog(locale) is None:
            (folder / "strings" / f"{code}.yaml").write_text(
                yaml.safe_dump(english_strings, allow_unicode=True), encoding="utf-8"
            )
        shutil.copytree(seed / "pages" / "en", folder / "pages" / code)

    _dump(
        folder / "site.yaml",
        {
            "organisation": "Example Help Desk",
            "title": _text(codes, "Support"),
            "languages": [{"code": _code(locale), "locale": locale} for locale in locales],
            "timezone": "America/Bogota",
            "country": "CO",
            "updated": "2026-11-29",
        },
    )
    schedule_list: list[dict[str, Any]] = [{"id": "always", "name": _text(codes, "Always"), "always": True}]
    for index in range(schedules - 1):
        start = 6 + index % 6
        schedule_list.append(
            {
                "id": f"schedule-{index}",
                "name": _text(codes, f"Hours {index}"),
                "weekly": [
                    {"days": ["mon-fri"], "opens": f"{start:02d}:00", "closes": f"{start + 10:02d}:00"},
                    {"days": ["sat"], "opens": "08:00", "closes": "12:00"},
                ],
                "closures": {"holidays": "CO"},
            }
        )
    _dump(folder / "hours.yaml", {"schedules": schedule_list})

    kinds = ["phone", "email", "whatsapp", "web"]
    channel_list = []
    for index in range(channels):
        kind = kinds[index % 4]
        value = {
            "phone": f"601 {7000000 + index}",
            "email": f"desk{index}@example.org",
            "whatsapp": f"+57 300 {1000000 + index}",
            "web": f"https://example.org/portal/{index}",
        }[kind]
        channel_list.append(
            {
                "id": f"channel-{index}",
                "kind": kind,
                "value": value,
                "name": _text(codes, f"Channel {index}"),
                "description": _text(codes, f"What channel {index} is for"),
                "request_types": "all",
                "availability": [{"schedule": schedule_list[index % schedules]["id"]}],
            }
        )
    _dump(
        folder / "channels.yaml",
        {
            "request_types": [
                {"id": "requests", "name": _text(codes, "Requests")},
                {"id": "incidents", "name": _text(codes, "Incidents")},
            ],
            "channels": channel_list,
        },
    )

    levels = []
    for index in range(contacts):
        levels.append(
            {
                "id": f"level-{index}",
                "title": _text(codes, f"Level {index + 1}"),
                "name": _text(codes, f"Role {index}"),
                "channels": [f"channel-{index % channels}"],
                "contact": {
                    "person": f"Person Number{index}",
                    "emails": [f"person{index}@example.org"],
                    "phones": [{"number": f"310 {1000000 + index}", "whatsapp": index % 2 == 0}],
                },
            }
        )
    _dump(folder / "escalation.yaml", {"levels": levels})
    return folder


def _dump(path: Path, data: dict[str, Any]) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
