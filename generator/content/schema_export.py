"""JSON Schema (draft 2020-12) for each content file, generated from the specs that validate it.

Editors' tools (yaml-language-server) read these to complete and check as the team types. The
build's own validation stays the authority: it also checks what a schema cannot express, such as
references between files, phone numbers and overlapping hours.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from generator.content import formats
from generator.content.reader import STRINGS
from generator.content.schema import Record

DRAFT = "https://json-schema.org/draft/2020-12/schema"


def _document(name: str, record: Record, title: str) -> dict[str, Any]:
    return {"$schema": DRAFT, "$id": f"{name}.schema.json", **record.json_schema(), "title": title}


def content_schemas() -> dict[str, dict[str, Any]]:
    """Each schema file's name and content."""
    site = formats.SITE
    return {
        "site.schema.json": _document("site", site, "site.yaml: the site's settings"),
        "hours.schema.json": _document("hours", formats.HOURS, "hours.yaml: schedules"),
        "channels.schema.json": _document("channels", formats.CHANNELS, "channels.yaml: channels"),
        "escalation.schema.json": _document("escalation", formats.ESCALATION, "escalation.yaml: levels"),
        "notices.schema.json": _document(
            "notices", formats.NOTICES, "notices.yaml: maintenance and incidents"
        ),
        "strings.schema.json": _document("strings", STRINGS, "strings/<lang>.yaml: interface strings"),
    }


def schema_bytes(schema: dict[str, Any]) -> bytes:
    """A schema as committed: sorted keys are not used, so fields keep the documented order."""
    return (json.dumps(schema, indent=2, ensure_ascii=False) + "\n").encode()


def write_schemas(folder: Path) -> list[Path]:
    """Write every schema into `folder`; returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in content_schemas().items():
        path = folder / name
        path.write_bytes(schema_bytes(schema))
        written.append(path)
    return written


if __name__ == "__main__":
    for written in write_schemas(Path(__file__).resolve().parents[2] / "schema"):
        print(written)
