"""Machine-readable outputs: the help desk as JSON and JSON-LD, the open spans, sitemap and robots.txt.

Every hour given here comes from generator.hours, like the page text and the calendars, so a widget,
a chatbot, a search engine and a visitor all read the same schedule. Nothing reads the clock: the
open spans and closed dates cover the render context's window, from the week of `updated`.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

import phonenumbers

from generator.content.model import (
    MINUTES_PER_DAY,
    WEEKDAYS,
    Availability,
    Channel,
    Dates,
    Interval,
    Notice,
    Opening,
    Phone,
    Schedule,
    Site,
    Text,
)
from generator.hours import ONE_DAY, closed_dates, hours_by_day, season_runs, special_runs
from generator.outputs import Files, cards, links, notices
from generator.outputs import opening_hours as osm
from generator.outputs.calendars import calendar_path
from generator.outputs.context import RenderContext

DATA_PATH = "data/help-desk.json"
WITHOUT_BASE_URL = "structured data: no sitemap.xml, and no page URL in the JSON-LD"
FORMAT = "canales/help-desk"
FORMAT_VERSION = 1
SCHEMA_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _utc(instant: datetime.datetime) -> str:
    # isoformat, not strftime: the same text, at a third of the cost, for thousands of spans.
    return instant.astimezone(datetime.UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


def _clock(minutes: int) -> str:
    """A schema.org Time: past midnight wraps (the next day, as schema.org reads closes < opens),
    and midnight at the end of the day is 23:59, as Google asks."""
    if minutes == MINUTES_PER_DAY:
        return "23:59"
    minutes %= MINUTES_PER_DAY
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def opening_hours(ctx: RenderContext, schedule: Schedule) -> list[dict[str, Any]]:
    """A schedule as schema.org OpeningHoursSpecification: its base week, then within the window
    each season's week and each date with hours of its own (a closed date, a special day).

    Dated specs say their dates with validFrom and validThrough, which search engines read as
    replacing the week on those dates; closed is opens and closes both at midnight, as Google asks.
    """
    if schedule.always:
        return [_spec(list(SCHEMA_DAYS), "00:00", "23:59")]
    specs = [_interval_spec(interval) for interval in schedule.weekly]
    first, last = ctx.window.first, ctx.window.last
    base_days = {day for interval in schedule.weekly for day in interval.days}
    for run in season_runs(schedule, first, last):
        valid = _valid(run.first, run.last)
        specs += [{**_interval_spec(interval), **valid} for interval in run.rule.weekly]
        # Weekdays the base week opens and the season's week leaves closed.
        closed = base_days.difference(day for interval in run.rule.weekly for day in interval.days)
        if closed:
            specs.append({**_spec([SCHEMA_DAYS[day] for day in sorted(closed)], "00:00", "00:00"), **valid})
    special = {
        run.first + n * ONE_DAY: run.rule.hours
        for run in special_runs(schedule, first, last)
        for n in range((run.last - run.first).days + 1)
    }
    dated: dict[datetime.date, tuple[Opening, ...]] = dict.fromkeys(
        closed_dates(schedule.closures, first, last, ctx.holidays), ()
    )
    dated.update(special)  # a special day wins over a closure
    for day, hours in sorted(dated.items()):
        valid = _valid(day, day)
        if not hours:
            # schema.org's way to say "closed all day": opens and closes at midnight, on that date.
            specs.append({**_spec(None, "00:00", "00:00"), **valid})
        specs += [{**_spec(None, _clock(o.opens), _clock(o.closes)), **valid} for o in hours]
    return specs


def _interval_spec(interval: Interval) -> dict[str, Any]:
    return _spec([SCHEMA_DAYS[day] for day in interval.days], _clock(interval.opens), _clock(interval.closes))


def _valid(first: datetime.date, last: datetime.date) -> dict[str, str]:
    return {"validFrom": str(first), "validThrough": str(last)}


def _spec(days: list[str] | None, opens: str, closes: str) -> dict[str, Any]:
    spec: dict[str, Any] = {"@type": "OpeningHoursSpecification"}
    if days is not None:
        spec["dayOfWeek"] = days
    spec.update(opens=opens, closes=closes)
    return spec


def _toll_free(phone: Phone) -> bool:
    return phonenumbers.number_type(phonenumbers.parse(phone.e164)) == phonenumbers.PhoneNumberType.TOLL_FREE


def _types(site: Site, channel: Channel, availability: Availability, language: str) -> str:
    """What a contact point is for, in words: the availability's label, else its request types."""
    if availability.label is not None:
        return availability.label[language]
    type_ids = availability.request_types or channel.request_types
    ids = type_ids if type_ids is not None else tuple(t.id for t in site.request_types)
    return ", ".join(site.request_type(type_id).name[language] for type_id in ids)


def contact_points(ctx: RenderContext, language: str) -> list[dict[str, Any]]:
    """One schema.org ContactPoint per channel and availability, in page order.

    A channel with several availabilities (incidents around the clock, requests in office hours)
    gives one point each, so that no point claims hours the help desk does not keep.
    """
    site = ctx.site
    points = []
    for channel in site.channels:
        for availability in channel.availability:
            point: dict[str, Any] = {
                "@type": "ContactPoint",
                "name": channel.name[language],
                "contactType": _types(site, channel, availability, language),
            }
            phone = channel.phone
            if phone is not None:
                point["telephone"] = phone.e164
                if phone.domestic_only:
                    # The number works only at home: say where, and that the call is free.
                    point["areaServed"] = site.country
                if _toll_free(phone):
                    point["contactOption"] = "TollFree"
            if channel.kind == "email":
                point["email"] = str(channel.value)
            if channel.kind in ("whatsapp", "web"):
                point["url"] = links.channel_href(channel)
            point["availableLanguage"] = [lang.code for lang in site.languages]
            point["hoursAvailable"] = opening_hours(ctx, site.schedule(availability.schedule))
            points.append(point)
    return points


def organization(ctx: RenderContext, language: str) -> dict[str, Any]:
    """The JSON-LD Organization a help page carries, in that page's language."""
    site = ctx.site
    document: dict[str, Any] = {"@context": "https://schema.org", "@type": "Organization"}
    document["name"] = site.organisation
    page = links.page_url(site, next(lang for lang in site.languages if lang.code == language))
    if page:
        document["url"] = page
    document["contactPoint"] = contact_points(ctx, language)
    return document


def script_json(value: Any) -> str:
    """JSON that is safe inside an HTML <script> element: no '<', '>' or '&' appear literally."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _hhmm(minutes: int) -> str:
    """A time as the content writes it: "24:00" is the end of the day; past it, the next day's time."""
    if minutes != MINUTES_PER_DAY:
        minutes %= MINUTES_PER_DAY
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _texts(text: Text) -> dict[str, str]:
    return dict(text.translations)


def _phone(phone: Phone) -> dict[str, Any]:
    return {
        "e164": phone.e164,
        "national": phone.national,
        "international": phone.international,
        "dial": phone.dialled,
        "domestic_only": phone.domestic_only,
        "mobile": phone.mobile,
    }


def _weekly(intervals: tuple[Interval, ...]) -> list[dict[str, Any]]:
    return [
        {
            "days": [WEEKDAYS[day] for day in interval.days],
            "opens": _hhmm(interval.opens),
            "closes": _hhmm(interval.closes),
            "overnight": interval.closes > MINUTES_PER_DAY,
        }
        for interval in intervals
    ]


def _hours(hours: tuple[Opening, ...]) -> list[dict[str, Any]]:
    return [
        {"opens": _hhmm(o.opens), "closes": _hhmm(o.closes), "overnight": o.closes > MINUTES_PER_DAY}
        for o in hours
    ]


def _written(dates: Dates) -> dict[str, Any]:
    """Dates as the content writes them: YYYY-MM-DD once, MM-DD every year."""

    def text(day: datetime.date) -> str:
        return f"{day.month:02d}-{day.day:02d}" if dates.yearly else str(day)

    return {"from": text(dates.first), "to": text(dates.last), "yearly": dates.yearly}


def _opening_hours(ctx: RenderContext, schedule: Schedule) -> str:
    """The schedule's OpenStreetMap opening_hours string, from the build cache when it is there."""
    window = ctx.window
    day_before = window.first - ONE_DAY
    region = ctx.holidays.region(schedule.closures, day_before, window.last)
    record = (schedule, window.first, window.end, tuple(sorted(region)))

    def work_out() -> str:
        by_day = hours_by_day(schedule, day_before, window.last, ctx.holidays)
        return osm.expression(schedule, window.first, window.end, by_day)

    text: str = ctx.cache.answer(osm.OPENING_HOURS, record, work_out)
    return text


def _schedule(ctx: RenderContext, schedule: Schedule) -> dict[str, Any]:
    window = ctx.window
    closed = closed_dates(schedule.closures, window.first, window.last, ctx.holidays)
    return {
        "id": schedule.id,
        "name": _texts(schedule.name),
        "timezone": schedule.timezone,
        "always": schedule.always,
        "weekly": _weekly(schedule.weekly),
        "closures": {
            "dates": [str(day) for day in schedule.closures.dates],
            "holidays": schedule.closures.holidays,
            "subdivision": schedule.closures.subdivision,
        },
        "seasons": [
            {"name": _texts(season.name), **_written(season.dates), "weekly": _weekly(season.weekly)}
            for season in schedule.seasons
        ],
        "special_days": [
            {
                **_written(special.dates),
                "label": _texts(special.label) if special.label else None,
                "closed": not special.hours,
                "hours": _hours(special.hours),
            }
            for special in schedule.special_days
        ],
        "closed_dates": [str(day) for day in closed],
        "season_dates": [
            {"first": str(run.first), "last": str(run.last), "name": _texts(run.rule.name)}
            for run in season_runs(schedule, window.first, window.last)
        ],
        "special_dates": [
            {
                "first": str(run.first),
                "last": str(run.last),
                "label": _texts(run.rule.label) if run.rule.label else None,
                "closed": not run.rule.hours,
                "hours": _hours(run.rule.hours),
            }
            for run in special_runs(schedule, window.first, window.last)
        ],
        "opening_hours": _opening_hours(ctx, schedule),
        "open": [[_utc(opens), _utc(closes)] for opens, closes in ctx.open_spans[schedule.id]],
        "calendars": {lang.code: calendar_path(schedule, lang) for lang in ctx.site.languages},
    }


def _channel(channel: Channel) -> dict[str, Any]:
    return {
        "id": channel.id,
        "kind": channel.kind,
        "href": links.channel_href(channel),
        "value": channel.value if isinstance(channel.value, str) else channel.value.national,
        "phone": _phone(channel.value) if isinstance(channel.value, Phone) else None,
        "name": _texts(channel.name),
        "description": _texts(channel.description),
        "request_types": list(channel.request_types) if channel.request_types is not None else None,
        "availability": [
            {
                "schedule": availability.schedule,
                "request_types": list(availability.request_types)
                if availability.request_types is not None
                else None,
                "label": _texts(availability.label) if availability.label else None,
            }
            for availability in channel.availability
        ],
    }


def _notice(notice: Notice) -> dict[str, Any]:
    """A notice as written, its instants in UTC; `ends` as resolved (an incident's resolution)."""

    def moment(instant: datetime.datetime | None) -> str | None:
        return None if instant is None else _utc(instant)

    return {
        "id": notice.id,
        "kind": notice.kind,
        "posted": _utc(notice.posted),
        "starts": _utc(notice.starts),
        "ends": moment(notice.ends),
        "updated": _utc(notice.updated),
        "cancelled": moment(notice.cancelled),
        "resolved": moment(notice.resolved),
        "title": _texts(notice.title),
        "body": _texts(notice.body),
        "affects": [
            {"channel": a.channel, "effect": a.effect, "alternatives": list(a.alternatives)}
            for a in notice.affects
        ],
        "updates": [
            {"at": _utc(update.at), "status": update.status, "text": _texts(update.text)}
            for update in notice.updates
        ],
    }


def help_desk(ctx: RenderContext) -> dict[str, Any]:
    """The whole help desk as one language-independent document (documented in docs/data.md)."""
    site = ctx.site
    start, end = ctx.window.utc
    levels = []
    for number, level in enumerate(site.levels, 1):
        entry: dict[str, Any] = {
            "id": level.id,
            "number": number,
            "title": _texts(level.title),
            "name": _texts(level.name),
            "channels": list(level.channels),
            "contact": None,
        }
        if level.contact:
            entry["contact"] = {
                "person": level.contact.person,
                "emails": list(level.contact.emails),
                "phones": [{**_phone(p.phone), "whatsapp": p.whatsapp} for p in level.contact.phones],
                "cards": {lang.code: cards.card_path(level, lang, ctx) for lang in site.languages},
            }
        levels.append(entry)
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "organisation": site.organisation,
        "title": _texts(site.title),
        "updated": str(site.updated),
        "timezone": site.timezone,
        "country": site.country,
        "languages": [
            {"code": lang.code, "locale": lang.locale, "name": ctx.wordings[lang.code].own_name}
            for lang in site.languages
        ],
        "pages": {lang.code: links.page_url(site, lang) or f"{lang.code}/" for lang in site.languages},
        "horizon": {"start": _utc(start), "end": _utc(end)},
        "request_types": [{"id": t.id, "name": _texts(t.name)} for t in site.request_types],
        "schedules": [_schedule(ctx, schedule) for schedule in site.schedules],
        "channels": [_channel(channel) for channel in site.channels],
        "escalation": levels,
        "cards": {
            lang.code: {
                "help_desk": cards.organisation_card_path(lang),
                "all": cards.bundle_path(lang),
            }
            for lang in site.languages
        },
        "notices": [_notice(notice) for notice in site.notices],
        "notice_feeds": {
            lang.code: {"atom": notices.atom_path(lang), "calendar": notices.ics_path(lang)}
            for lang in site.languages
        },
    }


SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"


def sitemap(site: Site) -> bytes | None:
    """sitemap.xml, every language page with its alternates; None without a base URL, because a
    sitemap may hold only absolute URLs."""
    if not site.base_url:
        return None
    from xml.etree import ElementTree

    ElementTree.register_namespace("", SITEMAP_NS)
    ElementTree.register_namespace("xhtml", XHTML_NS)
    urls = {lang.code: links.page_url(site, lang) or "" for lang in site.languages}
    # x-default is the root, which lets the visitor choose (and sends them to the default language).
    alternates = [*urls.items(), ("x-default", links.absolute_url(site, "") or "")]
    urlset = ElementTree.Element(f"{{{SITEMAP_NS}}}urlset")
    for url in urls.values():
        entry = ElementTree.SubElement(urlset, f"{{{SITEMAP_NS}}}url")
        ElementTree.SubElement(entry, f"{{{SITEMAP_NS}}}loc").text = url
        ElementTree.SubElement(entry, f"{{{SITEMAP_NS}}}lastmod").text = site.updated.isoformat()
        for code, href in alternates:
            attributes = {"rel": "alternate", "hreflang": code, "href": href}
            ElementTree.SubElement(entry, f"{{{XHTML_NS}}}link", attributes)
    ElementTree.indent(urlset)
    document: bytes = ElementTree.tostring(urlset, encoding="UTF-8", xml_declaration=True)
    return document + b"\n"


def robots(site: Site) -> bytes:
    """robots.txt: everything may be crawled; the sitemap is named when its URL is known."""
    lines = ["User-agent: *", "Allow: /"]
    sitemap_url = links.absolute_url(site, "sitemap.xml")
    if sitemap_url:
        lines.append(f"Sitemap: {sitemap_url}")
    return ("\n".join(lines) + "\n").encode()


def render_data(ctx: RenderContext) -> Files:
    """The JSON document, robots.txt and, with a base URL, sitemap.xml."""
    site = ctx.site
    # Compact: only then does the json module use its C encoder, ten times faster on large sites.
    document = json.dumps(help_desk(ctx), ensure_ascii=False, separators=(",", ":")) + "\n"
    files: Files = {DATA_PATH: document.encode(), "robots.txt": robots(site)}
    xml = sitemap(site)
    if xml is not None:
        files["sitemap.xml"] = xml
    return files
