"""The committed JSON Schemas are current, and the content validates against them."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest
import yaml

from generator.content.schema_export import content_schemas, schema_bytes

ROOT = Path(__file__).resolve().parent.parent
FILES = {
    "site.yaml": "site.schema.json",
    "hours.yaml": "hours.schema.json",
    "channels.yaml": "channels.schema.json",
    "escalation.yaml": "escalation.schema.json",
    "strings/es.yaml": "strings.schema.json",
}


@pytest.mark.parametrize(("name", "schema"), content_schemas().items())
def test_committed_schema_is_up_to_date(name: str, schema: dict[str, object]) -> None:
    committed = ROOT / "schema" / name
    assert committed.read_bytes() == schema_bytes(schema), "run `make schema` and commit schema/"
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize(("content", "schema_name"), FILES.items())
def test_content_validates_against_its_schema(content: str, schema_name: str) -> None:
    path = ROOT / "content" / content
    text = path.read_text(encoding="utf-8")
    depth = content.count("/")
    assert (
        text.splitlines()[0] == f"# yaml-language-server: $schema={'../' * (depth + 1)}schema/{schema_name}"
    )
    # yaml-language-server reads YAML 1.2, where dates stay text; PyYAML's 1.1 reader does not.
    data = yaml.load(text, Loader=_Yaml12Loader)
    schema = content_schemas()[schema_name]
    jsonschema.Draft202012Validator(schema).validate(data)


def test_the_schema_catches_a_typo() -> None:
    schema = content_schemas()["hours.schema.json"]
    bad = {"schedules": [{"id": "x", "name": {"es": "x"}, "wekly": []}]}
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(bad))
    assert any("'wekly' was unexpected" in error.message for error in errors)


class _Yaml12Loader(yaml.SafeLoader):
    pass


_Yaml12Loader.yaml_implicit_resolvers = {
    key: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
