"""Outputs: pure functions from the model to {relative path: bytes}. They never read the clock."""

from __future__ import annotations

Files = dict[str, bytes]
