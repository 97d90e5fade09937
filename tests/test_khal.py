"""A real calendar client: khal imports each feed and lists the week it would show a subscriber.

Locally the test skips without khal; under CI=true a missing khal fails it (it is a dev dependency).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from render_context import context
from test_calendar_seasons import CHRISTMAS, MADRID, read_site
from test_notices_feeds import MAINTENANCE, bogota, write_notices

from generator import pipeline
from generator.cache import BuildCache
from generator.content.model import Closures, Site
from generator.outputs.calendars import render_calendars
from generator.outputs.notices import render_notices

KHAL = shutil.which("khal") or str(Path(sys.executable).with_name("khal"))
WEEK = ("2026-12-07", "2026-12-13")  # Tuesday 8 December is a Colombian public holiday


def khal_week(
    tmp_path: Path,
    feed: bytes,
    week: tuple[str, str] = WEEK,
    zone: str = "America/Bogota",
    fmt: str = "{start-date} {start-time}-{end-time} {title}",
) -> list[str]:
    """The lines `khal list` prints for `week` after importing `feed` into an empty calendar,
    in the time zone `zone`, each event as `fmt` says."""
    if not Path(KHAL).is_file():
        if os.environ.get("CI") == "true":
            pytest.fail("khal is missing; it is a dev dependency in pyproject.toml")
        pytest.skip("khal is not installed")
    calendar, data = tmp_path / "calendar", tmp_path / "data"
    calendar.mkdir(parents=True)
    data.mkdir()
    (tmp_path / "feed.ics").write_bytes(feed)
    (tmp_path / "khal.conf").write_text(
        f"""[calendars]
[[help]]
path = {calendar}
type = calendar
[locale]
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
default_timezone = {zone}
local_timezone = {zone}
[default]
default_calendar = help
[sqlite]
path = {data}/khal.db
""",
        encoding="utf-8",
    )
    config = ["-c", str(tmp_path / "khal.conf")]
    imported = subprocess.run(
        [KHAL, *config, "import", "--batch", "-a", "help", str(tmp_path / "feed.ics")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert imported.returncode == 0, imported.stderr
    listed = subprocess.run(
        [
            KHAL,
            *config,
            "list",
            "--format",
            fmt,
            "--day-format",
            "",
            *week,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return [line for line in listed.stdout.splitlines() if line.strip()]


@pytest.mark.parametrize(
    ("language", "title"), [("es", "Certicámara: Horario de atención"), ("en", "Certicámara: Service hours")]
)
def test_business_hours_as_a_subscriber_sees_them(
    seed_files: dict[str, bytes], tmp_path: Path, language: str, title: str
) -> None:
    assert khal_week(tmp_path, seed_files[f"{language}/hours/business.ics"]) == [
        f"2026-12-{day:02d} 07:00-19:00 {title}" for day in (7, 8, 9, 10, 11)
    ] + [f"2026-12-12 08:00-13:00 {title}"]


def test_the_always_open_feed_is_one_all_day_event_a_day(
    seed_files: dict[str, bytes], tmp_path: Path
) -> None:
    lines = khal_week(tmp_path, seed_files["en/hours/always.ics"])
    assert lines == [f"2026-12-{day:02d} - Certicámara: 24/7 service" for day in range(7, 14)]


def test_public_holidays_are_left_out(seed_site: Site, tmp_path: Path, cache: BuildCache) -> None:
    business = seed_site.schedules[0]._replace(closures=Closures(holidays="CO"))
    site = seed_site._replace(schedules=(business, *seed_site.schedules[1:]))
    lines = khal_week(tmp_path, pipeline.render(site, cache)["es/hours/business.ics"])
    assert [line.split()[0] for line in lines] == [
        "2026-12-07",
        "2026-12-09",
        "2026-12-10",
        "2026-12-11",
        "2026-12-12",
    ]


def test_christmas_eve_shows_its_own_hours_and_title(content_copy: Path, tmp_path: Path) -> None:
    site = read_site(content_copy, CHRISTMAS)
    feeds = render_calendars(context(site))
    week = ("2026-12-21", "2026-12-27")  # 25 December is a holiday; 26 to 30 are closed
    title = "Certicámara: Service hours"
    assert khal_week(tmp_path, feeds["en/hours/business.ics"], week) == [
        f"2026-12-21 07:00-19:00 {title}",
        f"2026-12-22 07:00-19:00 {title}",
        f"2026-12-23 07:00-19:00 {title}",
        f"2026-12-24 07:00-12:00 {title} (Christmas Eve)",
    ]


def test_a_summer_week_shows_the_seasons_hours(content_copy: Path, tmp_path: Path) -> None:
    site = read_site(content_copy, MADRID)
    feeds = render_calendars(context(site))
    week = ("2027-07-05", "2027-07-11")
    title = "Certicámara: Horario de Madrid"
    assert khal_week(tmp_path, feeds["es/hours/madrid.ics"], week, "Europe/Madrid") == [
        f"2027-07-{day:02d} 08:00-15:00 {title}" for day in (5, 6, 7, 8, 9)
    ]


def test_the_notices_calendar_shows_the_maintenance_on_its_night(content_copy: Path, tmp_path: Path) -> None:
    """A subscriber sees the planned maintenance in their own zone, from 22:00 on Saturday to 04:00
    on Sunday in Bogotá (khal lists an event over midnight on both days); a resolved incident
    shows where it happened, and a cancelled maintenance keeps its CANCELLED status."""
    site = pipeline.load(write_notices(content_copy), BuildCache())
    feed = pipeline.render(site, BuildCache())["en/notices.ics"]
    maintenance = "Maintenance: Portal maintenance"
    assert khal_week(tmp_path / "bogota", feed) == [
        f"2026-12-12 22:00-04:00 {maintenance}",
        f"2026-12-12 22:00-04:00 {maintenance}",
    ]
    assert khal_week(tmp_path / "madrid", feed, zone="Europe/Madrid") == [
        f"2026-12-13 04:00-10:00 {maintenance}",
    ]
    incident = "Incident: Problems with the Bogotá line (Resolved)"
    assert khal_week(tmp_path / "incident", feed, ("2026-11-30", "2026-12-06")) == [
        f"2026-12-02 09:10-11:05 {incident}"
    ]
    cancelled = site._replace(
        notices=tuple(
            n._replace(cancelled=bogota(2026, 12, 10, 8, 0)) if n.id == MAINTENANCE else n
            for n in site.notices
        )
    )
    feed = render_notices(context(cancelled))["es/notices.ics"]
    listed = khal_week(
        tmp_path / "cancelled", feed, fmt="{status}{title}"
    )  # khal says "CANCELLED ", space included
    assert listed == ["CANCELLED Mantenimiento: Mantenimiento del portal (Cancelado)"] * 2


def test_an_empty_notices_calendar_imports(seed_files: dict[str, bytes], tmp_path: Path) -> None:
    """A subscription made before the first notice: the empty calendar imports, and lists nothing."""
    assert khal_week(tmp_path, seed_files["es/notices.ics"]) == []
