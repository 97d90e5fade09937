"""The admin's forms (admin/config.yml) come from the content format and stay current with it, and
what `edit` adds around Decap CMS: the comments kept, the files served, its errors."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import urllib.request
import zipfile
from collections.abc import Iterator
from http import HTTPStatus
from pathlib import Path
from typing import Any

import pytest
import yaml
from test_package import build_wheel

from generator import pipeline
from generator.cache import BuildCache
from generator.content import formats, model
from generator.content.admin_config import (
    ALL_OR_LIST_WIDGET,
    FILES,
    REFERENCES,
    Backend,
    UnsupportedSpec,
    _fields,
    admin_config,
    config_bytes,
    config_for,
    decap_locale,
    main,
    site_languages,
)
from generator.content.errors import ContentErrors
from generator.content.reader import read_content
from generator.content.schema import Bool, Enum, Field, ListOf, OneOf, Record, Spec, Text
from generator.content.ui_strings import PROSE_SLOTS
from generator.content.yamlsource import load_yaml
from generator.edit import DECAP_CMS, DECAP_SERVER, _with_comments, admin_route, keep_comments
from generator.hours import PublicHolidays

ROOT = Path(__file__).resolve().parent.parent
SEED = admin_config(("es", "en"))


def entry(config: dict[str, Any], name: str) -> dict[str, Any]:
    """A file entry of the content collection."""
    (found,) = [file for file in config["collections"][0]["files"] if file["name"] == name]
    return found


def declared(fields: list[dict[str, Any]], name: str) -> dict[str, Any]:
    (found,) = [field for field in fields if field["name"] == name]
    return found


# --- the config follows the spec ---------------------------------------------------------------


def test_the_committed_config_is_current() -> None:
    committed = ROOT / "admin" / "config.yml"
    assert committed.read_bytes() == config_for(ROOT / "content"), (
        "run `make admin` and commit admin/config.yml"
    )


def test_the_committed_config_is_the_seeds_local_setup() -> None:
    config = yaml.safe_load((ROOT / "admin" / "config.yml").read_text(encoding="utf-8"))
    assert config["local_backend"] is True  # decap-server's own default address, port 8081
    assert config["backend"] == {"name": "proxy", "proxy_url": "http://localhost:8081/api/v1"}
    assert config["locale"] == "es"
    assert [file["file"] for file in config["collections"][0]["files"]] == [
        f"content/{name}.yaml" for name, _ in FILES
    ]


def _check_fields(
    fields: list[dict[str, Any]], record: Record, languages: tuple[str, ...], where: str
) -> int:
    """Every key of the record is declared, in order, each with a widget that fits its spec;
    returns how many keys were checked, nested ones included."""
    assert [field["name"] for field in fields] == list(record.fields), where
    checked = 0
    for field in fields:
        spec = record.fields[field["name"]].spec
        checked += 1 + _check_widget(field, spec, languages, f"{where}.{field['name']}")
    return checked


def _check_widget(field: dict[str, Any], spec: Spec, languages: tuple[str, ...], where: str) -> int:
    widget = field["widget"]
    if widget in ("relation", ALL_OR_LIST_WIDGET):
        return 0  # test_references
    if isinstance(spec, Text):
        assert widget == "object", where
        inner = "markdown" if isinstance(spec, formats.MarkdownText) else "string"
        assert [(f["name"], f["widget"]) for f in field["fields"]] == [(code, inner) for code in languages], (
            where
        )
        return 0
    if isinstance(spec, Record):
        assert widget == "object", where
        return _check_fields(field["fields"], spec, languages, where)
    if isinstance(spec, ListOf):
        assert widget == "list", where
        assert field.get("min", 0) == spec.min_items, where
        if isinstance(spec.item, Record):
            return _check_fields(field["fields"], spec.item, languages, f"{where}[]")
        return _check_widget(field["field"], spec.item, languages, f"{where}[]")
    if isinstance(spec, Enum):
        assert (widget, field["options"]) == ("select", list(spec.choices)), where
    elif isinstance(spec, Bool):
        assert (widget, field["required"]) == ("boolean", False), where
    else:
        assert widget == "string", where
    return 0


@pytest.mark.parametrize(("name", "record"), FILES)
def test_every_key_of_each_spec_is_declared(name: str, record: Record) -> None:
    for languages in (("es", "en"), ("pt-br",)):
        config = admin_config(languages)
        checked = _check_fields(entry(config, name)["fields"], record, languages, name)
        assert checked >= len(record.fields)


def test_what_the_brand_and_notices_declare() -> None:
    """Optional records: the brand (all optional) and a notice (a file of its own)."""
    site = entry(SEED, "site")["fields"]
    if "brand" in formats.SITE.fields:
        brand = declared(site, "brand")
        assert brand["widget"] == "object" and brand["required"] is False
    notices = declared(entry(SEED, "notices")["fields"], "notices")
    notice = notices["fields"]
    assert declared(notice, "kind")["options"] == list(model.NOTICE_KINDS)
    starts = declared(notice, "starts")
    assert re.fullmatch(starts["pattern"][0], "2026-12-12T22:00") and not re.fullmatch(
        starts["pattern"][0], "mañana"
    )


def test_references_are_relation_widgets() -> None:
    seen = 0
    for owner, fields in REFERENCES.items():
        for name, reference in fields.items():
            # The named file lists records with an id.
            (record,) = [record for file, record in FILES if file == reference.file]
            listed = record.fields[reference.list_key].spec
            assert (
                isinstance(listed, ListOf) and isinstance(listed.item, Record) and "id" in listed.item.fields
            )
            for field in _declarations(SEED, owner, name):
                seen += 1
                assert field["collection"] == "content"
                assert field["file"] == reference.file
                assert field["value_field"] == f"{reference.list_key}.*.id"
                assert field["search_fields"] == [f"{reference.list_key}.*.id"]
                spec = owner.fields[name].spec
                if spec is formats.Slug:
                    assert field["widget"] == "relation" and "multiple" not in field
                elif isinstance(spec, ListOf):
                    assert field["widget"] == "relation" and field["multiple"] is True
                else:
                    assert isinstance(spec, OneOf)
                    assert (field["widget"], field["all"], field["multiple"]) == (
                        ALL_OR_LIST_WIDGET,
                        "all",
                        True,
                    )
    assert seen == 6


def _declarations(config: dict[str, Any], owner: Record, name: str) -> list[dict[str, Any]]:
    """The declared fields of every place `owner`'s `name` appears in the config."""
    found = []

    def walk(fields: list[dict[str, Any]], record: Record) -> None:
        for field in fields:
            spec = record.fields[field["name"]].spec
            if record is owner and field["name"] == name:
                found.append(field)
            if isinstance(spec, Record):
                walk(field["fields"], spec)
            elif isinstance(spec, ListOf) and isinstance(spec.item, Record):
                walk(field["fields"], spec.item)

    for file, record in FILES:
        walk(entry(config, file)["fields"], record)
    return found


def test_kinds_are_selects_and_times_and_ids_have_patterns() -> None:
    channel = declared(entry(SEED, "channels")["fields"], "channels")["fields"]
    assert declared(channel, "kind") | {"hint": ""} == {
        "name": "kind",
        "label": "kind",
        "widget": "select",
        "required": True,
        "hint": "",
        "options": ["phone", "email", "whatsapp", "web"],
    }
    identifier, message = declared(channel, "id")["pattern"]
    assert "lowercase letters" in message
    assert [bool(re.fullmatch(identifier, text)) for text in ("phone-bogota", "Phone", "a--b", "a-")] == [
        True,
        False,
        False,
        False,
    ]
    interval = declared(declared(entry(SEED, "hours")["fields"], "schedules")["fields"], "weekly")["fields"]
    time, message = declared(interval, "opens")["pattern"]
    assert message == "a time HH:MM"
    accepted = [
        text
        for text in ("07:00", "7:30", "23:59", "24:00", "25:00", "24:30", "7:60", "0700")
        if re.fullmatch(time, text)
    ]
    assert accepted == ["07:00", "7:30", "23:59", "24:00"]
    days = declared(interval, "days")
    assert (
        days["field"]["pattern"][0] == "^(?:(mon|tue|wed|thu|fri|sat|sun)(-(mon|tue|wed|thu|fri|sat|sun))?)$"
    )
    assert days["summary"] == "{{fields.item}}"


def test_markdown_fields_and_pages() -> None:
    channel = declared(entry(SEED, "channels")["fields"], "channels")["fields"]
    details = declared(channel, "details")
    assert details["required"] is False
    assert [(f["name"], f["widget"], f["required"]) for f in details["fields"]] == [
        ("es", "markdown", False),
        ("en", "markdown", False),
    ]
    assert "image" not in details["fields"][0]["buttons"] and details["fields"][0]["editor_components"] == []
    pages = SEED["collections"][1]
    assert pages["format"] == "frontmatter"
    assert [file["file"] for file in pages["files"]] == [
        f"content/pages/{code}/{slot}.md" for slot in PROSE_SLOTS for code in ("es", "en")
    ]
    assert all(file["fields"][0]["widget"] == "markdown" for file in pages["files"])
    # The seed has exactly these pages.
    assert sorted(
        path.relative_to(ROOT).as_posix() for path in (ROOT / "content" / "pages").rglob("*.md")
    ) == sorted(file["file"] for file in pages["files"])


def test_optional_objects_ask_for_nothing() -> None:
    """Decap has no optional object: inside one, the form requires nothing (`check` does), while
    inside a list item, a required key is required."""
    level = declared(entry(SEED, "escalation")["fields"], "levels")["fields"]
    contact = declared(level, "contact")
    assert contact["required"] is False
    assert declared(contact["fields"], "person")["required"] is False
    phone = declared(contact["fields"], "phones")["fields"]
    assert declared(phone, "number")["required"] is True
    assert declared(level, "title")["fields"][0]["required"] is True
    availability = declared(declared(entry(SEED, "channels")["fields"], "channels")["fields"], "availability")
    assert declared(availability["fields"], "label")["fields"][0]["required"] is False


def test_languages_come_from_the_site() -> None:
    assert site_languages(ROOT / "content") == ("es", "en")
    config = admin_config(("pt-br", "en", "cy"))
    title = declared(entry(config, "site")["fields"], "title")
    assert [field["name"] for field in title["fields"]] == ["pt-br", "en", "cy"]
    assert config["locale"] == "pt"
    assert len(config["collections"][1]["files"]) == len(PROSE_SLOTS) * 3
    assert [decap_locale(code) for code in ("es", "en", "cy", "zh-hant", "nb-no", "ar")] == [
        "es",
        "en",
        "en",
        "zh_Hant",
        "nb_no",
        "en",
    ]


def test_a_site_without_languages_gets_an_error_not_a_traceback(tmp_path: Path) -> None:
    with pytest.raises(ContentErrors, match="file is missing"):
        site_languages(tmp_path)
    (tmp_path / "site.yaml").write_text("organisation: X\nlanguages:\n  - code: EN\n", encoding="utf-8")
    with pytest.raises(ContentErrors) as raised:
        site_languages(tmp_path)
    assert raised.value.errors[0].line == 3 and "a language code" in raised.value.errors[0].message
    output = tmp_path / "config.yml"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator.content.admin_config",
            "--content",
            str(tmp_path),
            "--output",
            str(output),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert re.search(r"site\.yaml:3:\d+: languages\[0\]\.code: expected a language code", done.stderr)
    assert not output.exists()


def test_a_new_reference_cannot_become_free_text() -> None:
    record = Record(
        "a thing",
        {"id": Field(formats.Slug, "Its id."), "owner": Field(formats.Slug, "Whose.")},
        lambda v, p, c: v,
    )
    with pytest.raises(UnsupportedSpec, match="'owner' holds ids"):
        _fields(record, ("en",), optional_parent=False)


def test_hosted_backends() -> None:
    github = admin_config(
        ("es",), backend=Backend("github", "help/desk", "main", base_url="https://auth.example.org")
    )
    assert github["backend"] == {
        "name": "github",
        "repo": "help/desk",
        "branch": "main",
        "base_url": "https://auth.example.org",
    }
    assert "local_backend" not in github
    gitlab = admin_config(("es",), backend=Backend("gitlab", "help/desk", app_id="abc123"))
    assert gitlab["backend"] == {
        "name": "gitlab",
        "repo": "help/desk",
        "branch": "main",
        "auth_type": "pkce",
        "app_id": "abc123",
    }
    other_port = admin_config(("es",), backend=Backend(proxy_port=9090))
    assert other_port["local_backend"] == {"url": "http://localhost:9090/api/v1"}
    with pytest.raises(ValueError, match="OWNER/NAME"):
        admin_config(("es",), backend=Backend("github", "desk"))


def test_the_cli_writes_the_config(tmp_path: Path) -> None:
    output = tmp_path / "admin" / "config.yml"
    assert main(["--content", str(ROOT / "content"), "--output", str(output)]) == 0
    assert output.read_bytes() == (ROOT / "admin" / "config.yml").read_bytes()
    assert config_bytes(SEED) == output.read_bytes()


# --- what Decap writes is our content ------------------------------------------------------------


def _nested_records(record: Record) -> Iterator[Record]:
    for field in record.fields.values():
        spec = field.spec.item if isinstance(field.spec, ListOf) else field.spec
        if isinstance(spec, Record):
            yield spec
            yield from _nested_records(spec)


def test_leaving_out_what_an_editor_emptied_means_the_same() -> None:
    """admin/canales.js drops emptied texts, and empty records and lists below the top level,
    before a save. That is safe while no text may be empty (Str refuses empty text) and no
    nested list is required and may be empty: then an empty list means what no list means."""
    required_empty_lists = [
        f"{record.what}.{name}"
        for _, top in FILES
        for record in _nested_records(top)
        for name, field in record.fields.items()
        if field.required and isinstance(field.spec, ListOf) and not field.spec.min_items
    ]
    assert required_empty_lists == []
    script = (ROOT / "admin" / "canales.js").read_text(encoding="utf-8")
    assert 'name: "preSave"' in script and 'entry.get("collection") !== "content"' in script


def test_unquoted_times_and_numbers_read_as_text(tmp_path: Path) -> None:
    """Decap writes `opens: 07:00` and `value: 601 7442727` without quotes (YAML 1.2 needs none);
    our reader takes them as the same text, so the content means what it meant."""
    path = tmp_path / "hours.yaml"
    path.write_text(
        'opens: 07:00\ncloses: 24:00\nnumber: 318 7174937\nquoted: "07:00"\nday: 12-24\n', encoding="utf-8"
    )
    assert load_yaml(path, "hours.yaml").data == {
        "opens": "07:00",
        "closes": "24:00",
        "number": "318 7174937",
        "quoted": "07:00",
        "day": "12-24",
    }
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    for file in content.glob("*.yaml"):
        text = file.read_text(encoding="utf-8")
        file.write_text(re.sub(r'"([0-9+][0-9 :]*)"', r"\1", text), encoding="utf-8")
    assert '"' not in (content / "hours.yaml").read_text(encoding="utf-8")
    holidays = PublicHolidays(BuildCache())
    assert read_content(content, holidays) == read_content(ROOT / "content", holidays)


OLD = """\
# yaml-language-server: $schema=../schema/channels.schema.json
# The help desk's channels.
request_types:
  - id: requests   # inline comments are lost
    name: {es: Requerimientos, en: Requests}

# Channels, in order.
channels:
  - id: one
    value: "601 7442727"

  - id: two
    value: "+57 318 4872656"
# The end.
"""
# The same data as Decap's YAML library writes it: no comments, block style, no quotes needed.
DECAP = """\
request_types:
  - id: requests
    name:
      es: Requerimientos
      en: Requests
channels:
  - id: one
    value: 601 7442727
  - id: two
    value: +57 318 4872656
"""


def test_comments_and_blank_lines_around_top_level_keys_are_kept() -> None:
    kept = keep_comments(OLD, DECAP)
    assert kept == (
        "# yaml-language-server: $schema=../schema/channels.schema.json\n"
        "# The help desk's channels.\n"
        "request_types:\n"
        "  - id: requests\n"
        "    name:\n"
        "      es: Requerimientos\n"
        "      en: Requests\n"
        "\n"
        "# Channels, in order.\n"
        "channels:\n"
        "  - id: one\n"
        "    value: 601 7442727\n"
        "\n"
        "  - id: two\n"
        "    value: +57 318 4872656\n"
        "# The end.\n"
    )
    assert keep_comments(kept, DECAP) == kept  # a second save adds nothing
    assert yaml.safe_load(kept) == yaml.safe_load(DECAP)


def test_comments_of_removed_keys_go_and_other_text_is_left_alone() -> None:
    without_channels = DECAP[: DECAP.index("channels:")]
    assert "# Channels, in order." not in keep_comments(OLD, without_channels)
    assert keep_comments(OLD, without_channels).startswith("# yaml-language-server")
    assert keep_comments(None, DECAP) == DECAP
    assert keep_comments("# only a comment\n", DECAP) == DECAP
    assert keep_comments(OLD, "- a list\n") == "- a list\n"
    assert keep_comments(OLD, "not: [valid") == "not: [valid"
    # A file whose items had no blank lines between them gets none.
    assert keep_comments(DECAP, DECAP) == DECAP


@pytest.mark.parametrize("name", ["site", "hours", "channels", "escalation"])
def test_the_seed_keeps_its_header_lines(name: str) -> None:
    old = (ROOT / "content" / f"{name}.yaml").read_text(encoding="utf-8")
    stripped = "\n".join(line for line in old.split("\n") if not line.startswith("#") and line.strip()) + "\n"
    kept = keep_comments(old, stripped)
    assert kept.split("\n")[0] == f"# yaml-language-server: $schema=../schema/{name}.schema.json"
    # The seed writes its comments at the margin, where they are kept.
    assert [line for line in kept.split("\n") if line.startswith("#")] == [
        line for line in old.split("\n") if line.startswith("#")
    ]


def test_a_save_request_gets_the_comments_from_disk(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "channels.yaml").write_text(OLD, encoding="utf-8")
    (tmp_path / "content" / "pages").mkdir()
    request = {
        "action": "persistEntry",
        "params": {
            "entry": {"path": "content/channels.yaml", "raw": DECAP},
            "dataFiles": [{"path": "content/channels.yaml", "raw": DECAP}],
            "assets": [],
        },
    }
    sent = json.loads(_with_comments(json.dumps(request).encode(), tmp_path))
    assert (
        sent["params"]["entry"]["raw"] == sent["params"]["dataFiles"][0]["raw"] == keep_comments(OLD, DECAP)
    )
    for untouched in (
        {"action": "getEntry", "params": {"path": "content/channels.yaml"}},
        {
            **request,
            "params": {
                **request["params"],
                "entry": {"path": "content/pages/x.md", "raw": "# Title\n"},
                "dataFiles": [],
            },
        },
        {
            **request,
            "params": {
                **request["params"],
                "entry": {"path": "../outside.yaml", "raw": DECAP},
                "dataFiles": [],
            },
        },
    ):
        body = json.dumps(untouched).encode()
        assert _with_comments(body, tmp_path) == body
    assert _with_comments(b"not json", tmp_path) == b"not json"


def test_a_file_the_admin_creates_gets_its_schema_line(tmp_path: Path) -> None:
    """notices.yaml is optional: saved for the first time from the admin, it names its schema as
    the other files do, when the repository has one."""
    (tmp_path / "content").mkdir()
    raw = "notices: []\n"
    request = {"action": "persistEntry", "params": {"entry": {"path": "content/notices.yaml", "raw": raw}}}
    body = json.dumps(request).encode()
    assert _with_comments(body, tmp_path) == body  # no schema/ folder: nothing to name
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "notices.schema.json").write_text("{}", encoding="utf-8")
    sent = json.loads(_with_comments(body, tmp_path))
    assert (
        sent["params"]["entry"]["raw"]
        == "# yaml-language-server: $schema=../schema/notices.schema.json\nnotices: []\n"
    )


# --- what `edit` serves, and when it cannot start -------------------------------------------------


def test_the_admin_route(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "decap-cms.js").write_text("// bundle", encoding="utf-8")
    (dist / "12.decap-cms.js").write_text("// chunk", encoding="utf-8")
    (dist / "a.wasm").write_bytes(b"\0asm")
    (tmp_path / "secret.txt").write_text("no", encoding="utf-8")
    route = admin_route(dist, lambda: b"backend: {}\n")
    status, body, kind = route("/admin/") or (None, b"", "")
    assert (
        status == HTTPStatus.OK
        and b"decap-cms.js" in body
        and b"config.yml" in body
        and kind.startswith("text/html")
    )
    assert b"unpkg" not in body and b"https://" not in body  # never a CDN
    assert route("/admin/config.yml") == (HTTPStatus.OK, b"backend: {}\n", "text/yaml; charset=utf-8")
    assert route("/admin/12.decap-cms.js") == (HTTPStatus.OK, b"// chunk", "text/javascript; charset=utf-8")
    assert route("/admin/a.wasm") == (HTTPStatus.OK, b"\0asm", "application/wasm")
    assert route("/admin/canales.js") is not None
    for outside in (
        "/admin/../secret.txt",
        "/admin/%2e%2e/secret.txt",
        "/admin/..\\secret.txt",
        "/admin/nothing.js",
    ):
        assert route(outside) is None, outside


def test_the_admin_is_not_in_the_built_site(seed_files: dict[str, bytes]) -> None:
    assert not [path for path in seed_files if path.startswith("admin") or "decap" in path]


def test_package_json_pins_what_edit_runs() -> None:
    pinned = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["devDependencies"]
    assert {DECAP_CMS[0]: DECAP_CMS[1], DECAP_SERVER[0]: DECAP_SERVER[1]}.items() <= pinned.items()
    assert DECAP_CMS[1].startswith("3.")
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))["packages"]
    assert lock["node_modules/decap-cms"]["version"] == DECAP_CMS[1]
    assert lock["node_modules/decap-server"]["version"] == DECAP_SERVER[1]


def free_port() -> int:
    """A loopback port free now (for the editor's tests here and in tests/browser/)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def stop_edit(process: subprocess.Popen[str]) -> None:
    """Stop an `edit` as Ctrl-C in its terminal would, and wait for it (it stops decap-server)."""
    process.send_signal(signal.SIGINT)
    try:
        process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()


def default_interrupt() -> None:
    # As in a terminal, Ctrl-C must reach `edit`, even from a test run started in the background.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def require_node() -> None:
    """Node and the npm packages `edit` runs: a skip here, a failure under CI."""
    found = shutil.which("node") and (ROOT / "node_modules" / "decap-server" / "dist" / "index.js").is_file()
    if found:
        return
    if os.environ.get("CI") == "true":
        pytest.fail("Node or the npm packages decap-cms and decap-server are missing; CI must install them")
    pytest.skip("Node or the npm packages decap-cms and decap-server are missing")


def test_edit_says_what_it_needs_when_the_npm_packages_are_missing(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    done = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "edit", "--node-modules", str(tmp_path / "node_modules")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    if shutil.which("node"):
        assert "npm install --save-dev --save-exact decap-cms@3.16.3 decap-server@3.11.3" in done.stderr
    assert "Node.js" in done.stderr


def test_a_build_never_writes_the_admin(tmp_path: Path) -> None:
    pipeline.build(ROOT / "content", tmp_path / "site", BuildCache())
    assert (tmp_path / "site" / "index.html").is_file()
    assert not (tmp_path / "site" / "admin").exists()
    assert not list((tmp_path / "site").rglob("*decap*"))


def test_edit_says_when_its_port_is_taken_or_the_content_cannot_say_its_languages(tmp_path: Path) -> None:
    require_node()
    shutil.copytree(ROOT / "content", tmp_path / "content")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, str(ROOT / "build.py"), "edit", "--port", "0", "--proxy-port", str(port)],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"cannot listen on port {port}" in done.stderr and "--proxy-port" in done.stderr
    (tmp_path / "content" / "site.yaml").write_text("organisation: X\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "edit", "--port", "0", "--proxy-port", str(free_port())],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "content/site.yaml:1:1: missing required key 'languages'" in done.stderr


@pytest.mark.slow
def test_edit_from_the_wheel(tmp_path: Path) -> None:
    """`canales edit` as installed: the page and our widget travel in the wheel, the config is made
    for the folder's own content, and Decap comes from --node-modules."""
    wheel = build_wheel(tmp_path)
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    installed = tmp_path / "installed"
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        archive.extractall(installed)
    assert {"generator/admin/index.html", "generator/admin/canales.js", "generator/edit.py"} <= set(names)
    assert not [name for name in names if name.endswith("config.yml")]  # made for each content folder

    # This checkout's dependencies, the wheel's code, a help desk's folder with one language.
    desk = tmp_path / "desk"
    shutil.copytree(ROOT / "content", desk / "content")
    site = desk / "content" / "site.yaml"
    site.write_text(
        re.sub(r"  - code: en\n    locale: en\n", "", site.read_text(encoding="utf-8")), encoding="utf-8"
    )
    assert site_languages(desk / "content") == ("es",)
    require_node()
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from generator.cli import main; sys.exit(main())",
            "edit",
            "--port",
            "0",
            "--proxy-port",
            str(free_port()),
            "--node-modules",
            str(ROOT / "node_modules"),
        ],
        cwd=desk,
        env={**env, "PYTHONPATH": str(installed)},
        preexec_fn=default_interrupt,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = ""
        for line in process.stdout:
            found = re.search(r"Decap CMS at (http://127\.0\.0\.1:\d+/admin/)", line)
            if found:
                url = found[1]
                break
        assert url, process.stderr.read() if process.stderr else ""
        with urllib.request.urlopen(url) as page:
            assert b"decap-cms.js" in page.read()
        with urllib.request.urlopen(url + "config.yml") as answer:
            config = yaml.safe_load(answer.read())
        title = declared(entry(config, "site")["fields"], "title")
        assert [field["name"] for field in title["fields"]] == ["es"]
        with urllib.request.urlopen(url + "decap-cms.js") as bundle:
            assert len(bundle.read()) > 1_000_000
    finally:
        stop_edit(process)
    assert process.returncode == 0
