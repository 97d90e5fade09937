"""The build cache: slow pure steps found again in memory or on disk, never changing the output."""

from __future__ import annotations

from pathlib import Path

from generator import pipeline
from generator.cache import BuildCache, package_version
from generator.content.model import Site
from generator.outputs import Files


def test_entries_are_found_again_by_another_process_and_keyed_by_namespace(tmp_path: Path) -> None:
    calls: list[str] = []

    def make(value: bytes) -> bytes:
        calls.append(value.decode())
        return value

    first = BuildCache(tmp_path)
    assert first.get_or_make("qr", "a", lambda: make(b"A")) == b"A"
    assert first.get_or_make("qr", "a", lambda: make(b"other")) == b"A"  # memory
    second = BuildCache(tmp_path)  # a new process: only the disk
    assert second.get_or_make("qr", "a", lambda: make(b"other")) == b"A"
    assert second.get_or_make("markdown", "a", lambda: make(b"M")) == b"M"  # another namespace
    assert calls == ["A", "M"]
    assert not list(tmp_path.rglob(".tmp-*"))


def test_a_cache_folder_that_is_a_file_only_costs_time(tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("not a folder")
    cache = BuildCache(blocker)
    assert cache.get_or_make("qr", "a", lambda: b"A") == b"A"
    assert BuildCache(blocker).get_or_make("qr", "a", lambda: b"B") == b"B"


def test_the_site_is_the_same_with_a_cold_a_warm_or_no_disk_cache(
    seed_site: Site, seed_files: Files, tmp_path: Path
) -> None:
    cold = pipeline.render(seed_site, cache=BuildCache(tmp_path))
    warm = pipeline.render(seed_site, cache=BuildCache(tmp_path))
    assert cold == warm == seed_files
    assert {entry.parent.name for entry in tmp_path.rglob("*") if entry.is_file()} >= {"qr", "markdown"}


def test_keys_carry_the_library_versions() -> None:
    assert package_version("segno") == "1.6.6"
    assert package_version("no-such-package-here") == "?"
