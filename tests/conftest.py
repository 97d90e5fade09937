"""Shared fixtures: the seed content, copies of it to break, and builds into temporary folders."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from render_context import context

from generator import pipeline
from generator.cache import BuildCache
from generator.content.model import Site
from generator.outputs import Files
from generator.outputs.context import RenderContext

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"


@pytest.fixture
def cache() -> BuildCache:
    """A build cache of the test's own, in memory only: no test shares entries with another."""
    return BuildCache()


@pytest.fixture(scope="session")
def seed_site() -> Site:
    """The first customer's content, validated."""
    return pipeline.load(CONTENT, BuildCache())


@pytest.fixture(scope="session")
def seed_context(seed_site: Site) -> RenderContext:
    """The seed's render context (its own memory cache)."""
    return context(seed_site)


@pytest.fixture(scope="session")
def seed_files(seed_site: Site) -> Files:
    """Every output file of the seed site, rendered in memory."""
    return pipeline.render(seed_site, BuildCache())


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A writable copy of the seed content, for tests that edit it."""
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    return target


@pytest.fixture
def edit() -> Callable[[Path, str, str], None]:
    """Replace one exact snippet in a content file (the snippet must be there)."""

    def replace(path: Path, old: str, new: str) -> None:
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {path}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return replace


@pytest.fixture(autouse=True, scope="session")
def private_build_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Builds run by the tests (in this process or as commands) keep their cache in a folder of
    the test run's own, never the user's."""
    folder = tmp_path_factory.mktemp("build-cache")
    previous = os.environ.get("CANALES_CACHE_DIR")
    os.environ["CANALES_CACHE_DIR"] = str(folder)
    yield folder
    if previous is None:
        del os.environ["CANALES_CACHE_DIR"]
    else:
        os.environ["CANALES_CACHE_DIR"] = previous
