"""iCalendar feeds of the service hours: one per schedule and language, ready for subscription.

Every event and every exception is derived from generator.hours, so a subscriber's calendar and
the page show the same hours. Nothing here reads the clock: dates come from the content.

What a feed holds is worked out here (`Feed`), without icalendar; generator.outputs.ics writes it,
and is imported only for a feed the build cache lacks: a build whose feeds are unchanged never
imports icalendar. Exceptions are listed for the render context's window; a rebuild with a newer
`updated` extends them.
"""

import datetime
import functools
import hashlib
from typing import NamedTuple
from urllib.parse import quote

from generator.cache import register
from generator.content.model import Interval, Language, Schedule, Site
from generator.hours import closed_dates
from generator.outputs import Files
from generator.outputs.context import RenderContext
from generator.outputs.links import absolute_url

FEEDS = register("ics", packages=("icalendar", "tzdata"), modules=(__name__, "generator.outputs.ics"))
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")  # RFC 5545's, in Python's weekday order
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
    """One recurring event of a feed: every day (no `interval`), or an interval every week (on
    `byday`, RFC 5545's names of its days) from its `first` day, but for its `closed` days."""

    uid: str
    interval: Interval | None
    byday: tuple[str, ...]
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


def render_calendars(ctx: RenderContext) -> Files:
    """One .ics per schedule per language; the context's stamp (aware UTC) is DTSTAMP."""
    files: Files = {}
    for language in ctx.site.languages:
        for schedule in ctx.site.schedules:
            feed = _feed(ctx, schedule, language)
            files[calendar_path(schedule, language)] = ctx.cache.keep(
                FEEDS, feed, functools.partial(_write, feed)
            )
    return files


def _write(feed: Feed) -> bytes:
    from generator.outputs import ics  # only for a feed the cache lacks: it imports icalendar

    return ics.write(feed)


def _feed(ctx: RenderContext, schedule: Schedule, language: Language) -> Feed:
    site = ctx.site
    wording = ctx.wordings[language.code]
    strings = wording.strings
    names = {"organisation": site.organisation, "schedule": schedule.name[language.code]}
    name = strings["calendar_name"].format(**names)
    start, horizon = ctx.window.first, ctx.window.end
    if schedule.always:
        events = [FeedEvent(_uid(language, schedule, "always"), None, (), start, ())]
    else:
        closed = closed_dates(schedule.closures, start, ctx.window.last, ctx.holidays)
        # Identical intervals would be identical events: one is enough.
        keyed = {_interval_key(i): i for i in schedule.weekly}
        events = [
            _weekly_event(_uid(language, schedule, key), interval, start, closed)
            for key, interval in keyed.items()
        ]
    return Feed(
        language=language.code,
        name=name,
        description=strings["calendar_description"].format(**names, hours=wording.schedule(schedule)),
        timezone=schedule.timezone,
        always=schedule.always,
        start=start,
        horizon=horizon,
        summary=strings["event_summary"].format(**names),
        event_description="\n".join([strings["event_description"], *_channel_lines(ctx, schedule, language)]),
        stamp=ctx.stamp,
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
    byday = tuple(WEEKDAY_CODES[day] for day in sorted(interval.days))
    return FeedEvent(uid, interval, byday, first, skipped)


def _interval_key(interval: Interval) -> str:
    days = ",".join(WEEKDAY_CODES[day] for day in sorted(interval.days))
    return f"{days} {interval.opens}-{interval.closes}"


def _uid(language: Language, schedule: Schedule, key: str) -> str:
    # Content identity, never random nor dated: a rebuild, or a new `updated` date, keeps every
    # UID, so clients update events in place. The interval's days and times are part of it, so new
    # hours replace the old event, and other schedules' events are untouched.
    identity = "\0".join([language.code, schedule.id, key])
    return hashlib.sha256(identity.encode()).hexdigest()[:32] + "@canales"


def _channel_lines(ctx: RenderContext, schedule: Schedule, language: Language) -> list[str]:
    """One line per channel that answers in this schedule, in site order, with what it answers."""
    site, wording = ctx.site, ctx.wordings[language.code]
    strings = wording.strings
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
            types = wording.listing(names)
        lines.append(
            strings["event_channel"].format(channel=channel.name[language.code], request_types=types)
        )
    return lines
