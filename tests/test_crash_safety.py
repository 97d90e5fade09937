"""A build killed at any moment leaves the previous site or the new one, whole; the next run tidies up.

`build.py build` runs again and again into one output folder, alternating two contents (A and B,
which differ in almost every file and in the set of files), and is killed with SIGKILL: half the
time at a random moment of its run, half the time just after its staging folder appears, which is
when it writes. After every kill the output folder must hash exactly like a complete build of A or
of B. Every few kills a build runs to the end, and must leave nothing beside the output folder.

The moments are drawn from a seeded random generator, so a failure names a reproducible sequence;
how the moments fall against the build's phases still depends on the machine's speed. Run with
`-s` to see how many kills landed while the build was writing.

Also here: the fallback for systems without an atomic exchange, and what the writer refuses.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from generator import pipeline
from generator.cache import BuildCache
from generator.writer import lock_path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "content"
KILLS_PER_SEQUENCE = 26
SEQUENCES = 2
COMPLETE_EVERY = 9
WRITE_SECONDS = 0.015
# The command line, with the writer's atomic exchange unavailable (as on systems without renameat2)
# and the process killed by SIGKILL as it makes the second of its two renames.
DIE_BETWEEN_RENAMES = """
import os, signal, sys
import generator.writer as writer
writer._exchange = lambda first, second: False
renames, rename = [], os.rename
def rename_then_die(source, target):
    renames.append(source)
    if len(renames) == 2:
        os.kill(os.getpid(), signal.SIGKILL)
    rename(source, target)
os.rename = rename_then_die
from generator.cli import main
sys.exit(main(sys.argv[1:]))
"""


def tree_digest(folder: Path) -> str:
    """One hash of every path, mode and content below `folder`."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(oct(path.stat().st_mode).encode() + b"\0")
        if path.is_file():
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def content_b(folder: Path) -> Path:
    """Content B: another organisation (so nearly every file changes) and one contact fewer (so
    the set of files changes too: a swap must not leave A's extra card behind)."""
    shutil.copytree(SEED, folder)
    site = folder / "site.yaml"
    site.write_text(
        site.read_text(encoding="utf-8").replace("Certicámara", "Certicámara B"), encoding="utf-8"
    )
    ladder = folder / "escalation.yaml"
    text = ladder.read_text(encoding="utf-8")
    ladder.write_text(text[: text.index("  - id: level-4")], encoding="utf-8")
    return folder


@dataclass
class Tally:
    """What happened over one sequence of runs."""

    killed: int = 0
    finished_first: int = 0
    left_behind: int = 0  # kills that left a new staging or old folder: mid-write, mid-swap, mid-clean
    site_changed: int = 0  # kills after the swap: the new build was already in place
    phases: Counter[str] = field(default_factory=Counter)


def leftovers(output: Path) -> list[str]:
    """What is beside the output, but for its lock file, which stays."""
    kept = {output.name, lock_path(output).name}
    return sorted(path.name for path in output.parent.iterdir() if path.name not in kept)


def run_to_the_end(command: list[str], content: Path, output: Path) -> None:
    result = subprocess.run(
        [*command, "build", "--content", str(content), "--output", str(output)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def kill_sequence(
    command: list[str], contents: list[Path], digests: dict[str, Path], output: Path, seed: int, kills: int
) -> Tally:
    """Run builds into `output`, killing `kills` of them; check the folder after each."""
    rng = random.Random(seed)
    tally = Tally()
    run_to_the_end(command, contents[0], output)
    started = time.perf_counter()
    run_to_the_end(command, contents[1], output)
    full_run = time.perf_counter() - started
    turn = 0
    while tally.killed < kills:
        turn += 1
        assert turn < kills * 4, f"only {tally.killed} of {turn} runs were killed before they finished"
        content = contents[turn % 2]
        before = tree_digest(output) if output.is_dir() else ""
        before_left = set(leftovers(output))
        process = subprocess.Popen(
            [*command, "build", "--content", str(content), "--output", str(output)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if turn % 2:
            phase = "random moment"
            time.sleep(rng.uniform(0, full_run * 1.1))
        else:
            # Poll for a new staging folder, then kill within the time it takes to fill it, swap it
            # in and clear the old build away (about 10 ms here; the process exits 60 ms later).
            phase = "while writing"
            while process.poll() is None and not (set(leftovers(output)) - before_left):
                time.sleep(0.0005)
            time.sleep(rng.uniform(0, WRITE_SECONDS))
        process.send_signal(signal.SIGKILL)
        if process.wait() != -signal.SIGKILL:
            tally.finished_first += 1
        else:
            tally.killed += 1
            tally.phases[phase] += 1
            left = leftovers(output)
            tally.left_behind += bool(set(left) - before_left)
            assert output.is_dir(), "the atomic exchange left no site"
            after = tree_digest(output)
            assert after in digests, f"after kill {tally.killed} ({phase}) the site is neither build"
            tally.site_changed += after != before
        if turn % COMPLETE_EVERY == 0:
            # The next run cleans what the killed ones left, and builds what it was given.
            run_to_the_end(command, content, output)
            assert leftovers(output) == [], "a complete run left what killed runs made"
            assert digests[tree_digest(output)] == content
    run_to_the_end(command, contents[0], output)
    assert leftovers(output) == []
    assert digests[tree_digest(output)] == contents[0]
    return tally


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], dict[str, Path]]:
    """Contents A and B, and the digest of a complete build of each."""
    base = tmp_path_factory.mktemp("contents")
    contents = [SEED, content_b(base / "b")]
    digests = {}
    for index, content in enumerate(contents):
        output = base / f"good-{index}" / "site"
        pipeline.build(content, output, BuildCache())
        digests[tree_digest(output)] = content
    assert len(digests) == 2
    return contents, digests


def test_sigkill_at_random_moments_never_leaves_a_broken_site(
    builds: tuple[list[Path], dict[str, Path]], tmp_path: Path
) -> None:
    contents, digests = builds
    command = [sys.executable, str(ROOT / "build.py")]
    with ThreadPoolExecutor(max_workers=SEQUENCES) as pool:
        runs = [
            pool.submit(
                kill_sequence,
                command,
                contents,
                digests,
                tmp_path / f"run-{index}" / "site",
                seed=20261129 + index,
                kills=KILLS_PER_SEQUENCE,
            )
            for index in range(SEQUENCES)
        ]
        tallies = [run.result() for run in runs]
    killed = sum(t.killed for t in tallies)
    mid_write = sum(t.left_behind for t in tallies)
    print(
        f"\n{killed} builds killed ({sum((t.phases for t in tallies), Counter())}); "
        f"{mid_write} left a staging folder (killed mid-write or mid-swap); "
        f"{sum(t.site_changed for t in tallies)} after the swap; "
        f"{sum(t.finished_first for t in tallies)} finished before the signal"
    )
    assert killed >= 50
    # The targeted kills must reach the write itself, or the test proves little.
    assert mid_write >= 5, f"only {mid_write} kills landed while the build was writing"


def test_a_kill_between_the_fallbacks_two_renames_is_repaired_by_the_next_run(
    builds: tuple[list[Path], dict[str, Path]], tmp_path: Path
) -> None:
    """Without renameat2 the writer swaps with two renames; a build that dies between them leaves no
    site at all, only the old build set aside. The window is microseconds wide, so the process is
    made to die exactly there, and the real command line must then put everything right."""
    contents, digests = builds
    output = tmp_path / "site"
    command = [sys.executable, str(ROOT / "build.py")]
    run_to_the_end(command, contents[0], output)
    dying = subprocess.run(
        [
            sys.executable,
            "-c",
            DIE_BETWEEN_RENAMES,
            "build",
            "--content",
            str(contents[1]),
            "--output",
            str(output),
        ],
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
        timeout=60,
    )
    assert dying.returncode == -signal.SIGKILL, dying.stderr
    assert not output.exists()
    olds = [name for name in leftovers(output) if ".old-" in name]
    assert len(olds) == 1 and digests[tree_digest(output.parent / olds[0])] == contents[0]
    run_to_the_end(command, contents[1], output)
    assert leftovers(output) == []
    assert digests[tree_digest(output)] == contents[1]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="renameat2 is Linux's")
def test_on_linux_the_swap_is_one_atomic_exchange(tmp_path: Path) -> None:
    """The writer finds renameat2 among the symbols already loaded; were it not found, every swap
    would silently take the fallback's two renames, with a moment of no site between them."""
    from generator.writer import _exchange

    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    (first / "which").write_text("first")
    (second / "which").write_text("second")
    assert _exchange(first, second)
    assert (first / "which").read_text() == "second" and (second / "which").read_text() == "first"


def test_cleaning_up_touches_only_this_outputs_leftovers(tmp_path: Path) -> None:
    """An output named like a pattern ("site[1]") must not take "site1"'s staging folder for its own."""
    from generator.writer import write_site

    neighbour = tmp_path / ".site1.staging-abc"
    neighbour.mkdir()
    (tmp_path / ".site[1].staging-def").mkdir()
    write_site({"a.txt": b"1"}, tmp_path / "site[1]")
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        ".site1.staging-abc",
        ".site[1].lock",
        "site[1]",
    ]


@pytest.mark.parametrize("kind", ["a file", "a folder not built by canales"])
def test_an_output_the_writer_refuses_is_one_line_not_a_traceback(tmp_path: Path, kind: str) -> None:
    output = tmp_path / "precious"
    if kind == "a file":
        output.write_text("keep me", encoding="utf-8")
    else:
        output.mkdir()
        (output / "notes.txt").write_text("keep me", encoding="utf-8")
    before = sorted(str(path) for path in tmp_path.rglob("*"))
    result = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "build", "--output", str(output)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("error: ") and result.stderr.endswith("nothing was written.\n")
    assert sorted(str(path) for path in tmp_path.rglob("*")) == before
