"""How fast an edit reaches the editor: in-process rebuild time, and save-to-browser latency.

Usage: .venv/bin/python benchmarks/edit_to_browser.py [--edits 25]

1. Rebuild: load + render of the seed content in-process (what `serve` does on each change),
   median of many runs after a warm-up.
2. Edit to browser: `build.py serve` on a copy of the content, a real Chromium page open on it;
   each round saves a content file with a new marker and times until the marker is visible in the
   page (watcher, rebuild, server-sent event, reload and render included).
Prints a table and writes benchmarks/results/edit_to_browser.json.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator import pipeline  # noqa: E402
from generator.cache import BuildCache  # noqa: E402


def rebuild_times(runs: int) -> list[float]:
    content = ROOT / "content"
    cache = BuildCache()  # in memory, kept between rebuilds as serve keeps its own
    pipeline.render(pipeline.load(content, cache), cache)  # warm-up: imports, templates, the cache
    cache.forget_unused()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        pipeline.render(pipeline.load(content, cache), cache)
        times.append((time.perf_counter() - started) * 1000)
        cache.forget_unused()  # as serve does after each rebuild, outside its timing
    return times


def edit_latencies(edits: int) -> list[float]:
    from playwright.sync_api import sync_playwright

    workdir = Path(tempfile.mkdtemp(prefix="canales-bench-"))
    content = workdir / "content"
    shutil.copytree(ROOT / "content", content)
    channels = content / "channels.yaml"
    original = channels.read_text(encoding="utf-8")
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "serve", "--content", str(content), "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    latencies = []
    try:
        assert server.stdout is not None
        port = next(int(m[1]) for line in server.stdout if (m := re.search(r":(\d+)/ \(Ctrl-C", line)))
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-background-networking"]
            )
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/en/")
            for round_number in range(edits):
                marker = f"Bogotá line {round_number}"
                page.wait_for_timeout(300)  # let the previous reload settle
                started = time.perf_counter()
                channels.write_text(
                    original.replace("en: Bogotá customer line", f"en: {marker}"), encoding="utf-8"
                )
                page.wait_for_function(
                    "marker => document.body && document.body.textContent.includes(marker)",
                    arg=marker,
                    polling="raf",
                    timeout=10_000,
                )
                latencies.append((time.perf_counter() - started) * 1000)
            browser.close()
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(workdir)
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=25)
    parser.add_argument("--rebuilds", type=int, default=50)
    options = parser.parse_args()
    rebuilds = rebuild_times(options.rebuilds)
    edits = edit_latencies(options.edits)
    results = {
        "rebuild_ms": {
            "median": statistics.median(rebuilds),
            "min": min(rebuilds),
            "max": max(rebuilds),
            "runs": len(rebuilds),
        },
        "edit_to_browser_ms": {
            "median": statistics.median(edits),
            "min": min(edits),
            "max": max(edits),
            "runs": len(edits),
        },
    }
    print(f"{'measure':<24}{'median':>10}{'min':>10}{'max':>10}{'runs':>6}")
    for name, row in results.items():
        print(f"{name:<24}{row['median']:>10.1f}{row['min']:>10.1f}{row['max']:>10.1f}{row['runs']:>6}")
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    (out / "edit_to_browser.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
