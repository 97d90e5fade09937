"""Writes a feed, as generator.outputs.calendars (the hours) or generator.outputs.notices (the
notices) works it out, with icalendar.

Imported only for a feed that the build cache lacks: icalendar takes a sixth of the seed's build to
import, and a feed is a pure function of what its `Feed` (or `NoticesFeed`) holds.
"""

import datetime
import functools
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, vDuration, vText

from generator.content.model import MINUTES_PER_DAY, Interval

if TYPE_CHECKING:  # calendars and notices import this module, only to write a feed they work out
    from generator.outputs.calendars import Feed, FeedEvent, SpecialEvent
    from generator.outputs.notices import NoticeEvent, NoticesFeed

REFRESH = datetime.timedelta(hours=12)
# Notices change between the hours' rare edits: a cancellation posted the day before should reach
# subscribed calendars in time (clients that honour it, that is; Google refreshes when it will).
NOTICES_REFRESH = datetime.timedelta(hours=1)


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


def _calendar(
    product: str,
    language: str,
    name: str,
    refresh: datetime.timedelta,
    description: str | None = None,
    timezone: str | None = None,
) -> Calendar:
    """A feed's calendar, its own properties set, for every feed this module writes."""
    calendar = Calendar()
    calendar.add("prodid", f"-//canales//{product}//{language.upper()}")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # icalendar knows NAME (RFC 7986) only as an unknown property, and writes those unescaped: a
    # name with a line break would crash the build, and one with a lone CR add a property. The
    # X-WR-* names, which Apple, Google and Outlook read, are unknown to it too. All go as text.
    calendar.add("name", IcalText(name))
    if description is not None:
        calendar.add("description", IcalText(description))
    calendar.add("x-wr-calname", IcalText(name))
    if description is not None:
        calendar.add("x-wr-caldesc", IcalText(description))
    if timezone is not None:
        calendar.add("x-wr-timezone", IcalText(timezone))
    # icalendar omits VALUE=DURATION, which RFC 7986 requires, and writes a bare timedelta as
    # "12:00:00" in X-PUBLISHED-TTL.
    calendar.add("refresh-interval", vDuration(refresh), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(refresh))
    return calendar


def write(feed: "Feed") -> bytes:
    """The feed as an iCalendar file."""
    calendar = _calendar(
        "help desk hours", feed.language, feed.name, REFRESH, feed.description, feed.timezone
    )
    if not feed.always:  # the always-open feed uses floating dates, no zone
        # The zone's rules for the years the feed covers, not its whole history.
        calendar.add_component(_vtimezone(feed.timezone, feed.start.year, feed.horizon.year))
    for planned in feed.events:
        for event in _events(feed, planned):
            calendar.add_component(_described(feed, event, planned.uid, feed.summary))
    for special in feed.specials:
        event = _special_event(special, ZoneInfo(feed.timezone))
        calendar.add_component(_described(feed, event, special.uid, special.summary))
    written: bytes = calendar.to_ical()
    return written


def write_notices(feed: "NoticesFeed") -> bytes:
    """The notices as an iCalendar file: one event per notice, its times in UTC."""
    calendar = _calendar("help desk notices", feed.language, feed.name, NOTICES_REFRESH)
    for notice in feed.events:
        calendar.add_component(_notice_event(notice, feed.stamp))
    written: bytes = calendar.to_ical()
    return written


def _notice_event(notice: "NoticeEvent", stamp: datetime.datetime) -> Event:
    event = Event()
    event.add("uid", notice.uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", notice.starts)
    if notice.ends is not None:  # an incident not over yet has no end
        event.add("dtend", notice.ends)
    event.add("summary", IcalText(notice.summary))
    event.add("description", IcalText(notice.description))
    event.add("created", notice.posted)
    event.add("last-modified", notice.updated)
    event.add("sequence", notice.sequence)
    event.add("status", "CANCELLED" if notice.cancelled else "CONFIRMED")
    # Maintenance at the help desk never makes a subscriber busy.
    event.add("transp", "TRANSPARENT")
    if notice.url is not None:
        event.add("url", notice.url)
    return event


def _described(feed: "Feed", event: Event, uid: str, summary: str) -> Event:
    """The event with what every event of the feed carries: its title, text, stamp and UID."""
    event.add("summary", IcalText(summary))
    event.add("description", IcalText(feed.event_description))
    # Subscribers must never look busy because the help desk is open.
    event.add("transp", "TRANSPARENT")
    event.add("dtstamp", feed.stamp)
    event.add("uid", uid)
    return event


def _events(feed: "Feed", planned: "FeedEvent") -> list[Event]:
    if planned.interval is None:
        return [_always_event(feed.start)]
    return _weekly_events(planned, ZoneInfo(feed.timezone))


@functools.cache
def _vtimezone(tzid: str, first_year: int, last_year: int) -> Timezone:
    """The zone's VTIMEZONE, trimmed to the years the feed covers.

    Its result depends only on the arguments; callers add it to calendars and never change it.
    """
    first, last = datetime.date(first_year, 1, 1), datetime.date(last_year, 12, 31)
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


def _weekly_events(planned: "FeedEvent", tz: ZoneInfo) -> list[Event]:
    """The interval's weekly event from its `first` day to its `last`, then one override per
    instance that it would end wrongly; `closed` are the days whose instance does not happen."""
    interval, first, last, closed = planned.interval, planned.first, planned.last, planned.closed
    assert interval is not None and last is not None
    event = Event()
    event.add("dtstart", _local(first, interval.opens, tz))
    # Minutes past 1440 carry DTEND into the next day.
    event.add("dtend", _local(first, interval.closes, tz))
    event.add(
        "rrule", {"freq": "weekly", "until": _until(last, interval.opens, tz), "byday": list(planned.byday)}
    )
    # An EXDATE only cancels an instance when it repeats DTSTART's zone and local time exactly.
    if closed:
        event.add("exdate", [_local(day, interval.opens, tz) for day in closed])
    return [event, *_overrides(interval, tz, first, last + datetime.timedelta(days=1), set(closed))]


def _until(day: datetime.date, minutes: int, tz: ZoneInfo) -> datetime.datetime:
    """UNTIL for a series whose last instance may start on `day`, in UTC as RFC 5545 requires with
    a zoned DTSTART.

    It is the start of that day's instance, read the later way when a clock change skips or repeats
    its time, so that it holds the instance however a client reads it; the rule's next instance, at
    least 23 hours later, is left out (the next day belongs to another stretch, or to no feed).
    """
    moment = _local(day, minutes, tz)
    return max(moment.astimezone(datetime.UTC), moment.replace(fold=1).astimezone(datetime.UTC))


def _special_event(special: "SpecialEvent", tz: ZoneInfo) -> Event:
    # A single event: its start and end are each read in the zone, so a night across a clock
    # change ends at its own wall-clock time without an override.
    event = Event()
    event.add("dtstart", _local(special.day, special.opening.opens, tz))
    event.add("dtend", _local(special.day, special.opening.closes, tz))
    return event


def _overrides(
    interval: Interval, tz: ZoneInfo, first: datetime.date, horizon: datetime.date, closed: set[datetime.date]
) -> list[Event]:
    """Instances that end at the right wall-clock time only when said so one by one.

    RFC 5545 gives every instance the first one's exact duration, but the help desk closes at the
    same wall-clock time every day: an instance across a change of UTC offset (a DST night, for an
    interval past midnight) would end an hour late or early. Each such instance of the series, from
    `first` to the day before `horizon`, gets its own DTEND, under a RECURRENCE-ID.
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
