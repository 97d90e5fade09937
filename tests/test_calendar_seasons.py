"""Seasons and special days in the iCalendar feeds, read back as a client reads them.

The key check, as in test_calendars: over the whole window, a feed's events are exactly the open
spans generator.hours gives, both as recurring_ical_events expands them and as RFC 5545 strictly
defines them (each instance the first one's exact duration, unless an override says otherwise).
Sites are read from a copy of the seed content with hours.yaml replaced, as an editor writes it.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
from examples import CHRISTMAS as CHRISTMAS_EXAMPLE
from examples import SUMMER as SUMMER_EXAMPLE
from examples import example
from icalendar import Calendar, Event
from render_context import context
from schedules import clipped, merged
from test_calendars import as_instant, expanded

from generator.cache import BuildCache
from generator.content.model import Schedule, Site
from generator.content.reader import read_content
from generator.hours import PublicHolidays, Span, occurrences
from generator.outputs.calendars import calendar_path, render_calendars
from generator.outputs.context import Window

UTC = datetime.UTC
STAMP = datetime.datetime(2026, 11, 29, tzinfo=UTC)
SEED_UPDATED = datetime.date(2026, 11, 29)  # the window runs from 2026-11-23 to 2028-11-19

ALWAYS = """
  - id: always
    name: {es: Atención 24/7, en: 24/7 service}
    always: true
"""
SEED_BUSINESS = """
  - id: business
    name: {es: Horario de atención, en: Service hours}
    weekly:
      - days: [mon-fri]
        opens: "07:00"
        closes: "19:00"
      - days: [sat]
        opens: "08:00"
        closes: "13:00"
"""
# The docs' examples (docs/content.md), as written there: Christmas in Bogotá is the business
# schedule; summer hours in Madrid, a schedule of its own next to the seed's business hours.
CHRISTMAS = "\n" + example(CHRISTMAS_EXAMPLE)
MADRID = SEED_BUSINESS + example(SUMMER_EXAMPLE)
# Nights in Madrid across the clock changes: a special night on the last Saturday of March and of
# October 2027, the base week's Friday night running into the first day of a season (Saturday 1
# May 2027), and a yearly season whose own Saturday night meets the change of 2028.
CLOCK_CHANGES = """
  - id: business
    name: {es: Horario de atención, en: Service hours}
    timezone: Europe/Madrid
    weekly:
      - days: [mon-thu]
        opens: "09:00"
        closes: "17:00"
      - days: [fri, sat]
        opens: "22:00"
        closes: "06:00"
        overnight: true
    seasons:
      - name: {es: Mayo, en: May}
        from: 2027-05-01
        to: 2027-05-31
        weekly:
          - days: [sat]
            opens: "10:00"
            closes: "14:00"
      - name: {es: Otoño, en: Autumn}
        from: 10-23
        to: 11-06
        weekly:
          - days: [mon-fri]
            opens: "10:00"
            closes: "16:00"
          - days: [sat]
            opens: "22:00"
            closes: "06:00"
            overnight: true
    special_days:
      - date: 2027-03-27
        label: {es: Noche del cambio de hora, en: Clock-change night}
        hours:
          - opens: "21:00"
            closes: "07:00"
            overnight: true
      - date: 2027-10-30
        label: {es: Noche del cambio de hora, en: Clock-change night}
        hours:
          - opens: "21:00"
            closes: "07:00"
            overnight: true
"""
# A season for this year replaces the yearly one on its dates.
DATED_SEASON = """
  - id: business
    name: {es: Horario de atención, en: Service hours}
    timezone: Europe/Madrid
    weekly:
      - days: [mon-fri]
        opens: "09:00"
        closes: "18:00"
    seasons:
      - name: {es: Verano, en: Summer}
        from: 07-01
        to: 08-31
        weekly:
          - days: [mon-fri]
            opens: "08:00"
            closes: "15:00"
      - name: {es: Verano de obras, en: Summer of works}
        from: 2027-07-15
        to: 2027-08-15
        weekly:
          - days: [mon-thu]
            opens: "10:00"
            closes: "14:00"
"""
# A yearly season and a yearly special range that both run over the new year; a special day on a
# public holiday (the Epiphany, moved to Monday 11 January 2027 in Colombia), and one that keeps
# the week's hours under a label of its own.
NEW_YEAR = """
  - id: business
    name: {es: Horario de atención, en: Service hours}
    weekly:
      - days: [mon-fri]
        opens: "07:00"
        closes: "19:00"
      - days: [sat]
        opens: "08:00"
        closes: "13:00"
    closures:
      holidays: CO
    seasons:
      - name: {es: Temporada de fin de año, en: Year-end season}
        from: 12-15
        to: 01-15
        weekly:
          - days: [mon-fri]
            opens: "08:00"
            closes: "12:00"
    special_days:
      - from: 12-31
        to: 01-02
        label: {es: Año nuevo, en: New Year}
        closed: true
      - date: 2027-01-11
        label: {es: Guardia de Reyes, en: Epiphany duty}
        hours:
          - opens: "09:00"
            closes: "11:00"
      - date: 2027-02-10
        label: {es: Inventario, en: Stocktaking}
        hours:
          - opens: "07:00"
            closes: "19:00"
"""
SITES = {
    "seed": SEED_BUSINESS,
    "Christmas in Bogotá": CHRISTMAS,
    "summer in Madrid": MADRID,
    "nights across clock changes, Madrid": CLOCK_CHANGES,
    "a dated season replaces a yearly one": DATED_SEASON,
    "yearly ranges over the new year": NEW_YEAR,
}


def read_site(content: Path, schedules: str, updated: datetime.date = SEED_UPDATED) -> Site:
    """The seed content with these schedules (and the seed's always-open one) as hours.yaml."""
    (content / "hours.yaml").write_text("schedules:" + schedules + ALWAYS, encoding="utf-8")
    site = read_content(content, PublicHolidays(BuildCache()))
    return site._replace(updated=updated)


def render(site: Site) -> dict[str, bytes]:
    return render_calendars(context(site, stamp=STAMP))


def window_instants(window: Window, tz: ZoneInfo) -> tuple[datetime.datetime, datetime.datetime]:
    """The window from its first day's midnight to the midnight after its last, in the zone."""
    start = datetime.datetime.combine(window.first, datetime.time(), tz)
    return start.astimezone(UTC), datetime.datetime.combine(window.end, datetime.time(), tz).astimezone(UTC)


def by_rfc_5545(
    calendar: Calendar, start: datetime.datetime, end: datetime.datetime, tz: ZoneInfo
) -> list[Span]:
    """Each series' instances as RFC 5545 defines them: the first instance's exact duration, unless
    an override (RECURRENCE-ID) gives the instance its own end; single events as they are."""
    spans: list[Span] = []
    overrides = {(str(e["UID"]), e["RECURRENCE-ID"].dt): e for e in calendar.events if "RECURRENCE-ID" in e}
    for event in calendar.events:
        if "RECURRENCE-ID" in event:
            continue
        if "RRULE" not in event:
            spans.append((as_instant(event.DTSTART, tz), as_instant(event.DTEND, tz)))
            continue
        exact = as_instant(event.DTEND, tz) - as_instant(event.DTSTART, tz)
        alone = Calendar()
        alone.add_component(event)  # without its overrides: the instances the rule makes
        for occurrence in recurring_ical_events.of(alone).between(start - exact, end):
            override = overrides.get((str(event["UID"]), occurrence.DTSTART))
            opens = as_instant(occurrence.DTSTART, tz)
            closes = as_instant(override.DTEND, tz) if override is not None else opens + exact
            spans.append((opens, closes))
    return merged(spans)


def expected(site: Site, schedule: Schedule) -> list[Span]:
    # The feed starts on the window's first day and each day keeps what opens on it, so a span
    # that opens on the window's last day runs past its end; generator.hours also holds what
    # opened before the window. Both are compared within the window.
    ctx = context(site, stamp=STAMP)
    start, end = window_instants(ctx.window, ZoneInfo(schedule.timezone))
    return clipped(occurrences(schedule, start, end, ctx.holidays), start, end)


@pytest.mark.parametrize("schedules", SITES.values(), ids=SITES.keys())
def test_every_feed_holds_the_hours_of_the_whole_window(content_copy: Path, schedules: str) -> None:
    site = read_site(content_copy, schedules)
    files = render(site)
    window = context(site, stamp=STAMP).window
    for schedule in site.schedules:
        tz = ZoneInfo(schedule.timezone)
        start, end = window_instants(window, tz)
        truth = expected(site, schedule)
        assert truth, "every schedule here opens in the window"
        for language in site.languages:
            calendar = Calendar.from_ical(files[calendar_path(schedule, language)])
            assert clipped(expanded(calendar, start, end, tz), start, end) == truth
            if not schedule.always:
                assert clipped(by_rfc_5545(calendar, start, end, tz), start, end) == truth


def series_and_singles(calendar: Calendar) -> tuple[list[Event], list[Event]]:
    masters = [e for e in calendar.events if "RECURRENCE-ID" not in e]
    return [e for e in masters if "RRULE" in e], [e for e in masters if "RRULE" not in e]


def until(event: Event) -> datetime.datetime:
    (rule,) = event.rrules
    (value,) = rule["UNTIL"]
    assert isinstance(value, datetime.datetime)
    return value


@pytest.mark.parametrize("schedules", SITES.values(), ids=SITES.keys())
def test_every_series_ends_in_utc_with_its_stretch_and_the_last_with_the_window(
    content_copy: Path, schedules: str
) -> None:
    site = read_site(content_copy, schedules)
    files = render(site)
    window = context(site, stamp=STAMP).window
    for schedule in site.schedules:
        if schedule.always:
            continue
        tz = ZoneInfo(schedule.timezone)
        calendar = Calendar.from_ical(files[calendar_path(schedule, site.languages[0])])
        series, _singles = series_and_singles(calendar)
        for event in series:
            assert until(event).utcoffset() == datetime.timedelta(0)
            assert until(event) >= event.DTSTART
            # UNTIL is the start the series' instance would have on its last day.
            last = until(event).astimezone(tz)
            assert last.time() == event.DTSTART.time()
            assert window.first <= last.date() <= window.last
            for value in event.exdates:  # an EXDATE repeats DTSTART's zone and local time
                assert value.tzinfo == event.DTSTART.tzinfo
                assert value.time() == event.DTSTART.time()
        assert max(until(event).astimezone(tz).date() for event in series) == window.last
        raw = files[calendar_path(schedule, site.languages[0])].decode()
        assert "RRULE:FREQ=WEEKLY;UNTIL=" in raw and "Z;BYDAY=" in raw


def stretches(calendar: Calendar) -> set[tuple[str, str, str]]:
    """Each series as (first day, last day, its rule's days)."""
    series, _singles = series_and_singles(calendar)
    tz = series[0].DTSTART.tzinfo
    return {
        (
            event.DTSTART.date().isoformat(),
            until(event).astimezone(tz).date().isoformat(),
            event["RRULE"].to_ical().decode().split("BYDAY=")[1],
        )
        for event in series
    }


def test_summer_hours_are_series_of_their_own_between_the_base_weeks(content_copy: Path) -> None:
    site = read_site(content_copy, MADRID)
    calendar = Calendar.from_ical(render(site)["en/hours/madrid.ics"])
    # The base week until summer, summer, the base week to the next summer, summer, the base
    # week to the window's end; each from its first instance to its stretch's last day.
    assert stretches(calendar) == {
        ("2026-11-23", "2027-06-30", "MO,TU,WE,TH"),
        ("2026-11-27", "2027-06-30", "FR"),
        ("2027-07-01", "2027-08-31", "MO,TU,WE,TH,FR"),
        ("2027-09-01", "2028-06-30", "MO,TU,WE,TH"),
        ("2027-09-03", "2028-06-30", "FR"),
        ("2028-07-03", "2028-08-31", "MO,TU,WE,TH,FR"),
        ("2028-09-04", "2028-11-19", "MO,TU,WE,TH"),
        ("2028-09-01", "2028-11-19", "FR"),
    }
    madrid = ZoneInfo("Europe/Madrid")
    summer = next(e for e in calendar.events if e.DTSTART.date() == datetime.date(2027, 7, 1))
    assert datetime.datetime(2027, 7, 1, 8, tzinfo=madrid) == summer.DTSTART
    assert datetime.datetime(2027, 7, 1, 15, tzinfo=madrid) == summer.DTEND
    assert summer.exdates == []  # no holiday on a summer weekday of 2027
    # The Assumption, 15 August, is a Tuesday in 2028: a day off of the next summer's week.
    next_summer = next(e for e in calendar.events if e.DTSTART.date() == datetime.date(2028, 7, 3))
    assert next_summer.exdates == [datetime.datetime(2028, 8, 15, 8, tzinfo=madrid)]


def test_a_launch_night_is_one_event_per_opening_titled_with_its_label(content_copy: Path) -> None:
    site = read_site(content_copy, MADRID)
    files = render(site)
    madrid = ZoneInfo("Europe/Madrid")
    for language, label in (("es", "Lanzamiento"), ("en", "Launch night")):
        data = files[f"{language}/hours/madrid.ics"]
        series, singles = series_and_singles(Calendar.from_ical(data))
        schedule = site.schedule("madrid").name[language]
        assert [(e.DTSTART, e.DTEND, str(e["SUMMARY"])) for e in singles] == [
            (
                datetime.datetime(2027, 10, 30, 9, tzinfo=madrid),
                datetime.datetime(2027, 10, 30, 14, tzinfo=madrid),
                f"Certicámara: {schedule} ({label})",
            ),
            (
                datetime.datetime(2027, 10, 30, 20, tzinfo=madrid),
                datetime.datetime(2027, 10, 31, 4, tzinfo=madrid),
                f"Certicámara: {schedule} ({label})",
            ),
        ]
        # The night the clocks go back lasts nine hours; a single event needs no override for it.
        night = singles[1]
        assert night.DTEND.astimezone(UTC) - night.DTSTART.astimezone(UTC) == datetime.timedelta(hours=9)
        assert "RRULE" not in night
        assert b"DTEND;TZID=Europe/Madrid:20271031T040000" in data
        assert all(str(e["SUMMARY"]) == f"Certicámara: {schedule}" for e in series)
        assert all(e["DESCRIPTION"] == series[0]["DESCRIPTION"] for e in singles)


def test_christmas_eve_has_its_hours_and_the_closed_days_no_event(content_copy: Path) -> None:
    site = read_site(content_copy, CHRISTMAS)
    calendar = Calendar.from_ical(render(site)["es/hours/business.ics"])
    bogota = ZoneInfo("America/Bogota")
    (weekdays,), singles = series_and_singles(calendar)
    # Christmas and New Year's Eve, both years of the window; the year-end closure has no event.
    assert [(e.DTSTART, e.DTEND.time(), str(e["SUMMARY"])) for e in singles] == [
        (
            datetime.datetime(2026, 12, 24, 7, tzinfo=bogota),
            datetime.time(12),
            "Certicámara: Horario de atención (Nochebuena)",
        ),
        (
            datetime.datetime(2026, 12, 31, 7, tzinfo=bogota),
            datetime.time(12),
            "Certicámara: Horario de atención (Fin de año)",
        ),
        (
            datetime.datetime(2027, 12, 24, 7, tzinfo=bogota),
            datetime.time(12),
            "Certicámara: Horario de atención (Nochebuena)",
        ),
        (
            datetime.datetime(2027, 12, 31, 7, tzinfo=bogota),
            datetime.time(12),
            "Certicámara: Horario de atención (Fin de año)",
        ),
    ]
    december = sorted(d.date() for d in weekdays.exdates if d.date().year == 2026 and d.month == 12)
    # 8 December (a holiday), 24 (Christmas Eve's own event), 25 (a holiday), 28–30 (closed), 31.
    assert december == [datetime.date(2026, 12, day) for day in (8, 24, 25, 28, 29, 30, 31)]


def test_a_clock_change_night_is_a_single_event_and_a_season_night_an_override(content_copy: Path) -> None:
    site = read_site(content_copy, CLOCK_CHANGES)
    calendar = Calendar.from_ical(render(site)["en/hours/business.ics"])
    madrid = ZoneInfo("Europe/Madrid")
    series, singles = series_and_singles(calendar)
    assert [(e.DTSTART, e.DTEND) for e in singles] == [
        (datetime.datetime(2027, 3, 27, 21, tzinfo=madrid), datetime.datetime(2027, 3, 28, 7, tzinfo=madrid)),
        (
            datetime.datetime(2027, 10, 30, 21, tzinfo=madrid),
            datetime.datetime(2027, 10, 31, 7, tzinfo=madrid),
        ),
    ]
    overrides = {e["RECURRENCE-ID"].dt: e for e in calendar.events if "RECURRENCE-ID" in e}
    # Two nights cannot take their series' duration: spring 2028's change in the base week; and in
    # the autumn season of 2028, whose first night is the change (9 hours by the clock), its other
    # night, 4 November, which lasts the usual 8.
    assert sorted(overrides) == [
        datetime.datetime(2028, 3, 25, 22, tzinfo=madrid),
        datetime.datetime(2028, 11, 4, 22, tzinfo=madrid),
    ]
    fourth = overrides[datetime.datetime(2028, 11, 4, 22, tzinfo=madrid)]
    assert datetime.datetime(2028, 11, 5, 6, tzinfo=madrid) == fourth.DTEND
    autumn = next(e for e in series if e["UID"] == fourth["UID"])
    assert datetime.datetime(2028, 10, 28, 22, tzinfo=madrid) == autumn.DTSTART
    assert until(autumn).astimezone(madrid).date() == datetime.date(2028, 11, 6)  # the season's end
    # Friday 30 April's night belongs to the base week, and runs into May's first day.
    fridays = [e for e in series if e["RRULE"].to_ical().endswith(b"BYDAY=FR,SA")]
    spring = next(e for e in fridays if until(e).astimezone(madrid).date() == datetime.date(2027, 4, 30))
    assert datetime.datetime(2027, 4, 30, 22, tzinfo=madrid) not in spring.exdates


def test_a_dated_season_cuts_the_yearly_one(content_copy: Path) -> None:
    site = read_site(content_copy, DATED_SEASON)
    calendar = Calendar.from_ical(render(site)["en/hours/business.ics"])
    assert {s for s in stretches(calendar) if s[0].startswith("2027-0")} == {
        ("2027-07-01", "2027-07-14", "MO,TU,WE,TH,FR"),
        ("2027-07-15", "2027-08-15", "MO,TU,WE,TH"),
        ("2027-08-16", "2027-08-31", "MO,TU,WE,TH,FR"),
        ("2027-09-01", "2028-06-30", "MO,TU,WE,TH,FR"),
    }


def test_a_yearly_season_over_the_new_year(content_copy: Path) -> None:
    site = read_site(content_copy, NEW_YEAR)
    calendar = Calendar.from_ical(render(site)["en/hours/business.ics"])
    seasons = {s for s in stretches(calendar) if s[2] == "MO,TU,WE,TH,FR" and s[0][5:7] == "12"}
    assert seasons == {
        ("2026-12-15", "2027-01-15", "MO,TU,WE,TH,FR"),
        ("2027-12-15", "2028-01-15", "MO,TU,WE,TH,FR"),
    }
    _series, singles = series_and_singles(calendar)
    # The New Year is closed: its days are only exceptions; the special days are events.
    bogota = ZoneInfo("America/Bogota")
    assert [(e.DTSTART, str(e["SUMMARY"])) for e in singles] == [
        (datetime.datetime(2027, 1, 11, 9, tzinfo=bogota), "Certicámara: Service hours (Epiphany duty)"),
        (datetime.datetime(2027, 2, 10, 7, tzinfo=bogota), "Certicámara: Service hours (Stocktaking)"),
    ]
    for year in (2026, 2027):
        new_year = datetime.datetime(year, 12, 31, tzinfo=bogota)
        assert (
            recurring_ical_events.of(calendar).between(new_year, new_year + datetime.timedelta(days=3)) == []
        )
    # A special day with the week's own hours is shown once, under its label.
    stocktaking = datetime.datetime(2027, 2, 10, tzinfo=bogota)
    that_day = recurring_ical_events.of(calendar).between(
        stocktaking, stocktaking + datetime.timedelta(days=1)
    )
    assert [str(e["SUMMARY"]) for e in that_day] == ["Certicámara: Service hours (Stocktaking)"]


def uids(files: dict[str, bytes]) -> dict[str, set[str]]:
    return {
        path: {str(e["UID"]) for e in Calendar.from_ical(data).events if "RECURRENCE-ID" not in e}
        for path, data in files.items()
    }


@pytest.mark.parametrize("schedules", SITES.values(), ids=SITES.keys())
def test_uids_are_unique_and_a_rebuild_is_identical(content_copy: Path, schedules: str) -> None:
    site = read_site(content_copy, schedules)
    files = render(site)
    assert render(site) == files
    every = []
    for data in files.values():
        masters = [str(e["UID"]) for e in Calendar.from_ical(data).events if "RECURRENCE-ID" not in e]
        assert len(masters) == len(set(masters))
        every += masters
    assert len(every) == len(set(every)), "no two feeds share an event"


def lifetimes(data: bytes) -> dict[str, tuple[datetime.date, datetime.date]]:
    """Each event's UID, with its first and last day."""
    found = {}
    calendar = Calendar.from_ical(data)
    for event in calendar.events:
        if "RECURRENCE-ID" in event:
            continue
        start = event.DTSTART
        if not isinstance(start, datetime.datetime):  # the always-open feed's: every day, no end
            found[str(event["UID"])] = (start, datetime.date.max)
            continue
        first = start.date()
        last = until(event).astimezone(start.tzinfo).date() if "RRULE" in event else first
        found[str(event["UID"])] = (first, last)
    return found


UPDATES = {
    "seed": (SEED_BUSINESS, SEED_UPDATED),
    "Christmas, into Christmas week": (CHRISTMAS, datetime.date(2026, 12, 16)),
    "summer in Madrid, in summer": (MADRID, datetime.date(2027, 7, 14)),
    "summer in Madrid, up to summer": (MADRID, datetime.date(2027, 6, 28)),
    "clock changes, up to May": (CLOCK_CHANGES, datetime.date(2027, 4, 29)),
    "dated season, in it": (DATED_SEASON, datetime.date(2027, 7, 20)),
    "new year, over it": (NEW_YEAR, datetime.date(2026, 12, 30)),
}


@pytest.mark.parametrize(("schedules", "updated"), UPDATES.values(), ids=UPDATES.keys())
def test_a_newer_update_keeps_the_uids_of_the_events_still_there(
    content_copy: Path, schedules: str, updated: datetime.date
) -> None:
    later = updated + datetime.timedelta(weeks=1)
    before = render(read_site(content_copy, schedules, updated))
    after = render(read_site(content_copy, schedules, later))
    new_first, old_last = Window.of(later).first, Window.of(updated).last
    for path, data in before.items():
        old, new = lifetimes(data), lifetimes(after[path])
        still_there = {uid for uid, (_first, last) in old.items() if last >= new_first}
        assert still_there <= set(new), path
        assert all(first > old_last for uid, (first, _last) in new.items() if uid not in old), path


def test_the_seeds_uids_are_the_ones_from_before_seasons(seed_site: Site) -> None:
    files = render(seed_site)
    assert uids(files)["es/hours/business.ics"] == {
        "0dadcc1e4326fc9354b4b79fce514824@canales",
        "3cd3baac91eb291428a3f44a310d291f@canales",
    }
