"""Outputs: pure functions from the model to {relative path: bytes}. They never read the clock."""

from __future__ import annotations

Files = dict[str, bytes]


class TemplateProblem(Exception):
    """A template that failed to render, placed as `file:line:1: message` like content errors."""

    def __init__(self, file: str, line: int, message: str) -> None:
        super().__init__(f"{file}:{line}:1: template error: {message}")
        self.place = (file, line, message)

    def __reduce__(self) -> tuple[type[TemplateProblem], tuple[str, int, str]]:
        # Raised in a worker process, it travels back pickled: rebuilt from its parts.
        return TemplateProblem, self.place
