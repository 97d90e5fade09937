"""Content errors carry the place an editor must fix: file, line and column."""

from pathlib import Path
from typing import NamedTuple


class ContentError(NamedTuple):
    """One problem in the content, at a 1-based line and column of a file.

    `field` is the path of the offending value ("schedules[0].weekly[1].closes") and `source` the
    text of its line, for the compiler-style excerpt.
    """

    file: str
    line: int
    column: int
    message: str
    field: str = ""
    source: str = ""
    # Set when the problem is a text, strings file or page missing in this language, so that
    # `check` can tell translators what is left to do.
    missing_language: str = ""

    @property
    def place(self) -> tuple[str, int, int, str]:
        """What makes two errors the same: where, and what."""
        return self.file, self.line, self.column, self.message

    def __str__(self) -> str:
        where = f"{self.field}: " if self.field else ""
        return f"{self.file}:{self.line}:{self.column}: {where}{self.message}"

    def render(self) -> str:
        """The message, then the source line with a caret under the column, as compilers show it.

        What a terminal shows is made safe: control characters (a pasted escape sequence) appear as
        symbols, one for one so that the caret still lines up, and a long line (a minified paste)
        is cut to a window around the column.
        """
        message = _visible(str(self), keep_tabs=False)
        if not self.source:
            return message
        source, column = self.source, self.column
        if len(source) > EXCERPT_WIDTH:
            start = max(0, min(column - 1 - EXCERPT_WIDTH // 2, len(source) - EXCERPT_WIDTH))
            end = start + EXCERPT_WIDTH
            before, after = ("…" if start else ""), ("…" if end < len(source) else "")
            source = before + source[start:end] + after
            column += len(before) - start
        number = str(self.line)
        gutter = " " * len(number)
        # Keep tabs in the caret line so that the caret lines up under a tab-indented source.
        indent = "".join(ch if ch == "\t" else " " for ch in source[: column - 1])
        return f"{message}\n {number} | {_visible(source, keep_tabs=True)}\n {gutter} | {indent}^"


EXCERPT_WIDTH = 120
"""The most characters of a source line an error shows."""


def _visible(text: str, *, keep_tabs: bool) -> str:
    """`text` with each character a terminal would act on replaced by one it shows."""
    shown = []
    for ch in text:
        if ch.isprintable() or (keep_tabs and ch == "\t"):
            shown.append(ch)
        elif ord(ch) < 0x20:
            shown.append(chr(0x2400 + ord(ch)))  # the Control Pictures block: ␀ ␇ ␛ ...
        elif ch == "\x7f":
            shown.append("\u2421")  # ␡
        else:  # C1 controls, bidirectional overrides, line separators, unassigned
            shown.append("\ufffd")
    return "".join(shown)


class ContentErrors(Exception):
    """Raised once, with every problem found, when content cannot be built."""

    def __init__(self, errors: list[ContentError]) -> None:
        # One error per place and message, the first reported, in file order.
        first: dict[tuple[str, int, int, str], ContentError] = {}
        for error in errors:
            first.setdefault(error.place, error)
        self.errors = sorted(first.values())
        super().__init__("\n".join(str(error) for error in self.errors))

    def __reduce__(self) -> "tuple[type[ContentErrors], tuple[list[ContentError]]]":
        # Raised in the process that reads the content, it travels back pickled: rebuilt from them.
        return ContentErrors, (self.errors,)


def missing_translations(errors: list[ContentError]) -> dict[str, int]:
    """How many texts each language lacks, among `errors`."""
    counts: dict[str, int] = {}
    for error in errors:
        if error.missing_language:
            counts[error.missing_language] = counts.get(error.missing_language, 0) + 1
    return counts


def display_path(path: Path) -> str:
    """The path as an editor would type it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
