"""The content format: one Record spec per content file, and the model objects they build.

docs/content.md documents these fields for editors; the JSON Schema is generated from them.
"""

from __future__ import annotations

import datetime
import functools
import os
import re
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import babel

from generator import TZDATA_FOLDER
from generator.content import model
from generator.content.prose import TOO_DEEP, too_deep
from generator.content.schema import (
    INVALID,
    Bool,
    Context,
    Enum,
    Field,
    ListOf,
    OneOf,
    Record,
    Spec,
    Str,
    Text,
    describe,
    parse_date,
    suggestion,
)
from generator.content.yamlsource import PathKey
from generator.hours import overlapping_intervals
from generator.phones import parse_phone

SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
Slug = Str("an id of lowercase letters, digits and single hyphens (like 'phone-bogota')", SLUG, max_length=64)


def _email(text: str) -> str:
    local, at, domain = text.rpartition("@")
    if not at or not local or "." not in domain or re.search(r"[\s<>()\[\],;:\"\\]", text):
        raise ValueError("not an email address")
    if not re.fullmatch(r"[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+", domain):
        raise ValueError(f"{domain!r} is not a domain name")
    return text


def _web_url(text: str) -> str:
    parts = urlsplit(text)
    if parts.scheme not in ("https", "http"):
        raise ValueError(f"only https:// and http:// addresses are allowed, not {parts.scheme or 'none'}:")
    if not parts.hostname or re.search(r"\s", text):
        raise ValueError("not a web address")
    return text


def _timezone(text: str) -> str:
    if text not in _zones():
        raise ValueError("not an IANA time zone (like America/Bogota)")
    ZoneInfo(text)
    return text


@functools.cache
def _zones() -> frozenset[str]:
    """The zone names tzdata lists; reading its index is much faster than walking its folders."""
    with open(os.path.join(TZDATA_FOLDER, "zones"), encoding="utf-8") as index:
        return frozenset(index.read().split())


def _locale(text: str) -> babel.Locale:
    try:
        # Parsing only checks that CLDR has the locale; its data is loaded when first used.
        return babel.Locale.parse(text)
    except (ValueError, babel.UnknownLocaleError):
        raise ValueError("not a locale known to CLDR (like es_CO or en)") from None


def _time(text: str) -> int:
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", text)
    if not match:
        raise ValueError("write times as HH:MM")
    hours, minutes = int(match[1]), int(match[2])
    if minutes > 59 or hours > 24 or (hours == 24 and minutes):
        raise ValueError("out of range (00:00 to 24:00)")
    return hours * 60 + minutes


def _days(text: str) -> tuple[int, ...]:
    first, _, last = text.partition("-")
    names = model.WEEKDAYS
    if first not in names or (last and last not in names):
        raise ValueError(f"days are {', '.join(names)}, or a range like mon-fri")
    start = names.index(first)
    end = names.index(last) if last else start
    if end < start:
        raise ValueError("a range of days runs forward, like mon-fri")
    return tuple(range(start, end + 1))


class MarkdownText(Text):
    """A text per language, in Markdown: refused when nested too deep to render (see prose.py)."""

    def parse(self, value: Any, path: PathKey, ctx: Context) -> Any:
        text = super().parse(value, path, ctx)
        if text is INVALID:
            return text
        for code, markdown in text.translations:
            line = too_deep(markdown)
            if line is not None:
                return ctx.error((*path, code), f"{TOO_DEEP} (line {line} of the text)")
        return text


Email = Str("an email address", convert=_email, max_length=254)
WebUrl = Str("an https:// web address", convert=_web_url, max_length=2000)
_DAY = "|".join(model.WEEKDAYS)
Time = Str("a time HH:MM", convert=_time, schema_pattern=r"([01]?[0-9]|2[0-3]):[0-5][0-9]|24:00")
Date = Str("a date YYYY-MM-DD", convert=parse_date, schema_pattern=r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
FIRST_REVISION, LAST_REVISION = datetime.date(1970, 1, 1), datetime.date(2999, 12, 31)


def _revision_date(text: str) -> datetime.date:
    # `updated` is the build's timestamp (a Unix time, so not before 1970), and calendars reach
    # years past it; a typo such as 9026 would otherwise fail deep in an output, without a line.
    day = parse_date(text)
    if not FIRST_REVISION <= day <= LAST_REVISION:
        raise ValueError(f"the date must lie between {FIRST_REVISION} and {LAST_REVISION}")
    return day


RevisionDate = Str("a date YYYY-MM-DD", convert=_revision_date, schema_pattern=Date.schema_pattern)
Days = Str("a day (mon … sun) or a range (mon-fri)", convert=_days, schema_pattern=f"({_DAY})(-({_DAY}))?")


# --- site.yaml -------------------------------------------------------------------------------


def _language(values: dict[str, Any], path: PathKey, ctx: Context) -> Any:
    locale = values["locale"] or values["code"]
    try:
        parsed = _locale(locale)
    except ValueError as error:
        return ctx.error((*path, "locale" if values["locale"] else "code"), str(error))
    del parsed  # validated; CLDR's name for it is looked up only when rendering (i18n.Wording)
    return model.Language(values["code"], locale, values["name"])


LANGUAGE = Record(
    "a language",
    {
        "code": Field(
            Str("a language code like es or pt-br", r"[a-z]{2,3}(-[a-z0-9]{2,8})*"),
            "Code used in paths and hreflang.",
        ),
        "locale": Field(
            Str("a CLDR locale like es_CO"),
            "Locale for dates, times and lists; defaults to the code.",
            required=False,
        ),
        "name": Field(Str(), "The language's name in itself; defaults to CLDR's.", required=False),
    },
    _language,
)

LANGUAGES = ListOf(LANGUAGE, min_items=1)


def _colour(text: str) -> str:
    if not re.fullmatch(r"#([0-9a-fA-F]{3}){1,2}", text):
        raise ValueError("write it as #rrggbb, like #0b3d5c")
    digits = text[1:].lower()
    return "#" + (digits if len(digits) == 6 else "".join(digit * 2 for digit in digits))


# Image formats a logo may come in; the SVG is rebuilt from what is safe (content/logo.py).
LOGO_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg", ".webp")


def _logo_path(text: str) -> str:
    if "\\" in text or text.startswith("/") or ".." in text.split("/"):
        raise ValueError("give a path inside the content folder, like brand/logo.svg")
    if not text.lower().endswith(LOGO_SUFFIXES):
        raise ValueError(f"a logo is one of {', '.join(LOGO_SUFFIXES)}")
    return text


BRAND = Record(
    "the brand",
    {
        "logo": Field(
            Str("a file in the content folder, like brand/logo.svg", convert=_logo_path, max_length=200),
            "The organisation's logo, shown in the header: an SVG (checked and rebuilt without "
            "scripts or external references), or a PNG, JPEG or WebP image.",
            required=False,
        ),
        "accent": Field(
            Str("a colour #rrggbb", convert=_colour, schema_pattern=r"#([0-9a-fA-F]{3}){1,2}"),
            "The organisation's colour, for the header, the favicon and the escalation steps; "
            "shades that fail WCAG AA contrast are derived and the build says so.",
            required=False,
        ),
    },
    lambda values, path, ctx: values,
)


SITE = Record(
    "the site settings",
    {
        "organisation": Field(Str(), "The organisation's name, as written everywhere."),
        "title": Field(Text(), "The help page's title."),
        "languages": Field(LANGUAGES, "The site's languages; the first is the default."),
        "timezone": Field(Str("an IANA time zone", convert=_timezone), "Default time zone of schedules."),
        "country": Field(
            Str("a two-letter country code (ISO 3166)", r"[A-Z]{2}"),
            "Region for reading phone numbers written without +.",
        ),
        "base_url": Field(WebUrl, "Where the site is published; makes absolute URLs.", required=False),
        "updated": Field(RevisionDate, "When the content was last revised; also the build's timestamp."),
        "brand": Field(
            BRAND, "The organisation's logo and colour; the generator's own without.", required=False
        ),
        "offline": Field(
            Bool(),
            "Whether visited pages keep working offline (a service worker); false retires it.",
            required=False,
            default=True,
        ),
    },
    # The reader assembles the Site from these values and the other files.
    lambda values, path, ctx: values,
)


# --- hours.yaml ------------------------------------------------------------------------------


def _closes(values: dict[str, Any], path: PathKey, ctx: Context) -> Any:
    """The closing minute: past 1440 for an overnight interval; INVALID when it cannot be."""
    opens, closes = values["opens"], values["closes"]
    if values["overnight"]:
        if closes > opens:
            return ctx.error(
                (*path, "closes"), "an overnight interval closes the next day, before the time it opens"
            )
        return closes + model.MINUTES_PER_DAY
    if closes <= opens:
        return ctx.error(
            (*path, "closes"),
            "closes at or before it opens; for hours past midnight add 'overnight: true'",
        )
    return closes


def _interval(values: dict[str, Any], path: PathKey, ctx: Context) -> Any:
    days = tuple(day for group in values["days"] for day in group)
    if len(set(days)) != len(days):
        return ctx.error((*path, "days"), "a day is listed twice")
    closes = _closes(values, path, ctx)
    if closes is INVALID:
        return INVALID
    return model.Interval(tuple(sorted(days)), values["opens"], closes)


_OPENS = Field(Time, "Opening time, HH:MM, local.")
_CLOSES = Field(Time, "Closing time, HH:MM, local; 24:00 is midnight.")
_OVERNIGHT = Field(Bool(), "True when it closes after midnight, the next day.", required=False, default=False)

INTERVAL = Record(
    "an interval",
    {
        "days": Field(ListOf(Days, min_items=1), "Days it starts on: mon … sun, or ranges like mon-fri."),
        "opens": _OPENS,
        "closes": _CLOSES,
        "overnight": _OVERNIGHT,
    },
    _interval,
)


def _opening(values: dict[str, Any], path: PathKey, ctx: Context) -> Any:
    closes = _closes(values, path, ctx)
    return INVALID if closes is INVALID else model.Opening(values["opens"], closes)


OPENING = Record("opening hours", {"opens": _OPENS, "closes": _CLOSES, "overnight": _OVERNIGHT}, _opening)


# --- dates that change the hours: special days and seasons ------------------------------------


def _date_or_yearly(text: str) -> tuple[datetime.date, bool]:
    """A date with its year (once), or MM-DD (every year): the date, and whether it is yearly."""
    if re.fullmatch(r"\d{2}-\d{2}", text):
        month, day = int(text[:2]), int(text[3:])
        if not 1 <= month <= 12:
            raise ValueError("month must be in 1..12")
        return datetime.date(model.YEARLY, month, day), True
    return _revision_date(text), False


DateOrYearly = Str(
    "a date YYYY-MM-DD, or MM-DD for every year",
    convert=_date_or_yearly,
    schema_pattern=r"([0-9]{4}-)?[0-9]{2}-[0-9]{2}",
)


def _range(values: dict[str, Any], path: PathKey, ctx: Context) -> Any:
    """The Dates of a record's 'from' and 'to': both once, or both every year (a yearly range may
    run over the new year)."""
    (first, yearly), (last, last_yearly) = values["from"], values["to"]
    if yearly != last_yearly:
        return ctx.error(
            (*path, "to"),
            "'from' and 'to' are both dates with a year (2027-07-01), or both MM-DD for every year (07-01)",
        )
    if not yearly and last < first:
        return ctx.error(
            (*path, "to"),
            f"the range ends before it starts ({first} to {last}); did you swap 'from' and 'to'?",
        )
    return model.Dates(first, last, yearly)


def _special_day(values: dict[str, Any], path: PathKey, ctx: Context) -> Any:
    date, start, end = values["date"], values["from"], values["to"]
    if date is not None and (start or end):
        where = (*path, "from" if start else "to")
        return ctx.error(where, "give either 'date', or 'from' and 'to', not both")
    if date is None and (start is None or end is None):
        missing = "to" if start else "from" if end else "date"
        message = f"missing required key {missing!r} in a special day ('date', or 'from' and 'to')"
        return ctx.error(path, message)
    dates = model.Dates(date[0], date[0], date[1]) if date is not None else _range(values, path, ctx)
    if dates is INVALID:
        return INVALID
    hours, closed = values["hours"], values["closed"]
    if bool(hours) == closed:
        return ctx.error(path, "a special day has either 'hours' or 'closed: true', not both or neither")
    overlaps = overlapping_intervals(tuple(model.Interval((0,), *opening) for opening in hours))
    if overlaps:
        first, second = overlaps[0]
        return ctx.error((*path, "hours", second), f"overlaps opening {first + 1} of this special day")
    return model.SpecialDay(dates, hours, values["label"])


SPECIAL_DAY = Record(
    "a special day",
    {
        "date": Field(DateOrYearly, "The day: YYYY-MM-DD once, or MM-DD every year (12-24).", required=False),
        "from": Field(DateOrYearly, "First day of a range of days, instead of 'date'.", required=False),
        "to": Field(DateOrYearly, "Last day of the range, included.", required=False),
        "label": Field(Text(max_length=200), "What the day is, in words (Christmas Eve).", required=False),
        "hours": Field(
            ListOf(OPENING, min_items=1),
            "Its hours, which replace the week's; several make a split shift.",
            required=False,
            default=(),
        ),
        "closed": Field(Bool(), "True when closed all day.", required=False, default=False),
    },
    _special_day,
    doc="Dates with hours of their own: they win over closures, public holidays and seasons.",
)


def _season(values: dict[str, Any], path: PathKey, ctx: Context) -> Any:
    dates = _range(values, path, ctx)
    for first, second in overlapping_intervals(values["weekly"]):
        ctx.error((*path, "weekly", second), f"overlaps interval {first + 1} of this season")
        dates = INVALID
    return INVALID if dates is INVALID else model.Season(dates, values["name"], values["weekly"])


SEASON = Record(
    "a season",
    {
        "name": Field(Text(max_length=200), "The season's name (Summer hours)."),
        "from": Field(DateOrYearly, "Its first day: YYYY-MM-DD once, or MM-DD every year (07-01)."),
        "to": Field(DateOrYearly, "Its last day, included, written like 'from'."),
        "weekly": Field(ListOf(INTERVAL, min_items=1), "The season's week, which replaces the base week."),
    },
    _season,
    doc="A week of its own on some dates, every year or once.",
)


def _month_days(dates: model.Dates) -> set[tuple[int, int]]:
    year = [datetime.date(model.YEARLY, 1, 1) + datetime.timedelta(days=n) for n in range(366)]
    return {(day.month, day.day) for day in year if dates.covers(day)}


def _share_a_date(one: model.Dates, other: model.Dates) -> bool:
    """Whether two rules of the same kind (once, or every year) meet; a dated rule replaces a
    yearly one on its dates, so those two never clash."""
    if one.yearly != other.yearly:
        return False
    if not one.yearly:
        return one.first <= other.last and other.first <= one.last
    return bool(_month_days(one) & _month_days(other))


def _clashes(rules: tuple[Any, ...], path: PathKey, ctx: Context, what: str) -> None:
    for later, rule in enumerate(rules):
        for earlier in range(later):
            if _share_a_date(rules[earlier].dates, rule.dates):
                ctx.error(
                    (*path, later),
                    f"shares a date with {what} {earlier + 1} of this schedule; "
                    f"a date may have one {what} every year and one with its year, which replaces it",
                )
                break


HOLIDAY_COUNTRY = "a country code (ISO 3166)"


def _closures(values: dict[str, Any], path: PathKey, ctx: Context) -> Any:
    country, subdivision = values["holidays"], values["subdivision"]
    if subdivision and not country:
        return ctx.error((*path, "subdivision"), "a subdivision needs 'holidays', the country it is in")
    known: list[str] | None = None
    if country:
        known = ctx.holidays.subdivisions(country)
        if known is None:
            return ctx.error(
                (*path, "holidays"),
                f"expected {HOLIDAY_COUNTRY}, found {describe(country)}: "
                "no public holidays are known for this country code",
            )
    # Checked here: the holidays package would refuse it only when the outputs ask.
    if subdivision and not ctx.holidays.accepts(country, subdivision):
        listed = f"known: {', '.join(known)}" if known else "it has none with holidays of their own"
        return ctx.error(
            (*path, "subdivision"),
            f"unknown subdivision of {country}{suggestion(subdivision, known or [])}; {listed}",
        )
    return model.Closures(values["dates"], country, subdivision)


CLOSURES = Record(
    "closures",
    {
        "dates": Field(
            ListOf(Date, unique=True), "Dates on which nothing opens.", required=False, default=()
        ),
        "holidays": Field(
            Str(HOLIDAY_COUNTRY, r"[A-Z]{2}"),
            "Closed on this country's public holidays.",
            required=False,
        ),
        "subdivision": Field(
            Str("a subdivision code"), "Region whose extra holidays also close.", required=False
        ),
    },
    lambda values, path, ctx: _closures(values, path, ctx),
)


def _schedule(values: dict[str, Any], path: PathKey, ctx: Context) -> Any:
    weekly, always = values["weekly"], values["always"]
    if bool(weekly) == bool(always):
        return ctx.error(
            path, "a schedule has either 'weekly' intervals or 'always: true', not both or neither"
        )
    seasons, special_days = values["seasons"], values["special_days"]
    if always and (seasons or special_days):
        key = "seasons" if seasons else "special_days"
        return ctx.error(
            (*path, key),
            f"a schedule that is always open has no {key.replace('_', ' ')}; for hours that change "
            "by date, give it weekly hours instead (every day, mon-sun, from 00:00 to 24:00)",
        )
    for first, second in overlapping_intervals(weekly):
        ctx.error((*path, "weekly", second), f"overlaps interval {first + 1} of this schedule")
    _clashes(seasons, (*path, "seasons"), ctx, "season")
    _clashes(special_days, (*path, "special_days"), ctx, "special day")
    return model.Schedule(
        values["id"],
        values["name"],
        values["timezone"] or ctx.timezone,
        always,
        weekly,
        values["closures"] or model.Closures(),
        seasons,
        special_days,
    )


SCHEDULE = Record(
    "a schedule",
    {
        "id": Field(Slug, "Id by which channels name this schedule."),
        "name": Field(Text(), "The schedule's name."),
        "timezone": Field(
            Str("an IANA time zone", convert=_timezone), "Time zone; defaults to the site's.", required=False
        ),
        "weekly": Field(
            ListOf(INTERVAL, min_items=1),
            "Weekly intervals; several a day make a split shift.",
            required=False,
            default=(),
        ),
        "always": Field(Bool(), "True for a schedule that never closes.", required=False, default=False),
        "closures": Field(CLOSURES, "Dates and holidays on which it does not open.", required=False),
        "seasons": Field(
            ListOf(SEASON, min_items=1),
            "Weeks of their own on some dates, such as summer hours.",
            required=False,
            default=(),
        ),
        "special_days": Field(
            ListOf(SPECIAL_DAY, min_items=1),
            "Dates with hours of their own, such as Christmas Eve.",
            required=False,
            default=(),
        ),
    },
    _schedule,
)

HOURS = Record(
    "the hours file",
    {"schedules": Field(ListOf(SCHEDULE, min_items=1), "The schedules channels refer to.")},
    lambda values, path, ctx: values["schedules"],
)


# --- channels.yaml ---------------------------------------------------------------------------

CHANNEL_KINDS = ("phone", "email", "whatsapp", "web")

RequestTypes = OneOf((str, Enum(["all"], "request types")), (list, ListOf(Slug, min_items=1, unique=True)))

AVAILABILITY = Record(
    "an availability",
    {
        "schedule": Field(Slug, "Id of the schedule."),
        "request_types": Field(
            ListOf(Slug, min_items=1, unique=True),
            "Request types these hours are for; defaults to all of the channel's.",
            required=False,
        ),
        "label": Field(Text(), "What these hours are for, in words.", required=False),
    },
    lambda values, path, ctx: model.Availability(
        values["schedule"], values["request_types"], values["label"]
    ),
)


def _channel_value(kind: str, text: str, domestic_only: bool, ctx: Context) -> model.Phone | str:
    if kind in ("phone", "whatsapp"):
        return parse_phone(text, ctx.region, domestic_only=domestic_only)
    if kind == "email":
        return _email(text)
    return _web_url(text)


def _channel(values: dict[str, Any], path: PathKey, ctx: Context) -> Any:
    kind = values["kind"]
    if values["domestic_only"] and kind not in ("phone", "whatsapp"):
        return ctx.error((*path, "domestic_only"), "only phone numbers can be domestic only")
    try:
        value = _channel_value(kind, values["value"], values["domestic_only"], ctx)
    except ValueError as error:
        return ctx.error((*path, "value"), f"{kind} channel: {error}, found {values['value']!r}")
    request_types = None if values["request_types"] == "all" else values["request_types"]
    return model.Channel(
        values["id"],
        kind,
        value,
        values["name"],
        values["description"],
        values["details"],
        request_types,
        values["availability"],
    )


CHANNEL = Record(
    "a channel",
    {
        "id": Field(Slug, "Id by which escalation levels name this channel."),
        "kind": Field(Enum(CHANNEL_KINDS, "channel kind"), "phone, email, whatsapp or web."),
        "value": Field(Str(), "The number, address or URL."),
        "domestic_only": Field(
            Bool(), "True for a number that cannot be dialled from abroad.", required=False, default=False
        ),
        "name": Field(Text(), "The channel's heading."),
        "description": Field(Text(), "Who the channel is for."),
        "details": Field(
            MarkdownText(), "Longer text, such as what a portal lets clients do.", required=False
        ),
        "request_types": Field(RequestTypes, "'all', or the ids of the request types it takes."),
        "availability": Field(ListOf(AVAILABILITY, min_items=1), "When it attends, per request type."),
    },
    _channel,
)

REQUEST_TYPE = Record(
    "a request type",
    {"id": Field(Slug, "Id by which channels name it."), "name": Field(Text(), "Its name.")},
    lambda values, path, ctx: model.RequestType(values["id"], values["name"]),
)

CHANNELS = Record(
    "the channels file",
    {
        "request_types": Field(ListOf(REQUEST_TYPE, min_items=1), "The kinds of request clients bring."),
        "channels": Field(
            ListOf(CHANNEL, min_items=1), "The channels, in the order they are shown everywhere."
        ),
    },
    lambda values, path, ctx: (values["request_types"], values["channels"]),
)


# --- escalation.yaml -------------------------------------------------------------------------


def _contact_phone(values: dict[str, Any], path: PathKey, ctx: Context) -> Any:
    try:
        phone = parse_phone(values["number"], ctx.region, domestic_only=values["domestic_only"])
    except ValueError as error:
        return ctx.error((*path, "number"), f"{error}, found {values['number']!r}")
    return model.ContactPhone(phone, values["whatsapp"])


CONTACT_PHONE = Record(
    "a phone",
    {
        "number": Field(Str("a phone number"), "The number, as dialled in the site's country or with +."),
        "whatsapp": Field(Bool(), "True when it also takes WhatsApp.", required=False, default=False),
        "domestic_only": Field(
            Bool(), "True when it cannot be dialled from abroad.", required=False, default=False
        ),
    },
    _contact_phone,
)


def _contact(values: dict[str, Any], path: PathKey, ctx: Context) -> Any:
    if not values["emails"] and not values["phones"]:
        return ctx.error(path, "a contact needs at least one email or phone")
    return model.Contact(values["person"], values["emails"], values["phones"])


CONTACT = Record(
    "a contact",
    {
        "person": Field(Str(max_length=200), "The person's full name."),
        "emails": Field(ListOf(Email, unique=True), "Email addresses.", required=False, default=()),
        "phones": Field(ListOf(CONTACT_PHONE), "Phone numbers.", required=False, default=()),
    },
    _contact,
)


def _level(values: dict[str, Any], path: PathKey, ctx: Context) -> Any:
    if not values["channels"] and values["contact"] is None:
        return ctx.error(path, "a level needs 'channels', a 'contact', or both")
    return model.Level(values["id"], values["title"], values["name"], values["channels"], values["contact"])


LEVEL = Record(
    "an escalation level",
    {
        "id": Field(Slug, "The level's id; names its files."),
        "title": Field(Text(), "The level's title, like 'Second escalation'."),
        "name": Field(Text(), "Who answers: a group, or the contact's role."),
        "channels": Field(
            ListOf(Slug, unique=True), "Ids of channels this level uses.", required=False, default=()
        ),
        "contact": Field(CONTACT, "A person of its own.", required=False),
    },
    _level,
)

ESCALATION = Record(
    "the escalation file",
    {"levels": Field(ListOf(LEVEL, min_items=1), "The levels, lowest first.")},
    lambda values, path, ctx: values["levels"],
)


# --- notices.yaml ------------------------------------------------------------------------------


class Instant(Spec):
    """A moment: 2026-12-12T22:00 in the site's time zone, or with its UTC offset
    (2026-12-12T22:00-05:00, 2026-12-13T03:00Z). It becomes an aware datetime in UTC."""

    expected = "a time YYYY-MM-DDTHH:MM (the site's time zone) or with an offset (…-05:00, …Z)"

    def parse(self, value: Any, path: PathKey, ctx: Context) -> Any:
        if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}.*", value):
            return self.wrong(value, path, ctx)
        try:
            moment = datetime.datetime.fromisoformat(value.strip())
        except ValueError as error:
            return ctx.error(path, f"expected {self.expected}, found {describe(value)}: {error}")
        if not FIRST_REVISION <= moment.date() <= LAST_REVISION:
            return ctx.error(path, f"the time must lie between {FIRST_REVISION} and {LAST_REVISION}")
        if moment.tzinfo is not None:
            return moment.astimezone(datetime.UTC)
        zone = ZoneInfo(ctx.timezone)
        local = moment.replace(tzinfo=zone)
        # A time the clocks skip (02:30 on the night they go forward) names no moment.
        if local.astimezone(datetime.UTC).astimezone(zone).replace(tzinfo=None) != moment:
            return ctx.error(
                path,
                f"{value} does not exist in {ctx.timezone}: the clocks skip it; "
                "write the time after the change, or give the offset",
            )
        return local.astimezone(datetime.UTC)

    def json_schema(self) -> dict[str, Any]:
        return {
            "type": "string",
            "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2})?"
            r"(Z|[+-][0-9]{2}:[0-9]{2})?$",
        }


AFFECTED = Record(
    "an affected channel",
    {
        "channel": Field(Slug, "The id of the channel the notice affects."),
        "effect": Field(Enum(model.EFFECTS, "effect"), "unavailable, or degraded (slow, or in part)."),
        "alternatives": Field(
            ListOf(Slug, min_items=1, unique=True),
            "Ids of channels to use instead, in the order to try them.",
            required=False,
            default=(),
        ),
    },
    lambda values, path, ctx: (
        ctx.error((*path, "alternatives"), "a channel is not an alternative to itself")
        if values["channel"] in values["alternatives"]
        else model.Affected(values["channel"], values["effect"], values["alternatives"])
    ),
)

UPDATE = Record(
    "an update",
    {
        "at": Field(Instant(), "When it was said."),
        "status": Field(
            Enum(model.UPDATE_STATUSES, "status"), "investigating, identified, monitoring or resolved."
        ),
        "text": Field(MarkdownText(), "What was said, in every language."),
    },
    lambda values, path, ctx: model.Update(values["at"], values["status"], values["text"]),
)


def _notice(values: dict[str, Any], path: PathKey, ctx: Context) -> Any:
    kind, starts, ends = values["kind"], values["starts"], values["ends"]
    updates: tuple[model.Update, ...] = values["updates"]
    problems: list[tuple[PathKey, str]] = []
    # Fields that do not fit the kind.
    if kind == "maintenance" and ends is None:
        problems.append((path, "missing required key 'ends' in a maintenance notice (when it is over)"))
    if kind == "maintenance" and values["posted"] is None:
        problems.append(
            (path, "missing required key 'posted' in a maintenance notice (when it was announced)")
        )
    if kind != "incident" and updates:
        hint = "say a change in its body, and set 'revised'"
        problems.append(((*path, "updates"), f"only an incident has updates; for a {kind} notice, {hint}"))
    if kind != "maintenance" and values["cancelled"] is not None:
        hint = "an incident that was a false alarm is resolved" if kind == "incident" else "remove it"
        problems.append(((*path, "cancelled"), f"only a maintenance is cancelled; {hint}"))
    if ends is not None and ends <= starts:
        swapped = "the notice ends at or before it starts; did you swap 'starts' and 'ends'?"
        problems.append(((*path, "ends"), swapped))
    for index in range(1, len(updates)):
        before, update = updates[index - 1], updates[index]
        if before.status == "resolved":
            message = (
                f"update {index} resolved the incident; reopen it as a new notice, or remove this update"
            )
            problems.append(((*path, "updates", index), message))
            break
        if update.at < before.at:
            message = f"earlier than update {index}: list updates oldest first"
            problems.append(((*path, "updates", index, "at"), message))
    for where, message in problems:
        ctx.error(where, message)
    if problems:
        return INVALID
    resolved = updates[-1].at if updates and updates[-1].status == "resolved" else None
    if ends is None and resolved is not None:
        ends = max(resolved, starts)
    posted = values["posted"] or min([starts, *(update.at for update in updates)])
    return model.Notice(
        values["id"],
        kind,
        posted,
        starts,
        ends,
        values["title"],
        values["body"],
        values["affects"],
        updates,
        values["cancelled"],
        values["revised"],
    )


NOTICE = Record(
    "a notice",
    {
        "id": Field(Slug, "A permanent id: feeds and calendars know the notice by it."),
        "kind": Field(Enum(model.NOTICE_KINDS, "notice kind"), "maintenance, incident or information."),
        "starts": Field(
            Instant(), "When it starts: YYYY-MM-DDTHH:MM in the site's time zone, or with an offset."
        ),
        "ends": Field(
            Instant(), "When it ends; required for maintenance, optional for an incident.", required=False
        ),
        "posted": Field(
            Instant(),
            "When it was published; required for maintenance, else defaults to its start or first update.",
            required=False,
        ),
        "title": Field(Text(max_length=200), "A short title, in every language."),
        "body": Field(MarkdownText(), "What clients should know, in every language (Markdown)."),
        "affects": Field(
            ListOf(AFFECTED, min_items=1),
            "The channels it affects, and which to use instead.",
            required=False,
            default=(),
        ),
        "updates": Field(
            ListOf(UPDATE, min_items=1), "An incident's timeline, oldest first.", required=False, default=()
        ),
        "cancelled": Field(Instant(), "When a maintenance was called off.", required=False),
        "revised": Field(
            Instant(),
            "When its times or text were last changed, so that readers see the change.",
            required=False,
        ),
    },
    _notice,
)

NOTICES = Record(
    "the notices file",
    {"notices": Field(ListOf(NOTICE), "Maintenance, incidents and information, any order.")},
    lambda values, path, ctx: values["notices"],
)
