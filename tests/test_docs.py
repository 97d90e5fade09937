"""docs/content.md documents every key the content format accepts."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.content import formats
from generator.content.schema import ListOf, OneOf, Record, Spec

DOCS = (Path(__file__).resolve().parent.parent / "docs" / "content.md").read_text(encoding="utf-8")


def records(spec: Spec) -> list[Record]:
    if isinstance(spec, Record):
        return [spec, *(r for field in spec.fields.values() for r in records(field.spec))]
    if isinstance(spec, ListOf):
        return records(spec.item)
    if isinstance(spec, OneOf):
        return [r for _, option in spec.options for r in records(option)]
    return []


ALL = [
    formats.SITE,
    formats.HOURS,
    formats.CHANNELS,
    formats.ESCALATION,
]
KEYS = sorted({key for root in ALL for record in records(root) for key in record.fields})


@pytest.mark.parametrize("key", KEYS)
def test_every_key_is_documented(key: str) -> None:
    assert f"`{key}`" in DOCS
