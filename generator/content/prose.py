"""Checks on Markdown prose that must run before any output renders it.

Python-Markdown nests lists and quotes by recursion: a pasted line of a few hundred `- ` (a few
hundred bytes) exhausts Python's stack, and deeply indented lists take time quadratic in their depth.
No help text needs more than a few levels, so prose nested deeper than MAX_DEPTH is refused here,
with its line, instead of failing in the renderer without one.
"""

from __future__ import annotations

import re

from generator.content.yamlsource import MAX_DEPTH

# A list item's bullet or number, or a quote's `>`, at the start of what is left of a line.
_MARKER = re.compile(r"(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$)|>")
# Python-Markdown's tab length: each four columns of indentation before a marker is one level.
_INDENT = 4


def nesting(line: str) -> int:
    """How deep a line nests lists and quotes: its markers, and its indentation before them."""
    rest = line.expandtabs(_INDENT)
    depth = 0
    while True:
        stripped = rest.lstrip(" ")
        marker = _MARKER.match(stripped)
        if marker is None:
            return depth
        depth += 1 + (len(rest) - len(stripped)) // _INDENT
        rest = stripped[marker.end() :]


def too_deep(text: str) -> int | None:
    """The 1-based number of the first line nested deeper than MAX_DEPTH, or None."""
    # Lines as editors count them: only LF ends one (splitlines would also split at \x0c or \x85).
    for number, line in enumerate(text.split("\n"), 1):
        if nesting(line) > MAX_DEPTH:
            return number
    return None


TOO_DEEP = f"lists or quotes nested deeper than {MAX_DEPTH} levels"
