"""A small declarative schema: each spec parses a YAML value into model values and describes itself.

One description serves two ends: validation with precise, collected errors (in the manner of
MkDocs' config options), and the JSON Schema that editors' tools read. A spec never raises on bad
content; it records a ContentError and returns INVALID, so that one run reports every problem.
"""

import datetime
import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

from generator.cache import BuildCache
from generator.content.errors import ContentError
from generator.content.model import Text as TextValue
from generator.content.yamlsource import Document, PathKey
from generator.hours import PublicHolidays


class _Invalid:
    def __repr__(self) -> str:
        return "INVALID"


INVALID: Any = _Invalid()
"""Returned by a spec whose value was refused (the error is already recorded)."""


class Context:
    """What a spec needs while parsing: the document (for positions), languages, the error list,
    and the public holidays known (their answers kept in the build cache)."""

    def __init__(
        self,
        document: Document,
        languages: tuple[str, ...],
        region: str = "ZZ",
        timezone: str = "UTC",
        holidays: PublicHolidays | None = None,
    ) -> None:
        self.document = document
        self.languages = languages
        self.region = region
        self.timezone = timezone
        self.holidays = holidays or PublicHolidays(BuildCache())
        self.errors: list[ContentError] = []

    def error(self, path: PathKey, message: str, *, key: bool = False) -> Any:
        """Record an error at `path` and return INVALID, so callers can `return ctx.error(...)`."""
        # A value the YAML reader refused is reported once, not again as "missing" or "expected".
        if path not in self.document.refused:
            self.errors.append(self.document.at(path, message, key=key))
        return INVALID


def describe(value: Any) -> str:
    """How a found value is named in a message: its kind and, for short scalars, itself."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{'true' if value else 'false'} (a yes/no value)"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the text {shown!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def suggestion(word: str, choices: Sequence[str]) -> str:
    """' (did you mean 'x'?)' when one of `choices` is close to `word`, else ''."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


class Spec:
    """Parses one YAML value. Subclasses set `expected` (for messages) and `schema` (JSON Schema)."""

    expected = "a value"

    def parse(self, value: Any, path: PathKey, ctx: Context) -> Any:
        raise NotImplementedError

    def json_schema(self) -> dict[str, Any]:
        raise NotImplementedError

    def wrong(self, value: Any, path: PathKey, ctx: Context) -> Any:
        return ctx.error(path, f"expected {self.expected}, found {describe(value)}")


class Str(Spec):
    """Text, optionally checked against a pattern and then converted."""

    def __init__(
        self,
        expected: str = "text",
        pattern: str | None = None,
        convert: Callable[[str], Any] | None = None,
        max_length: int = 10_000,
        schema_pattern: str | None = None,
    ) -> None:
        self.expected = expected
        self.pattern = re.compile(pattern) if pattern else None
        self.convert = convert
        self.max_length = max_length
        # For editors' tools only: `convert` gives the better message when the value is refused.
        self.schema_pattern = schema_pattern or pattern

    def parse(self, value: Any, path: PathKey, ctx: Context) -> Any:
        if not isinstance(value, str):
            hint = " (put it in quotes)" if isinstance(value, int | float) else ""
            return ctx.error(path, f"expected {self.expected}, found {describe(value)}{hint}")
        text = value.strip()
        if not text:
            return ctx.error(path, f"expected {self.expected}, found empty text")
        if len(text) > self.max_length:
            return ctx.error(path, f"text is longer than {self.max_length:,} characters")
        if self.pattern and not self.pattern.fullmatch(text):
            return self.wrong(value, path, ctx)
        if self.convert is None:
            return text
        try:
            return self.convert(text)
        except ValueError as error:
            return ctx.error(path, f"expected {self.expected}, found {describe(value)}: {error}")

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "string", "minLength": 1, "maxLength": self.max_length}
        if self.schema_pattern:
            schema["pattern"] = f"^(?:{self.schema_pattern})$"
        return schema


class Bool(Spec):
    expected = "true or false"

    def parse(self, value: Any, path: PathKey, ctx: Context) -> Any:
        return value if isinstance(value, bool) else self.wrong(value, path, ctx)

    def json_schema(self) -> dict[str, Any]:
        return {"type": "boolean"}


class Enum(Spec):
    """One of a fixed set of words."""

    def __init__(self, choices: Sequence[str], what: str = "value") -> None:
        self.choices = tuple(choices)
        self.what = what
        self.expected = f"one of {', '.join(self.choices)}"

    def parse(self, value: Any, path: PathKey, ctx: Context) -> Any:
        if isinstance(value, str) and value in self.choices:
            return value
        hint = suggestion(value, self.choices) if isinstance(value, str) else ""
        return ctx.error(
            path, f"unknown {self.what}: expected {self.expected}, found {describe(value)}{hint}"
        )

    def json_schema(self) -> dict[str, Any]:
        return {"enum": list(self.choices)}


class ListOf(Spec):
    """A list of items of one spec; returns a tuple."""

    def __init__(self, item: Spec, min_items: int = 0, unique: bool = False) -> None:
        self.item = item
        self.min_items = min_items
        self.unique = unique
        self.expected = f"a list of {item.expected}"

    def parse(self, value: Any, path: PathKey, ctx: Context) -> Any:
        if not isinstance(value, list):
            return self.wrong(value, path, ctx)
        if len(value) < self.min_items:
            return ctx.error(path, f"expected at least {self.min_items} item(s), found {len(value)}")
        items = [self.item.parse(item, (*path, i), ctx) for i, item in enumerate(value)]
        if any(item is INVALID for item in items):
            return INVALID
        if self.unique:
            seen: set[Any] = set()
            for i, item in enumerate(items):
                if item in seen:
                    ctx.error((*path, i), f"{describe(value[i])} is listed twice")
                seen.add(item)
        return tuple(items)

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "array", "items": self.item.json_schema()}
        if self.min_items:
            schema["minItems"] = self.min_items
        if self.unique:
            schema["uniqueItems"] = True
        return schema


class OneOf(Spec):
    """The first spec whose JSON type matches the value parses it (e.g. a word or a list)."""

    def __init__(self, *options: tuple[type | tuple[type, ...], Spec]) -> None:
        self.options = options
        self.expected = " or ".join(spec.expected for _, spec in options)

    def parse(self, value: Any, path: PathKey, ctx: Context) -> Any:
        for python_type, spec in self.options:
            if isinstance(value, python_type):
                return spec.parse(value, path, ctx)
        return self.wrong(value, path, ctx)

    def json_schema(self) -> dict[str, Any]:
        return {"anyOf": [spec.json_schema() for _, spec in self.options]}


class Text(Spec):
    """A translatable text: a mapping from each of the site's languages to a text."""

    expected = "a text per language"

    def __init__(self, max_length: int = 10_000) -> None:
        self.item = Str(max_length=max_length)

    def parse(self, value: Any, path: PathKey, ctx: Context) -> Any:
        if not isinstance(value, dict):
            example = ", ".join(f"{code}: ..." for code in ctx.languages)
            return ctx.error(path, f"expected a text per language ({example}), found {describe(value)}")
        ok = True
        for code in value:
            if code not in ctx.languages:
                ctx.error(
                    (*path, code),
                    f"language {code!r} is not one of the site's languages "
                    f"({', '.join(ctx.languages)}){suggestion(code, ctx.languages)}",
                    key=True,
                )
                ok = False
        for code in ctx.languages:
            if code not in value:
                missing = ctx.document.at(
                    path, f"missing the {code!r} text (every text needs each site language)"
                )
                ctx.errors.append(missing._replace(missing_language=code))
                ok = False
        texts = {
            code: self.item.parse(value[code], (*path, code), ctx) for code in ctx.languages if code in value
        }
        if not ok or any(text is INVALID for text in texts.values()):
            return INVALID
        return TextValue(tuple((code, texts[code]) for code in ctx.languages))

    def json_schema(self) -> dict[str, Any]:
        return {
            "type": "object",
            "description": "One text per site language, keyed by language code.",
            "propertyNames": {"pattern": "^[a-z]{2,3}(-[a-z0-9]{2,8})*$"},
            "additionalProperties": {"type": "string", "minLength": 1},
            "minProperties": 1,
        }


class Field(NamedTuple):
    """One key of a Record: its spec, whether it is required, its default, and its documentation."""

    spec: Spec
    doc: str
    required: bool = True
    default: Any = None


class Record(Spec):
    """A mapping with known keys that becomes a model object.

    `build` receives the parsed values (absent optional keys get their defaults) and may record
    cross-field errors through the context; it returns the model object or INVALID.
    """

    def __init__(
        self,
        what: str,
        fields: Mapping[str, Field],
        build: Callable[[dict[str, Any], PathKey, Context], Any],
        doc: str = "",
    ) -> None:
        self.what = what
        self.fields = dict(fields)
        self.build = build
        self.doc = doc
        self.expected = f"a mapping ({what})"

    def parse(self, value: Any, path: PathKey, ctx: Context) -> Any:
        if not isinstance(value, dict):
            required = [name for name, f in self.fields.items() if f.required]
            # A record of optional keys only would otherwise read "with keys , found ...".
            keys = f"with keys {', '.join(required)}" if required else f"with any of {', '.join(self.fields)}"
            return ctx.error(path, f"expected {self.what} as a mapping {keys}, found {describe(value)}")
        ok = True
        for key in value:
            if key not in self.fields:
                ctx.error(
                    (*path, key),
                    f"unknown key {key!r} in {self.what}{suggestion(key, list(self.fields))}; "
                    f"expected one of: {', '.join(self.fields)}",
                    key=True,
                )
                ok = False
        values: dict[str, Any] = {}
        for name, spec_field in self.fields.items():
            if name in value and value[name] is not None:
                values[name] = spec_field.spec.parse(value[name], (*path, name), ctx)
                ok = ok and values[name] is not INVALID
            elif spec_field.required:
                where = (*path, name) if name in value else path
                ctx.error(where, f"missing required key {name!r} in {self.what}")
                ok = False
            else:
                values[name] = spec_field.default
        if not ok:
            return INVALID
        return self.build(values, path, ctx)

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "type": "object",
            "title": self.what,
            "properties": {
                name: {**f.spec.json_schema(), "description": f.doc} for name, f in self.fields.items()
            },
            "additionalProperties": False,
        }
        if self.doc:
            schema["description"] = self.doc
        required = [name for name, f in self.fields.items() if f.required]
        if required:
            schema["required"] = required
        return schema


def parse_date(text: str) -> datetime.date:
    """An ISO date, YYYY-MM-DD."""
    return datetime.date.fromisoformat(text)
