"""The Decap CMS configuration (admin/config.yml), generated from the specs that validate the content.

Like the JSON Schemas (schema_export.py), the forms come from the content format itself: every key
of every record is declared, so Decap keeps them all and the forms cannot drift from the format.
What a form cannot check (phone numbers, references to ids that do not exist, overlapping hours)
`check` and `serve` still report, as for a file edited by hand.

Decap's own i18n writes a whole entry per locale; our texts are a mapping per field
(`name: {es: ..., en: ...}`), so each text is an `object` with one field per site language, and
the config is generated for a given content folder's languages (content/site.yaml).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from generator.content import formats
from generator.content.errors import ContentError, ContentErrors, display_path
from generator.content.schema import (
    INVALID,
    Bool,
    Context,
    Enum,
    Field,
    ListOf,
    OneOf,
    Record,
    Spec,
    Str,
    Text,
)
from generator.content.ui_strings import PROSE_SLOTS
from generator.content.yamlsource import YamlProblem, load_yaml

DEFAULT_PROXY_PORT = 8081
CONTENT_COLLECTION = "content"
PAGES_COLLECTION = "pages"
# Our widget for `request_types: all`, or a list of ids (admin/canales.js registers it).
ALL_OR_LIST_WIDGET = "canales_all_or_list"

# The data files the admin edits, in the order it lists them; names are the files' stems.
FILES: tuple[tuple[str, Record], ...] = (
    ("site", formats.SITE),
    ("hours", formats.HOURS),
    ("channels", formats.CHANNELS),
    ("escalation", formats.ESCALATION),
    ("notices", formats.NOTICES),
)

# The locales Decap CMS 3.16 ships its own interface in (decap-cms-locales); others get English.
DECAP_LOCALES = (
    "bg", "ca", "cs", "da", "de", "en", "es", "fa", "fr", "gr", "he", "hr", "hu", "it", "ja", "ko", "lt",
    "mk", "nb_no", "nl", "nn_no", "pl", "pt", "ro", "ru", "sk", "sl", "sr_Cyrl", "sv", "th", "tr", "ua",
    "uk", "vi", "zh_Hans", "zh_Hant",
)  # fmt: skip

# The Markdown our pages render: no images (shown as their alt text) and no raw HTML, so the
# editor offers neither; headings, lists, quotes, links and emphasis.
MARKDOWN_BUTTONS = (
    "bold",
    "italic",
    "code",
    "link",
    "heading-two",
    "heading-three",
    "quote",
    "bulleted-list",
    "numbered-list",
)


class Reference(NamedTuple):
    """Where the ids a field names are defined: a file of the admin, and a list of that file."""

    file: str
    list_key: str


# The spec parses a reference as a plain id; which list it names is checked by the reader
# (reader._check_references). Each one here becomes a relation widget; an id field missing from
# this table stops the generator, so a new reference cannot become a free-text field unnoticed.
REFERENCES: dict[Record, dict[str, Reference]] = {
    formats.CHANNEL: {"request_types": Reference("channels", "request_types")},
    formats.AVAILABILITY: {
        "schedule": Reference("hours", "schedules"),
        "request_types": Reference("channels", "request_types"),
    },
    formats.LEVEL: {"channels": Reference("channels", "channels")},
    formats.AFFECTED: {
        "channel": Reference("channels", "channels"),
        "alternatives": Reference("channels", "channels"),
    },
}


class UnsupportedSpec(Exception):
    """A spec the generator has no widget for: extend admin_config, then `make admin`."""


class Backend(NamedTuple):
    """Where the admin saves: the local decap-server proxy, or a hosted Git service."""

    name: str = "local"  # local, github or gitlab
    repo: str = ""  # owner/name on GitHub or GitLab
    branch: str = "main"
    proxy_port: int = DEFAULT_PROXY_PORT
    base_url: str = ""  # GitHub: the OAuth provider that signs editors in
    app_id: str = ""  # GitLab: the OAuth application's id


def site_languages(content: Path) -> tuple[str, ...]:
    """The language codes content/site.yaml gives, in order; ContentErrors when it cannot say."""
    path = content / "site.yaml"
    shown = display_path(path)
    if not path.is_file():
        raise ContentErrors([ContentError(shown, 1, 1, "file is missing")])
    try:
        document = load_yaml(path, shown)
    except YamlProblem as problem:
        raise ContentErrors([problem.error]) from None
    data = document.data
    if not isinstance(data, dict) or "languages" not in data:
        raise ContentErrors([document.at((), "missing required key 'languages' in the site settings")])
    ctx = Context(document, ())
    languages = formats.LANGUAGES.parse(data["languages"], ("languages",), ctx)
    if languages is INVALID or ctx.errors or document.problems:
        raise ContentErrors([*document.problems, *ctx.errors])
    codes = tuple(language.code for language in languages)
    if len(set(codes)) != len(codes):
        raise ContentErrors([document.at(("languages",), "a language is listed twice")])
    return codes


def decap_locale(code: str) -> str:
    """Decap's interface locale for a site language: its own where Decap has it, else English."""
    known = {locale.lower(): locale for locale in DECAP_LOCALES}
    wanted = code.replace("-", "_").lower()
    return known.get(wanted) or known.get(wanted.split("_")[0]) or "en"


def admin_config(
    languages: Sequence[str], *, folder: str = "content", backend: Backend | None = None
) -> dict[str, Any]:
    """The Decap CMS configuration for a content folder with these languages.

    `folder` is the content folder's path from the repository's root (decap-server's
    GIT_REPO_DIRECTORY, or the hosted repository), in POSIX form.
    """
    if not languages:
        raise ValueError("a site has at least one language")
    backend = backend or Backend()
    config: dict[str, Any] = {**_backend(backend), "locale": decap_locale(languages[0])}
    # Decap requires a media folder; no canales form uploads files, so nothing is ever put there.
    config["media_folder"] = f"{folder}/media"
    config["collections"] = [
        {
            "name": CONTENT_COLLECTION,
            "label": "content",
            "description": "The help desk's data: each entry is one YAML file of the content folder.",
            "format": "yaml",
            # Files are the site's own; nothing may be deleted from the admin.
            "delete": False,
            "editor": {"preview": False},
            "files": [
                {
                    "name": name,
                    "label": f"{name}.yaml",
                    "file": f"{folder}/{name}.yaml",
                    "fields": _fields(record, languages, optional_parent=False),
                }
                for name, record in FILES
            ],
        },
        {
            "name": PAGES_COLLECTION,
            "label": "pages",
            "description": "The prose of the page, in Markdown: one file per text and language.",
            # A page is Markdown alone; Decap writes front matter only when there are fields besides
            # the body, and here there are none.
            "format": "frontmatter",
            "delete": False,
            "editor": {"preview": False},
            "files": [
                {
                    "name": f"{slot}-{code}",
                    "label": f"pages/{code}/{slot}.md",
                    "file": f"{folder}/pages/{code}/{slot}.md",
                    "fields": [
                        {
                            "name": "body",
                            "label": f"{slot} ({code})",
                            "widget": "markdown",
                            "hint": description,
                            **_markdown_options(),
                        }
                    ],
                }
                for slot, description in PROSE_SLOTS.items()
                for code in languages
            ],
        },
    ]
    return config


def _backend(backend: Backend) -> dict[str, Any]:
    if backend.name == "local":
        url = f"http://localhost:{backend.proxy_port}/api/v1"
        # `local_backend: true` is Decap's own default address for decap-server (port 8081).
        local: bool | dict[str, str] = True if backend.proxy_port == DEFAULT_PROXY_PORT else {"url": url}
        return {"backend": {"name": "proxy", "proxy_url": url}, "local_backend": local}
    if backend.name in ("github", "gitlab"):
        if not re.fullmatch(r"[\w.-]+(/[\w.-]+)+", backend.repo):
            raise ValueError(
                f"the {backend.name} backend needs the repository as OWNER/NAME, found {backend.repo!r}"
            )
        settings: dict[str, Any] = {"name": backend.name, "repo": backend.repo, "branch": backend.branch}
        if backend.name == "github" and backend.base_url:
            settings["base_url"] = backend.base_url
        if backend.name == "gitlab":
            if not backend.app_id:
                raise ValueError("the gitlab backend needs the OAuth application's id (--app-id)")
            # GitLab signs editors in from the browser (PKCE): no server of our own is needed.
            settings.update({"auth_type": "pkce", "app_id": backend.app_id})
        return {"backend": settings}
    raise ValueError(f"unknown backend {backend.name!r}: expected local, github or gitlab")


def _fields(record: Record, languages: Sequence[str], *, optional_parent: bool) -> list[dict[str, Any]]:
    """One Decap field per key of the record, in the record's order."""
    fields = []
    for name, field in record.fields.items():
        # Decap has no optional objects: a required field inside an absent optional object would
        # still be demanded. There `check` asks for it instead.
        required = field.required and not optional_parent
        fields.append(_field(name, field, record, languages, required=required))
    return fields


def _field(
    name: str, field: Field, owner: Record, languages: Sequence[str], *, required: bool
) -> dict[str, Any]:
    reference = REFERENCES.get(owner, {}).get(name)
    if reference is None and _names_ids(field.spec) and name != "id":
        raise UnsupportedSpec(
            f"{owner.what}: '{name}' holds ids, but admin_config.REFERENCES does not say what they name"
        )
    widget = _widget(field.spec, languages, reference, optional=not required)
    # Decap counts false and empty lists as missing: a yes/no value, or a list that may be empty,
    # is never "required" in the form (the spec's defaults cover their absence).
    if widget["widget"] == "boolean" or (isinstance(field.spec, ListOf) and not field.spec.min_items):
        required = False
    declared: dict[str, Any] = {
        "name": name,
        # The key as words ("domestic only"): the name editors see in docs/content.md, spaced.
        "label": name.replace("_", " "),
        "widget": widget.pop("widget"),
        "required": required,
    }
    if field.doc:
        declared["hint"] = field.doc
    return {**declared, **widget}


def _names_ids(spec: Spec) -> bool:
    """Whether a spec holds ids of other things: an id, or a list of them, or either of those."""
    if spec is formats.Slug:
        return True
    if isinstance(spec, ListOf):
        return spec.item is formats.Slug
    if isinstance(spec, OneOf):
        return any(_names_ids(option) for _, option in spec.options)
    return False


def _widget(
    spec: Spec, languages: Sequence[str], reference: Reference | None, *, optional: bool
) -> dict[str, Any]:
    """The widget and its options for one spec."""
    if reference is not None:
        return _relation(spec, reference)
    if isinstance(spec, Text):
        # A text per language: every language, or (in an optional text) none; `check` says which
        # language a half-filled optional text lacks.
        inner = (
            {"widget": "markdown", **_markdown_options()}
            if isinstance(spec, formats.MarkdownText)
            else {"widget": "string"}
        )
        return {
            "widget": "object",
            "fields": [
                {"name": code, "label": code, **inner, "required": not optional} for code in languages
            ],
        }
    if isinstance(spec, Record):
        return {"widget": "object", "fields": _fields(spec, languages, optional_parent=optional)}
    if isinstance(spec, ListOf):
        return _list(spec, languages)
    if isinstance(spec, Enum):
        return {"widget": "select", "options": list(spec.choices)}
    if isinstance(spec, Bool):
        return {"widget": "boolean"}
    if isinstance(spec, Str):
        return _string(spec.expected, spec.schema_pattern and f"^(?:{spec.schema_pattern})$")
    if isinstance(spec, OneOf):
        raise UnsupportedSpec(f"no form for {spec.expected} outside a reference")
    # A spec of another kind (a moment, say) is edited as the text its JSON Schema describes.
    schema = spec.json_schema()
    if schema.get("type") == "string":
        return _string(spec.expected, schema.get("pattern"))
    raise UnsupportedSpec(f"no form for {spec.expected} (JSON Schema {schema})")


def _string(expected: str, pattern: str | None) -> dict[str, Any]:
    widget: dict[str, Any] = {"widget": "string"}
    if pattern:
        # Decap shows the message under the field and refuses to save until the value matches.
        widget["pattern"] = [pattern, expected]
    return widget


def _list(spec: ListOf, languages: Sequence[str]) -> dict[str, Any]:
    widget: dict[str, Any] = {"widget": "list"}
    item = spec.item
    if isinstance(item, Record):
        widget["fields"] = _fields(item, languages, optional_parent=False)
        widget["summary"] = _summary(item, languages)
    else:
        # A list of single values (dates, days, emails) is written as a plain YAML list; its few
        # inputs are shown open.
        widget["field"] = {"name": "item", "label": "item", **_widget(item, languages, None, optional=False)}
        widget["summary"] = "{{fields.item}}"
        widget["collapsed"] = False
    if spec.min_items:
        widget["min"] = spec.min_items
    return widget


def _summary(record: Record, languages: Sequence[str]) -> str:
    """What a closed list item shows: its id, else its first few short values (days, times)."""
    if "id" in record.fields:
        return "{{fields.id}}"
    parts: list[str] = []
    for name, field in record.fields.items():
        spec = field.spec
        if isinstance(spec, formats.MarkdownText | Record) or (
            isinstance(spec, ListOf) and isinstance(spec.item, Record)
        ):
            break
        if isinstance(spec, Text):
            parts.append(f"{{{{fields.{name}.{languages[0]}}}}}")
        elif isinstance(spec, ListOf):
            parts.append(f"{{{{fields.{name}.0}}}}")
        elif not isinstance(spec, Bool):
            parts.append(f"{{{{fields.{name}}}}}")
        if len(parts) == 3:
            break
    return " ".join(parts)


def _relation(spec: Spec, reference: Reference) -> dict[str, Any]:
    """A choice among the ids a file lists: one, several, or `all` (our widget) or several."""
    path = f"{reference.list_key}.*.id"
    relation: dict[str, Any] = {
        "widget": "relation",
        "collection": CONTENT_COLLECTION,
        "file": reference.file,
        "value_field": path,
        "search_fields": [path],
        "display_fields": [path],
        "options_length": 500,
    }
    if spec is formats.Slug:
        return relation
    if isinstance(spec, ListOf) and spec.item is formats.Slug:
        return {**relation, "multiple": True, **({"min": spec.min_items} if spec.min_items else {})}
    if isinstance(spec, OneOf):
        words = [
            option.choices[0]
            for _, option in spec.options
            if isinstance(option, Enum) and len(option.choices) == 1
        ]
        lists = [option for _, option in spec.options if isinstance(option, ListOf)]
        if len(words) == 1 and len(lists) == 1 and len(spec.options) == 2:
            return {**_relation(lists[0], reference), "widget": ALL_OR_LIST_WIDGET, "all": words[0]}
    raise UnsupportedSpec(f"no form for a reference written as {spec.expected}")


def _markdown_options() -> dict[str, Any]:
    return {"buttons": list(MARKDOWN_BUTTONS), "editor_components": [], "modes": ["rich_text", "raw"]}


HEADER = (
    "# Generated from the content format by `make admin` (generator/content/admin_config.py): do not edit.\n"
)


def config_bytes(config: dict[str, Any]) -> bytes:
    """The config as written: YAML in the generator's order, Unicode as is, no wrapping."""
    text = yaml.safe_dump(config, sort_keys=False, allow_unicode=True, width=10_000, default_flow_style=False)
    return (HEADER + text).encode("utf-8")


def config_for(content: Path, backend: Backend | None = None, folder: str | None = None) -> bytes:
    """admin/config.yml for a content folder: its languages, its folder name from the repository."""
    return config_bytes(
        admin_config(site_languages(content), folder=folder or content.resolve().name, backend=backend)
    )


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m generator.content.admin_config`: write the admin's config for a content folder."""
    parser = argparse.ArgumentParser(
        prog="python -m generator.content.admin_config",
        description="Write Decap CMS's config.yml for a content folder, from the content format.",
    )
    parser.add_argument(
        "--content", type=Path, default=Path("content"), help="content folder (default: content)"
    )
    parser.add_argument(
        "--output", type=Path, default=Path("admin/config.yml"), help="default: admin/config.yml"
    )
    parser.add_argument("--backend", choices=("local", "github", "gitlab"), default="local")
    parser.add_argument("--repo", default="", help="OWNER/NAME, for the github and gitlab backends")
    parser.add_argument("--branch", default="main", help="the branch the hosted admin commits to")
    parser.add_argument("--base-url", default="", help="the OAuth provider's address (github backend)")
    parser.add_argument("--app-id", default="", help="the OAuth application's id (gitlab backend)")
    parser.add_argument("--folder", help="the content folder's path in the repository (default: its name)")
    parser.add_argument(
        "--proxy-port", type=int, default=DEFAULT_PROXY_PORT, help="decap-server's port (local)"
    )
    options = parser.parse_args(argv)
    backend = Backend(
        options.backend, options.repo, options.branch, options.proxy_port, options.base_url, options.app_id
    )
    try:
        data = config_for(options.content, backend, options.folder)
    except ContentErrors as errors:
        for error in errors.errors:
            print(error.render(), file=sys.stderr)
        return 1
    except (UnsupportedSpec, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    options.output.parent.mkdir(parents=True, exist_ok=True)
    options.output.write_bytes(data)
    print(options.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
