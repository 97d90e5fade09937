"""Run a build's independent parts on every core: forked workers, so the model is never copied.

A large site spends most of its build rendering pages and cards per language, parts that share
nothing but the (read-only) model. Forked workers inherit the model and the compiled templates
as they are; only each part's small result travels back. Where fork is missing (Windows) or the
work is small, the parts simply run one after another in this process.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

Result = TypeVar("Result")

_PR_SET_PDEATHSIG = 1

# What this process's workers run, by index: set in each worker as it starts (fork copies it,
# nothing is pickled), never in the parent.
_parts: Sequence[Callable[[], object]] = ()


def cores() -> int:
    """How many cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def run(parts: Sequence[Callable[[], Result]], workers: int) -> Iterator[Result]:
    """Each part's result, in the order they finish, from up to `workers` forked processes.

    An exception raised by a part is raised here, and the other workers are stopped.
    """
    if workers <= 1 or len(parts) <= 1 or not hasattr(os, "fork"):
        yield from (part() for part in parts)
        return
    import multiprocessing  # only now: importing it takes longer than rendering the seed

    context = multiprocessing.get_context("fork")
    initargs = (parts, os.getpid())
    with context.Pool(min(workers, len(parts)), initializer=_adopt, initargs=initargs) as pool:
        # One part at a time, largest first as given: the last to finish decides the wall time.
        yield from pool.imap_unordered(_run_part, range(len(parts)), chunksize=1)


def call_apart(function: Callable[..., Result], *arguments: object) -> Result:
    """`function(*arguments)`, run in a forked process whose memory is given back when it ends;
    its result (or exception) travels back pickled. In this process where fork is missing."""
    if not hasattr(os, "fork"):
        return function(*arguments)
    import multiprocessing

    context = multiprocessing.get_context("fork")
    with context.Pool(1, initializer=_adopt, initargs=((), os.getpid())) as pool:
        return pool.apply(function, arguments)


def _adopt(parts: Sequence[Callable[[], object]], parent: int) -> None:
    global _parts
    _parts = parts
    _die_with_parent()
    if os.getppid() != parent:  # the parent died before the request above took effect
        os._exit(1)
    # Ctrl-C reaches the whole process group: the parent stops the pool, workers need not report.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run_part(index: int) -> object:
    return _parts[index]()


def _die_with_parent() -> None:
    """Ask Linux to kill this worker when the build process dies (killed, even by SIGKILL):
    an orphan would go on writing into a staging folder the next build removes."""
    if not sys.platform.startswith("linux"):  # pragma: no cover
        return
    import ctypes.util

    name = ctypes.util.find_library("c")
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(name, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
