"""Large sites make their parts in forked workers: the same bytes, the same errors, no orphans."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from generator import parallel, pipeline
from generator.cache import BuildCache
from generator.writer import MARKER_TEXT, lock_path

ROOT = Path(__file__).resolve().parent.parent


def tree_digest(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _pid() -> int:
    return os.getpid()


def _fail() -> int:
    raise ValueError("part 2 failed")


def _slow_pid() -> int:
    time.sleep(0.3)
    return os.getpid()


def test_parts_run_in_this_process_and_a_worker_and_return_their_results() -> None:
    results = list(parallel.run([_slow_pid] * 6, workers=2))
    # Each part ran once; this process took some, one forked worker the others.
    assert len(results) == 6 and os.getpid() in results and len(set(results)) == 2
    assert list(parallel.run([_pid] * 3, workers=1)) == [os.getpid()] * 3


def test_an_error_in_a_worker_is_raised_in_the_build() -> None:
    with pytest.raises(ValueError, match="part 2 failed"):
        list(parallel.run([_pid, _fail, _pid], workers=2))


def test_a_parallel_build_writes_the_same_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A cache each: the parallel build makes everything again, in its workers.
    serial = pipeline.build(ROOT / "content", tmp_path / "serial", BuildCache())
    monkeypatch.setattr(pipeline, "PARALLEL_FROM", 1)
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    in_parallel = pipeline.build(ROOT / "content", tmp_path / "parallel", BuildCache())
    assert tree_digest(tmp_path / "parallel") == tree_digest(tmp_path / "serial")
    assert (in_parallel.files, in_parallel.size) == (serial.files, serial.size)
    # The report counts what is on disk (the marker aside).
    on_disk = [p for p in (tmp_path / "parallel").rglob("*") if p.is_file()]
    assert in_parallel.files == len(on_disk) - 1
    assert in_parallel.size == sum(p.stat().st_size for p in on_disk) - len(MARKER_TEXT)


def test_a_template_error_in_a_worker_keeps_the_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cache: BuildCache
) -> None:
    monkeypatch.setattr(pipeline, "PARALLEL_FROM", 1)
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    output = tmp_path / "site"
    pipeline.build(ROOT / "content", output, cache)
    before = tree_digest(output)
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    page = templates / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("{{ title }}", "{{ title.nope() }}", 1))
    with pytest.raises(pipeline.TemplateProblem, match=r"index.html:\d+:1: template error: .*nope"):
        pipeline.build(ROOT / "content", output, cache, templates=templates)
    assert tree_digest(output) == before
    assert sorted(tmp_path.glob(".site.*")) == [lock_path(output)]


def test_workers_die_with_a_killed_build(tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    script = textwrap.dedent(
        f"""
        import os, time
        from generator import parallel

        def part():
            with open({str(pids)!r}, "a") as f:
                f.write(f"{{os.getpid()}}\\n")
            time.sleep(60)

        list(parallel.run([part, part], workers=2))
        """
    )
    build = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and len(pids.read_text().split() if pids.exists() else []) < 2:
        time.sleep(0.05)
    workers = [int(pid) for pid in pids.read_text().split()]
    assert len(workers) == 2
    build.send_signal(signal.SIGKILL)
    build.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in workers)


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return status != "Z"  # a zombie is dead; only its parent's reaping is missing


def test_a_first_parallel_build_draws_the_codes_in_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.outputs import qr
    from generator.outputs.context import prepare

    serial = tmp_path / "serial"
    pipeline.build(ROOT / "content", serial, BuildCache(tmp_path / "serial-cache"))
    monkeypatch.setattr(pipeline, "PARALLEL_FROM", 1)
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    drawn_here: list[qr.Code] = []
    real_draw = qr.draw

    def slow_draw(code: qr.Code) -> bytes:  # slow enough that the worker surely takes its share
        drawn_here.append(code)
        time.sleep(0.2)
        return real_draw(code)

    monkeypatch.setattr(qr, "draw", slow_draw)
    cache = BuildCache(tmp_path / "cache")
    pipeline.build(ROOT / "content", tmp_path / "parallel", cache)
    assert tree_digest(tmp_path / "parallel") == tree_digest(serial)
    # Drawn once each: half by this process (a worker's copies of drawn_here are its own), half
    # by the worker, and none again while rendering; all kept in the cache.
    assert len(drawn_here) == len(set(drawn_here)) == 3
    site = pipeline.load(ROOT / "content", BuildCache())
    codes = qr.codes(prepare(site, BuildCache(), pipeline.build_time(site, None)))
    assert len(codes) == 6 and all(cache.has(qr.QR, code) for code in codes.values())


def test_content_read_apart_gives_the_same_site_and_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.content.errors import ContentErrors

    serial = tmp_path / "serial"
    pipeline.build(ROOT / "content", serial, BuildCache())
    monkeypatch.setattr(pipeline, "LOAD_APART_FROM", 0)
    pipeline.build(ROOT / "content", tmp_path / "apart", BuildCache())
    assert tree_digest(tmp_path / "apart") == tree_digest(serial)
    broken = tmp_path / "content"
    shutil.copytree(ROOT / "content", broken)
    hours = broken / "hours.yaml"
    hours.write_text(hours.read_text(encoding="utf-8").replace('"19:00"', '"25:00"', 1), encoding="utf-8")
    with pytest.raises(ContentErrors) as apart:
        pipeline.build(broken, tmp_path / "apart", BuildCache())
    monkeypatch.setattr(pipeline, "LOAD_APART_FROM", 10**12)
    with pytest.raises(ContentErrors) as here:
        pipeline.build(broken, tmp_path / "apart", BuildCache())
    # The errors come back whole, places and all, as when the content is read in this process.
    assert apart.value.errors == here.value.errors and "25:00" in str(apart.value)
    assert tree_digest(tmp_path / "apart") == tree_digest(serial)
