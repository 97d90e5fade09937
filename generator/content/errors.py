"""Content errors carry the place an editor must fix: file, line and column."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class ContentError:
    """One problem in the content, at a 1-based line and column of a file.

    `field` is the path of the offending value ("schedules[0].weekly[1].closes") and `source` the
    text of its line, for the compiler-style excerpt; neither takes part in comparisons.
    """

    file: str
    line: int
    column: int
    message: str
    field: str = dataclasses.field(default="", compare=False)
    source: str = dataclasses.field(default="", compare=False)
    # Set when the problem is a text, strings file or page missing in this language, so that
    # `check` can tell translators what is left to do.
    missing_language: str = dataclasses.field(default="", compare=False)

    def __str__(self) -> str:
        where = f"{self.field}: " if self.field else ""
        return f"{self.file}:{self.line}:{self.column}: {where}{self.message}"

    def render(self) -> str:
        """The message, then the source line with a caret under the column, as compilers show it."""
        if not self.source:
            return str(self)
        number = str(self.line)
        gutter = " " * len(number)
        # Keep tabs in the caret line so that the caret lines up under a tab-indented source.
        indent = "".join(ch if ch == "\t" else " " for ch in self.source[: self.column - 1])
        return f"{self}\n {number} | {self.source}\n {gutter} | {indent}^"


class ContentErrors(Exception):
    """Raised once, with every problem found, when content cannot be built."""

    def __init__(self, errors: list[ContentError]) -> None:
        self.errors = sorted(set(errors))
        super().__init__("\n".join(str(error) for error in self.errors))


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
