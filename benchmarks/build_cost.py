"""Build cost, scale and memory: cold builds as whole processes, in-process rebuilds, peak memory.

Usage: .venv/bin/python benchmarks/build_cost.py [--quick]

For the seed content and for synthetic content from tens to 10,000 contacts and from 2 to 10
languages (benchmarks/synthetic.py, valid against the real format), it measures:
- cold build: `python build.py build` as a new process, median of 5 runs after a warm-up, with
  the build cache warm (QR codes, cards, Markdown, compiled templates) and the previous build in
  the output folder, as on an editor's machine or a CI job that keeps its cache;
- first build: the same with an empty cache and no previous output, as on a fresh machine;
- check: `python build.py check`, the same way (seed only);
- rebuild: load + render in one process (a new one per content), median of 5 after a warm-up;
- growth: how the cost of 10× the contacts compares, for cold builds and for rebuilds, each as the
  median of three ratios of the two contents measured back to back (the table's figures are
  minutes apart, and the machine's speed drifts);
- peak memory of a cold build, in one more run, sampled from /proc every 20 ms: the largest peak
  RSS of any of its processes (VmHWM), and the peak of the whole process tree (workers included)
  as proportional set size, so that pages shared by forked workers count once.
Prints a table and writes benchmarks/results/build_cost.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from synthetic import write_content  # noqa: E402

from generator import pipeline  # noqa: E402
from generator.cache import BuildCache  # noqa: E402

RUNS = 5


@dataclass
class Row:
    name: str
    channels: int
    contacts: int
    languages: int
    files: int
    cold_build_s: float
    first_build_s: float
    rebuild_s: float
    peak_rss_mb: float
    peak_tree_pss_mb: float
    check_s: float | None = None


@dataclass
class Run:
    seconds: float
    peak_rss_mb: float
    peak_tree_pss_mb: float


def _tree_memory_kb(pid: int) -> tuple[int, int]:
    """(proportional set size of a process and its descendants, the largest peak RSS among
    them), in kB; zeros once they are gone.

    The peak RSS is each process's VmHWM, which counts only its life since exec: wait4's
    ru_maxrss would also count the benchmark's own memory, which the child shares until it
    executes build.py.
    """
    total = peak = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                total += int(line.split()[1])
                break
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peak = int(line.split()[1])
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                child_total, child_peak = _tree_memory_kb(int(child))
                total, peak = total + child_total, max(peak, child_peak)
    except (OSError, ValueError):
        pass
    return total, peak


def run_process(arguments: list[str], cache: Path | None = None, sample_memory: bool = False) -> Run:
    """One run of build.py as a new process.

    Python's bytecode cache is allowed, as on any machine that ran the build once; `cache` is the
    build cache's folder (None: a new empty one). `sample_memory` samples the process tree's
    proportional set size; timed runs do not, so that sampling cannot slow them.
    """
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["CANALES_CACHE_DIR"] = str(cache or tempfile.mkdtemp(prefix="canales-cache-"))
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), *arguments],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        cwd=ROOT,
    )
    peak_pss, peak_rss = [0], [0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.02):
            try:  # until the child has become build.py, its memory is this process's
                if b"build.py" not in Path(f"/proc/{process.pid}/cmdline").read_bytes():
                    continue
            except OSError:
                continue
            total, largest = _tree_memory_kb(process.pid)
            peak_pss[0], peak_rss[0] = max(peak_pss[0], total), max(peak_rss[0], largest)

    sampler = threading.Thread(target=sample, daemon=True)
    if sample_memory:
        sampler.start()
    _, status, _ = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    done.set()
    if sample_memory:
        sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        assert process.stderr is not None
        raise SystemExit(f"build failed: {process.stderr.read().decode()[:2000]}")
    return Run(seconds, peak_rss[0] / 1024, peak_pss[0] / 1024)


def median_process(
    arguments: list[str], cache: Path | None, runs: int = RUNS, output: Path | None = None
) -> tuple[float, float, float]:
    """(median seconds, peak RSS MB, peak tree PSS MB) over `runs` runs after a warm-up.

    Warm, with a `cache` folder: one build cache for all runs and the output left in place, and
    memory measured. Without: every run starts with an empty cache and without `output`, and
    memory is 0.
    """
    warm = cache is not None
    if warm and runs > 1:
        run_process(arguments, cache)  # warm-up: the file system cache, Python's bytecode, our cache
    results = []
    for _ in range(runs):
        if not warm and output is not None:
            shutil.rmtree(output, ignore_errors=True)
        results.append(run_process(arguments, cache))
    # Memory is sampled in one more run, so that sampling cannot slow the timed ones.
    memory = run_process(arguments, cache, sample_memory=True) if warm else Run(0, 0, 0)
    return statistics.median(r.seconds for r in results), memory.peak_rss_mb, memory.peak_tree_pss_mb


def median_rebuild(content: Path, cache: Path, runs: int = RUNS) -> tuple[float, int]:
    """(median seconds, files) of load + render in one process, after a warm-up.

    In a new process for each content: one that rebuilt larger sites before is slower for it.
    The warm-up reads the cold builds' `cache`, as serve's first build does, rather than
    drawing every QR code again.
    """
    result = subprocess.run(
        [sys.executable, __file__, "--rebuild", str(content), "--cache", str(cache), "--runs", str(runs)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    seconds, files = json.loads(result.stdout)
    return seconds, files


def _rebuild_here(content: Path, cache_folder: Path, runs: int) -> None:
    cache = BuildCache(cache_folder)  # memory first: after the warm-up, the disk is not read
    count = len(pipeline.render(pipeline.load(content, cache), cache))  # warm-up
    cache.forget_unused()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        # Dropped at once, as serve drops the last build.
        pipeline.render(pipeline.load(content, cache), cache)
        times.append(time.perf_counter() - started)
        cache.forget_unused()  # as serve does after each rebuild, outside its timing
    print(json.dumps([statistics.median(times), count]))


def measure(
    name: str,
    content: Path,
    output: Path,
    cache: Path,
    sizes: tuple[int, int, int],
    with_check: bool = False,
) -> Row:
    """Every measure of one content; `cache` is the build cache its warm runs share."""
    arguments = ["build", "--content", str(content), "--output", str(output)]
    # Without a cache, large sites spend minutes drawing QR codes: one run says enough.
    first = median_process(arguments, None, runs=RUNS if sizes[1] < 1000 else 1, output=output)[0]
    cold, rss, pss = median_process(arguments, cache)
    rebuild, files = median_rebuild(content, cache)
    check = median_process(["check", "--content", str(content)], cache)[0] if with_check else None
    return Row(name, *sizes, files, cold, first, rebuild, rss, pss, check)


def rebuild_growth(small: tuple[Path, Path], large: tuple[Path, Path], rounds: int = 3) -> float:
    """How many times longer the large content's rebuild takes than the small one's, each a
    (content, cache) pair: the median of `rounds` ratios, the two rebuilds of each measured back
    to back, so that the machine's speed, which drifts over minutes, is the same for both."""
    ratios = []
    for _ in range(rounds):
        small_seconds = median_rebuild(*small)[0]
        ratios.append(median_rebuild(*large)[0] / small_seconds)
    return statistics.median(ratios)


def cold_growth(small: tuple[Path, Path], large: tuple[Path, Path], work: Path, rounds: int = 3) -> float:
    """As rebuild_growth, for cold builds: each content's median of RUNS cold builds (after a
    warm-up that leaves its own previous build in its output folder), the two back to back."""

    def cold(content: Path, cache: Path) -> float:
        arguments = ["build", "--content", str(content), "--output", str(work / f"growth-{content.name}")]
        run_process(arguments, cache)
        return statistics.median(run_process(arguments, cache).seconds for _ in range(RUNS))

    ratios = []
    for _ in range(rounds):
        small_seconds = cold(*small)
        ratios.append(cold(*large) / small_seconds)
    return statistics.median(ratios)


def interpreter_start(runs: int = 21) -> float:
    """Median seconds of a bare `python -c pass`: this machine's speed at the time of the run, to
    compare runs by (on this virtual machine it has varied by half within an hour)."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description="Build cost, scale and memory.")
    parser.add_argument("--quick", action="store_true", help="skip the largest sizes")
    parser.add_argument(
        "--only", metavar="CONTACTS,LANGUAGES", help="measure the seed and this one size, e.g. 10000,3"
    )
    parser.add_argument("--rebuild", type=Path, help=argparse.SUPPRESS)  # one content, in-process
    parser.add_argument("--cache", type=Path, help=argparse.SUPPRESS)  # the rebuild's warm cache
    parser.add_argument("--runs", type=int, default=RUNS, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.rebuild:
        _rebuild_here(options.rebuild, options.cache, options.runs)
        return
    start_before = interpreter_start()
    work = Path(tempfile.mkdtemp(prefix="canales-cost-"))
    seed_cache = Path(tempfile.mkdtemp(prefix="canales-cache-"))
    rows = [measure("seed", ROOT / "content", work / "seed-site", seed_cache, (6, 3, 2), with_check=True)]
    print(f"seed done: {rows[0]}", file=sys.stderr)
    sizes = [(10, 10, 2), (10, 100, 2), (10, 1000, 2), (10, 1000, 3), (10, 1000, 10)]
    if not options.quick:
        sizes += [(10, 10_000, 2), (10, 10_000, 3)]
    if options.only:
        contacts, languages = (int(number) for number in options.only.split(","))
        sizes = [(10, contacts, languages)]
    kept: dict[str, tuple[Path, Path]] = {}  # each content and its warm cache, for the growth
    for channels, contacts, languages in sizes:
        content = write_content(
            work / f"content-{contacts}x{languages}",
            channels=channels,
            contacts=contacts,
            languages=languages,
            schedules=3,
        )
        name = f"{contacts} contacts × {languages} languages"
        cache = Path(tempfile.mkdtemp(prefix="canales-cache-"))
        rows.append(measure(name, content, work / "site", cache, (channels, contacts, languages)))
        kept[name] = (content, cache)
        print(f"{name} done", file=sys.stderr)

    header = (
        f"{'content':<30}{'files':>8}{'cold build':>12}{'first build':>13}"
        f"{'rebuild':>10}{'check':>8}{'peak RSS':>10}{'tree PSS':>10}"
    )
    start = (start_before, interpreter_start())
    print(
        f"Python start-up (a bare `python -c pass`), the machine's speed: {start[0] * 1000:.1f} ms at the "
        f"start of this run, {start[1] * 1000:.1f} ms at its end"
    )
    print(header)
    for row in rows:
        check = f"{row.check_s:.3f}" if row.check_s is not None else "–"
        print(
            f"{row.name:<30}{row.files:>8}{row.cold_build_s:>11.3f}s{row.first_build_s:>12.3f}s"
            f"{row.rebuild_s:>9.3f}s{check:>8}{row.peak_rss_mb:>8.0f}MB{row.peak_tree_pss_mb:>8.0f}MB"
        )
    by_name = {row.name: row for row in rows}
    growth = {}
    for small, large in (
        ("100 contacts × 2 languages", "1000 contacts × 2 languages"),
        ("1000 contacts × 2 languages", "10000 contacts × 2 languages"),
    ):
        if small in by_name and large in by_name:
            ratio = cold_growth(kept[small], kept[large], work)
            rebuild_ratio = rebuild_growth(kept[small], kept[large])
            growth[f"{small} → {large}"] = {"cold": ratio, "rebuild": rebuild_ratio}
            print(f"10× contacts ({small} → {large}): cold ×{ratio:.2f}, rebuild ×{rebuild_ratio:.2f}")
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    (out / "build_cost.json").write_text(
        json.dumps(
            {
                "rows": [asdict(row) for row in rows],
                "growth": growth,
                "python_start_s": {"before": start[0], "after": start[1]},
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
