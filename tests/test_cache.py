"""The build cache: one seam, keyed by construction, verified on read, bounded, and optional.

Whatever the cache holds (nothing, the right entries, damaged ones, entries of another version of
our code), a build publishes what a build without it publishes.
"""

from __future__ import annotations

import datetime
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from render_context import context

from generator import cache as cache_module
from generator import pipeline
from generator.cache import NAMESPACES, BuildCache, code_version, distribution_version, register
from generator.content.model import Closures, Interval, Language, Site, Text
from generator.hours import PublicHolidays
from generator.i18n import Wording
from generator.outputs import Files
from generator.outputs.calendars import render_calendars
from generator.outputs.cards import render_language_cards
from generator.outputs.notices import render_notices

ROOT = Path(__file__).resolve().parent.parent
STAMP = datetime.datetime(2026, 11, 30, tzinfo=datetime.UTC)
# Namespaces of these tests' own, decided by no library and no module.
PLAIN = register("test-plain", packages=(), modules=())
OTHER = register("test-other", packages=(), modules=())
UNVERSIONED = register("test-unversioned", packages=("no-such-distribution-here",), modules=())


def test_entries_are_found_again_by_another_process_and_keyed_by_namespace(tmp_path: Path) -> None:
    calls: list[str] = []

    def make(value: bytes) -> Callable[[], bytes]:
        def made() -> bytes:
            calls.append(value.decode())
            return value

        return made

    first = BuildCache(tmp_path)
    assert first.keep(PLAIN, ("a",), make(b"A")) == b"A"
    assert first.keep(PLAIN, ("a",), make(b"other")) == b"A"  # memory
    second = BuildCache(tmp_path)  # a new process: only the disk
    assert second.keep(PLAIN, ("a",), make(b"other")) == b"A"
    assert second.keep(OTHER, ("a",), make(b"M")) == b"M"  # another namespace
    assert calls == ["A", "M"]
    assert not list(tmp_path.rglob(".tmp-*"))
    assert (tmp_path / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")


def test_a_cache_folder_that_is_a_file_only_costs_time(tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("not a folder")
    assert BuildCache(blocker).keep(PLAIN, "a", lambda: b"A") == b"A"
    assert BuildCache(blocker).keep(PLAIN, "a", lambda: b"B") == b"B"


def test_the_site_is_the_same_with_a_cold_a_warm_or_no_disk_cache(
    seed_site: Site, seed_files: Files, tmp_path: Path
) -> None:
    cold = pipeline.render(seed_site, BuildCache(tmp_path))
    warm = pipeline.render(seed_site, BuildCache(tmp_path))
    assert cold == warm == seed_files
    kept = {
        entry.parent.name for entry in tmp_path.rglob("*") if entry.is_file() and entry.parent != tmp_path
    }
    assert kept == {
        "qr",
        "icon",
        "markdown",
        "vcard",
        "ics",
        "babel",
        "jinja",
        "spans",
        "opening_hours",
        "notices",
    }


def test_versions_are_found_by_distribution_name() -> None:
    assert distribution_version("segno") == "1.6.6"
    # PEP 503: the name as PyPI spells it and as it is normalised find the same distribution.
    assert distribution_version("Jinja2") == distribution_version("jinja2") == "3.1.6"
    assert distribution_version("Markdown") == "3.11.3"
    assert distribution_version("no-such-distribution-here") is None


def test_a_namespace_whose_library_version_is_unknown_is_never_written(tmp_path: Path) -> None:
    assert code_version(UNVERSIONED) is None
    cache = BuildCache(tmp_path)
    assert cache.keep(UNVERSIONED, "a", lambda: b"A") == b"A"
    assert cache.keep(UNVERSIONED, "a", lambda: b"B") == b"A"  # within one build, in memory
    assert not (tmp_path / UNVERSIONED).exists()
    assert BuildCache(tmp_path).keep(UNVERSIONED, "a", lambda: b"B") == b"B"


def test_every_output_namespace_names_its_libraries_and_modules() -> None:
    """Each kind of entry is registered once, by the module that makes it, with what decides it."""
    expected = {
        "babel": (("babel",), ("generator.i18n",)),
        "holidays": (("holidays",), ("generator.hours",)),
        "markdown": (("markdown",), ("generator.outputs.markdown_text",)),
        "vcard": (("vobject",), ("generator.outputs.cards",)),
        "qr": (("segno", "vobject"), ("generator.outputs.qr", "generator.outputs.cards")),
        "icon": (("resvg-py",), ("generator.outputs.branding",)),
        "ics": (("icalendar", "tzdata"), ("generator.outputs.calendars", "generator.outputs.ics")),
        "jinja": (("jinja2",), ()),
        "spans": (("tzdata",), ("generator.hours", "generator.outputs.context")),
        "opening_hours": ((), ("generator.outputs.opening_hours", "generator.hours")),
        "notices": (("icalendar",), ("generator.outputs.notices", "generator.outputs.ics")),
    }
    found = {name: (n.packages, n.modules) for name, n in NAMESPACES.items() if not name.startswith("test-")}
    assert found == expected
    for name in expected:
        assert code_version(name) is not None, name


# --- a warm build equals a cold one after each kind of edit ---------------------------------------


def test_a_kept_card_is_made_again_when_anything_it_holds_changes(seed_site: Site, tmp_path: Path) -> None:
    """Every card, the help desk's included, is found again by its record: after an edit, the cards
    from the cache are the ones made without it, and differ from the kept ones."""

    def cards(site: Site, cache: BuildCache) -> Files:
        ctx = context(site, cache, STAMP)
        return {
            path: card for lang in site.languages for path, card in render_language_cards(ctx, lang).items()
        }

    kept = cards(seed_site, BuildCache(tmp_path))
    channels, levels = seed_site.channels, seed_site.levels
    renamed = Text((("es", "Mesa de ayuda"), ("en", "Help desk")))
    contact = levels[-1].contact
    assert contact is not None
    edits = {
        "a channel's address": seed_site._replace(
            channels=tuple(
                c._replace(value="soporte@example.com") if c.kind == "email" else c for c in channels
            )
        ),
        "the site's title": seed_site._replace(title=renamed),
        "the level without a contact (the help desk card's note)": seed_site._replace(
            levels=(levels[0]._replace(title=renamed), *levels[1:])
        ),
        "a contact's name": seed_site._replace(
            levels=(*levels[:-1], levels[-1]._replace(contact=contact._replace(person="Ana Pérez")))
        ),
        "a contact's WhatsApp": seed_site._replace(
            levels=tuple(
                level._replace(
                    contact=level.contact._replace(
                        phones=tuple(p._replace(whatsapp=False) for p in level.contact.phones)
                    )
                )
                if level.contact
                else level
                for level in levels
            )
        ),
        "the base URL": seed_site._replace(base_url="https://example.org/ayuda/"),
    }
    for edit, site in edits.items():
        from_cache = cards(site, BuildCache(tmp_path))
        assert from_cache == cards(site, BuildCache()), edit
        assert from_cache != kept, edit


def test_a_kept_feed_is_made_again_when_anything_it_holds_changes(seed_site: Site, tmp_path: Path) -> None:
    """Feeds are found again by their `Feed`: after an edit, the feeds from the cache are the ones
    made without it, and differ from the kept ones."""

    def feeds(site: Site, cache: BuildCache, stamp: datetime.datetime = STAMP) -> Files:
        return render_calendars(context(site, cache, stamp))

    kept = feeds(seed_site, BuildCache(tmp_path))
    business, *others = seed_site.schedules
    weekdays = (0, 1, 2, 3, 4)
    channel, *channels = seed_site.channels
    strings = dict(seed_site.strings)
    strings["en"] = {**strings["en"], "event_summary": "{organisation} is answering"}
    edits = {
        "an interval": business._replace(weekly=(Interval(weekdays, 420, 1080), *business.weekly[1:])),
        "a split shift": business._replace(weekly=(*business.weekly, Interval(weekdays, 1200, 1560))),
        "a closed date": business._replace(closures=Closures(dates=(datetime.date(2026, 12, 24),))),
        "a country's holidays": business._replace(closures=Closures(holidays="CO")),
        "the zone": business._replace(timezone="Europe/Madrid"),
    }
    sites = {edit: seed_site._replace(schedules=(schedule, *others)) for edit, schedule in edits.items()}
    sites["a channel's name"] = seed_site._replace(
        channels=(channel._replace(name=Text((("es", "Línea"), ("en", "Line")))), *channels)
    )
    sites["a text"] = seed_site._replace(strings=strings)
    sites["the date of the content"] = seed_site._replace(updated=datetime.date(2027, 1, 4))
    for edit, site in sites.items():
        from_cache = feeds(site, BuildCache(tmp_path))
        assert from_cache == feeds(site, BuildCache()), edit
        assert from_cache != kept, edit
    assert feeds(seed_site, BuildCache(tmp_path), STAMP + datetime.timedelta(days=1)) != kept


def test_kept_notices_feeds_are_made_again_when_anything_they_hold_changes(
    content_copy: Path, tmp_path: Path
) -> None:
    """Both notices feeds are found again by their records: after an edit, the feeds from the cache
    are the ones made without it, and differ from the kept ones."""
    from test_notices_feeds import MAINTENANCE, write_notices

    site = pipeline.load(write_notices(content_copy), BuildCache())

    def feeds(site: Site, cache: BuildCache, stamp: datetime.datetime = STAMP) -> Files:
        return render_notices(context(site, cache, stamp))

    kept = feeds(site, BuildCache(tmp_path))
    maintenance = next(n for n in site.notices if n.id == MAINTENANCE)
    later = datetime.datetime(2026, 12, 5, tzinfo=datetime.UTC)
    strings = dict(site.strings)
    strings["en"] = {**strings["en"], "notices_feed_title": "{organisation}: news"}
    strings["es"] = {**strings["es"], "effect_unavailable": "Fuera de servicio"}
    edits = {
        "a notice's times": maintenance._replace(starts=maintenance.starts - datetime.timedelta(hours=1)),
        "a notice's body": maintenance._replace(body=Text((("es", "Otro texto."), ("en", "Other text.")))),
        "a cancellation": maintenance._replace(cancelled=later),
        "a revision": maintenance._replace(revised=later),
    }
    sites = {
        edit: site._replace(notices=tuple(changed if n.id == MAINTENANCE else n for n in site.notices))
        for edit, changed in edits.items()
    }
    sites["no notices"] = site._replace(notices=())
    sites["a text"] = site._replace(strings=strings)
    sites["a channel's name"] = site._replace(
        channels=tuple(
            c._replace(name=Text((("es", "Portal"), ("en", "Web")))) if c.id == "portal" else c
            for c in site.channels
        )
    )
    sites["the organisation"] = site._replace(organisation="Certicámara S.A.")
    sites["the base URL"] = site._replace(base_url="https://example.org/ayuda/")
    for edit, changed_site in sites.items():
        for path, feed in feeds(changed_site, BuildCache(tmp_path)).items():
            assert feed == feeds(changed_site, BuildCache())[path], (edit, path)
        from_cache = feeds(changed_site, BuildCache(tmp_path))
        assert {p for p in from_cache if from_cache[p] != kept[p]}, edit
    # A new stamp is the calendars' DTSTAMP.
    stamped = feeds(site, BuildCache(tmp_path), STAMP + datetime.timedelta(days=1))
    assert stamped["en/notices.ics"] != kept["en/notices.ics"]


CONTENT_EDITS = {
    "a channel's number": ("channels.yaml", "601 7442727", "601 7442728"),
    "a contact's name": ("escalation.yaml", "Orlando Méndez", "Orlanda Méndez"),
    "the prose": ("pages/es/intro.md", "El cliente", "Cada cliente"),
    "a link in the prose": ("pages/en/intro.md", "\n", "\n\n[Write to us](mailto:soporte@example.org).\n"),
    "an interface string": ("strings/es.yaml", "mobile: Celular", "mobile: Teléfono celular"),
    "the hours": ("hours.yaml", '"19:00"', '"18:30"'),
    "the public holidays": (
        "hours.yaml",
        '        closes: "13:00"\n',
        '        closes: "13:00"\n    closures:\n      holidays: CO\n',
    ),
    "the title": ("site.yaml", "Canales de atención", "Canales de soporte"),
    "the content's date": ("site.yaml", "2026-11-29", "2027-03-01"),
}


def test_a_warm_build_equals_a_cold_one_after_each_kind_of_edit(
    content_copy: Path, tmp_path: Path, edit: Callable[[Path, str, str], None]
) -> None:
    """One cache kept across a run of edits, as on an editor's machine: after each edit, the site
    made with it is the site made without any."""
    folder = tmp_path / "cache"
    previous = pipeline.render(pipeline.load(content_copy, BuildCache(folder)), BuildCache(folder))
    for name, (file, old, new) in CONTENT_EDITS.items():
        edit(content_copy / file, old, new)
        site = pipeline.load(content_copy, BuildCache())
        warm = pipeline.render(site, BuildCache(folder))
        assert warm == pipeline.render(site, BuildCache()), name
        assert warm != previous, name
        previous = warm


# --- a change to our own code reaches warm caches --------------------------------------------------

# In a copy of the package: every namespace's code version, one per line.
VERSIONS = """
import sys
from generator import pipeline
from generator.cache import NAMESPACES, code_version
for name in sorted(NAMESPACES):
    print(name, code_version(name))
"""


def _package_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "code"
    shutil.copytree(ROOT / "generator", copy / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "templates", copy / "templates")
    shutil.copy(ROOT / "build.py", copy / "build.py")
    return copy


def _run(code: Path, *arguments: str, cache: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(code)}
    if cache is not None:
        env["CANALES_CACHE_DIR"] = str(cache)
    return subprocess.run(
        [sys.executable, *arguments],
        capture_output=True,
        text=True,
        env=env,
        cwd=code,
        timeout=120,
        check=False,
    )


def test_a_change_to_a_registered_module_changes_its_namespaces_keys(tmp_path: Path) -> None:
    copy = _package_copy(tmp_path)

    def versions() -> dict[str, str]:
        result = _run(copy, "-c", VERSIONS)
        assert result.returncode == 0, result.stderr
        return dict(line.split(" ", 1) for line in result.stdout.splitlines())

    before = versions()
    modules = sorted({module for n in NAMESPACES.values() for module in n.modules})
    assert len(modules) >= 6
    for module in modules:
        source = copy / (module.replace(".", "/") + ".py")
        original = source.read_text()
        source.write_text(original + "\n# changed\n")
        after = versions()
        source.write_text(original)
        changed = {name for name in before if after[name] != before[name]}
        assert changed == {name for name, n in NAMESPACES.items() if module in n.modules}, module


def test_a_change_to_the_sanitiser_reaches_a_warm_cache(content_copy: Path, tmp_path: Path) -> None:
    """The bug that made the seam: with `mailto:` dropped from the safe schemes, a warm build kept
    publishing the link it had rendered before."""
    (content_copy / "pages/en/intro.md").write_text("[Write to us](mailto:soporte@example.org).\n")
    copy = _package_copy(tmp_path)
    cache = tmp_path / "cache"
    build = ["build.py", "build", "--content", str(content_copy), "--output"]
    assert _run(copy, *build, str(tmp_path / "before"), cache=cache).returncode == 0
    assert 'href="mailto:soporte@example.org"' in (tmp_path / "before/en/index.html").read_text()
    sanitiser = copy / "generator/outputs/markdown_text.py"
    sanitiser.write_text(sanitiser.read_text().replace('"mailto:", ', ""))
    assert _run(copy, *build, str(tmp_path / "after"), cache=cache).returncode == 0
    page = (tmp_path / "after/en/index.html").read_text()
    assert "Write to us" in page and "mailto:soporte" not in page


# --- damage, concurrency, bounds ------------------------------------------------------------------


def _build(content: Path, output: Path, cache: Path | None) -> subprocess.CompletedProcess[str]:
    arguments = ["build.py", "build", "--content", str(content), "--output", str(output)]
    return _run(ROOT, *arguments, *([] if cache else ["--no-cache"]), cache=cache or output.parent / "unused")


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _entries(cache: Path) -> list[Path]:
    return sorted(p for p in cache.glob("*/*") if p.is_file() and not p.name.startswith("."))


DAMAGE: dict[str, Callable[[list[Path]], None]] = {
    "junk": lambda entries: [entry.write_bytes(b"\x00junk" * 7) for entry in entries],
    "cut in half": lambda entries: [
        entry.write_bytes(entry.read_bytes()[: entry.stat().st_size // 2]) for entry in entries
    ],
    "empty": lambda entries: [entry.write_bytes(b"") for entry in entries],
    "one bit flipped": lambda entries: [
        entry.write_bytes(entry.read_bytes()[:-1] + bytes([entry.read_bytes()[-1] ^ 1])) for entry in entries
    ],
    # Each entry replaced by another, well-formed one: right bytes under the wrong name.
    "foreign": lambda entries: [
        entry.write_bytes(other.read_bytes())
        for entry, other in zip(entries, [*entries[1:], entries[0]], strict=True)
        if entry.read_bytes() != other.read_bytes()
    ],
    # Unreadable (root reads any mode, so a folder stands where the file was).
    "unreadable": lambda entries: [(entry.unlink(), entry.mkdir()) for entry in entries],
}


@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_a_damaged_cache_never_reaches_the_site_nor_stops_the_build(
    content_copy: Path, tmp_path: Path, damage: str
) -> None:
    hours = content_copy / "hours.yaml"  # so that holidays' answers are kept too
    hours.write_text(
        hours.read_text().replace(
            '        closes: "13:00"\n', '        closes: "13:00"\n    closures:\n      holidays: CO\n', 1
        )
    )
    cache = tmp_path / "cache"
    assert _build(content_copy, tmp_path / "reference", None).returncode == 0
    assert _build(content_copy, tmp_path / "first", cache).returncode == 0
    reference = _files(tmp_path / "reference")
    entries = _entries(cache)
    assert {entry.parent.name for entry in entries} == {
        "qr",
        "icon",
        "markdown",
        "vcard",
        "ics",
        "babel",
        "jinja",
        "holidays",
        "spans",
        "opening_hours",
        "notices",
    }
    DAMAGE[damage](entries)
    damaged = _build(content_copy, tmp_path / "second", cache)
    assert damaged.returncode == 0, damaged.stderr
    assert _files(tmp_path / "second") == reference
    warnings = [line for line in damaged.stderr.splitlines() if "cache" in line]
    assert len(warnings) == 1 and str(cache) in warnings[0] and "damaged" in warnings[0], damaged.stderr
    # The damaged entries were made again: the next build finds them whole.
    if damage == "unreadable":
        return  # a folder where an entry was stays; the entry is only made again each time
    again = _build(content_copy, tmp_path / "third", cache)
    assert again.returncode == 0 and "damaged" not in again.stderr
    assert _files(tmp_path / "third") == reference


def test_a_damaged_answer_in_check_is_asked_again(content_copy: Path, tmp_path: Path) -> None:
    hours = content_copy / "hours.yaml"
    hours.write_text(
        hours.read_text().replace(
            '        closes: "13:00"\n',
            '        closes: "13:00"\n    closures:\n      holidays: ES\n      subdivision: MD\n',
            1,
        )
    )
    cache = tmp_path / "cache"
    check = ["build.py", "check", "--content", str(content_copy)]
    assert _run(ROOT, *check, cache=cache).returncode == 0
    for entry in _entries(cache):
        entry.write_bytes(b"{")
    result = _run(ROOT, *check, cache=cache)
    assert result.returncode == 0, result.stderr
    assert "is valid" in result.stdout and "damaged" in result.stderr


def test_two_builds_sharing_a_cache_at_once_each_publish_their_own_site(
    content_copy: Path, tmp_path: Path, edit: Callable[[Path, str, str], None]
) -> None:
    other = tmp_path / "other"
    shutil.copytree(content_copy, other)
    edit(other / "escalation.yaml", "Orlando Méndez", "Orlanda Méndez")
    edit(other / "channels.yaml", "601 7442727", "601 7442728")
    edit(other / "pages/es/intro.md", "El cliente", "Cada cliente")
    contents = {"seed": content_copy, "other": other}
    references = {}
    for name, content in contents.items():
        assert _build(content, tmp_path / f"reference-{name}", None).returncode == 0
        references[name] = _files(tmp_path / f"reference-{name}")
    assert references["seed"] != references["other"]
    for round_ in range(3):  # a cold cache, then warm ones
        cache = tmp_path / "shared-cache"
        results: dict[str, subprocess.CompletedProcess[str]] = {}

        def run(
            name: str,
            round_: int = round_,
            cache: Path = cache,
            results: dict[str, subprocess.CompletedProcess[str]] = results,
        ) -> None:
            results[name] = _build(contents[name], tmp_path / f"{name}-{round_}", cache)

        threads = [threading.Thread(target=run, args=(name,)) for name in contents]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        for name in contents:
            assert results[name].returncode == 0, results[name].stderr
            assert _files(tmp_path / f"{name}-{round_}") == references[name], (name, round_)


def test_entries_unused_for_thirty_days_are_pruned_at_most_once_a_day(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path)
    for letter in "abcd":
        cache.keep(PLAIN, letter, lambda letter=letter: letter.encode())  # type: ignore[misc]
    entries = _entries(tmp_path)
    assert len(entries) == 4
    month_ago = cache._now - 31 * 24 * 3600
    for entry in entries[:2]:
        os.utime(entry, (month_ago, month_ago))
    stray = tmp_path / PLAIN / ".tmp-killed-build"
    stray.write_bytes(b"half")
    os.utime(stray, (month_ago, month_ago))
    week_ago = cache._now - 8 * 24 * 3600
    os.utime(entries[2], (week_ago, week_ago))
    assert BuildCache(tmp_path).prune() == 3
    assert sorted(_entries(tmp_path)) == entries[2:]
    assert not stray.exists()
    for entry in entries[2:]:
        os.utime(entry, (month_ago, month_ago))
    assert BuildCache(tmp_path).prune() == 0  # pruned less than a day ago
    os.utime(tmp_path / ".last-pruned", (month_ago, month_ago))
    assert BuildCache(tmp_path).prune() == 2


def test_a_read_refreshes_an_entry_so_that_it_is_kept(tmp_path: Path) -> None:
    BuildCache(tmp_path).keep(PLAIN, "a", lambda: b"A")
    (entry,) = _entries(tmp_path)
    days_ago = BuildCache(tmp_path)._now - 29 * 24 * 3600
    os.utime(entry, (days_ago, days_ago))
    assert BuildCache(tmp_path).keep(PLAIN, "a", lambda: b"B") == b"A"
    assert entry.stat().st_mtime > days_ago + 28 * 24 * 3600


def test_a_build_prunes_the_cache(content_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    old = cache / "qr" / ("0" * 64)
    old.parent.mkdir(parents=True)
    old.write_bytes(b"an entry of a contact long gone")
    month_ago = BuildCache(cache)._now - 40 * 24 * 3600
    os.utime(old, (month_ago, month_ago))
    assert _build(content_copy, tmp_path / "site", cache).returncode == 0
    assert not old.exists()
    assert _entries(cache)


# --- optional and visible --------------------------------------------------------------------------


def test_no_cache_reads_and_writes_nothing(content_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert _build(content_copy, tmp_path / "with", cache).returncode == 0
    before = _files(cache)
    for entry in _entries(cache):
        entry.write_bytes(b"junk")  # would be noticed, if it were read
    damaged = _files(cache)
    for command in (["build", "--output", str(tmp_path / "without")], ["check"]):
        result = _run(ROOT, "build.py", *command, "--content", str(content_copy), "--no-cache", cache=cache)
        assert result.returncode == 0 and "damaged" not in result.stderr, result.stderr
    assert _files(cache) == damaged != before
    assert _files(tmp_path / "without") == _files(tmp_path / "with")


def test_the_cache_command_shows_and_clears_the_cache(content_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert _build(content_copy, tmp_path / "site", cache).returncode == 0
    count = len(_entries(cache))
    info = _run(ROOT, "build.py", "cache", cache=cache)
    assert info.returncode == 0 and str(cache) in info.stdout
    (total,) = [line.split() for line in info.stdout.splitlines() if line.split()[:1] == ["total"]]
    assert int(total[1]) == count
    namespaces = ("qr", "vcard", "ics", "markdown", "babel", "jinja", "spans", "opening_hours", "notices")
    for namespace in namespaces:
        assert any(line.split()[0] == namespace for line in info.stdout.splitlines()[2:]), namespace
    cleared = _run(ROOT, "build.py", "cache", "clear", cache=cache)
    assert cleared.returncode == 0 and f"Removed {count} entries" in cleared.stdout
    assert _entries(cache) == []
    assert (cache / "CACHEDIR.TAG").exists()


def test_clear_refuses_a_folder_that_is_not_a_cache(tmp_path: Path) -> None:
    precious = tmp_path / "precious"
    (precious / "qr").mkdir(parents=True)
    keep = precious / "qr" / ("a" * 64)
    keep.write_text("not ours")
    result = _run(ROOT, "build.py", "cache", "clear", cache=precious)
    assert result.returncode == 1 and "not a canales build cache" in result.stderr
    assert keep.exists()


def test_serve_keeps_one_builds_entries_in_memory(seed_site: Site) -> None:
    cache = BuildCache()
    pipeline.render(seed_site, cache)
    cache.forget_unused()
    one_build = len(cache.memory)
    for title in ("Uno", "Dos", "Tres"):
        site = seed_site._replace(title=Text((("es", title), ("en", title))))
        pipeline.render(site, cache)
        cache.forget_unused()
    assert len(cache.memory) <= one_build + 2


# --- libraries' answers -----------------------------------------------------------------------------

# The modules that only make what the cache keeps: cards, feeds, Babel's answers (its locale data
# imports babel.dates), Markdown (with ElementTree), QR codes, the cards' UIDs and public holidays.
MAKERS = (
    "vobject",
    "icalendar",
    "babel.dates",
    "markdown",
    "xml.etree.ElementTree",
    "segno",
    "uuid",
    "resvg_py",
    "holidays",
)
# A command with the real command line, then which of them it loaded.
REPORT_LIBRARIES = f"""
import sys
from generator.cli import main
status = main(sys.argv[1:])
print(",".join(name for name in {MAKERS!r} if name in sys.modules) or "none")
sys.exit(status)
"""


def test_a_build_whose_outputs_are_all_kept_imports_none_of_their_libraries(
    content_copy: Path, tmp_path: Path
) -> None:
    """Importing vobject and icalendar is a quarter of the seed's build, loading the locales' CLDR
    data an eighth, and importing holidays as much as the rest of `check`: a build, or a check,
    whose answers are all in the cache does without every module that only makes them, and a build
    publishes the same files."""
    hours = content_copy / "hours.yaml"
    closing = '        closes: "13:00"\n'
    hours.write_text(hours.read_text().replace(closing, closing + "    closures:\n      holidays: CO\n", 1))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CANALES_CACHE_DIR": str(tmp_path / "cache")}

    def loaded(*arguments: str) -> str:
        command = [sys.executable, "-c", REPORT_LIBRARIES, *arguments, "--content", str(content_copy)]
        result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)
        assert result.returncode == 0, result.stderr
        return result.stdout.split()[-1]

    first = loaded("build", "--output", str(tmp_path / "first"))
    assert first == ",".join(MAKERS)
    assert loaded("build", "--output", str(tmp_path / "second")) == "none"
    assert loaded("check") == "none"
    for path in ("es/contacts/help-desk.vcf", "en/hours/business.ics", "es/index.html", "en/index.html"):
        assert (tmp_path / "first" / path).read_bytes() == (tmp_path / "second" / path).read_bytes()
    assert b"EXDATE" in (tmp_path / "second" / "en" / "hours" / "business.ics").read_bytes()


def test_holidays_answers_from_the_cache_are_the_packages_own(seed_site: Site, tmp_path: Path) -> None:
    """A holiday table made from a cache that kept the answers holds the holidays package's own
    dates, for each year looked up."""
    import holidays

    business = seed_site.schedules[0]
    years = range(2025, 2030)
    for country, subdivision in (("CO", None), ("ES", "MD")):
        schedule = business._replace(closures=Closures(holidays=country, subdivision=subdivision))
        PublicHolidays(BuildCache(tmp_path)).table([schedule], years)  # keeps the answers
        kept = PublicHolidays(BuildCache(tmp_path)).table([schedule], years)
        expected = {
            day
            for year in years
            for day in holidays.country_holidays(country, subdiv=subdivision, years=year)
        }
        assert kept.dates[country, subdivision] == expected
        assert kept.years == years
    assert len(list((tmp_path / "holidays").iterdir())) == 2 * len(years)


# Content whose holidays are of an unknown country, then of an unknown subdivision.
UNKNOWN_HOLIDAYS = (
    "    closures:\n      holidays: XX\n",
    "    closures:\n      holidays: ES\n      subdivision: XX\n",
)


@pytest.mark.parametrize("closures", UNKNOWN_HOLIDAYS, ids=["country", "subdivision"])
def test_a_kept_answer_gives_the_same_holidays_error(
    content_copy: Path, tmp_path: Path, closures: str
) -> None:
    hours = content_copy / "hours.yaml"
    closing = '        closes: "13:00"\n'
    hours.write_text(hours.read_text().replace(closing, closing + closures, 1))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CANALES_CACHE_DIR": str(tmp_path / "cache")}
    command = [sys.executable, "-c", REPORT_LIBRARIES, "check", "--content", str(content_copy)]
    runs = [subprocess.run(command, capture_output=True, text=True, env=env, timeout=60) for _ in range(2)]
    assert [run.returncode for run in runs] == [1, 1]
    assert runs[0].stderr == runs[1].stderr
    assert "no public holidays are known" in runs[0].stderr or "unknown subdivision of ES" in runs[0].stderr
    assert [run.stdout.split()[-1] for run in runs] == ["holidays", "none"]


def test_babels_answers_from_the_cache_are_babels_own(tmp_path: Path) -> None:
    """Every kind of question, in three locales, asked of a cache that kept the answers, gets what
    Babel answers; and no two questions share an answer's entry."""

    def wording(locale: str, cache: BuildCache) -> Wording:
        return Wording(Language(locale[:2], locale, None), {}, cache)

    questions: dict[str, Callable[[Wording], str]] = {
        "language": lambda w: w.own_name,
        "country": lambda w: w.country("CO"),
        "time": lambda w: w.time(1140),
        "midnight": lambda w: w.time(1440),
        "date": lambda w: w.date(datetime.date(2026, 12, 24)),
        "list": lambda w: w.listing(["uno", "dos", "tres"]),
        "pair": lambda w: w.listing(["uno", "dos"]),
        "days": lambda w: ", ".join(w.day_names),
    }
    locales = ("es_CO", "en", "ja")
    for locale in locales:  # a first round keeps the answers; the second reads them back
        for ask in questions.values():
            ask(wording(locale, BuildCache(tmp_path)))
    answers = {}
    for locale in locales:
        for name, ask in questions.items():
            kept = ask(wording(locale, BuildCache(tmp_path)))
            assert kept == ask(wording(locale, BuildCache())), (name, locale)
            answers[name, locale] = kept
    assert answers["time", "en"] == "7:00\u202fPM" and answers["midnight", "es_CO"] == "12:00\u202fa.\u202fm."
    assert answers["country", "ja"] == "コロンビア" and answers["language", "es_CO"] == "Español"
    assert len(list((tmp_path / "babel").iterdir())) == len(answers)


def test_the_module_has_no_process_wide_cache() -> None:
    """No default cache is shared between builds, tests or rebuilds."""
    assert not any(isinstance(value, BuildCache) for value in vars(cache_module).values())


def test_the_pages_workflow_keys_its_cache_by_the_generator() -> None:
    """A generator upgrade must not restore a cache made by the previous one (the seam makes a
    stale entry unfindable anyway; this keeps the restored cache from filling up with them)."""
    import yaml

    workflow = yaml.safe_load((ROOT / "deploy/github-pages.yml").read_text())
    steps = [step for job in workflow["jobs"].values() for step in job.get("steps", [])]
    (kept,) = [step["with"] for step in steps if str(step.get("uses", "")).startswith("actions/cache@")]
    generator = "hashFiles('pyproject.toml', 'generator/**', 'templates/**')"
    assert kept["key"].startswith(f"canales-${{{{ {generator} }}}}-")
    assert kept["restore-keys"] == f"canales-${{{{ {generator} }}}}-"
