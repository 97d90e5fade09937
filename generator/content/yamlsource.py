"""YAML read with positions kept, under a small and safe subset of YAML.

Parser events are read into plain values (no tag is ever constructed, so none can run code), and
scalars are resolved by YAML 1.2 core rules: `no` stays text, `19:00` stays text, dates stay text
for the schema to parse. Every value's position is kept in a side table keyed by its path, so the
model stays plain.
"""

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import yaml
import yaml.parser
import yaml.reader
import yaml.resolver
import yaml.scanner
from yaml.composer import ComposerError
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from generator.content.errors import ContentError

MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_NODES = 400_000
MAX_DEPTH = 32

PathKey = tuple[str | int, ...]

_CORE_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp", "merge", "value")
}
# Plain words that are not text, by YAML 1.2 core rules; a number starts with one of _NUMERIC.
_WORDS: dict[str, bool | None] = {
    **dict.fromkeys(("", "~", "null", "Null", "NULL")),
    **dict.fromkeys(("true", "True", "TRUE"), True),
    **dict.fromkeys(("false", "False", "FALSE"), False),
}
_NUMERIC = frozenset("+-.0123456789")
_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")


class Position(NamedTuple):
    """A 1-based line and column."""

    # A large file makes one per value and per key: a tuple is a third of the memory of an object
    # with a __dict__, and faster to make.
    line: int
    column: int


class Document:
    """A YAML file's data, with the position of every value and every mapping key."""

    def __init__(self, file: str, data: Any, lines: list[str]) -> None:
        self.file = file
        self.data = data
        self.lines = lines
        self.values: dict[PathKey, Position] = {}
        self.keys: dict[PathKey, Position] = {}
        self.problems: list[ContentError] = []
        # Values refused while reading (a tag, a control character): already reported, read as null.
        self.refused: set[PathKey] = set()

    def refuse(self, position: Position, path: PathKey, message: str) -> None:
        """Report a value that cannot be read; the schema then says nothing more about it."""
        self.problems.append(self.error_at(position.line, position.column, message))
        self.refused.add(path)

    def at(self, path: PathKey, message: str, *, key: bool = False) -> ContentError:
        """An error placed at the value (or the key) found at `path`, or its nearest parent."""
        table = self.keys if key else self.values
        probe = path
        while probe not in table and probe:
            probe = probe[:-1]
            table = self.values
        position = table.get(probe, Position(1, 1))
        return self.error_at(position.line, position.column, message, format_path(path))

    def error_at(self, line: int, column: int, message: str, field: str = "") -> ContentError:
        """An error at a line and column, with that line's text for the excerpt."""
        source = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        return ContentError(self.file, line, column, message, field, source)


def format_path(path: PathKey) -> str:
    """A value's path as editors read it: schedules[0].weekly[1].closes."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text


class YamlProblem(Exception):
    """A file that cannot be read as YAML at all; carries its one error."""

    def __init__(self, error: ContentError) -> None:
        super().__init__(str(error))
        self.error = error


def read_text(path: Path, file: str) -> str:
    """A content file's text: UTF-8 (a byte-order mark allowed), within the size limit."""
    try:
        with path.open("rb") as stream:
            # Never more than the limit and one byte: a stray video in content/ costs no memory.
            raw = stream.read(MAX_FILE_BYTES + 1)
            size = os.fstat(stream.fileno()).st_size
    except OSError as error:
        raise YamlProblem(ContentError(file, 1, 1, f"cannot read the file: {error.strerror}")) from None
    if len(raw) > MAX_FILE_BYTES:
        size = max(size, len(raw))
        raise YamlProblem(
            ContentError(file, 1, 1, f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}")
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        raise YamlProblem(
            ContentError(file, line, column, f"not UTF-8 text (byte 0x{raw[error.start]:02x})")
        ) from None
    return text.removeprefix("\ufeff")


def load_yaml(path: Path, file: str) -> Document:
    """Read one YAML file into a Document, or raise YamlProblem with the place of the fault."""
    text = read_text(path, file)
    if not text.strip():
        raise YamlProblem(ContentError(file, 1, 1, "file is empty"))
    document = Document(file=file, data=None, lines=text.splitlines())
    try:
        document.data = _read(text, document)
    except _TooDeep as error:
        line, column = error.mark.line + 1, error.mark.column + 1
        raise YamlProblem(document.error_at(line, column, f"nested deeper than {MAX_DEPTH}")) from None
    except yaml.reader.ReaderError as error:
        # The reader refuses control characters in the stream, but places the fault by offset only:
        # in bytes of UTF-8 from libyaml, in characters from PyYAML's own reader.
        before = (
            text.encode("utf-8")[: error.position].decode("utf-8", "ignore")
            if _C_PARSER
            else text[: error.position]
        )
        line, column = before.count("\n") + 1, error.position - (before.rfind("\n") + 1) + 1
        message = f"YAML syntax error: {character_problem(error.character)}"
        raise YamlProblem(document.error_at(line, column, message)) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = error.problem or error.context or "invalid YAML"
        source = document.lines[line - 1] if 0 < line <= len(document.lines) else ""
        if "tab" in problem or source[column - 1 : column] == "\t":
            problem = "a tab character; indent YAML with spaces"
        elif "maximum nesting depth" in problem:  # libyaml's own limit, met before ours in flow style
            raise YamlProblem(document.error_at(line, column, f"nested deeper than {MAX_DEPTH}")) from None
        raise YamlProblem(document.error_at(line, column, f"YAML syntax error: {problem}")) from None
    except yaml.YAMLError as error:
        raise YamlProblem(ContentError(file, 1, 1, f"YAML error: {error}")) from None
    return document


class _TooDeep(Exception):
    def __init__(self, mark: Any) -> None:
        super().__init__(str(mark))
        self.mark = mark


try:  # libyaml's C scanner and parser, where PyYAML was built with it (its wheels are)
    from yaml._yaml import CParser as _Parser

    _C_PARSER = True
except ImportError:  # pragma: no cover - pure-Python PyYAML
    _C_PARSER = False

    class _Parser(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)


# libyaml's events, read by attribute. Which attributes an event has follows from its class, which
# the loops below test by identity (faster than isinstance, and they run once per event): mypy
# cannot follow that, so events are typed loosely.
_Event = Any


def _read(text: str, document: Document) -> Any:
    """The file's one value, built from libyaml's events in one pass; positions go to `document`.

    libyaml scans and parses in C, ten times faster than PyYAML. Its composer is not used: it builds
    every node before the value budget can stop it (an 8 MiB file peaked at 1.1 GiB, against 0.2
    here), its nodes do not say where an alias was written, and reading the seed through it cost a
    third more; libyaml 0.2.6 does stop nesting at 1,000 levels, but PyYAML's pure-Python composer
    recurses without a limit of its own. Here the values are built straight from the events on an
    explicit stack: depth is a counter, and only an alias recurses, once per level of its path,
    which MAX_DEPTH bounds.
    """
    parser = _Parser(text)
    try:
        anchors = _Anchors()
        events = _node_events(parser, anchors)
        builder = _Builder(document, anchors)
        try:
            builder.fill(events)
        except YamlProblem as problem:
            refusal = problem
        else:
            return builder.value
        # A value refused the whole file (too many values, a key that is not text), but an error in
        # the YAML itself, even further on, is the one to tell: read on for it.
        for _ in events:
            pass
        raise refusal
    finally:
        parser.dispose()


class _Anchors:
    """The events of every anchored node, for its aliases to replay."""

    def __init__(self) -> None:
        self.recorded: list[_Event] = []
        # Where each anchored node's events start in `recorded`, and end once the node is complete.
        self.starts: dict[str, int] = {}
        self.ends: dict[str, int] = {}


def _node_events(parser: Any, anchors: _Anchors) -> Iterator[_Event]:
    """The node events of the stream's one document, checked as PyYAML's composer checked them.

    Nesting deeper than MAX_DEPTH, an undefined alias, an anchor given twice and a second document
    raise at the same event, with the same error, as they did; the events of anchored nodes are
    recorded in `anchors` on the way.
    """
    get_event = parser.get_event
    get_event()  # STREAM-START
    if parser.check_event(StreamEndEvent):  # no document at all: only comments
        get_event()
        return
    get_event()  # DOCUMENT-START
    root = parser.peek_event()
    recorded, starts, ends = anchors.recorded, anchors.starts, anchors.ends
    open_anchors: list[tuple[int, str]] = []  # anchored collections not yet complete, with their depth
    depth = 0  # collections open around the next event
    while True:
        event = get_event()
        kind = event.__class__
        if kind is SequenceEndEvent or kind is MappingEndEvent:
            depth -= 1
            if open_anchors:
                recorded.append(event)
                if open_anchors[-1][0] == depth:
                    ends[open_anchors.pop()[1]] = len(recorded)
        else:
            if depth > MAX_DEPTH:  # the root is at depth 0; its path is ()
                raise _TooDeep(event.start_mark)
            anchor = event.anchor
            if kind is AliasEvent:
                if anchor not in starts:
                    raise ComposerError(None, None, f"found undefined alias {anchor!r}", event.start_mark)
                if open_anchors:
                    recorded.append(event)
            elif anchor is not None:
                if anchor in starts:
                    first = recorded[starts[anchor]].start_mark
                    message = f"found duplicate anchor {anchor!r}; first occurrence"
                    raise ComposerError(message, first, "second occurrence", event.start_mark)
                starts[anchor] = len(recorded)
                recorded.append(event)
                if kind is ScalarEvent:
                    ends[anchor] = len(recorded)
                else:
                    open_anchors.append((depth, anchor))
            elif open_anchors:
                recorded.append(event)
            if kind is SequenceStartEvent or kind is MappingStartEvent:
                depth += 1
        yield event
        if depth == 0:
            break
    get_event()  # DOCUMENT-END
    event = get_event()
    if event.__class__ is not StreamEndEvent:
        raise ComposerError(
            "expected a single document in the stream",
            root.start_mark,
            "but found another document",
            event.start_mark,
        )


class _Frame:
    """A sequence or mapping being filled, and where its next item goes."""

    __slots__ = ("items", "key", "mapping", "next_path", "path", "skip_next")

    def __init__(self, path: PathKey, items: list[Any] | dict[str, Any]) -> None:
        self.path = path
        self.items = items
        self.mapping = items.__class__ is dict
        # A mapping's next value: its key and its path; None while a key is due.
        self.key = ""
        self.next_path: PathKey | None = None
        self.skip_next = False  # the next value follows a duplicate key: passed over


class _Builder:
    """Plain values from node events, with their positions, refusals and limits.

    Events come live from the parser, or replayed from `anchors` for an alias: an alias is read as
    a copy of its anchored node at the alias's own path, counted against MAX_NODES value by value,
    so that a billion laughs is refused after 400,000 of them.
    """

    def __init__(self, document: Document, anchors: _Anchors) -> None:
        self.document = document
        self.anchors = anchors
        self.budget = MAX_NODES
        # The document is read as a mapping whose one key, "", is due at path (): its root.
        self.top: dict[str, Any] = {}
        frame = _Frame((), self.top)
        frame.next_path = ()
        self.stack = [frame]

    @property
    def value(self) -> Any:
        """The document's value once filled: None if it has none."""
        return self.top.get("")

    def fill(self, events: Iterator[_Event]) -> None:
        """Put node events into the open collections, in document order, until `events` ends."""
        # Most of the time spent reading a large file is in this loop, run once per event: what it
        # does for a key and for a value is written inline, only what is rare goes to helpers.
        stack = self.stack
        document = self.document
        values, keys = document.values, document.keys
        for event in events:
            kind = event.__class__
            if kind is SequenceEndEvent or kind is MappingEndEvent:
                stack.pop()
                continue
            frame = stack[-1]
            if frame.skip_next:  # the value of a duplicate key: read past, aliases unexpanded
                frame.skip_next = False
                if kind is SequenceStartEvent or kind is MappingStartEvent:
                    _pass_over(events)
                continue
            if kind is AliasEvent:
                self._replay(event)
                continue
            path: PathKey | None
            if not frame.mapping:
                path = (*frame.path, len(frame.items))
            elif frame.next_path is None:  # a key: text, not given before in this mapping
                if kind is not ScalarEvent:
                    raise self._problem(event, "a key must be plain text")
                key: str = event.value
                path = (*frame.path, key)
                if key in frame.items:
                    self._duplicate(event, path)
                    frame.skip_next = True
                else:
                    mark = event.start_mark
                    keys[path] = Position(mark.line + 1, mark.column + 1)
                    frame.key = key
                    frame.next_path = path
                continue
            else:
                path = frame.next_path
                frame.next_path = None
            self.budget -= 1
            if self.budget < 0:
                message = f"more than {MAX_NODES:,} values (aliases expanding?); refused"
                raise YamlProblem(document.at(path, message))
            if len(path) > MAX_DEPTH:  # only an alias takes a value deeper than the parser allows
                raise self._problem(event, f"nested deeper than {MAX_DEPTH}")
            mark = event.start_mark
            position = values[path] = Position(mark.line + 1, mark.column + 1)
            value: Any
            # An untagged node always resolves to a core tag: the one implicit tag outside the core,
            # !!yaml, is for `!`, `&` and `*`, which a plain scalar cannot be.
            if event.tag is not None and (tag := _refused_tag(event)):
                document.refuse(position, path, f"tag {tag!r} is not allowed")
                value = None
            elif kind is ScalarEvent:
                value = _scalar(event, path, position, document)
            else:
                value = [] if kind is SequenceStartEvent else {}
            if frame.mapping:
                frame.items[frame.key] = value  # type: ignore[call-overload]
            else:
                frame.items.append(value)  # type: ignore[union-attr]
            if kind is not ScalarEvent:
                if value is None:  # refused by its tag: its items are not read
                    _pass_over(events)
                else:
                    stack.append(_Frame(path, value))

    def _replay(self, alias: _Event) -> None:
        """The anchored node's events again, where the alias stands.

        An alias inside its own anchored node replays what is recorded so far, itself included: a
        node that holds itself nests deeper with every copy, until MAX_DEPTH or MAX_NODES refuses
        the file, as it did when the alias shared the node.
        """
        anchors = self.anchors
        start = anchors.starts[alias.anchor]
        end = anchors.ends.get(alias.anchor, len(anchors.recorded))
        self.fill(iter(anchors.recorded[start:end]))

    def _duplicate(self, event: _Event, path: PathKey) -> None:
        """Report a key given twice in a mapping: the first one's value is kept."""
        document = self.document
        first = document.keys[path]
        message = f"duplicate key {path[-1]!r} (first given at line {first.line})"
        mark = event.start_mark
        document.problems.append(
            document.error_at(mark.line + 1, mark.column + 1, message, format_path(path))
        )

    def _problem(self, event: _Event, message: str) -> YamlProblem:
        """The file refused, at the event's node."""
        mark = event.start_mark
        return YamlProblem(self.document.error_at(mark.line + 1, mark.column + 1, message))


def _pass_over(events: Iterator[_Event]) -> None:
    """Read past the rest of a collection whose start was just read."""
    depth = 1
    for event in events:
        kind = event.__class__
        if kind is SequenceStartEvent or kind is MappingStartEvent:
            depth += 1
        elif kind is SequenceEndEvent or kind is MappingEndEvent:
            depth -= 1
            if depth == 0:
                return


_RESOLVER = yaml.resolver.Resolver()


def _refused_tag(event: _Event) -> str:
    """An explicit tag outside the core schema, as editors write it (`!!binary`), or ""."""
    tag: str = event.tag
    if tag == "!":  # the non-specific tag: resolved by PyYAML's rules, as the composer did
        if event.__class__ is not ScalarEvent:
            return ""  # a sequence or a mapping, then
        tag = _RESOLVER.resolve(yaml.ScalarNode, event.value, event.implicit)  # type: ignore[no-untyped-call]
    if tag in _CORE_TAGS:
        return ""
    return tag.replace("tag:yaml.org,2002:", "!!")


# What a YAML stream may not hold (control characters, noncharacters, lone surrogates) may not be
# smuggled in through a double-quoted escape either: "\0" or "\ud800" would reach every output,
# and a lone surrogate cannot even be written as UTF-8.
UNWRITABLE = yaml.reader.Reader.NON_PRINTABLE


def character_problem(code: int) -> str:
    """Why a character found by UNWRITABLE is refused."""
    if 0xD800 <= code <= 0xDFFF:
        return f"U+{code:04X} is half of a surrogate pair, not a character; write the character itself"
    return f"character U+{code:04X} is not allowed (a control character or noncharacter); delete it"


def _scalar(event: _Event, path: PathKey, position: Position, document: Document) -> Any:
    value: str = event.value
    found = UNWRITABLE.search(value)
    if found:
        document.refuse(position, path, character_problem(ord(found.group())))
        return None
    if event.style:  # quoted or block; plain is None from PyYAML, "" from libyaml
        return value
    if value in _WORDS:
        return _WORDS[value]
    if value[0] not in _NUMERIC:  # most text, spared two regular expressions
        return value
    if _INT.fullmatch(value):
        try:
            return int(value)
        except ValueError:  # Python refuses to read integers of more than 4,300 digits
            digits = sum(ch.isdigit() for ch in value)
            message = f"a number of {digits:,} digits is too long; put it in quotes if it is text"
            document.refuse(position, path, message)
            return None
    if _FLOAT.fullmatch(value):
        return float(value)
    return value
