"""YAML read with positions kept, under a small and safe subset of YAML.

Nodes are composed (never constructed), so no tag can run code, and scalars are resolved by
YAML 1.2 core rules: `no` stays text, `19:00` stays text, dates stay text for the schema to parse.
Every value's position is kept in a side table keyed by its path, so the model stays plain.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
import yaml.composer
import yaml.resolver

from generator.content.errors import ContentError

MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_NODES = 400_000
MAX_DEPTH = 32

PathKey = tuple[str | int, ...]

_CORE_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp", "merge", "value")
}
_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")


@dataclass(frozen=True)
class Position:
    """A 1-based line and column."""

    line: int
    column: int


@dataclass
class Document:
    """A YAML file's data, with the position of every value and every mapping key."""

    file: str
    data: Any
    lines: list[str] = field(default_factory=list)
    values: dict[PathKey, Position] = field(default_factory=dict)
    keys: dict[PathKey, Position] = field(default_factory=dict)
    problems: list[ContentError] = field(default_factory=list)
    # Values refused while reading (a tag, a control character): already reported, read as null.
    refused: set[PathKey] = field(default_factory=set)

    def refuse(self, node: yaml.Node, path: PathKey, message: str) -> None:
        """Report a value that cannot be read; the schema then says nothing more about it."""
        self.problems.append(self.error_at(node.start_mark.line + 1, node.start_mark.column + 1, message))
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
        root = _compose(text)
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
    budget = [MAX_NODES]
    document.data = _convert(root, (), document, budget)
    return document


def _compose(text: str) -> yaml.Node | None:
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


class _TooDeep(Exception):
    def __init__(self, mark: Any) -> None:
        super().__init__(str(mark))
        self.mark = mark


try:  # libyaml's C scanner and parser, where PyYAML was built with it (its wheels are)
    from yaml._yaml import CParser as _Parser

    _C_PARSER = True
except ImportError:  # pragma: no cover - pure-Python PyYAML
    from yaml.parser import Parser as _Parser  # type: ignore[assignment]
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    _C_PARSER = False


class _Loader(yaml.composer.Composer, _Parser, yaml.resolver.Resolver):
    """libyaml's scanner and parser, with PyYAML's own composer and a nesting limit.

    Scanning and parsing in C is ten times faster. Composing stays in Python, because libyaml's
    composer recurses in C with no limit, and PyYAML's recurses in Python: a file of a few thousand
    `[` would crash the first and exhaust the second's stack (a RecursionError, a traceback) long
    before `_convert` could count the depth. Nothing here constructs Python objects.
    """

    def __init__(self, stream: str) -> None:
        if _C_PARSER:
            _Parser.__init__(self, stream)
        else:  # pragma: no cover
            Reader.__init__(self, stream)  # type: ignore[arg-type]
            Scanner.__init__(self)  # type: ignore[arg-type]
            _Parser.__init__(self)  # type: ignore[call-arg]
        yaml.composer.Composer.__init__(self)
        yaml.resolver.Resolver.__init__(self)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        self._depth += 1
        try:
            # The root is at depth 1 and its path is (); `_convert` counts path length.
            if self._depth > MAX_DEPTH + 1:
                raise _TooDeep(self.peek_event().start_mark)  # type: ignore[union-attr]
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


# What a YAML stream may not hold (control characters, noncharacters, lone surrogates) may not be
# smuggled in through a double-quoted escape either: "\0" or "\ud800" would reach every output,
# and a lone surrogate cannot even be written as UTF-8.
UNWRITABLE = yaml.reader.Reader.NON_PRINTABLE


def character_problem(code: int) -> str:
    """Why a character found by UNWRITABLE is refused."""
    if 0xD800 <= code <= 0xDFFF:
        return f"U+{code:04X} is half of a surrogate pair, not a character; write the character itself"
    return f"character U+{code:04X} is not allowed (a control character or noncharacter); delete it"


def _mark(node: yaml.Node) -> Position:
    return Position(node.start_mark.line + 1, node.start_mark.column + 1)


def _convert(node: yaml.Node | None, path: PathKey, document: Document, budget: list[int]) -> Any:
    if node is None:
        return None
    budget[0] -= 1
    if budget[0] < 0:
        raise YamlProblem(document.at(path, f"more than {MAX_NODES:,} values (aliases expanding?); refused"))
    if len(path) > MAX_DEPTH:
        raise YamlProblem(document.error_at(*_position_tuple(node), f"nested deeper than {MAX_DEPTH}"))
    document.values[path] = _mark(node)
    if node.tag not in _CORE_TAGS:
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        document.refuse(node, path, f"tag {tag!r} is not allowed")
        return None
    if isinstance(node, yaml.ScalarNode):
        found = UNWRITABLE.search(node.value)
        if found:
            document.refuse(node, path, character_problem(ord(found.group())))
            return None
        try:
            return _scalar(node)
        except ValueError:  # Python refuses to read integers of more than 4,300 digits
            digits = sum(ch.isdigit() for ch in node.value)
            document.refuse(
                node, path, f"a number of {digits:,} digits is too long; put it in quotes if it is text"
            )
            return None
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, (*path, i), document, budget) for i, item in enumerate(node.value)]
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlProblem(document.error_at(*_position_tuple(key_node), "a key must be plain text"))
            key = str(key_node.value)
            if key in result:
                first = document.keys[(*path, key)]
                document.problems.append(
                    document.error_at(
                        *_position_tuple(key_node),
                        f"duplicate key {key!r} (first given at line {first.line})",
                        format_path((*path, key)),
                    )
                )
                continue
            document.keys[(*path, key)] = _mark(key_node)
            result[key] = _convert(value_node, (*path, key), document, budget)
        return result
    raise YamlProblem(document.error_at(*_position_tuple(node), "unsupported YAML node"))


def _position_tuple(node: yaml.Node) -> tuple[int, int]:
    position = _mark(node)
    return position.line, position.column


def _scalar(node: yaml.ScalarNode) -> Any:
    value: str = node.value
    if node.style:  # quoted or block; plain is None from PyYAML, "" from libyaml
        return value
    if value in _NULL:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if _INT.fullmatch(value):
        return int(value)
    if _FLOAT.fullmatch(value):
        return float(value)
    return value
