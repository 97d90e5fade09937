"""A cache for slow pure functions of the content, kept in memory and on disk between builds.

Drawing a QR code (choosing its best mask) is the slowest step of a build, and the codes of
unchanged contacts never change. Entries are keyed by a hash of everything that decides them, so
a stale entry cannot be found, and written atomically, so a killed build leaves none half-written.
The cache lives outside the output folder; without it, or when it cannot be written, everything
is simply computed again.
"""

from __future__ import annotations

import functools
import importlib.util
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any


class BuildCache:
    """Bytes made by `make`, found again by their key: in memory, then in `folder` if given."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        self.memory: dict[str, bytes] = {}

    def get_or_make(self, namespace: str, key: str, make: Callable[[], bytes]) -> bytes:
        """The bytes kept under `key`, else `make()`'s, which are kept for next time."""
        digest = _digest(namespace, key)
        if digest in self.memory:
            return self.memory[digest]
        value = self._read(namespace, digest)
        if value is None:
            value = make()
            self._write(namespace, digest, value)
        self.memory[digest] = value
        return value

    def answer(self, package: str, question: Sequence[object], ask: Callable[[], Any]) -> Any:
        """A library's answer to `question`, kept under the library's version: `ask()` runs only
        when the cache lacks it. Questions and answers are JSON values (lists come back as lists)."""
        import json

        key = json.dumps([package_version(package), *question], ensure_ascii=False)
        return json.loads(self.get_or_make(package, key, lambda: json.dumps(ask()).encode()))

    def has(self, namespace: str, key: str) -> bool:
        """Whether `key` is kept, without reading it."""
        digest = _digest(namespace, key)
        return digest in self.memory or (
            self.folder is not None and os.path.exists(f"{self.folder}/{namespace}/{digest}")
        )

    def put(self, namespace: str, key: str, value: bytes) -> None:
        """Keep bytes made elsewhere (in a worker process) under `key`."""
        digest = _digest(namespace, key)
        self._write(namespace, digest, value)
        self.memory[digest] = value

    def _read(self, namespace: str, digest: str) -> bytes | None:
        if self.folder is None:
            return None
        try:  # open() on a string: pathlib's joins cost more than the read on 10,000 entries
            with open(f"{self.folder}/{namespace}/{digest}", "rb") as entry:
                return entry.read()
        except OSError:
            return None

    def _write(self, namespace: str, digest: str, value: bytes) -> None:
        if self.folder is None:
            return
        folder = self.folder / namespace
        try:
            folder.mkdir(parents=True, exist_ok=True)
            import tempfile  # only to write: `check` reads the cache, and tempfile loads shutil and random

            handle, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-")
            with os.fdopen(handle, "wb") as file:
                file.write(value)
            os.replace(temporary, folder / digest)
        except OSError:
            pass  # a cache that cannot be written only costs time


def _digest(namespace: str, key: str) -> str:
    import hashlib  # at first use: `check` of content without public holidays never looks anything up

    return hashlib.sha256(f"{namespace}\0{key}".encode()).hexdigest()


@functools.cache
def package_version(name: str) -> str:
    """An installed package's version, read from its dist-info folder's name: importing the
    package, or importlib.metadata, would cost more than the cache saves."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return "?"
    site_packages = Path(next(iter(spec.submodule_search_locations))).parent
    for info in site_packages.glob(f"{name}-*.dist-info"):
        return info.name.removeprefix(f"{name}-").removesuffix(".dist-info")
    return "?"


def code_version(packages: tuple[str, ...], modules: tuple[str, ...]) -> str:
    """What decides how an output is written besides its content, for its cache key: the versions
    of the libraries that write it, and the source of our modules (file paths) that drive them."""
    import hashlib

    source = b"".join(Path(module).read_bytes() for module in modules)
    versions = " ".join(f"{package} {package_version(package)}" for package in packages)
    return f"{versions} code {hashlib.sha256(source).hexdigest()[:16]}"


def default_folder() -> Path:
    """$CANALES_CACHE_DIR, else the user's cache folder ($XDG_CACHE_HOME or ~/.cache) /canales."""
    if os.environ.get("CANALES_CACHE_DIR"):
        return Path(os.environ["CANALES_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "canales"


MEMORY = BuildCache()
"""The process's own cache, for renders that are given none (tests, benchmarks)."""
