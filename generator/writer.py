"""The only module that touches the output folder: stage everything, then swap it into place.

A build is written in full to a staging folder beside the output, then exchanged with the output in
one atomic step (Linux renameat2 RENAME_EXCHANGE). Where that call is missing, two renames are
used, and a build killed between them is repaired by the next run. Either way, readers of the
output folder see a complete earlier build or a complete new one.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import glob
import os
import shutil
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from generator.outputs import Files

MARKER = ".canales-site"
MARKER_TEXT = b"Built by canales. This folder is replaced whole on every build.\n"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class OutputError(OSError):
    """An output that cannot be written: a collision, an escaping path, a foreign folder.

    An OSError, as a folder that cannot be written is: the command line reports it in one line,
    without a traceback.
    """


def merge(*parts: Files) -> Files:
    """Join the files of several outputs; two outputs may never claim the same path."""
    check_distinct(path for part in parts for path in part)
    merged: Files = {}
    for part in parts:
        for path in part:
            check_path(path)
        merged.update(part)
    return merged


def check_distinct(paths: Iterable[str]) -> int:
    """Refuse two paths that name one file on a case-blind host; returns how many there are."""
    folded: dict[str, str] = {}
    for path in paths:
        key = path.casefold()
        if key in folded:
            raise OutputError(f"two outputs write {path!r} (also {folded[key]!r})")
        folded[key] = path
    return len(folded)


def check_path(path: str) -> None:
    """Refuse a path that is absolute, climbs out, or is not plain POSIX."""
    # String tests only: a site of 10,000 contacts has 100,000 paths, and pathlib is slow.
    parts = path.split("/")
    if (
        not path
        or "\\" in path
        or "\0" in path
        or any(part in ("", ".", "..") for part in parts)  # "" also catches a leading "/"
        or parts[-1] == MARKER
    ):
        raise OutputError(f"output path {path!r} would leave the output folder or is not plain")


def write_site(files: Files, output: Path) -> None:
    """Write `files` as the new content of `output`, atomically."""
    with Staging(output) as staging:
        staging.write(files)
        staging.commit()


_MODE = 0o644


class Staging:
    """A new build, written in a folder beside `output`, then swapped into place by `commit`.

    Leaving the `with` block without committing (an error, an interrupt) removes it, and `output`
    stays as it was. `write` may be called from several processes forked once it is made: each
    file is created exclusively, so two outputs claiming one path fail instead of racing.

    A file whose bytes the previous build already holds is hard-linked from it instead of written:
    on some disks creating a file costs a hundred times what linking one does, and an unchanged
    file then keeps its modification time, which HTTP caches read.
    """

    def __init__(self, output: Path) -> None:
        self.output = output = output.absolute()
        output.parent.mkdir(parents=True, exist_ok=True)
        # Refused before the lock is taken, so that a refused build leaves nothing beside `output`.
        if output.exists() and not output.is_dir():
            raise OutputError(f"{output} exists and is not a folder")
        if output.is_dir() and any(output.iterdir()) and not (output / MARKER).is_file():
            raise OutputError(f"{output} is not empty and was not built by canales; refusing to replace it")
        self._lock = _lock(output)
        try:
            self._start()
        except BaseException:
            os.close(self._lock)
            raise

    def _start(self) -> None:
        output = self.output
        clean_leftovers(output)
        self.folder = Path(tempfile.mkdtemp(prefix=f".{output.name}.staging-", dir=output.parent))
        self.folder.chmod(0o755)
        self._root = os.open(self.folder, os.O_RDONLY | os.O_DIRECTORY)
        self._previous = os.open(output, os.O_RDONLY | os.O_DIRECTORY) if output.is_dir() else None
        self._made = {""}
        self._write_file(MARKER, MARKER_TEXT)

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc_info: object) -> None:
        os.close(self._root)
        if self._previous is not None:
            os.close(self._previous)
        # After a commit this holds the previous build.
        shutil.rmtree(self.folder, ignore_errors=True)
        os.close(self._lock)

    def write(self, files: Files) -> int:
        """Write `files` into the new build; returns their size in bytes."""
        for relative, data in sorted(files.items()):
            check_path(relative)
            self._write_file(relative, data)
        return sum(map(len, files.values()))

    def commit(self) -> None:
        """Put the new build in place of the output, in one step."""
        _swap(self.folder, self.output)

    def _write_file(self, relative: str, data: bytes) -> None:
        # Plain os calls relative to the folders' descriptors: a site of 10,000 contacts has
        # 50,000 files, and pathlib's joins and chmod by path cost more than the writes themselves.
        _make_folders(self._root, relative.rpartition("/")[0], self._made)
        if self._previous is not None and _link_if_unchanged(self._previous, self._root, relative, data):
            return
        try:
            descriptor = os.open(relative, os.O_WRONLY | os.O_CREAT | os.O_EXCL, _MODE, dir_fd=self._root)
        except FileExistsError:
            raise OutputError(f"two outputs write {relative!r}") from None
        with os.fdopen(descriptor, "wb") as stream:
            os.fchmod(descriptor, _MODE)
            stream.write(data)


def lock_path(output: Path) -> Path:
    """The file beside `output` that builds of it lock; it stays there, as unlinking a lock file
    would let a build that opened it just before lock a file no other build can find."""
    return output.parent / f".{output.name}.lock"


def _lock(output: Path) -> int:
    """Take the output's lock, a file beside it, or raise OutputError if another build has it: two
    builds of one output would each remove the other's staging folder as a killed build's. The
    system releases the lock when the process ends, however it ends."""
    descriptor = os.open(lock_path(output), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(descriptor)
        raise OutputError(f"another build is writing {output}; run this one once it has finished") from None
    return descriptor


def _link_if_unchanged(old: int, new: int, relative: str, data: bytes) -> bool:
    """Hard-link `relative` from the folder `old` into `new` if it is a plain file of the same
    mode and bytes; False when it must be written. The old file is only read, never changed."""
    try:
        descriptor = os.open(relative, os.O_RDONLY | os.O_NOFOLLOW, dir_fd=old)
    except OSError:
        return False
    with os.fdopen(descriptor, "rb") as stream:
        status = os.fstat(descriptor)
        unchanged = (
            stat.S_ISREG(status.st_mode)
            and stat.S_IMODE(status.st_mode) == _MODE
            and status.st_size == len(data)
            and stream.read() == data
        )
    if not unchanged:
        return False
    try:
        os.link(relative, relative, src_dir_fd=old, dst_dir_fd=new, follow_symlinks=False)
    except FileExistsError:
        raise OutputError(f"two outputs write {relative!r}") from None
    except OSError:  # another file system, a link limit: write it instead
        return False
    return True


def _make_folders(root: int, folder: str, made: set[str]) -> None:
    """Make `folder` (relative to the descriptor `root`) and its parents, once each."""
    if folder in made:
        return
    _make_folders(root, folder.rpartition("/")[0], made)
    with contextlib.suppress(FileExistsError):  # made by another process writing the same build
        os.mkdir(folder, 0o755, dir_fd=root)
        os.chmod(folder, 0o755, dir_fd=root)
    made.add(folder)


def _swap(staging: Path, output: Path) -> None:
    """Put `staging` at `output`; afterwards `staging` holds the previous build, if any."""
    if not output.exists():
        os.rename(staging, output)
        return
    if _exchange(staging, output):
        return
    old = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=output.parent))
    os.rmdir(old)
    os.rename(output, old)
    os.rename(staging, output)
    os.rename(old, staging)


def _exchange(first: Path, second: Path) -> bool:
    """Atomically exchange two paths where the system can (Linux ≥ 3.15); False elsewhere."""
    # The symbols this process has loaded, the C library's among them: find_library would run
    # ldconfig in a subprocess, and ctypes.util import subprocess, for every build.
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    return bool(result == 0)


def clean_leftovers(output: Path) -> None:
    """Remove what killed builds left beside `output`, restoring it if a swap was cut short."""
    parent = output.parent
    if not parent.is_dir():
        return
    # Escaped, so that an output named like a pattern ("site[1]", "a*") matches only its own.
    name = glob.escape(output.name)
    olds = sorted(parent.glob(f".{name}.old-*"))
    if olds and not output.exists():
        os.rename(olds.pop(), output)
    for leftover in [*olds, *parent.glob(f".{name}.staging-*")]:
        shutil.rmtree(leftover, ignore_errors=True)
