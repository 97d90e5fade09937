"""Machine-readable outputs: the help desk as JSON and JSON-LD, the open spans, sitemap and robots.txt.

Every hour given here comes from generator.hours, like the page text and the calendars, so a widget,
a chatbot, a search engine and a visitor all read the same schedule. Nothing reads the clock: the
open spans start at the week of the content's `updated` date and run HORIZON_WEEKS ahead.
"""

from __future__ import annotations

import datetime
import functools
import json
from typing import Any

import phonenumbers

from generator.content.model import (
    MINUTES_PER_DAY,
    WEEKDAYS,
    Availability,
    Channel,
    Phone,
    Schedule,
    Site,
    Text,
)
from generator.hours import Span, closed_dates, occurrences
from generator.outputs import Files, cards, links
from generator.outputs.calendars import anchor, calendar_path

DATA_PATH = "data/help-desk.json"
WITHOUT_BASE_URL = "structured data: no sitemap.xml, and no page URL in the JSON-LD"
FORMAT = "canales/help-desk"
FORMAT_VERSION = 1
# Two years of spans: long enough that a site left alone stays right for a long time, short
# enough to embed in every page. Past the horizon the page shows the hours in words only.
HORIZON_WEEKS = 104
# Closed dates are announced to search engines this far ahead.
CLOSED_DATES_DAYS = 366
SCHEMA_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def horizon(site: Site) -> tuple[datetime.datetime, datetime.datetime]:
    """The UTC range the open spans cover: from a day before the anchor week, HORIZON_WEEKS long.

    The day before leaves room for zones east of UTC, whose Monday starts on Sunday in UTC.
    """
    start = datetime.datetime.combine(anchor(site), datetime.time(), datetime.UTC) - datetime.timedelta(
        days=1
    )
    return start, start + datetime.timedelta(weeks=HORIZON_WEEKS)


def open_spans(site: Site, schedule: Schedule) -> tuple[Span, ...]:
    """When the schedule is open within the horizon, as merged UTC spans (from generator.hours)."""
    return _spans(schedule, *horizon(site))


@functools.lru_cache(maxsize=128)
def _spans(schedule: Schedule, start: datetime.datetime, end: datetime.datetime) -> tuple[Span, ...]:
    # Each language's page and the data file ask for the same two years of spans.
    return tuple(occurrences(schedule, start, end))


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


def opening_hours(site: Site, schedule: Schedule) -> list[dict[str, Any]]:
    """A schedule as schema.org OpeningHoursSpecification, with its closed dates for the next year."""
    if schedule.always:
        return [_spec(list(SCHEMA_DAYS), "00:00", "23:59")]
    specs = [
        _spec([SCHEMA_DAYS[day] for day in interval.days], _clock(interval.opens), _clock(interval.closes))
        for interval in schedule.weekly
    ]
    first = anchor(site)
    last = first + datetime.timedelta(days=CLOSED_DATES_DAYS)
    for day in closed_dates(schedule.closures, first, last):
        # schema.org's way to say "closed all day": opens and closes at midnight, on that date.
        specs.append({**_spec(None, "00:00", "00:00"), "validFrom": str(day), "validThrough": str(day)})
    return specs


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


def contact_points(site: Site, language: str) -> list[dict[str, Any]]:
    """One schema.org ContactPoint per channel and availability, in page order.

    A channel with several availabilities (incidents around the clock, requests in office hours)
    gives one point each, so that no point claims hours the help desk does not keep.
    """
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
            point["hoursAvailable"] = opening_hours(site, site.schedule(availability.schedule))
            points.append(point)
    return points


def organization(site: Site, language: str) -> dict[str, Any]:
    """The JSON-LD Organization a help page carries, in that page's language."""
    document: dict[str, Any] = {"@context": "https://schema.org", "@type": "Organization"}
    document["name"] = site.organisation
    page = links.page_url(site, next(lang for lang in site.languages if lang.code == language))
    if page:
        document["url"] = page
    document["contactPoint"] = contact_points(site, language)
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


def _schedule(site: Site, schedule: Schedule) -> dict[str, Any]:
    weekly = [
        {
            "days": [WEEKDAYS[day] for day in interval.days],
            "opens": _hhmm(interval.opens),
            "closes": _hhmm(interval.closes),
            "overnight": interval.closes > MINUTES_PER_DAY,
        }
        for interval in schedule.weekly
    ]
    end = horizon(site)[1]
    first, last = anchor(site), (end - datetime.timedelta(days=1)).date()
    return {
        "id": schedule.id,
        "name": _texts(schedule.name),
        "timezone": schedule.timezone,
        "always": schedule.always,
        "weekly": weekly,
        "closures": {
            "dates": [str(day) for day in schedule.closures.dates],
            "holidays": schedule.closures.holidays,
            "subdivision": schedule.closures.subdivision,
        },
        "closed_dates": [str(day) for day in closed_dates(schedule.closures, first, last)],
        "open": [[_utc(opens), _utc(closes)] for opens, closes in open_spans(site, schedule)],
        "calendars": {lang.code: calendar_path(schedule, lang) for lang in site.languages},
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


def help_desk(site: Site) -> dict[str, Any]:
    """The whole help desk as one language-independent document (documented in docs/data.md)."""
    start, end = horizon(site)
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
                "cards": {lang.code: cards.card_path(level, lang, site) for lang in site.languages},
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
            {"code": lang.code, "locale": lang.locale, "name": lang.name} for lang in site.languages
        ],
        "pages": {lang.code: links.page_url(site, lang) or f"{lang.code}/" for lang in site.languages},
        "horizon": {"start": _utc(start), "end": _utc(end)},
        "request_types": [{"id": t.id, "name": _texts(t.name)} for t in site.request_types],
        "schedules": [_schedule(site, schedule) for schedule in site.schedules],
        "channels": [_channel(channel) for channel in site.channels],
        "escalation": levels,
        "cards": {
            lang.code: {
                "help_desk": cards.organisation_card_path(site, lang),
                "all": cards.bundle_path(lang),
            }
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


def render_data(site: Site) -> Files:
    """The JSON document, robots.txt and, with a base URL, sitemap.xml."""
    # Compact: only then does the json module use its C encoder, ten times faster on large sites.
    document = json.dumps(help_desk(site), ensure_ascii=False, separators=(",", ":")) + "\n"
    files: Files = {DATA_PATH: document.encode(), "robots.txt": robots(site)}
    xml = sitemap(site)
    if xml is not None:
        files["sitemap.xml"] = xml
    return files
