"""The tool as a new help desk gets it: a wheel built from the repository, installed in a new
virtual environment, run as `canales` in a folder of its own, far from the repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator import __version__, pipeline
from generator.cache import BuildCache
from generator.writer import MARKER

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


def run(*command: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    # A clean environment: nothing of this checkout's on the path, and a cache of the test's own.
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["CANALES_CACHE_DIR"] = str(cwd / ".cache")
    done = subprocess.run([str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done


def build_wheel(work: Path) -> Path:
    """A wheel of this working tree as git would commit it (untracked files that are not ignored
    included), built in `work` from a copy: the build never touches the checkout."""
    source = work / "source"
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    for relative in listed:
        if (ROOT / relative).is_file():
            (source / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / relative, source / relative)
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", work / "dist", source, cwd=work)
    (wheel,) = (work / "dist").glob("canales-*.whl")
    return wheel


@pytest.fixture(scope="module")
def canales(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The `canales` command of a wheel built from a copy of this working tree."""
    work = tmp_path_factory.mktemp("package")
    wheel = build_wheel(work)
    run(sys.executable, "-m", "venv", work / "venv", cwd=work)
    run(work / "venv" / "bin" / "python", "-m", "pip", "install", "--quiet", wheel, cwd=work)
    return work / "venv" / "bin" / "canales"


def test_the_installed_command_builds_a_site_outside_the_repository(canales: Path, tmp_path: Path) -> None:
    assert run(canales, "--version", cwd=tmp_path).stdout.strip() == f"canales {__version__}"
    shutil.copytree(ROOT / "content", tmp_path / "content")
    checked = run(canales, "check", cwd=tmp_path)
    assert "is valid: 2 languages" in checked.stdout
    run(canales, "build", cwd=tmp_path)
    # Byte for byte what this checkout builds from the same content: the templates, the strings
    # and every asset made it into the wheel.
    expected = pipeline.render(pipeline.load(ROOT / "content", BuildCache()), BuildCache())
    built = {
        path.relative_to(tmp_path / "site").as_posix(): path.read_bytes()
        for path in (tmp_path / "site").rglob("*")
        if path.is_file() and path.name != MARKER
    }
    assert sorted(built) == sorted(expected)
    assert [path for path in expected if built[path] != expected[path]] == []


def test_a_new_help_desk_from_the_installed_command(canales: Path, tmp_path: Path) -> None:
    """As the issue's new user: `canales new`, `check` and `build` in an empty folder."""
    run(
        canales,
        "new",
        "demo",
        "--languages",
        "es,en",
        "--timezone",
        "America/Bogota",
        "--country",
        "CO",
        cwd=tmp_path,
    )
    assert "is valid: 2 languages" in run(canales, "check", "--content", "demo/content", cwd=tmp_path).stdout
    run(canales, "build", cwd=tmp_path / "demo")
    for page in ("index.html", "404.html", "es/index.html", "en/index.html"):
        assert (tmp_path / "demo" / "site" / page).is_file()
