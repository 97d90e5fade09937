"""Content hashes in asset names, so that hosts may cache assets for a year.

An asset's published name carries the first characters of its SHA-256: a changed favicon or QR
code gets a new name, and pages, rendered after this step, link the new one. Feeds and cards keep
stable names: subscribers and address books hold on to them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from generator.outputs import Files

HASH_LENGTH = 10


def fingerprinted(path: str, data: bytes) -> str:
    """`static/favicon.svg` → `static/favicon.0123456789.svg`: the hash before the last suffix."""
    digest = hashlib.sha256(data).hexdigest()[:HASH_LENGTH]
    pure = PurePosixPath(path)
    return str(pure.with_name(f"{pure.stem}.{digest}{pure.suffix}"))


def fingerprint(files: Files) -> tuple[Files, Mapping[str, str]]:
    """The files under their fingerprinted names, and each plain path's published name."""
    names = {path: fingerprinted(path, data) for path, data in files.items()}
    return {names[path]: data for path, data in files.items()}, names


def static_files(templates: Path) -> Files:
    """The files of `templates/static/`, published under `static/`."""
    static = templates / "static"
    return {
        "static/" + path.relative_to(static).as_posix(): path.read_bytes()
        for path in sorted(static.rglob("*"))
        if path.is_file()
    }
