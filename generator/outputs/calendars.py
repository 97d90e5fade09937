"""iCalendar feeds of the service hours: one per schedule and language, ready for subscription.

Every event and every exception is derived from generator.hours, so a subscriber's calendar and
the page show the same hours. Nothing here reads the clock: dates come from the content.

What a feed holds is worked out here (`Feed`), without icalendar; generator.outputs.ics writes it.
A feed is found in the build cache by its `Feed`, so a build whose feeds are unchanged never
imports icalendar.
"""

import datetime
import functools
import hashlib
from pathlib import Path
from typing import NamedTuple
from urllib.parse import quote

from generator.cache import MEMORY, BuildCache, code_version
from generator.content.model import Interval, Language, Schedule, Site
from generator.hours import closed_dates
from generator.i18n import HoursWriter, format_list
from generator.outputs import Files
from generator.outputs.links import absolute_url

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")  # RFC 5545's, in Python's weekday order
# Exceptions are listed this far ahead; a rebuild within that time extends them.
EXDATE_YEARS = 2
GOOGLE_SUBSCRIBE = "https://calendar.google.com/calendar/r?cid="
GOOGLE_MAX_LENGTH = 256
WITHOUT_BASE_URL = "calendars: the Subscribe and Google Calendar links are made by the page's script"


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


class FeedEvent(NamedTuple):
    """One recurring event of a feed: every day (no `interval`), or an interval every week from
    its `first` day, but for its `closed` days."""

    uid: str
    interval: Interval | None
    first: datetime.date
    closed: tuple[datetime.date, ...]


class Feed(NamedTuple):
    """Everything one feed holds: the build cache finds the feed by it, and ics.write writes the
    feed from it alone."""

    language: str
    name: str
    description: str
    timezone: str
    always: bool
    start: datetime.date
    horizon: datetime.date
    summary: str
    event_description: str
    stamp: datetime.datetime
    events: tuple[FeedEvent, ...]


def render_calendars(site: Site, stamp: datetime.datetime, cache: BuildCache = MEMORY) -> Files:
    """One .ics per schedule per language; `stamp` (aware UTC) is the build time, used as DTSTAMP."""
    files: Files = {}
    for language in site.languages:
        for schedule in site.schedules:
            feed = _feed(site, schedule, language, stamp, cache)
            key = f"{_code_version()}|{feed!r}"
            files[calendar_path(schedule, language)] = cache.get_or_make(
                "ics", key, functools.partial(_write, feed)
            )
    return files


def _write(feed: Feed) -> bytes:
    from generator.outputs import ics  # only for a feed the cache lacks

    return ics.write(feed)


@functools.cache
def _code_version() -> str:
    """What decides how a feed is written besides its `Feed`: icalendar, the zone data, this module
    and the writer."""
    here = Path(__file__).parent
    return code_version(("icalendar", "tzdata"), (__file__, str(here / "ics.py")))


def window_end(site: Site) -> datetime.date:
    """The last date whose closures the feeds carry as EXDATEs: rebuild with a newer `updated`
    before then."""
    return _years_later(anchor(site), EXDATE_YEARS)


def anchor(site: Site) -> datetime.date:
    """The Monday of the week the content was last updated: where every recurrence starts.

    Taken from the content rather than the clock, so unchanged content gives identical feeds.
    """
    return site.updated - datetime.timedelta(days=site.updated.weekday())


def _feed(
    site: Site, schedule: Schedule, language: Language, stamp: datetime.datetime, cache: BuildCache
) -> Feed:
    strings = site.strings[language.code]
    names = {"organisation": site.organisation, "schedule": schedule.name[language.code]}
    name = strings["calendar_name"].format(**names)
    hours = HoursWriter(language.locale, strings, cache).schedule(schedule)
    start = anchor(site)
    horizon = _years_later(start, EXDATE_YEARS)
    if schedule.always:
        events = [FeedEvent(_uid(language, schedule, "always"), None, start, ())]
    else:
        closed = closed_dates(schedule.closures, start, horizon)
        # Identical intervals would be identical events: one is enough.
        keyed = {_interval_key(i): i for i in schedule.weekly}
        events = [
            _weekly_event(_uid(language, schedule, key), interval, start, closed)
            for key, interval in keyed.items()
        ]
    return Feed(
        language=language.code,
        name=name,
        description=strings["calendar_description"].format(**names, hours=hours),
        timezone=schedule.timezone,
        always=schedule.always,
        start=start,
        horizon=horizon,
        summary=strings["event_summary"].format(**names),
        event_description="\n".join(
            [strings["event_description"], *_channel_lines(site, schedule, language, cache)]
        ),
        stamp=stamp,
        events=tuple(events),
    )


def _weekly_event(
    uid: str, interval: Interval, start: datetime.date, closed: list[datetime.date]
) -> FeedEvent:
    first = next(
        start + datetime.timedelta(days=offset)
        for offset in range(7)
        if (start.weekday() + offset) % 7 in interval.days
    )
    # An interval that starts on a closed date does not happen (generator.hours).
    skipped = tuple(day for day in closed if day.weekday() in interval.days and day >= first)
    return FeedEvent(uid, interval, first, skipped)


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


def _channel_lines(site: Site, schedule: Schedule, language: Language, cache: BuildCache) -> list[str]:
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
            types = format_list(names, language.locale, cache)
        lines.append(
            strings["event_channel"].format(channel=channel.name[language.code], request_types=types)
        )
    return lines
