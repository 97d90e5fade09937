"""iCalendar feeds of the service hours: one per schedule and language, ready for subscription.

Every event and every exception is derived from generator.hours, so a subscriber's calendar and
the page show the same hours. Nothing here reads the clock: dates come from the content.

What a feed holds is worked out here (`Feed`), without icalendar; generator.outputs.ics writes it,
and is imported only for a feed the build cache lacks: a build whose feeds are unchanged never
imports icalendar.

A feed covers the render context's window, like the open-now data: each week that applies (the base
week between seasons, each season's week on its dates) is one weekly series per interval, ended
(UNTIL) with its stretch of days and at the latest with the window; a special day's openings are
single events, under its label. An instance of a series happens only when its day's hours
(generator.hours.hours_on) hold it and no special day decides the day: otherwise it is an
exception (EXDATE), for closures, public holidays and special days alike. A rebuild with a newer
`updated` moves the window, and the feed with it.
"""

import datetime
import functools
import hashlib
from typing import Any, NamedTuple
from urllib.parse import quote

from generator.cache import register
from generator.content.model import Interval, Language, Opening, Schedule, Site
from generator.hours import hours_on, season_runs, special_runs
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
    """Subscription links for a schedule's feed; None when the site has no base URL."""
    return feed_links(site, calendar_path(schedule, language))


def feed_links(site: Site, path: str) -> SubscriptionLinks | None:
    """Subscription links for the calendar at `path` (from the site root); None when the site has
    no base URL to make them absolute."""
    url = absolute_url(site, path)
    if url is None:
        return None
    webcal = "webcal://" + url.split("://", 1)[-1]
    # Google reads the whole feed address from `cid`, so it is encoded as one query value; it
    # rejects links longer than 256 characters, and a broken link is worse than none.
    google = GOOGLE_SUBSCRIBE + quote(webcal, safe="")
    return SubscriptionLinks(webcal, google if len(google) <= GOOGLE_MAX_LENGTH else None)


class FeedEvent(NamedTuple):
    """One recurring event of a feed: every day with no end (no `interval`: the always-open
    schedule's), or an interval every week (on `byday`, RFC 5545's names of its days) from its
    `first` day to its `last` (UNTIL), but for its `closed` days."""

    uid: str
    interval: Interval | None
    byday: tuple[str, ...]
    first: datetime.date
    last: datetime.date | None
    closed: tuple[datetime.date, ...]


class SpecialEvent(NamedTuple):
    """One opening of a special day: a single event, under a title of its own (with its label)."""

    uid: str
    day: datetime.date
    opening: Opening
    summary: str


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
    specials: tuple[SpecialEvent, ...]


class Stretch(NamedTuple):
    """Consecutive days, `first` to `last`, that keep one week: the base week between seasons, or
    one run of a season. `since` is its own first day, even one before the window; None when it
    reaches as far back as is looked (the base week of a schedule without seasons)."""

    first: datetime.date
    last: datetime.date
    since: datetime.date | None
    weekly: tuple[Interval, ...]
    season: bool


class Series(NamedTuple):
    """One interval of a stretch's week, every week from its `first` instance to the stretch's
    `last` day, but for its `closed` days; `identity` is what its UID is made of."""

    identity: str
    interval: Interval
    first: datetime.date
    last: datetime.date
    closed: tuple[datetime.date, ...]


class SpecialOpening(NamedTuple):
    """One opening of a special day (by its place in the schedule's), on one of its days."""

    day: datetime.date
    opening: Opening
    special: int


class Plan(NamedTuple):
    """What a schedule's feed holds in every language: its weekly series and its special openings."""

    series: tuple[Series, ...]
    specials: tuple[SpecialOpening, ...]


# How far back a stretch's own first day is looked for: a yearly season comes back within a year,
# one on 29 February within four; a dated season is followed back to its start, though not before
# EPOCH (`updated` never is, and a season that old could only be a typo).
HISTORY = datetime.timedelta(days=4 * 366 + 1)
EPOCH = datetime.date(1970, 1, 1)
ONE_DAY = datetime.timedelta(days=1)


def render_calendars(ctx: RenderContext) -> Files:
    """One .ics per schedule per language; the context's stamp (aware UTC) is DTSTAMP."""
    files: Files = {}
    # A schedule's days are decided once, for all of its languages.
    plans = {s.id: _plan(ctx, s) for s in ctx.site.schedules if not s.always}
    for language in ctx.site.languages:
        for schedule in ctx.site.schedules:
            feed = _feed(ctx, schedule, language, plans.get(schedule.id))
            files[calendar_path(schedule, language)] = ctx.cache.keep(
                FEEDS, feed, functools.partial(_write, feed)
            )
    return files


def _write(feed: Feed) -> bytes:
    from generator.outputs import ics  # only for a feed the cache lacks: it imports icalendar

    return ics.write(feed)


def _feed(ctx: RenderContext, schedule: Schedule, language: Language, plan: Plan | None) -> Feed:
    site = ctx.site
    wording = ctx.wordings[language.code]
    strings = wording.strings
    names = {"organisation": site.organisation, "schedule": schedule.name[language.code]}
    name = strings["calendar_name"].format(**names)
    start, horizon = ctx.window.first, ctx.window.end
    if plan is None:  # always open
        events = [FeedEvent(_uid(language, schedule, "always"), None, (), start, None, ())]
        specials = []
    else:
        events = [_weekly_event(language, schedule, series) for series in plan.series]
        specials = [_special_event(ctx, schedule, language, special) for special in plan.specials]
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
        specials=tuple(specials),
    )


def _weekly_event(language: Language, schedule: Schedule, series: Series) -> FeedEvent:
    byday = tuple(WEEKDAY_CODES[day] for day in sorted(series.interval.days))
    uid = _uid(language, schedule, series.identity)
    return FeedEvent(uid, series.interval, byday, series.first, series.last, series.closed)


def _special_event(
    ctx: RenderContext, schedule: Schedule, language: Language, special: SpecialOpening
) -> SpecialEvent:
    strings = ctx.wordings[language.code].strings
    names = {"organisation": ctx.site.organisation, "schedule": schedule.name[language.code]}
    label = schedule.special_days[special.special].label
    summary = (
        strings["event_summary"].format(**names)
        if label is None
        else strings["special_event_summary"].format(**names, label=label[language.code])
    )
    # Its date and hours are its identity: a special day moved or changed is a new event.
    identity = f"special {special.day.isoformat()} {special.opening.opens}-{special.opening.closes}"
    return SpecialEvent(_uid(language, schedule, identity), special.day, special.opening, summary)


def _plan(ctx: RenderContext, schedule: Schedule) -> Plan:
    """The schedule's series and special openings over the window, whatever the language: kept in
    the build cache, as working them out walks every day of the window."""
    first, last = ctx.window.first, ctx.window.last
    region = ctx.holidays.region(schedule.closures, first, last)
    record = ("plan", schedule, first, last, tuple(sorted(region)))
    kept = ctx.cache.answer(FEEDS, record, lambda: _plan_as_json(_work_out_plan(ctx, schedule)))
    return _plan_from_json(kept, schedule)


def _work_out_plan(ctx: RenderContext, schedule: Schedule) -> Plan:
    first, last = ctx.window.first, ctx.window.last
    kept = _week_hours(ctx, schedule)
    series = [
        found
        for stretch in _stretches(schedule, first, last)
        # Identical intervals would be identical events: one is enough.
        for key, interval in {_interval_key(i): i for i in stretch.weekly}.items()
        if (found := _series(stretch, key, interval, kept)) is not None
    ]
    specials = [
        SpecialOpening(day, opening, schedule.special_days.index(run.rule))
        for run in special_runs(schedule, first, last)
        for day in _days(run.first, run.last)
        for opening in run.rule.hours
    ]
    return Plan(tuple(series), tuple(specials))


def _plan_as_json(plan: Plan) -> dict[str, list[Any]]:
    series = [
        [
            s.identity,
            list(s.interval),
            s.first.isoformat(),
            s.last.isoformat(),
            [d.isoformat() for d in s.closed],
        ]
        for s in plan.series
    ]
    specials = [[o.day.isoformat(), o.opening.opens, o.opening.closes, o.special] for o in plan.specials]
    return {"series": series, "specials": specials}


def _plan_from_json(kept: dict[str, list[Any]], schedule: Schedule) -> Plan:
    date = datetime.date.fromisoformat
    series = tuple(
        Series(
            identity, Interval(tuple(days), opens, closes), date(first), date(last), tuple(map(date, closed))
        )
        for identity, (days, opens, closes), first, last, closed in kept["series"]
    )
    specials = tuple(
        SpecialOpening(date(day), Opening(opens, closes), special)
        for day, opens, closes, special in kept["specials"]
    )
    return Plan(series, specials)


def _week_hours(ctx: RenderContext, schedule: Schedule) -> dict[datetime.date, tuple[Opening, ...]]:
    """What the weekly series keep on each day of the window: the day's hours, by generator.hours,
    except on a special day, whose openings are all events of its own (with its label)."""
    first, last = ctx.window.first, ctx.window.last
    special = {day for run in special_runs(schedule, first, last) for day in _days(run.first, run.last)}
    return {
        day: () if day in special else hours_on(schedule, day, ctx.holidays) for day in _days(first, last)
    }


def _stretches(schedule: Schedule, first: datetime.date, last: datetime.date) -> list[Stretch]:
    """The stretches that meet the days `first` to `last`, cut to them, in order."""
    # Each stretch is named by its own first day, before `first` if need be: a newer `updated`
    # moves `first` but keeps the names, and so the UIDs, of the stretches still in the window.
    dated = [season.dates.first - ONE_DAY for season in schedule.seasons if not season.dates.yearly]
    earliest = max(EPOCH, min([first - HISTORY, *dated]))
    stretches: list[Stretch] = []
    day = earliest  # the first day no stretch holds yet
    for run in season_runs(schedule, earliest, last):
        if day < run.first:
            stretches.append(_base(schedule, day, run.first - ONE_DAY, earliest))
        since = run.first if run.first > earliest else None
        stretches.append(Stretch(run.first, run.last, since, run.rule.weekly, season=True))
        day = run.last + ONE_DAY
    if day <= last:
        stretches.append(_base(schedule, day, last, earliest))
    return [
        stretch._replace(first=max(stretch.first, first)) for stretch in stretches if stretch.last >= first
    ]


def _base(schedule: Schedule, first: datetime.date, last: datetime.date, earliest: datetime.date) -> Stretch:
    return Stretch(first, last, first if first > earliest else None, schedule.weekly, season=False)


def _series(
    stretch: Stretch, key: str, interval: Interval, kept: dict[datetime.date, tuple[Opening, ...]]
) -> Series | None:
    """The interval's series over the stretch, from its first instance that happens; None when
    none does."""
    opening = Opening(interval.opens, interval.closes)
    days = [day for day in _days(stretch.first, stretch.last) if day.weekday() in interval.days]
    # One rule for every exception: an instance happens only when its day's hours hold it.
    happens = {day for day in days if opening in kept[day]}
    if not happens:
        return None
    first = min(happens)
    closed = tuple(day for day in days if day > first and day not in happens)
    return Series(_identity(stretch, key), interval, first, stretch.last, closed)


def _identity(stretch: Stretch, key: str) -> str:
    # The base week that no season came before keeps the interval's key alone: the UID such
    # events had before seasons existed, so a schedule without seasons keeps its UIDs.
    kind = "season " if stretch.season else ""
    since = "" if stretch.since is None else f" from {stretch.since.isoformat()}"
    return f"{kind}{key}{since}"


def _days(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    return [first + n * ONE_DAY for n in range((last - first).days + 1)]


def _interval_key(interval: Interval) -> str:
    days = ",".join(WEEKDAY_CODES[day] for day in sorted(interval.days))
    return f"{days} {interval.opens}-{interval.closes}"


def _uid(language: Language, schedule: Schedule, key: str) -> str:
    # Content identity, never random nor dated by `updated`: a rebuild, or a new `updated` date,
    # keeps the UID of every event still in the window, so clients update events in place. The
    # interval's days and times (and the first day of its stretch, or the special day's date and
    # opening) are part of it, so new hours replace the old event, and other schedules' events are
    # untouched.
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
