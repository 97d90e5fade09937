"""The iCalendar feeds: read back by icalendar and expanded by recurring_ical_events, a client's view.

The key check: for any span, the feed's expanded events are exactly the open spans that
generator.hours gives, the same ones the page puts into words.
"""

from __future__ import annotations

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
from icalendar import Calendar, TimezoneDaylight, TimezoneStandard, vText
from render_context import context
from schedules import merged

from generator.cache import BuildCache
from generator.content.model import Closures, Interval, Schedule, Site, Text
from generator.hours import HolidayTable, PublicHolidays, Span, closed_dates, occurrences
from generator.i18n import Wording
from generator.outputs import Files
from generator.outputs.calendars import (
    SubscriptionLinks,
    calendar_path,
    render_calendars,
    subscription_links,
)

STAMP = datetime.datetime(2026, 11, 29, tzinfo=datetime.UTC)
UTC = datetime.UTC
NO_CLOSURES = Closures()


def hours(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


def interval(days: tuple[int, ...], opens: str, closes: str) -> Interval:
    return Interval(days, hours(opens), hours(closes))


def business(
    timezone: str = "America/Bogota",
    weekly: tuple[Interval, ...] | None = None,
    closures: Closures = NO_CLOSURES,
) -> Schedule:
    """A variant of the seed's `business` schedule, so that the seed's channels still use it."""
    if weekly is None:
        weekly = (interval((0, 1, 2, 3, 4), "07:00", "19:00"), interval((5,), "08:00", "13:00"))
    name = Text((("es", "Horario de atención"), ("en", "Service hours")))
    return Schedule("business", name, timezone, False, weekly, closures)


def with_business(site: Site, schedule: Schedule) -> Site:
    return site._replace(schedules=tuple(schedule if s.id == schedule.id else s for s in site.schedules))


def render(site: Site, stamp: datetime.datetime = STAMP) -> Files:
    """Every feed of the site, from a render context (and a build cache) of its own."""
    return render_calendars(context(site, stamp=stamp))


def feed(site: Site, path: str = "es/hours/business.ics") -> Calendar:
    return Calendar.from_ical(render(site)[path])


def first_monday(site: Site) -> datetime.date:
    """The Monday of the week the content was last updated: where every recurrence starts."""
    return site.updated - datetime.timedelta(days=site.updated.weekday())


def holidays_of(schedule: Schedule, first: datetime.date, last: datetime.date) -> HolidayTable:
    """The schedule's public holidays from the holidays package, for every year first to last
    touches in any zone (a table of the test's own, not the render context's)."""
    return PublicHolidays(BuildCache()).table((schedule,), range(first.year - 1, last.year + 2))


def as_instant(value: datetime.date, tz: ZoneInfo) -> datetime.datetime:
    # An all-day event's date is read as that day in the schedule's zone, as the page says it.
    if not isinstance(value, datetime.datetime):
        value = datetime.datetime.combine(value, datetime.time(), tz)
    return value.astimezone(UTC)


def expanded(
    calendar: Calendar, start: datetime.datetime, end: datetime.datetime, tz: ZoneInfo
) -> list[Span]:
    """What a client shows between start and end, merged where events touch, in UTC."""
    found = recurring_ical_events.of(calendar).between(start, end)
    return merged([(as_instant(e.DTSTART, tz), as_instant(e.DTEND, tz)) for e in found])


def expected(schedule: Schedule, start: datetime.datetime, end: datetime.datetime) -> list[Span]:
    holidays = holidays_of(schedule, start.date(), end.date())
    return [(a.astimezone(UTC), b.astimezone(UTC)) for a, b in occurrences(schedule, start, end, holidays)]


def week(monday: str, tz: ZoneInfo, weeks: int = 1) -> tuple[datetime.datetime, datetime.datetime]:
    start = datetime.datetime.combine(datetime.date.fromisoformat(monday), datetime.time(), tz)
    return start, start + datetime.timedelta(weeks=weeks)


OVERNIGHT = (interval((4, 5), "22:00", "30:00"),)
SPLIT_SHIFT = (interval((0, 1, 2, 3, 4), "09:00", "14:00"), interval((0, 1, 2, 3, 4), "16:00", "19:00"))
SUNDAY_NIGHT = (interval((6,), "20:00", "32:00"), interval((0, 2), "09:00", "17:00"))

CROSS_CHECKS = {
    "seed business, Bogotá": (business(), "2026-12-07"),
    "Colombian holidays (8 December)": (business(closures=Closures(holidays="CO")), "2026-12-07"),
    "Colombian holidays (moved to Monday)": (business(closures=Closures(holidays="CO")), "2027-01-11"),
    "split shift, Madrid, spring DST": (business("Europe/Madrid", SPLIT_SHIFT), "2027-03-22"),
    "split shift, Madrid, autumn DST": (business("Europe/Madrid", SPLIT_SHIFT), "2027-10-25"),
    "overnight, Madrid, spring DST": (business("Europe/Madrid", OVERNIGHT), "2027-03-22"),
    "overnight, Madrid, autumn DST": (business("Europe/Madrid", OVERNIGHT), "2027-10-25"),
    "overnight with Good Friday closed, Madrid, spring DST": (
        business("Europe/Madrid", OVERNIGHT, Closures(holidays="ES", subdivision="MD")),
        "2027-03-22",
    ),
    "Sunday night into Monday, New York, spring DST": (
        business("America/New_York", SUNDAY_NIGHT),
        "2027-03-08",
    ),
    "Sunday night into Monday, New York, autumn DST": (
        business("America/New_York", SUNDAY_NIGHT),
        "2027-11-01",
    ),
    "fixed closure dates, New York": (
        business("America/New_York", closures=Closures(dates=(datetime.date(2027, 7, 5),))),
        "2027-07-05",
    ),
}


@pytest.mark.parametrize(("schedule", "monday"), CROSS_CHECKS.values(), ids=CROSS_CHECKS.keys())
def test_feed_shows_the_hours_the_page_shows(seed_site: Site, schedule: Schedule, monday: str) -> None:
    tz = ZoneInfo(schedule.timezone)
    start, end = week(monday, tz)
    for language in seed_site.languages:
        calendar = feed(with_business(seed_site, schedule), calendar_path(schedule, language))
        assert expanded(calendar, start, end, tz) == expected(schedule, start, end)


def test_feed_agrees_with_hours_over_the_whole_exception_horizon(seed_site: Site) -> None:
    schedule = business("Europe/Madrid", OVERNIGHT + SPLIT_SHIFT, Closures(holidays="CO"))
    tz = ZoneInfo(schedule.timezone)
    start, end = week(first_monday(seed_site).isoformat(), tz, weeks=104)
    calendar = feed(with_business(seed_site, schedule))
    assert expanded(calendar, start, end, tz) == expected(schedule, start, end)


def test_always_open_feed_covers_every_minute(seed_site: Site) -> None:
    schedule = seed_site.schedule("always")
    tz = ZoneInfo(schedule.timezone)
    start, end = week("2027-03-22", tz, weeks=2)
    calendar = feed(seed_site, "en/hours/always.ics")
    assert expanded(calendar, start, end, tz) == expected(schedule, start, end)
    (event,) = calendar.events
    assert first_monday(seed_site) == event.DTSTART  # a date: an all-day event
    assert event["RRULE"].to_ical() == b"FREQ=DAILY"


def test_one_feed_per_schedule_and_language(seed_site: Site) -> None:
    assert sorted(render(seed_site)) == sorted(
        f"{language.code}/hours/{schedule.id}.ics"
        for language in seed_site.languages
        for schedule in seed_site.schedules
    )
    assert calendar_path(seed_site.schedule("business"), seed_site.languages[0]) == "es/hours/business.ics"


def test_raw_text_has_the_properties_icalendar_gets_wrong_by_default(seed_site: Site) -> None:
    for path, data in render(seed_site).items():
        text = data.decode()
        lines = text.split("\r\n")
        language = path.split("/")[0].upper()
        assert "REFRESH-INTERVAL;VALUE=DURATION:PT12H" in lines
        assert "X-PUBLISHED-TTL:PT12H" in lines
        assert f"PRODID:-//canales//help desk hours//{language}" in lines
        assert "VERSION:2.0" in lines
        assert "METHOD:PUBLISH" in lines
        assert "12:00:00" not in text
        assert "icalendar" not in text.lower()
        assert text.endswith("END:VCALENDAR\r\n")


def test_calendar_names_and_describes_itself(seed_site: Site) -> None:
    schedule = seed_site.schedule("business")
    for language in seed_site.languages:
        strings = seed_site.strings[language.code]
        data = render(seed_site)[calendar_path(schedule, language)]
        calendar = Calendar.from_ical(data)
        names = {"organisation": "Certicámara", "schedule": schedule.name[language.code]}
        hours_text = Wording(language, strings, BuildCache()).schedule(schedule)
        description = strings["calendar_description"].format(**names, hours=hours_text)
        assert calendar["NAME"] == calendar["X-WR-CALNAME"] == strings["calendar_name"].format(**names)
        assert str(calendar["DESCRIPTION"]) == description
        # X-WR-CALDESC is TEXT, escaped like DESCRIPTION; icalendar reads X- properties back raw.
        unfolded = data.replace(b"\r\n ", b"")
        assert b"\r\nX-WR-CALDESC:" + vText(description).to_ical() + b"\r\n" in unfolded
        assert calendar["X-WR-TIMEZONE"] == "America/Bogota"
    assert "7:00 AM" in str(feed(seed_site, "en/hours/business.ics")["DESCRIPTION"]).replace("\u202f", " ")


def test_vtimezone_is_the_schedules_zone_trimmed_to_the_window(seed_site: Site) -> None:
    calendar = feed(with_business(seed_site, business("Europe/Madrid")))
    (timezone,) = calendar.timezones
    assert timezone.tz_name == "Europe/Madrid"
    observances: list[TimezoneStandard | TimezoneDaylight] = [*timezone.standard, *timezone.daylight]
    years = set()
    for observance in observances:
        years.add(observance.DTSTART.year)
        years.update(rdate.year for rdate, _end in observance.rdates)
    # From the year of the window's first day to the year of the day after it (Madrid changes
    # clocks every year): the years the events and their exceptions are listed for.
    first = first_monday(seed_site)
    assert min(years) == first.year == 2026
    assert max(years) == (first + datetime.timedelta(weeks=104)).year == 2028


def test_events_start_in_the_week_of_the_update_in_local_time(seed_site: Site) -> None:
    weekdays, saturday = feed(seed_site).events
    assert seed_site.updated == datetime.date(2026, 11, 29)  # a Sunday: the week began on the 23rd
    assert datetime.datetime(2026, 11, 23, 7, tzinfo=ZoneInfo("America/Bogota")) == weekdays.DTSTART
    assert datetime.datetime(2026, 11, 23, 19, tzinfo=ZoneInfo("America/Bogota")) == weekdays.DTEND
    assert datetime.datetime(2026, 11, 28, 8, tzinfo=ZoneInfo("America/Bogota")) == saturday.DTSTART
    # They end with the window, on Sunday 19 November 2028 (104 weeks on): UNTIL is in UTC, at
    # the time an instance would start that day (07:00 and 08:00 in Bogotá).
    assert weekdays["RRULE"].to_ical() == b"FREQ=WEEKLY;UNTIL=20281119T120000Z;BYDAY=MO,TU,WE,TH,FR"
    assert saturday["RRULE"].to_ical() == b"FREQ=WEEKLY;UNTIL=20281119T130000Z;BYDAY=SA"
    text = render(seed_site)["es/hours/business.ics"].decode()
    assert "DTSTART;TZID=America/Bogota:20261123T070000" in text
    assert "DTEND;TZID=America/Bogota:20261123T190000" in text

    later = seed_site._replace(updated=datetime.date(2027, 1, 6))  # a Wednesday
    weekdays, saturday = feed(later).events
    assert weekdays.DTSTART.date() == datetime.date(2027, 1, 4)
    assert saturday.DTSTART.date() == datetime.date(2027, 1, 9)


def test_an_interval_past_midnight_ends_the_next_day(seed_site: Site) -> None:
    event = feed(with_business(seed_site, business("Europe/Madrid", OVERNIGHT))).events[0]
    madrid = ZoneInfo("Europe/Madrid")
    assert datetime.datetime(2026, 11, 27, 22, tzinfo=madrid) == event.DTSTART
    assert datetime.datetime(2026, 11, 28, 6, tzinfo=madrid) == event.DTEND


def ends_by_rfc_5545(calendar: Calendar, tz: ZoneInfo, until: datetime.date) -> dict[datetime.datetime, str]:
    """Each instance's start and wall-clock end as RFC 5545 defines them: the first instance's
    exact duration, unless an override (RECURRENCE-ID) gives the instance its own end."""
    (master,) = [event for event in calendar.events if "RECURRENCE-ID" not in event]
    overrides = {event["RECURRENCE-ID"].dt: event for event in calendar.events if "RECURRENCE-ID" in event}
    assert all(override["UID"] == master["UID"] for override in overrides.values())
    exact = master.DTEND.astimezone(UTC) - master.DTSTART.astimezone(UTC)
    ends = {}
    for start in recurring_ical_events.of(Calendar.from_ical(master.to_ical(), multiple=True)[0]).between(
        master.DTSTART.date(), until
    ):
        begins = start.DTSTART
        override = overrides.get(begins)
        end = override.DTEND if override is not None else begins.astimezone(UTC) + exact
        ends[begins] = end.astimezone(tz).strftime("%a %H:%M")
    return ends


def test_every_night_ends_at_six_by_rfc_5545_even_when_clocks_change(seed_site: Site) -> None:
    """RFC 5545 gives each instance the first one's exact duration (8 h here): on the nights
    clocks change, 22:00 + 8 h is 07:00 or 05:00, so those nights must say their own end."""
    calendar = feed(with_business(seed_site, business("Europe/Madrid", OVERNIGHT)))
    madrid = ZoneInfo("Europe/Madrid")
    overrides = [event["RECURRENCE-ID"].dt.date() for event in calendar.events if "RECURRENCE-ID" in event]
    # The Saturday nights of the four changes in the two years the exceptions cover.
    assert sorted(overrides) == [
        datetime.date(2027, 3, 27),
        datetime.date(2027, 10, 30),
        datetime.date(2028, 3, 25),
        datetime.date(2028, 10, 28),
    ]
    ends = ends_by_rfc_5545(calendar, madrid, datetime.date(2028, 11, 20))
    assert len(ends) == 2 * 104 and set(ends.values()) == {"Sat 06:00", "Sun 06:00"}


def test_a_first_night_across_a_clock_change_misleads_no_other(seed_site: Site) -> None:
    # Content updated in the week clocks spring forward: the feed's first Saturday night is 7 h.
    site = with_business(seed_site, business("Europe/Madrid", (interval((5,), "22:00", "30:00"),)))
    calendar = feed(site._replace(updated=datetime.date(2027, 3, 24)))
    ends = ends_by_rfc_5545(calendar, ZoneInfo("Europe/Madrid"), datetime.date(2029, 3, 20))
    assert len(ends) == 104 and set(ends.values()) == {"Sun 06:00"}


def test_a_zone_without_clock_changes_has_no_overrides(seed_site: Site) -> None:
    calendar = feed(with_business(seed_site, business("America/Bogota", OVERNIGHT)))
    assert [event for event in calendar.events if "RECURRENCE-ID" in event] == []


def test_every_event_is_transparent_and_stamped_with_the_build_time(seed_site: Site) -> None:
    for data in render(seed_site).values():
        for event in Calendar.from_ical(data).events:
            assert event["TRANSP"] == "TRANSPARENT"
            assert event.DTSTAMP == STAMP
            assert event["SUMMARY"]


def test_two_renders_are_byte_identical(seed_site: Site) -> None:
    site = with_business(seed_site, business("Europe/Madrid", closures=Closures(holidays="CO")))
    assert render(site) == render(site)


def test_a_new_stamp_changes_only_dtstamp(seed_site: Site) -> None:
    before = render(seed_site)
    after = render(seed_site, STAMP + datetime.timedelta(days=3))
    for path, data in before.items():
        differ = set(data.split(b"\r\n")) ^ set(after[path].split(b"\r\n"))
        assert differ and all(line.startswith(b"DTSTAMP:") for line in differ)


def uids(site: Site) -> dict[str, list[str]]:
    return {
        path: [str(event["UID"]) for event in Calendar.from_ical(data).events]
        for path, data in render(site).items()
    }


def test_uids_are_unique_per_event_and_language_and_stable(seed_site: Site) -> None:
    first = uids(seed_site)
    assert first == uids(seed_site)
    every = [uid for path_uids in first.values() for uid in path_uids]
    assert len(every) == len(set(every)) == 6
    assert all(re.fullmatch(r"[0-9a-f]{32}@canales", uid) for uid in every)
    # A new revision date moves DTSTART but not the events' identity.
    assert uids(seed_site._replace(updated=datetime.date(2027, 6, 1))) == first


def test_changing_one_schedule_leaves_other_uids_alone(seed_site: Site) -> None:
    before = uids(seed_site)
    weekly = (interval((0, 1, 2, 3, 4), "07:00", "19:00"), interval((5,), "08:00", "14:00"))
    after = uids(with_business(seed_site, business(weekly=weekly)))
    for language in ("es", "en"):
        assert after[f"{language}/hours/always.ics"] == before[f"{language}/hours/always.ics"]
        weekdays_before, saturday_before = before[f"{language}/hours/business.ics"]
        weekdays_after, saturday_after = after[f"{language}/hours/business.ics"]
        assert weekdays_after == weekdays_before
        assert saturday_after != saturday_before


def test_holidays_are_exdates_in_the_zone_and_time_of_dtstart(seed_site: Site) -> None:
    schedule = business(closures=Closures(holidays="CO"))
    calendar = feed(with_business(seed_site, schedule))
    start = first_monday(seed_site)
    # The window: 104 weeks from the Monday of the update's week.
    last = start + datetime.timedelta(weeks=104, days=-1)
    holidays = holidays_of(schedule, start, last)
    for event in calendar.events:
        dtstart = event.DTSTART
        (rule,) = event.rrules
        days = {("MO", "TU", "WE", "TH", "FR", "SA", "SU").index(str(d)) for d in rule["BYDAY"]}
        excluded = event.exdates
        assert excluded, "every event here has a holiday on one of its days"
        for value in excluded:
            assert value.tzinfo == dtstart.tzinfo
            assert value.time() == dtstart.time()
        assert [value.date() for value in excluded] == [
            day for day in closed_dates(schedule.closures, start, last, holidays) if day.weekday() in days
        ]
    weekdays, saturday = calendar.events
    weekday_dates = {value.date() for value in weekdays.exdates if isinstance(value, datetime.datetime)}
    assert {datetime.date(2026, 12, 8), datetime.date(2027, 1, 11)} <= weekday_dates
    assert datetime.datetime(2027, 5, 1, 8, tzinfo=ZoneInfo("America/Bogota")) in saturday.exdates
    text = render(with_business(seed_site, schedule))["es/hours/business.ics"].decode()
    assert re.search(r"\r\nEXDATE;TZID=America/Bogota:20261208T070000[,\r]", text)


def test_event_description_lists_the_channels_of_the_schedule_in_site_order(seed_site: Site) -> None:
    (always,) = feed(seed_site, "en/hours/always.ics").events
    assert str(always["DESCRIPTION"]).split("\n") == [
        "Channels that answer in these hours:",
        "Monitoring Centre WhatsApp (Critical incidents)",
        "ServiceNow self-service portal (Incidents and Critical incidents)",
    ]
    weekdays, _saturday = feed(seed_site, "es/hours/business.ics").events
    assert str(weekdays["DESCRIPTION"]).split("\n") == [
        "Canales que atienden en este horario:",
        "Línea de atención en Bogotá (Todos)",
        "Línea gratuita nacional (Todos)",
        "Correo electrónico de la mesa de ayuda (Todos)",
        "WhatsApp corporativo (Todos)",
        "Portal de autogestión ServiceNow (Requerimientos y Cambios)",
    ]
    assert weekdays["SUMMARY"] == "Certicámara: Horario de atención"


def test_no_subscription_links_without_a_base_url(seed_site: Site) -> None:
    assert seed_site.base_url is None
    assert subscription_links(seed_site, seed_site.schedule("business"), seed_site.languages[0]) is None


def test_subscription_links_with_a_base_url_that_has_a_path(seed_site: Site) -> None:
    site = seed_site._replace(base_url="https://example.org/ayuda/")
    links = subscription_links(site, site.schedule("business"), site.languages[0])
    assert links is not None
    assert links.webcal == "webcal://example.org/ayuda/es/hours/business.ics"
    assert links.google is not None
    assert links.google.startswith("https://calendar.google.com/calendar/r?cid=webcal")
    assert len(links.google) <= 256
    assert links.google == (
        "https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2Fexample.org%2Fayuda%2Fes%2Fhours%2Fbusiness.ics"
    )
    no_slash = seed_site._replace(base_url="https://example.org/ayuda")
    assert subscription_links(no_slash, site.schedule("business"), site.languages[0]) == links


def test_no_google_link_past_256_characters(seed_site: Site) -> None:
    site = seed_site._replace(base_url="https://example.org/" + "a" * 200 + "/")
    links = subscription_links(site, site.schedule("business"), site.languages[1])
    assert links == SubscriptionLinks(f"webcal://example.org/{'a' * 200}/en/hours/business.ics", None)


def test_feeds_need_nothing_but_their_own_calendar(seed_site: Site) -> None:
    # Every TZID an event uses is defined in the same file, so a client needs no zone database.
    site = with_business(seed_site, business("America/New_York", OVERNIGHT, Closures(holidays="CO")))
    for data in render(site).values():
        defined = {tz.tz_name for tz in Calendar.from_ical(data).timezones}
        used = set(re.findall(rb";TZID=([^:;]+)", data))
        assert {tzid.decode() for tzid in used} <= defined


@pytest.mark.parametrize(("first_year", "last_year"), [(2026, 2028), (2026, 2036)])
@pytest.mark.parametrize(
    "zone",
    [
        "America/Bogota",
        "Europe/Madrid",
        "America/New_York",
        "Australia/Lord_Howe",
        "Asia/Kathmandu",
        "Africa/Casablanca",
        "America/Santiago",
        "Pacific/Apia",
        "Europe/Dublin",
        "Antarctica/Troll",
        "UTC",
    ],
)
def test_the_trimmed_vtimezone_is_icalendars_own(zone: str, first_year: int, last_year: int) -> None:
    from icalendar import Timezone

    from generator.outputs.ics import _vtimezone

    # The zone is ended after the feed's last date to spare icalendar a walk to the year 9999;
    # what it writes must be exactly what it writes for the zone itself.
    first, last = datetime.date(first_year, 1, 1), datetime.date(last_year, 12, 31)
    expected = Timezone.from_tzinfo(ZoneInfo(zone), zone, first_date=first, last_date=last)
    assert _vtimezone(zone, first_year, last_year).to_ical() == expected.to_ical()
