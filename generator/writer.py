"""The only module that touches the output folder: stage everything, then swap it into place.

A build is written in full to a staging folder beside the output, then exchanged with the output in
one atomic step (Linux renameat2 RENAME_EXCHANGE). Where that call is missing, two renames are
used, and a build killed between them is repaired by the next run. Either way, readers of the
output folder see a complete earlier build or a complete new one.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import glob
import os
import shutil
import tempfile
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
    merged: Files = {}
    folded: dict[str, str] = {}
    for part in parts:
        for path, data in part.items():
            check_path(path)
            key = path.casefold()
            if key in folded:
                raise OutputError(f"two outputs write {path!r} (also {folded[key]!r})")
            folded[key] = path
            merged[path] = data
    return merged


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
    output = output.absolute()
    parent = output.parent
    parent.mkdir(parents=True, exist_ok=True)
    clean_leftovers(output)
    if output.exists() and not output.is_dir():
        raise OutputError(f"{output} exists and is not a folder")
    if output.is_dir() and any(output.iterdir()) and not (output / MARKER).is_file():
        raise OutputError(f"{output} is not empty and was not built by canales; refusing to replace it")
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.staging-", dir=parent))
    try:
        _fill(staging, files)
        _swap(staging, output)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _fill(folder: Path, files: Files) -> None:
    folder.chmod(0o755)
    made: set[Path] = {folder}
    for relative, data in sorted({**files, MARKER: MARKER_TEXT}.items()):
        path = folder / relative
        for directory in reversed(path.parents):
            if directory not in made and folder in directory.parents:
                directory.mkdir(exist_ok=True)
                directory.chmod(0o755)
                made.add(directory)
        path.write_bytes(data)
        path.chmod(0o644)


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
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    libc = ctypes.CDLL(name, use_errno=True)
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
