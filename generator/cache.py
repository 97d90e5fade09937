"""The build cache: what is slow to make, kept between builds, keyed by everything that decides it.

There is one way in, `BuildCache.keep(namespace, record, make)`. A namespace is registered once, by
the module that makes its bytes, with the libraries and our own modules that decide them; an
entry's key is derived from the namespace's code version (those libraries' versions, our modules'
source, Python's version) and the record (a NamedTuple or plain value whose repr is all it holds).
No caller assembles a key, so no caller can forget part of one.

On disk each entry starts with a digest of its key and its value, checked before use: a damaged,
cut, unreadable or foreign entry is made again, never published, and counted for one warning line.
Entries are written atomically. Entries unused for `MAX_AGE_DAYS` are removed at the end of a build,
at most once a day. A namespace whose library version cannot be found is kept in memory only.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import itertools
import json
import os
import re
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

MAX_AGE_DAYS = 30
# A hit refreshes its entry's time at most this often: one write per entry a day, not per build.
TOUCH_AFTER_SECONDS = 24 * 3600
PRUNE_EVERY_SECONDS = 24 * 3600
_DIGEST = hashlib.sha256().digest_size
_ENTRY_NAME = re.compile(r"[0-9a-f]{64}")
_TAG = "CACHEDIR.TAG"
_TAG_TEXT = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# The build cache of canales (https://bford.info/cachedir/): safe to delete, made again.\n"
)
_PRUNED = ".last-pruned"
_writes = itertools.count()


class Namespace(NamedTuple):
    """What decides a kind of entry besides its record: distributions by name, our modules by name."""

    name: str
    packages: tuple[str, ...]
    modules: tuple[str, ...]


NAMESPACES: dict[str, Namespace] = {}


def register(name: str, *, packages: Sequence[str], modules: Sequence[str]) -> str:
    """Declare a namespace once, from the module that makes its entries; returns its name.

    `packages` are distribution names (PyPI's); `modules` our modules' import names. A change to
    any of them, or to Python's version, changes every key of the namespace.
    """
    namespace = Namespace(name, tuple(packages), tuple(modules))
    if NAMESPACES.get(name, namespace) != namespace:
        raise ValueError(f"cache namespace {name!r} is registered twice, differently")
    NAMESPACES[name] = namespace
    return name


_code_versions: dict[str, str | None] = {}


def code_version(name: str) -> str | None:
    """The namespace's code version, or None when a library's version is unknown (then nothing
    of it is kept on disk: a key that never changed across upgrades would serve stale bytes)."""
    if name not in _code_versions:
        namespace = NAMESPACES[name]
        versions = [distribution_version(package) for package in namespace.packages]
        if None in versions:
            _code_versions[name] = None
        else:
            source = hashlib.sha256()
            for module in namespace.modules:
                source.update(_module_source(module))
            python = "python {}.{}".format(*sys.version_info[:2])
            named = " ".join(f"{p} {v}" for p, v in zip(namespace.packages, versions, strict=True))
            _code_versions[name] = f"{python} {named} code {source.hexdigest()}"
    return _code_versions[name]


def _module_source(module: str) -> bytes:
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        raise ValueError(f"cache namespace names a module that is not there: {module}")
    return Path(spec.origin).read_bytes()


def normalise(name: str) -> str:
    """A distribution's name as PEP 503 compares them: "Jinja2" and "jinja2", "a_b" and "a-b"."""
    return re.sub(r"[-_.]+", "-", name).lower()


_installed: dict[str, str] | None = None


def distribution_version(name: str) -> str | None:
    """An installed distribution's version, from its .dist-info folder's name on sys.path (the
    first found, as imports find them); None when it is not there. importlib.metadata would read
    every distribution's metadata, which costs more than a warm build saves."""
    global _installed
    if _installed is None:
        _installed = {}
        for folder in sys.path:
            try:
                entries = os.listdir(folder or ".")
            except OSError:
                continue
            for entry in entries:
                if entry.endswith(".dist-info"):
                    project, _, version = entry.removesuffix(".dist-info").partition("-")
                    if version and "-" not in version:
                        _installed.setdefault(normalise(project), version)
    return _installed.get(normalise(name))


class BuildCache:
    """Bytes made once, found again by their namespace and record: in memory, then in `folder`.

    Without a folder (`--no-cache`, tests) entries live only as long as the object.
    """

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        self.memory: dict[str, bytes] = {}
        self.used: set[str] = set()
        self.damaged = 0
        self._now = time.time()

    def keep(self, namespace: str, record: object, make: Callable[[], bytes]) -> bytes:
        """The bytes kept for `record`, else `make()`'s, which are kept for next time."""
        digest, persist = self._key(namespace, record)
        self.used.add(digest)
        if digest in self.memory:
            return self.memory[digest]
        value = self._read(namespace, digest) if persist else None
        if value is None:
            value = make()
            if persist:
                self._write(namespace, digest, value)
        self.memory[digest] = value
        return value

    def answer(self, namespace: str, question: object, ask: Callable[[], Any]) -> Any:
        """A library's answer to `question` (JSON values in and out), asked only when not kept."""
        return json.loads(self.keep(namespace, question, lambda: json.dumps(ask()).encode()))

    def find(self, namespace: str, record: object) -> bytes | None:
        """The bytes kept for `record`, or None; for makers that are handed bytes (Jinja)."""
        digest, persist = self._key(namespace, record)
        self.used.add(digest)
        if digest not in self.memory and persist:
            value = self._read(namespace, digest)
            if value is not None:
                self.memory[digest] = value
        return self.memory.get(digest)

    def has(self, namespace: str, record: object) -> bool:
        """Whether `record` is kept, without reading it (a damaged entry counts, and is remade
        when read)."""
        digest, persist = self._key(namespace, record)
        return digest in self.memory or (
            persist and self.folder is not None and os.path.exists(self._path(namespace, digest))
        )

    def put(self, namespace: str, record: object, value: bytes) -> None:
        """Keep bytes made elsewhere (in a worker process, or by Jinja)."""
        digest, persist = self._key(namespace, record)
        if persist:
            self._write(namespace, digest, value)
        self.used.add(digest)
        self.memory[digest] = value

    def forget_unused(self) -> None:
        """Drop from memory what was not used since the last call: a long-lived process (`serve`)
        then holds one build's entries, not every edit's."""
        self.memory = {digest: value for digest, value in self.memory.items() if digest in self.used}
        self.used = set()

    def warning(self) -> str | None:
        """One line about damaged entries met so far, or None."""
        if not self.damaged:
            return None
        entries = "entry was" if self.damaged == 1 else "entries were"
        return f"{self.damaged} damaged {entries} made again in the build cache {self.folder}"

    def _key(self, namespace: str, record: object) -> tuple[str, bool]:
        version = code_version(namespace)
        text = f"{namespace}\0{version}\0{record!r}"
        return hashlib.sha256(text.encode()).hexdigest(), version is not None and self.folder is not None

    def _path(self, namespace: str, digest: str) -> str:
        # A string, not pathlib: its joins cost more than the read on 10,000 entries.
        return f"{self.folder}/{namespace}/{digest}"

    def _read(self, namespace: str, digest: str) -> bytes | None:
        path = self._path(namespace, digest)
        try:
            with open(path, "rb") as entry:
                data = entry.read()
                modified = os.fstat(entry.fileno()).st_mtime
        except FileNotFoundError:
            return None
        except OSError:
            self.damaged += 1
            return None
        check, value = data[:_DIGEST], data[_DIGEST:]
        if check != _check(digest, value):
            self.damaged += 1
            return None
        if self._now - modified > TOUCH_AFTER_SECONDS:
            with contextlib.suppress(OSError):  # a use keeps it from being pruned
                os.utime(path)
        return value

    def _write(self, namespace: str, digest: str, value: bytes) -> None:
        assert self.folder is not None
        folder = self.folder / namespace
        try:
            if not folder.is_dir():
                folder.mkdir(parents=True, exist_ok=True)
                _tag(self.folder)
            # A name of this process's own (workers are processes), replaced into place whole.
            temporary = f"{folder}/.tmp-{os.getpid()}-{next(_writes)}"
            with open(temporary, "xb") as file:
                file.write(_check(digest, value) + value)
            os.replace(temporary, folder / digest)
        except OSError:
            pass  # a cache that cannot be written only costs time

    def prune(self) -> int:
        """Remove entries unused for MAX_AGE_DAYS, at most once a day; returns how many went."""
        if self.folder is None or not self.folder.is_dir():
            return 0
        stamp = self.folder / _PRUNED
        try:
            if self._now - stamp.stat().st_mtime < PRUNE_EVERY_SECONDS:
                return 0
        except OSError:
            pass
        try:
            stamp.touch()
        except OSError:
            return 0
        oldest = self._now - MAX_AGE_DAYS * 24 * 3600
        removed = 0
        for path, status in _entries(self.folder):
            stale_temporary = path.name.startswith(".tmp-") and status.st_mtime < self._now - 3600
            if status.st_mtime < oldest or stale_temporary:
                try:
                    path.unlink()
                    removed += 1
                except OSError:
                    pass
        return removed


def _check(digest: str, value: bytes) -> bytes:
    """What an entry starts with: a digest of its key (its file name) and its value, so that a
    damaged entry, or one copied under another entry's name, is never taken for it."""
    return hashlib.sha256(bytes.fromhex(digest) + value).digest()


def _tag(folder: Path) -> None:
    """Mark the folder as a cache (backup tools skip it), and as ours for `cache clear`."""
    tag = folder / _TAG
    if not tag.exists():
        tag.write_text(_TAG_TEXT, encoding="utf-8")


def _entries(folder: Path) -> Iterator[tuple[Path, os.stat_result]]:
    """Every entry and unfinished write in the cache's namespace folders."""
    for namespace in sorted(folder.iterdir()):
        if not namespace.is_dir() or namespace.is_symlink():
            continue
        for path in sorted(namespace.iterdir()):
            if _ENTRY_NAME.fullmatch(path.name) or path.name.startswith(".tmp-"):
                try:
                    yield path, path.lstat()
                except OSError:
                    continue


class NamespaceUse(NamedTuple):
    name: str
    entries: int
    size: int


def info(folder: Path) -> list[NamespaceUse]:
    """Entries and bytes kept, per namespace folder."""
    uses: dict[str, list[int]] = {}
    if folder.is_dir():
        for path, status in _entries(folder):
            use = uses.setdefault(path.parent.name, [0, 0])
            use[0] += 1
            use[1] += status.st_size
    return [NamespaceUse(name, entries, size) for name, (entries, size) in sorted(uses.items())]


def clear(folder: Path) -> int:
    """Remove every entry; returns how many. Only a folder that the cache tagged as its own is
    touched, so a mistyped $CANALES_CACHE_DIR never empties anything else."""
    if not folder.is_dir():
        return 0
    if not (folder / _TAG).is_file():
        raise ValueError(f"{folder} is not a canales build cache (it has no {_TAG}); nothing was removed")
    removed = 0
    for path, _status in list(_entries(folder)):
        path.unlink(missing_ok=True)
        removed += 1
    for namespace in folder.iterdir():
        if namespace.is_dir() and not namespace.is_symlink() and not any(namespace.iterdir()):
            namespace.rmdir()
    (folder / _PRUNED).unlink(missing_ok=True)
    return removed


def default_folder() -> Path:
    """$CANALES_CACHE_DIR, else the user's cache folder ($XDG_CACHE_HOME or ~/.cache) /canales."""
    if os.environ.get("CANALES_CACHE_DIR"):
        return Path(os.environ["CANALES_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "canales"
