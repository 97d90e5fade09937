"""The broken-content corpus, tests/bad_content/: every case refused by the real command line.

For every case, `build.py build` runs against an output folder holding a good build, and must exit
with status 1, print exactly the messages in the case's expected.txt (each `file:line:col: ...`),
print no traceback, and leave the output folder and the content byte for byte as they were.

Each case folder holds only what differs from the seed content (see tests/bad_content/README.md).
To review new or changed messages, run with CANALES_BLESS=1: expected.txt files are rewritten
from what the build prints, and `git diff` shows the change.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import pipeline
from generator.cache import BuildCache
from generator.content.errors import ContentErrors
from generator.content.ui_strings import CATALOGS
from generator.content.yamlsource import MAX_FILE_BYTES, MAX_NODES, YamlProblem, load_yaml
from generator.writer import lock_path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SEED = ROOT / "content"
CORPUS = HERE / "bad_content"
BLESS = os.environ.get("CANALES_BLESS") == "1"

# --- the corpus ------------------------------------------------------------------------------------


def _oversize(content: Path) -> None:
    """hours.yaml one byte over the limit, padded with comments: only its size is wrong."""
    path = content / "hours.yaml"
    line = b"# " + b"x" * 97 + b"\n"
    data = path.read_bytes()
    data += line * ((MAX_FILE_BYTES - len(data)) // len(line) + 1)
    path.write_bytes(data[: MAX_FILE_BYTES + 1])


def _latin1(content: Path) -> None:
    """site.yaml saved as Windows-1252, as an editor that does not default to UTF-8 would."""
    path = content / "site.yaml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1252"))


def _long_number(content: Path) -> None:
    """A pasted number too long for Python to read as an integer (more than 4,300 digits)."""
    path = content / "site.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("organisation: Certicámara", "organisation: " + "9" * 5000), encoding="utf-8"
    )


def _unshipped_strings(content: Path) -> None:
    """A full strings file, as a language the generator does not ship needs, lacking one key."""
    shipped = (CATALOGS / "en.yaml").read_text(encoding="utf-8")
    (content / "strings" / "en.yaml").write_text(
        shipped.replace("skip_to_content: Skip to content\n", ""), encoding="utf-8"
    )


# Content too big or too binary to keep in the repository, made by the test.
GENERATORS: dict[str, Callable[[Path], None]] = {
    "oversize": _oversize,
    "latin1": _latin1,
    "long_number": _long_number,
    "unshipped_strings": _unshipped_strings,
}


@dataclass(frozen=True)
class Case:
    """One folder of the corpus: its case.yaml, its overlay, its expected messages."""

    name: str
    folder: Path
    spec: dict[str, Any]

    @property
    def expected_file(self) -> Path:
        return self.folder / "expected.txt"

    def make(self, target: Path) -> Path:
        """The seed content with this case's changes, at `target`."""
        shutil.copytree(SEED, target)
        for relative in self.spec.get("remove", []):
            (target / relative).unlink()
        overlay = self.folder / "content"
        if overlay.is_dir():
            shutil.copytree(overlay, target, dirs_exist_ok=True)
        for edit in self.spec.get("edits", []):
            path = target / edit["file"]
            text = path.read_text(encoding="utf-8")
            assert edit["old"] in text, f"{self.name}: {edit['old']!r} is not in {edit['file']}"
            path.write_text(text.replace(edit["old"], edit["new"], 1), encoding="utf-8")
        if "generate" in self.spec:
            GENERATORS[self.spec["generate"]](target)
        return target


def load_cases() -> list[Case]:
    cases = []
    for folder in sorted(path for path in CORPUS.iterdir() if (path / "case.yaml").is_file()):
        spec = yaml.safe_load((folder / "case.yaml").read_text(encoding="utf-8"))
        cases.append(Case(folder.name, folder, spec))
    return cases


CASES = load_cases()

# --- running the command line ----------------------------------------------------------------------


def tree_digest(folder: Path) -> dict[str, str]:
    """Every entry below `folder`: a file's mode and hash, a folder's mode."""
    digest = {}
    for path in sorted(folder.rglob("*")):
        mode = oct(path.stat().st_mode & 0o7777)
        data = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "folder"
        digest[path.relative_to(folder).as_posix()] = f"{mode} {data}"
    return digest


@dataclass(frozen=True)
class Outcome:
    """What one refused build did."""

    status: int
    stdout: str
    stderr: str
    site_before: dict[str, str]
    site_after: dict[str, str]
    content_before: dict[str, str]
    content_after: dict[str, str]
    beside_output: list[str]


def run_case(case: Case, work: Path, good_site: Path) -> Outcome:
    """Build the case's content over a copy of a good build, as an editor would run it.

    The build runs inside the content folder, so messages name files relative to it (`hours.yaml`).
    """
    content = case.make(work / "content")
    output = work / "out" / "site"
    shutil.copytree(good_site, output)
    site_before, content_before = tree_digest(output), tree_digest(content)
    result = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "build", "--content", ".", "--output", str(output)],
        cwd=content,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="backslashreplace",
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
        check=False,
    )
    return Outcome(
        result.returncode,
        result.stdout,
        result.stderr,
        site_before,
        tree_digest(output) if output.is_dir() else {},
        content_before,
        tree_digest(content),
        sorted(path.name for path in output.parent.iterdir() if path != lock_path(output)),
    )


@pytest.fixture(scope="module")
def good_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A good build of the seed content: what every refused build must leave alone."""
    output = tmp_path_factory.mktemp("good") / "site"
    pipeline.build(SEED, output, BuildCache())
    return output


@pytest.fixture(scope="module")
def outcomes(
    request: pytest.FixtureRequest, good_site: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Outcome]:
    """The selected cases, run a few at a time: each is its own process, mostly waiting to start."""
    selected = {
        item.callspec.params["case"].name
        for item in request.session.items
        if getattr(item, "callspec", None) and isinstance(item.callspec.params.get("case"), Case)
    }
    cases = [case for case in CASES if case.name in selected]
    base = tmp_path_factory.mktemp("cases")

    def run(case: Case) -> tuple[str, Outcome]:
        work = base / case.name
        work.mkdir()
        return case.name, run_case(case, work, good_site)

    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 1)) as pool:
        return dict(pool.map(run, cases))


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 40
    for case in CASES:
        assert case.spec.get("about"), f"{case.name}: say in case.yaml what the editor did"


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_bad_content_is_refused(case: Case, outcomes: dict[str, Outcome]) -> None:
    outcome = outcomes[case.name]
    if BLESS:
        case.expected_file.write_text(outcome.stderr, encoding="utf-8")
    assert outcome.status == 1, outcome.stderr
    assert "Traceback" not in outcome.stderr
    assert outcome.stdout == ""
    assert outcome.stderr == case.expected_file.read_text(encoding="utf-8")
    first = outcome.stderr.splitlines()[0]
    assert re.match(r"[^\s:]+:\d+:\d+: \S", first), f"no file:line:col in {first!r}"
    assert outcome.site_after == outcome.site_before, "the output folder changed"
    assert outcome.beside_output == ["site"], "a build left something beside the output"
    # The build never writes into the content: not even a tag's `touch pwned`.
    assert outcome.content_after == outcome.content_before


def test_every_refusal_states_how_many_problems() -> None:
    for case in CASES:
        lines = case.expected_file.read_text(encoding="utf-8").splitlines()
        assert re.fullmatch(r"\d+ problems? found; nothing was written\.", lines[-1]), case.name


# --- limits, measured ------------------------------------------------------------------------------

LAUGHS = CORPUS / "yaml-billion-laughs" / "content" / "hours.yaml"


def test_billion_laughs_is_refused_fast_and_in_bounded_memory() -> None:
    # Timed without tracing (tracemalloc slows Python several times), then traced for memory.
    started = time.perf_counter()
    with pytest.raises(YamlProblem) as raised:
        load_yaml(LAUGHS, "hours.yaml")
    seconds = time.perf_counter() - started
    tracemalloc.start()
    try:
        with pytest.raises(YamlProblem):
            load_yaml(LAUGHS, "hours.yaml")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert f"more than {MAX_NODES:,} values" in raised.value.error.message
    # Expanded, the file holds a billion values: hours and tens of gigabytes. The limit stops it
    # at MAX_NODES (400,000: about 0.8 s and 100 MiB here, some 260 bytes a value; the bounds
    # leave room for a busy machine).
    assert seconds < 5.0, f"{seconds:.2f} s"
    assert peak < MAX_NODES * 600, f"peak {peak / 1024 / 1024:.0f} MiB"


def test_billion_laughs_build_stays_small_as_a_process(tmp_path: Path) -> None:
    """The whole command line, measured by the kernel: peak resident memory and wall time."""
    content = next(case for case in CASES if case.name == "yaml-billion-laughs").make(tmp_path / "content")
    # A child forked from this test process would start its peak RSS at this process's size; a
    # small launcher forks the build instead and reports the build's own peak.
    launcher = (
        "import os, subprocess, sys\n"
        "p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
        "_, status, usage = os.wait4(p.pid, 0)\n"
        "print(os.waitstatus_to_exitcode(status), usage.ru_maxrss)\n"
    )
    started = time.perf_counter()
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            launcher,
            sys.executable,
            str(ROOT / "build.py"),
            "check",
            "--content",
            str(content),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    seconds = time.perf_counter() - started
    returncode, peak_kib = map(int, result.stdout.split())
    assert returncode == 1
    assert seconds < 10, f"{seconds:.2f} s"
    # ru_maxrss is in KiB on Linux; the interpreter and the libraries alone take about 60 MiB.
    assert peak_kib < 200 * 1024, f"{peak_kib / 1024:.0f} MiB"


def test_a_file_over_the_limit_is_not_read_whole(tmp_path: Path) -> None:
    """Only the limit and one byte are read, whatever the size: a stray 64 MiB file costs nothing."""
    path = tmp_path / "hours.yaml"
    with path.open("wb") as stream:
        stream.truncate(64 * 1024 * 1024)  # sparse: no disk, and no time, spent
    tracemalloc.start()
    try:
        with pytest.raises(YamlProblem) as raised:
            load_yaml(path, "hours.yaml")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert raised.value.error.message == f"file is 67,108,864 bytes; the limit is {MAX_FILE_BYTES:,}"
    assert peak < 4 * MAX_FILE_BYTES


def test_an_unreadable_file_is_a_content_error(content_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests run as root here, where chmod 000 does not stop a read: make the read fail instead.
    real_open = Path.open

    def refuse(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self.name == "hours.yaml":
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(ContentErrors) as raised:
        pipeline.load(content_copy, BuildCache())
    assert [(e.line, e.column, e.message) for e in raised.value.errors] == [
        (1, 1, "cannot read the file: Permission denied")
    ]


# --- what must be accepted -------------------------------------------------------------------------


def with_byte_order_marks(content: Path) -> Iterator[Path]:
    for path in sorted(content.rglob("*")):
        if path.suffix in (".yaml", ".md"):
            path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
            yield path


def test_byte_order_marks_are_accepted_and_change_nothing(content_copy: Path) -> None:
    marked = list(with_byte_order_marks(content_copy))
    assert len(marked) >= 8
    marked_site, seed = pipeline.load(content_copy, BuildCache()), pipeline.load(SEED, BuildCache())
    # Each with a cache of its own, so that neither render reuses what the other made.
    assert pipeline.render(marked_site, BuildCache()) == pipeline.render(seed, BuildCache())


def test_the_deepest_allowed_nesting_is_read(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("x: " + "[" * 32 + "]" * 32 + "\n", encoding="utf-8")
    load_yaml(path, "deep.yaml")
    path.write_text("x: " + "[" * 33 + "]" * 33 + "\n", encoding="utf-8")
    with pytest.raises(YamlProblem, match="nested deeper than 32"):
        load_yaml(path, "deep.yaml")
