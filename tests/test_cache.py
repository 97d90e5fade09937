"""The build cache: slow pure steps found again in memory or on disk, never changing the output."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator import pipeline
from generator.cache import BuildCache, package_version
from generator.content.model import Closures, Interval, Site, Text
from generator.outputs import Files
from generator.outputs.calendars import render_calendars
from generator.outputs.cards import render_cards

ROOT = Path(__file__).resolve().parent.parent
STAMP = datetime.datetime(2026, 11, 30, tzinfo=datetime.UTC)


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


def test_a_kept_card_is_made_again_when_anything_it_holds_changes(seed_site: Site, tmp_path: Path) -> None:
    """Every card, the help desk's included, is found again by all that it holds: after an edit,
    the cards from the cache are the ones made without it, and differ from the kept ones."""
    kept = render_cards(seed_site, STAMP, BuildCache(tmp_path))
    channels, levels = seed_site.channels, seed_site.levels
    renamed = Text((("es", "Mesa de ayuda"), ("en", "Help desk")))
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
            levels=(
                *levels[:-1],
                levels[-1]._replace(contact=levels[-1].contact._replace(person="Ana Pérez")),  # type: ignore[union-attr]
            )
        ),
    }
    for edit, site in edits.items():
        from_cache = render_cards(site, STAMP, BuildCache(tmp_path))
        assert from_cache == render_cards(site, STAMP, BuildCache()), edit
        assert from_cache != kept, edit


def test_a_kept_feed_is_made_again_when_anything_it_holds_changes(seed_site: Site, tmp_path: Path) -> None:
    """Feeds are found again by all that they hold: after an edit, the feeds from the cache are the
    ones made without it, and differ from the kept ones."""
    kept = render_calendars(seed_site, STAMP, BuildCache(tmp_path))
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
        from_cache = render_calendars(site, STAMP, BuildCache(tmp_path))
        assert from_cache == render_calendars(site, STAMP, BuildCache()), edit
        assert from_cache != kept, edit
    assert render_calendars(seed_site, STAMP + datetime.timedelta(days=1), BuildCache(tmp_path)) != kept


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
    """Schedules' holidays filled in from a cache that kept them are the holidays package's own, for
    each year covered; a year outside them is still asked of the package."""
    import holidays

    from generator.hours import closed_dates, is_closed_on, with_holidays

    business, *others = seed_site.schedules
    closures = [Closures(holidays="CO"), Closures(holidays="ES", subdivision="MD")]
    for closing in closures:
        site = seed_site._replace(schedules=(business._replace(closures=closing), *others))
        with_holidays(site, BuildCache(tmp_path))  # keeps the answers
        kept = with_holidays(site, BuildCache(tmp_path)).schedules[0].closures
        assert [year for year, _ in kept.holiday_dates] == list(range(2025, 2030))
        for year, dates in kept.holiday_dates:
            assert dates == tuple(
                sorted(holidays.country_holidays(closing.holidays, subdiv=closing.subdivision, years=year))
            )
        assert kept._replace(holiday_dates=()) == closing
        # A year outside the kept ones: the package is asked.
        expected = sorted(holidays.country_holidays(closing.holidays, subdiv=closing.subdivision, years=2040))
        assert closed_dates(kept, datetime.date(2040, 1, 1), datetime.date(2040, 12, 31)) == expected
        assert all(is_closed_on(kept, day) for day in expected)
    assert datetime.date(2040, 1, 1) in holidays.country_holidays("CO", years=2040)
    assert len(list((tmp_path / "holidays").iterdir())) == 2 * 5


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


def test_babels_answers_from_the_cache_are_babels_own(seed_site: Site, tmp_path: Path) -> None:
    """Every kind of question, in three locales, asked of a cache that kept the answers, gets what
    Babel answers; and no two questions share an answer's entry."""
    from generator import i18n

    def site_in(locale: str) -> Site:
        return seed_site._replace(languages=(seed_site.languages[0]._replace(locale=locale, name=""),))

    questions = {
        "language": lambda locale, cache: i18n.named(site_in(locale), cache).languages[0].name,
        "country": lambda locale, cache: i18n.country_name("CO", locale, cache),
        "time": lambda locale, cache: i18n.format_minutes(1140, locale, cache),
        "midnight": lambda locale, cache: i18n.format_minutes(1440, locale, cache),
        "date": lambda locale, cache: i18n.format_day(datetime.date(2026, 12, 24), locale, cache),
        "list": lambda locale, cache: i18n.format_list(["uno", "dos", "tres"], locale, cache),
        "pair": lambda locale, cache: i18n.format_list(["uno", "dos"], locale, cache),
        "days": lambda locale, cache: ", ".join(i18n.day_names(locale, cache)),
    }
    locales = ("es_CO", "en", "ja")
    for locale in locales:  # a first round keeps the answers; the second reads them back
        for ask in questions.values():
            ask(locale, BuildCache(tmp_path))
    answers = {}
    for locale in locales:
        for name, ask in questions.items():
            kept = ask(locale, BuildCache(tmp_path))
            assert kept == ask(locale, BuildCache()), (name, locale)
            answers[name, locale] = kept
    assert answers["time", "en"] == "7:00\u202fPM" and answers["midnight", "es_CO"] == "12:00\u202fa.\u202fm."
    assert answers["country", "ja"] == "コロンビア" and answers["language", "es_CO"] == "Español"
    assert len(list((tmp_path / "babel").iterdir())) == len(answers)
