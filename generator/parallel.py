"""Run a build's independent parts on every core: forked workers, so the model is never copied.

A large site spends most of its build rendering pages and cards per language, parts that share
nothing but the (read-only) model. Forked workers inherit the model and the compiled templates
as they are; only each part's small result travels back. Where fork is missing (Windows) or the
work is small, the parts simply run one after another in this process.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

Result = TypeVar("Result")

_PR_SET_PDEATHSIG = 1


def _nothing_left() -> int:
    return 0


# What this process's workers run, and how they take the next one's index: set in each worker
# as it starts (fork copies them, nothing is pickled), never in the parent.
_parts: Sequence[Callable[[], object]] = ()
_take: Callable[[], int] = _nothing_left


def cores() -> int:
    """How many cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def run(parts: Sequence[Callable[[], Result]], workers: int) -> Iterator[Result]:
    """Each part's result, in the order they finish, from this process and up to `workers` - 1
    forked ones: this process takes parts too, so one fewer worker copies the pages that the
    parts read.

    Parts are taken one at a time, in the order given (largest first: the last to finish decides
    the wall time). An exception raised by a part is raised here, and the workers are stopped.
    """
    if workers <= 1 or len(parts) <= 1 or not hasattr(os, "fork"):
        yield from (part() for part in parts)
        return
    context = multiprocessing.get_context("fork")
    taken = context.Value("i", 0)  # the next part's index, shared by every process

    def take() -> int:
        with taken.get_lock():
            index: int = taken.value
            taken.value += 1
            return index

    helpers = min(workers, len(parts)) - 1
    with context.Pool(helpers, initializer=_adopt, initargs=(parts, take, os.getpid())) as pool:
        theirs = [pool.apply_async(_run_parts) for _ in range(helpers)]
        while (index := take()) < len(parts):
            yield parts[index]()
        for results in theirs:
            yield from results.get()  # type: ignore[misc]


def _run_parts() -> list[object]:
    """A worker's share: parts taken until none is left."""
    results = []
    while (index := _take()) < len(_parts):
        results.append(_parts[index]())
    return results


def call_apart(function: Callable[..., Result], *arguments: object) -> Result:
    """`function(*arguments)`, run in a forked process whose memory is given back when it ends;
    its result (or exception) travels back pickled. In this process where fork is missing."""
    if not hasattr(os, "fork"):
        return function(*arguments)
    context = multiprocessing.get_context("fork")
    with context.Pool(1, initializer=_adopt, initargs=((), _nothing_left, os.getpid())) as pool:
        return pool.apply(function, arguments)


def _adopt(parts: Sequence[Callable[[], object]], take: Callable[[], int], parent: int) -> None:
    global _parts, _take
    _parts, _take = parts, take
    _die_with_parent()
    if os.getppid() != parent:  # the parent died before the request above took effect
        os._exit(1)
    # Ctrl-C reaches the whole process group: the parent stops the pool, workers need not report.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _die_with_parent() -> None:
    """Ask Linux to kill this worker when the build process dies (killed, even by SIGKILL):
    an orphan would go on writing into a staging folder the next build removes."""
    if not sys.platform.startswith("linux"):  # pragma: no cover
        return
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)  # the C library is among the loaded symbols
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
