"""iCalendar feeds of the service hours: one per schedule and language, ready for subscription.

Every event and every exception is derived from generator.hours, so a subscriber's calendar and
the page show the same hours. Nothing here reads the clock: dates come from the content.
"""

import datetime
import functools
import hashlib
from typing import NamedTuple
from urllib.parse import quote
from zoneinfo import ZoneInfo

from babel.lists import format_list
from icalendar import Calendar, Event, Timezone, vDuration, vText

from generator.content.model import MINUTES_PER_DAY, Interval, Language, Schedule, Site
from generator.hours import closed_dates
from generator.i18n import HoursWriter
from generator.outputs import Files
from generator.outputs.links import absolute_url

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
REFRESH = datetime.timedelta(hours=12)
# Exceptions are listed this far ahead; a rebuild within that time extends them.
EXDATE_YEARS = 2
# The VTIMEZONE covers this many years after the events start, without bloating every feed with
# the zone's whole history.
TIMEZONE_YEARS = 10
GOOGLE_SUBSCRIBE = "https://calendar.google.com/calendar/r?cid="
GOOGLE_MAX_LENGTH = 256
WITHOUT_BASE_URL = "calendars: the Subscribe and Google Calendar links are made by the page's script"


class IcalText(vText):
    """A text value escaped by RFC 5545 alone, for every text this module writes.

    icalendar's own escaping first turns a backslash followed by N into a line break, so that
    "C:\\Nuevo" would reach subscribers as "C:" and "uevo" on a new line. Here a backslash is
    only ever a backslash; CR LF, CR and LF all become the one escaped line break.
    """

    def to_ical(self) -> bytes:
        text = str(self).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
        return text.encode("utf-8")


class SubscriptionLinks(NamedTuple):
    """Where to subscribe to a feed: any client (webcal:) and Google Calendar, if short enough."""

    webcal: str
    google: str | None


def calendar_path(schedule: Schedule, language: Language) -> str:
    """The feed's path relative to the site root."""
    return f"{language.code}/hours/{schedule.id}.ics"


def subscription_links(site: Site, schedule: Schedule, language: Language) -> SubscriptionLinks | None:
    """Subscription links for a feed; None when the site has no base URL to make them absolute."""
    url = absolute_url(site, calendar_path(schedule, language))
    if url is None:
        return None
    webcal = "webcal://" + url.split("://", 1)[-1]
    # Google reads the whole feed address from `cid`, so it is encoded as one query value; it
    # rejects links longer than 256 characters, and a broken link is worse than none.
    google = GOOGLE_SUBSCRIBE + quote(webcal, safe="")
    return SubscriptionLinks(webcal, google if len(google) <= GOOGLE_MAX_LENGTH else None)


def render_calendars(site: Site, stamp: datetime.datetime) -> Files:
    """One .ics per schedule per language; `stamp` (aware UTC) is the build time, used as DTSTAMP."""
    return {
        calendar_path(schedule, language): _calendar(site, schedule, language, stamp).to_ical()
        for language in site.languages
        for schedule in site.schedules
    }


def window_end(site: Site) -> datetime.date:
    """The last date whose closures the feeds carry as EXDATEs: rebuild with a newer `updated`
    before then."""
    return _years_later(anchor(site), EXDATE_YEARS)


def anchor(site: Site) -> datetime.date:
    """The Monday of the week the content was last updated: where every recurrence starts.

    Taken from the content rather than the clock, so unchanged content gives identical feeds.
    """
    return site.updated - datetime.timedelta(days=site.updated.weekday())


def _calendar(site: Site, schedule: Schedule, language: Language, stamp: datetime.datetime) -> Calendar:
    strings = site.strings[language.code]
    names = {"organisation": site.organisation, "schedule": schedule.name[language.code]}
    name = strings["calendar_name"].format(**names)
    hours = HoursWriter(language.locale, strings).schedule(schedule)
    description = strings["calendar_description"].format(**names, hours=hours)

    calendar = Calendar()
    calendar.add("prodid", f"-//canales//help desk hours//{language.code.upper()}")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # icalendar knows NAME (RFC 7986) only as an unknown property, and writes those unescaped: a
    # name with a line break would crash the build, and one with a lone CR add a property. The
    # X-WR-* names, which Apple, Google and Outlook read, are unknown to it too. All go as text.
    calendar.add("name", IcalText(name))
    calendar.add("description", IcalText(description))
    calendar.add("x-wr-calname", IcalText(name))
    calendar.add("x-wr-caldesc", IcalText(description))
    calendar.add("x-wr-timezone", IcalText(schedule.timezone))
    # icalendar omits VALUE=DURATION, which RFC 7986 requires, and writes a bare timedelta as
    # "12:00:00" in X-PUBLISHED-TTL.
    calendar.add("refresh-interval", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))

    summary = strings["event_summary"].format(**names)
    event_description = "\n".join([strings["event_description"], *_channel_lines(site, schedule, language)])
    start = anchor(site)
    if not schedule.always:  # the always-open feed uses floating dates, no zone
        calendar.add_component(_vtimezone(schedule.timezone, start.year))
    if schedule.always:
        events = [("always", _always_event(start))]
    else:
        # Identical intervals would be identical events: one is enough.
        keyed = {_interval_key(i): i for i in schedule.weekly}
        events = [(key, event) for key, i in keyed.items() for event in _weekly_events(schedule, i, start)]
    for key, event in events:
        event.add("summary", IcalText(summary))
        event.add("description", IcalText(event_description))
        # Subscribers must never look busy because the help desk is open.
        event.add("transp", "TRANSPARENT")
        event.add("dtstamp", stamp)
        event.add("uid", _uid(language, schedule, key))
        calendar.add_component(event)
    return calendar


@functools.cache
def _vtimezone(tzid: str, first_year: int) -> Timezone:
    """The zone's VTIMEZONE, trimmed to the years the feed covers.

    Its result depends only on the arguments; callers add it to calendars and never change it.
    """
    first, last = datetime.date(first_year, 1, 1), datetime.date(first_year + TIMEZONE_YEARS, 12, 31)
    return Timezone.from_tzinfo(_ZoneUntil(ZoneInfo(tzid), last), tzid, first_date=first, last_date=last)


class _ZoneUntil(datetime.tzinfo):
    """A zone that ends after `last`, as zoneinfo's zones end in the year 9999.

    icalendar finds a zone's transitions by stepping forward until the offset changes or the zone
    ends: in a zone without daylight saving time (Bogotá) that walked to the year 9999, the
    slowest step of a small build. Past the feed's last date nothing is written, so ending the
    zone there gives the same VTIMEZONE (tests/test_calendars.py compares them).
    """

    def __init__(self, zone: ZoneInfo, last: datetime.date) -> None:
        self.zone = zone
        # Aware in this zone: datetimes sharing a tzinfo compare by wall clock, without utcoffset.
        self.end = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time(), self)

    # zoneinfo reads only a moment's wall clock and fold, whatever its tzinfo.
    def utcoffset(self, moment: datetime.datetime | None) -> datetime.timedelta | None:
        if moment is not None and moment > self.end:
            raise OverflowError("past the feed's last date")
        return self.zone.utcoffset(moment)

    def dst(self, moment: datetime.datetime | None) -> datetime.timedelta | None:
        return self.zone.dst(moment)

    def tzname(self, moment: datetime.datetime | None) -> str | None:
        return self.zone.tzname(moment)


def _always_event(start: datetime.date) -> Event:
    # An all-day event every day, rather than one timed event a week long: a date has no zone, so
    # each subscriber sees every day marked in their own calendar, where a week-long timed event
    # would begin and end at odd hours outside the help desk's zone and look like a gap.
    event = Event()
    event.add("dtstart", start)
    event.add("dtend", start + datetime.timedelta(days=1))
    event.add("rrule", {"freq": "daily"})
    return event


def _weekly_events(schedule: Schedule, interval: Interval, start: datetime.date) -> list[Event]:
    """The interval's weekly event, then one override per instance that it would end wrongly."""
    tz = ZoneInfo(schedule.timezone)
    first = next(
        start + datetime.timedelta(days=offset)
        for offset in range(7)
        if (start.weekday() + offset) % 7 in interval.days
    )
    event = Event()
    event.add("dtstart", _local(first, interval.opens, tz))
    # Minutes past 1440 carry DTEND into the next day.
    event.add("dtend", _local(first, interval.closes, tz))
    event.add("rrule", {"freq": "weekly", "byday": [WEEKDAY_CODES[day] for day in sorted(interval.days)]})
    horizon = _years_later(start, EXDATE_YEARS)
    # An interval that starts on a closed date does not happen (generator.hours), and an EXDATE
    # only cancels an instance when it repeats DTSTART's zone and local time exactly.
    closed = [
        day
        for day in closed_dates(schedule.closures, start, horizon)
        if day.weekday() in interval.days and day >= first
    ]
    if closed:
        event.add("exdate", [_local(day, interval.opens, tz) for day in closed])
    return [event, *_overrides(interval, tz, first, horizon, set(closed))]


def _overrides(
    interval: Interval, tz: ZoneInfo, first: datetime.date, horizon: datetime.date, closed: set[datetime.date]
) -> list[Event]:
    """Instances that end at the right wall-clock time only when said so one by one.

    RFC 5545 gives every instance the first one's exact duration, but the help desk closes at the
    same wall-clock time every day: an instance across a change of UTC offset (a DST night, for an
    interval past midnight) would end an hour late or early. Each such instance gets its own
    DTEND, under a RECURRENCE-ID, as far ahead as the exceptions are listed.
    """

    def exact(moment: datetime.datetime) -> datetime.datetime:
        return moment.astimezone(datetime.UTC)

    # Only an instance within reach of a change can end wrongly, unless the first one spans a
    # change and so gives all the others a wrong duration.
    reach = interval.closes // MINUTES_PER_DAY + 1
    one_day = datetime.timedelta(days=1)
    changes = _offset_changes(tz.key, first - one_day, horizon + reach * one_day)
    near = {change - back * one_day for change in changes for back in range(-1, reach + 1)}
    if first in near:
        near = {first + offset * one_day for offset in range((horizon - first).days)}
    duration = exact(_local(first, interval.closes, tz)) - exact(_local(first, interval.opens, tz))
    overrides = []
    for day in sorted(near):
        if not first <= day < horizon or day.weekday() not in interval.days or day in closed:
            continue
        opens, closes = _local(day, interval.opens, tz), _local(day, interval.closes, tz)
        if exact(opens) + duration != exact(closes):
            override = Event()
            override.add("recurrence-id", opens)
            override.add("dtstart", opens)
            override.add("dtend", closes)
            overrides.append(override)
    return overrides


@functools.cache
def _offset_changes(tzid: str, first: datetime.date, last: datetime.date) -> tuple[datetime.date, ...]:
    """The days from `first` to `last` on which the zone's UTC offset changes (by the next day)."""
    tz = ZoneInfo(tzid)
    one_day = datetime.timedelta(days=1)
    days = [first + n * one_day for n in range((last - first).days + 2)]  # to the day after `last`
    offsets = [tz.utcoffset(datetime.datetime.combine(day, datetime.time())) for day in days]
    pairs = zip(days, offsets, offsets[1:], strict=False)  # stops at `last`, with the shorter list
    return tuple(day for day, today, tomorrow in pairs if today != tomorrow)


def _local(day: datetime.date, minutes: int, tz: ZoneInfo) -> datetime.datetime:
    """Wall-clock time in `tz`, kept as written (even in a DST gap), as DTSTART means it."""
    naive = datetime.datetime.combine(day, datetime.time()) + datetime.timedelta(minutes=minutes)
    return naive.replace(tzinfo=tz)


def _years_later(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _interval_key(interval: Interval) -> str:
    days = ",".join(WEEKDAY_CODES[day] for day in sorted(interval.days))
    return f"{days} {interval.opens}-{interval.closes}"


def _uid(language: Language, schedule: Schedule, key: str) -> str:
    # Content identity, never random nor dated: a rebuild, or a new `updated` date, keeps every
    # UID, so clients update events in place. The interval's days and times are part of it, so new
    # hours replace the old event, and other schedules' events are untouched.
    identity = "\0".join([language.code, schedule.id, key])
    return hashlib.sha256(identity.encode()).hexdigest()[:32] + "@canales"


def _channel_lines(site: Site, schedule: Schedule, language: Language) -> list[str]:
    """One line per channel that answers in this schedule, in site order, with what it answers."""
    strings = site.strings[language.code]
    lines = []
    for channel in site.channels:
        uses = [a for a in channel.availability if a.schedule == schedule.id]
        if not uses:
            continue
        # An availability without request types takes all of its channel's.
        scopes = [a.request_types if a.request_types is not None else channel.request_types for a in uses]
        if any(scope is None for scope in scopes):
            types = strings["all_request_types"]
        else:
            wanted = {type_id for scope in scopes for type_id in scope or ()}
            names = [t.name[language.code] for t in site.request_types if t.id in wanted]
            types = format_list(names, locale=language.locale)
        lines.append(
            strings["event_channel"].format(channel=channel.name[language.code], request_types=types)
        )
    return lines
