"""Read a content folder into a validated Site, or raise ContentErrors listing every problem."""

from __future__ import annotations

import datetime
import functools
import os
import re
import string
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from generator.content import formats, model
from generator.content.errors import ContentError, ContentErrors, display_path
from generator.content.prose import TOO_DEEP, too_deep
from generator.content.schema import INVALID, Context, Field, Record, Str, suggestion
from generator.content.ui_strings import PROSE_SLOTS, UI_STRINGS, shipped_catalog
from generator.content.yamlsource import (
    UNWRITABLE,
    Document,
    PathKey,
    YamlProblem,
    character_problem,
    load_yaml,
    read_text,
)
from generator.hours import PublicHolidays

DATA_FILES = ("site.yaml", "hours.yaml", "channels.yaml", "escalation.yaml")
# Data files a site may do without.
OPTIONAL_FILES = ("notices.yaml",)


class _Reading:
    """The state of one read: the folder, the errors so far, and the documents loaded."""

    def __init__(self, folder: Path, holidays: PublicHolidays) -> None:
        self.folder = folder
        self.holidays = holidays
        self.errors: list[ContentError] = []
        # Resolved once: resolving each file's path would cost `check` more than reading it.
        self.shown_folder = display_path(folder)

    def file(self, relative: str) -> str:
        """A content file's path as error messages show it."""
        return os.path.normpath(os.path.join(self.shown_folder, relative))

    def load(self, relative: str, language: str = "") -> Document | None:
        path = self.folder / relative
        if not path.is_file():
            self.errors.append(
                ContentError(self.file(relative), 1, 1, "file is missing", missing_language=language)
            )
            return None
        try:
            document = load_yaml(path, self.file(relative))
        except YamlProblem as problem:
            self.errors.append(problem.error)
            return None
        self.errors.extend(document.problems)
        return document

    def parse(
        self,
        document: Document,
        spec: Record,
        languages: tuple[str, ...],
        region: str = "ZZ",
        timezone: str = "UTC",
    ) -> Any:
        ctx = Context(document, languages, region=region, timezone=timezone, holidays=self.holidays)
        value = spec.parse(document.data, (), ctx)
        self.errors.extend(ctx.errors)
        return value


def read_content(folder: Path, holidays: PublicHolidays, *, base_url: str | None = None) -> model.Site:
    """Load and validate every content file in `folder`; `base_url` overrides the site's own, and
    `holidays` answers whether a country's public holidays are known."""
    reading = _Reading(folder, holidays)
    documents = {name: reading.load(name) for name in DATA_FILES}
    documents.update({name: reading.load(name) for name in OPTIONAL_FILES if (folder / name).is_file()})
    site_document = documents["site.yaml"]
    if site_document is None:
        raise ContentErrors(reading.errors)

    languages = _languages(reading, site_document)
    if languages is None:
        raise ContentErrors(reading.errors)
    codes = tuple(language.code for language in languages)

    settings = reading.parse(site_document, formats.SITE, codes)
    # The other files are read even when the settings have a problem (a missing translation,
    # say), so that one run lists everything; they need only the country and the time zone.
    context = {
        "region": _setting(site_document, "country", codes) or "ZZ",
        "timezone": _setting(site_document, "timezone", codes) or "UTC",
    }

    parsed: dict[str, Any] = {}
    for name, spec in (
        ("hours.yaml", formats.HOURS),
        ("channels.yaml", formats.CHANNELS),
        ("escalation.yaml", formats.ESCALATION),
        ("notices.yaml", formats.NOTICES),
    ):
        if name not in documents:
            parsed[name] = ()  # an optional file the site does without
            continue
        document = documents[name]
        parsed[name] = INVALID if document is None else reading.parse(document, spec, codes, **context)

    strings = {language.code: _strings(reading, language, codes) for language in languages}
    prose = {code: _prose(reading, code) for code in codes}
    _unknown_language_folders(reading, codes)

    # References are checked wherever both ends were read, even when another file has errors,
    # so that one run lists every problem.
    _check_references(reading, documents, parsed)
    brand = _brand(reading, site_document, settings)
    if reading.errors or settings is INVALID:
        raise ContentErrors(reading.errors)
    schedules: tuple[model.Schedule, ...] = parsed["hours.yaml"]
    request_types, channels = parsed["channels.yaml"]
    levels: tuple[model.Level, ...] = parsed["escalation.yaml"]

    updated: datetime.date = settings["updated"]
    return model.Site(
        organisation=settings["organisation"],
        title=settings["title"],
        languages=languages,
        timezone=settings["timezone"],
        country=settings["country"],
        base_url=base_url or settings["base_url"],
        updated=updated,
        schedules=schedules,
        request_types=request_types,
        channels=channels,
        levels=levels,
        prose=prose,
        strings=strings,
        notices=parsed["notices.yaml"],
        brand=brand,
        offline=settings["offline"],
    )


def _brand(reading: _Reading, document: Document, settings: Any) -> model.Brand:
    """The brand from site.yaml, its logo read from the content folder and checked."""
    values = settings["brand"] if settings is not INVALID else None
    if not values:
        return model.Brand()
    logo = None
    if values["logo"]:
        # Imported here: the XML parser and writer would cost every `check` 20 ms at start-up.
        from generator.content.logo import LogoRefused, LogoUnreadable, read_logo

        try:
            logo = read_logo(reading.folder / values["logo"], reading.file(values["logo"]))
        except LogoUnreadable as unreadable:
            # Said where the editor named the file: that is the line to fix.
            reading.errors.append(document.at(("brand", "logo"), str(unreadable)))
        except LogoRefused as refused:
            reading.errors.extend(refused.errors)
    return model.Brand(accent=values["accent"], logo=logo)


def _setting(document: Document, key: str, codes: tuple[str, ...]) -> Any:
    """One site setting parsed on its own, or None; its errors come from the full parse."""
    data = document.data if isinstance(document.data, dict) else {}
    value = formats.SITE.fields[key].spec.parse(data.get(key), (key,), Context(document, codes))
    return None if value is INVALID else value


def _languages(reading: _Reading, document: Document) -> tuple[model.Language, ...] | None:
    data = document.data
    if not isinstance(data, dict) or "languages" not in data:
        reading.errors.append(document.at((), "missing required key 'languages' in the site settings"))
        return None
    ctx = Context(document, ())
    languages = formats.LANGUAGES.parse(data["languages"], ("languages",), ctx)
    reading.errors.extend(ctx.errors)
    if languages is INVALID:
        return None
    seen: set[str] = set()
    for index, language in enumerate(languages):
        if language.code in seen:
            reading.errors.append(
                document.at(("languages", index, "code"), f"language {language.code!r} is listed twice")
            )
        seen.add(language.code)
    return tuple(languages) if len(seen) == len(languages) else None


def _strings_record(*, complete: bool) -> Record:
    """The interface strings as a record: `complete`, every key (a shipped catalog, or a language
    the generator does not ship); otherwise any of them (a site's overrides)."""

    def check_placeholders(values: dict[str, Any], path: PathKey, ctx: Context) -> Any:
        given = {key: text for key, text in values.items() if text is not None}
        ok = True
        for key, text in given.items():
            wanted = set(UI_STRINGS[key].placeholders)
            try:
                fields = [
                    (name, spec, conversion) for _, name, spec, conversion in string.Formatter().parse(text)
                ]
            except ValueError as error:
                ctx.error((key,), f"{error} (write a literal brace as {{{{ or }}}})")
                ok = False
                continue
            # A format spec or conversion ({number:x}, {number!r}) would fail, or print a repr,
            # only when the outputs fill the string in: refuse it here, with its line.
            formatted = next(((n, sp, cv) for n, sp, cv in fields if n is not None and (sp or cv)), None)
            if formatted:
                name, spec, conversion = formatted
                written = (
                    "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
                )
                ctx.error((key,), f"write a placeholder plainly, as {{{name}}}, not {written}")
                ok = False
                continue
            found = {name for name, _, _ in fields if name is not None}
            if found != wanted:
                need = ", ".join("{" + name + "}" for name in sorted(wanted)) or "no placeholders"
                have = ", ".join("{" + name + "}" for name in sorted(found)) or "none"
                ctx.error((key,), f"expected {need}, found {have}")
                ok = False
        if not ok:
            return INVALID
        # A string with placeholders stays a template, which the outputs fill in ({{ and }} are
        # braces then); one without is used as it is, so its {{ and }} become braces here, once.
        return {key: text if UI_STRINGS[key].placeholders else text.format() for key, text in given.items()}

    return Record(
        "the interface strings",
        {key: Field(Str(), ui.doc, required=complete) for key, ui in UI_STRINGS.items()},
        check_placeholders,
    )


# A site's strings file: any keys, over the shipped catalog of its language (or, for a language
# the generator does not ship, every key). The schema editors see is this one.
STRINGS = _strings_record(complete=False)
CATALOG = _strings_record(complete=True)


def _strings(reading: _Reading, language: model.Language, codes: tuple[str, ...]) -> dict[str, str]:
    """A language's interface strings: the shipped catalog for its locale, with the site's own
    strings file over it key by key; without a shipped catalog, the site's file gives every key."""
    relative = f"strings/{language.code}.yaml"
    shipped = shipped_catalog(language.locale)
    if shipped is None:
        if not (reading.folder / relative).is_file():
            reading.errors.append(
                ContentError(
                    reading.file(relative),
                    1,
                    1,
                    f"file is missing: the generator ships no interface strings for {language.locale!r}, "
                    'so this file must give every key (docs/content.md, "Interface strings")',
                    missing_language=language.code,
                )
            )
            return {}
        return _parsed_strings(reading, reading.load(relative, language.code), CATALOG, codes)
    strings, errors = _shipped_strings(shipped)
    reading.errors.extend(errors)
    if (reading.folder / relative).is_file():
        strings = {**strings, **_parsed_strings(reading, reading.load(relative), STRINGS, codes)}
    return strings


def _shipped_strings(path: Path) -> tuple[dict[str, str], tuple[ContentError, ...]]:
    """A shipped catalog and its errors (none, unless the generator is broken). It belongs to the
    generator, not the content: parsed once per process while the file is unchanged, so that a
    rebuild in `serve` reads only the content."""
    stat = path.stat()
    strings, errors = _parsed_catalog(path, stat.st_mtime_ns, stat.st_size)
    return dict(strings), errors


@functools.cache
def _parsed_catalog(path: Path, mtime: int, size: int) -> tuple[dict[str, str], tuple[ContentError, ...]]:
    try:
        document = load_yaml(path, str(path))
    except YamlProblem as problem:
        return {}, (problem.error,)
    ctx = Context(document, ())
    value = CATALOG.parse(document.data, (), ctx)
    return ({} if value is INVALID else value), (*document.problems, *ctx.errors)


def _parsed_strings(
    reading: _Reading, document: Document | None, spec: Record, codes: tuple[str, ...]
) -> dict[str, str]:
    if document is None:
        return {}
    value = reading.parse(document, spec, codes)
    return {} if value is INVALID else value


def _prose(reading: _Reading, code: str) -> dict[str, str]:
    folder = reading.folder / "pages" / code
    texts: dict[str, str] = {}
    for slot in PROSE_SLOTS:
        relative = f"pages/{code}/{slot}.md"
        if not (reading.folder / relative).is_file():
            reading.errors.append(
                ContentError(
                    reading.file(relative),
                    1,
                    1,
                    f"file is missing (the {slot!r} text in {code!r})",
                    missing_language=code,
                )
            )
            continue
        try:
            text = read_text(reading.folder / relative, reading.file(relative))
        except YamlProblem as problem:
            reading.errors.append(problem.error)
            continue
        fault = _prose_problem(text, reading.file(relative))
        if fault:
            reading.errors.append(fault)
        else:
            texts[slot] = text
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            if path.stem not in PROSE_SLOTS or path.suffix != ".md":
                reading.errors.append(
                    ContentError(
                        reading.file(f"pages/{code}/{path.name}"),
                        1,
                        1,
                        f"unknown page text{suggestion(path.stem, list(PROSE_SLOTS))}; expected one of: "
                        + ", ".join(f"{slot}.md" for slot in PROSE_SLOTS),
                    )
                )
    return texts


def _prose_problem(text: str, file: str) -> ContentError | None:
    """What Markdown prose may not hold: control characters, and nesting too deep to render."""
    # Lines as editors count them: only LF ends one (splitlines would also split at \x0c or \x85).
    lines = text.split("\n")
    found = UNWRITABLE.search(text)
    if found:
        before = text[: found.start()]
        line, column = before.count("\n") + 1, found.start() - before.rfind("\n")
        message = character_problem(ord(found.group()))
        return ContentError(file, line, column, message, source=lines[line - 1].rstrip("\r"))
    deep = too_deep(text)
    if deep is not None:
        return ContentError(file, deep, 1, TOO_DEEP, source=lines[deep - 1].rstrip("\r"))
    return None


def _unknown_language_folders(reading: _Reading, codes: tuple[str, ...]) -> None:
    for folder, suffix in (("pages", ""), ("strings", ".yaml")):
        base = reading.folder / folder
        if not base.is_dir():
            continue
        for path in sorted(base.iterdir()):
            code = path.name.removesuffix(suffix) if suffix else path.name
            if code not in codes:
                reading.errors.append(
                    ContentError(
                        reading.file(f"{folder}/{path.name}"),
                        1,
                        1,
                        f"language {code!r} is not one of the site's languages ({', '.join(codes)})"
                        f"{suggestion(code, codes)}",
                    )
                )


def _check_references(
    reading: _Reading, documents: dict[str, Document | None], parsed: dict[str, Any]
) -> None:
    """Ids used twice, and ids that name nothing: each check runs when the files it joins were read."""
    hours, channel_doc, escalation = (documents[n] for n in DATA_FILES[1:])
    notices = documents.get("notices.yaml")

    def error(document: Document, path: PathKey, message: str) -> None:
        reading.errors.append(document.at(path, message))

    def unique(document: Document, items: Sequence[Any], list_key: str, what: str) -> set[str]:
        seen: set[str] = set()
        for index, item in enumerate(items):
            if item.id in seen:
                error(document, (list_key, index, "id"), f"{what} id {item.id!r} is used twice")
            seen.add(item.id)
        return seen

    def written_ids(document: Document | None, list_key: str) -> set[str] | None:
        data = document.data if document else None
        items = data.get(list_key) if isinstance(data, dict) else None
        if not isinstance(items, list):
            return None
        ids = {item.get("id") for item in items if isinstance(item, dict)}
        return {found for found in ids if isinstance(found, str) and re.fullmatch(formats.SLUG, found)}

    def known(document: Document, path: PathKey, value: str, ids: set[str], what: str) -> None:
        if value not in ids:
            error(
                document,
                path,
                f"unknown {what} {value!r}{suggestion(value, sorted(ids))}; known: {', '.join(sorted(ids))}",
            )

    # The ids a file names, from its values, else (when it has errors) as written.
    schedule_ids = written_ids(hours, "schedules")
    channel_ids = written_ids(channel_doc, "channels")
    if hours and parsed["hours.yaml"] is not INVALID:
        schedule_ids = unique(hours, parsed["hours.yaml"], "schedules", "schedule")
    if channel_doc and parsed["channels.yaml"] is not INVALID:
        request_types, channels = parsed["channels.yaml"]
        type_ids = unique(channel_doc, request_types, "request_types", "request type")
        channel_ids = unique(channel_doc, channels, "channels", "channel")
        for c, channel in enumerate(channels):
            channel_types = set(channel.request_types or type_ids)
            for t, type_id in enumerate(channel.request_types or ()):
                known(channel_doc, ("channels", c, "request_types", t), type_id, type_ids, "request type")
            for a, availability in enumerate(channel.availability):
                path: PathKey = ("channels", c, "availability", a)
                if schedule_ids is not None:
                    known(channel_doc, (*path, "schedule"), availability.schedule, schedule_ids, "schedule")
                for t, type_id in enumerate(availability.request_types or ()):
                    known(
                        channel_doc,
                        (*path, "request_types", t),
                        type_id,
                        channel_types,
                        "request type of this channel",
                    )
    if escalation and parsed["escalation.yaml"] is not INVALID:
        levels = parsed["escalation.yaml"]
        unique(escalation, levels, "levels", "level")
        for index, level in enumerate(levels):
            if channel_ids is None:
                continue
            if level.id in channel_ids:
                error(
                    escalation,
                    ("levels", index, "id"),
                    f"level id {level.id!r} is also a channel's id; "
                    "both are anchors on the page, so they must differ",
                )
            for c, channel_id in enumerate(level.channels):
                known(escalation, ("levels", index, "channels", c), channel_id, channel_ids, "channel")
    if notices and parsed["notices.yaml"] is not INVALID:
        unique(notices, parsed["notices.yaml"], "notices", "notice")
        for n, notice in enumerate(parsed["notices.yaml"]):
            seen: set[str] = set()
            for a, affected in enumerate(notice.affects):
                path = ("notices", n, "affects", a)
                if affected.channel in seen:
                    error(notices, (*path, "channel"), f"channel {affected.channel!r} is listed twice")
                seen.add(affected.channel)
                if channel_ids is None:
                    continue
                known(notices, (*path, "channel"), affected.channel, channel_ids, "channel")
                for i, alternative in enumerate(affected.alternatives):
                    known(notices, (*path, "alternatives", i), alternative, channel_ids, "channel")
