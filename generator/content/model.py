"""The validated content: frozen, typed, and free of any output format.

Records are NamedTuples: immutable, and made without the code generation that dataclasses run at
import, which cost `check` a sixth of its time. Like most modules that define NamedTuples, this
one does without `from __future__ import annotations`: NamedTuple would compile each string
annotation at import.

Objects refer to each other by id (a level names channels, an availability names a schedule);
`Site` resolves ids. Validation guarantees that every id resolves.
"""

import datetime
from collections.abc import Mapping, Sequence
from typing import NamedTuple

MINUTES_PER_DAY = 24 * 60
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def weekday_runs(days: Sequence[int]) -> list[list[int]]:
    """Sorted weekdays (0 = Monday) as runs of consecutive days: [0, 1, 2, 4] → [[0, 1, 2], [4]].
    Both the hours in words and the opening_hours string say a run of three or more as a range."""
    runs: list[list[int]] = []
    for day in days:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return runs


class Text:
    """A text given once per site language, in the site's language order; `text[code]` looks one up.

    Not a NamedTuple like the rest of the model, whose `[]` would index fields: a plain frozen class.
    """

    __slots__ = ("translations",)
    translations: tuple[tuple[str, str], ...]

    def __init__(self, translations: tuple[tuple[str, str], ...]) -> None:
        object.__setattr__(self, "translations", translations)

    def __getitem__(self, language: str) -> str:
        for code, text in self.translations:
            if code == language:
                return text
        raise KeyError(language)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"a Text is frozen: cannot set {name}")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Text) and other.translations == self.translations

    def __hash__(self) -> int:
        return hash(self.translations)

    def __repr__(self) -> str:
        return f"Text(translations={self.translations!r})"

    def __reduce__(self) -> "tuple[type[Text], tuple[tuple[tuple[str, str], ...]]]":
        return Text, (self.translations,)


class Language(NamedTuple):
    """A site language: its code (used in paths and hreflang), its Babel locale and its own name."""

    code: str
    locale: str
    # The language's name in itself, as the content gives it; None for CLDR's (i18n.Wording).
    name: str | None


class Interval(NamedTuple):
    """Open on each of `days` (0 = Monday) from `opens` to `closes`, in minutes after local midnight.

    `closes` may exceed 1440: the interval then runs past midnight into the next day.
    """

    days: tuple[int, ...]
    opens: int
    closes: int


class Closures(NamedTuple):
    """Days on which a schedule's intervals do not start: fixed dates and a country's holidays."""

    dates: tuple[datetime.date, ...] = ()
    holidays: str | None = None
    subdivision: str | None = None


# Yearly dates are kept in a leap year, so that every 29 February is a date like any other.
YEARLY = 2000


class Dates(NamedTuple):
    """A date, or a range of dates (both ends included), once or every year.

    Once, `first` and `last` are the dates themselves. Every year, only their month and day count:
    they are kept in the year YEARLY, and a `last` before `first` runs over the new year (from 20
    December to 6 January).
    """

    first: datetime.date
    last: datetime.date
    yearly: bool

    def covers(self, day: datetime.date) -> bool:
        """Whether `day` is one of these dates."""
        if not self.yearly:
            return self.first <= day <= self.last
        month_day = (day.month, day.day)
        first, last = (self.first.month, self.first.day), (self.last.month, self.last.day)
        if first <= last:
            return first <= month_day <= last
        return month_day >= first or month_day <= last

    def within(self, first: datetime.date, last: datetime.date) -> list[tuple[datetime.date, datetime.date]]:
        """The concrete ranges (first day, last day) that meet the days `first` to `last`, whole.

        A yearly 29 February happens only in leap years.
        """
        if not self.yearly:
            return [(self.first, self.last)] if self.first <= last and first <= self.last else []
        wraps = (self.last.month, self.last.day) < (self.first.month, self.first.day)
        found = []
        for year in range(first.year - 1, last.year + 1):
            # Where a year has no 29 February, a range from it starts on 1 March, and one to it
            # ends on 28 February: the days `covers` holds.
            start = _in_year(self.first, year) or datetime.date(year, 3, 1)
            end_year = year + 1 if wraps else year
            end = _in_year(self.last, end_year) or datetime.date(end_year, 2, 28)
            if start <= end and start <= last and first <= end:
                found.append((start, end))
        return found


def _in_year(day: datetime.date, year: int) -> datetime.date | None:
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February, in a year that has none
        return None


class Opening(NamedTuple):
    """Open from `opens` to `closes`, in minutes after the day's local midnight; past 1440 it runs
    into the next day."""

    opens: int
    closes: int


class SpecialDay(NamedTuple):
    """Dates with hours of their own, which replace the schedule's week on them: its `hours`, or
    closed all day when there are none. Public holidays do not close a special day."""

    dates: Dates
    hours: tuple[Opening, ...]
    label: Text | None


class Season(NamedTuple):
    """A week of its own that replaces the schedule's base week on its dates (summer hours)."""

    dates: Dates
    name: Text
    weekly: tuple[Interval, ...]


class Schedule(NamedTuple):
    """Weekly opening hours in one time zone, or always open; with optional closures, seasons and
    special days (generator.hours says which applies on a day)."""

    id: str
    name: Text
    timezone: str
    always: bool
    weekly: tuple[Interval, ...]
    closures: Closures
    seasons: tuple[Season, ...] = ()
    special_days: tuple[SpecialDay, ...] = ()


class RequestType(NamedTuple):
    """A kind of request a client brings (incident, change, ...)."""

    id: str
    name: Text


class Phone(NamedTuple):
    """A validated phone number with the forms people read and dial.

    A domestic-only number (such as Colombia's 01 8000 lines) cannot be reached from abroad: it is
    shown as written and dialled as its digits, never in international form.
    """

    e164: str
    national: str
    international: str
    domestic_only: bool
    mobile: bool

    @property
    def dialled(self) -> str:
        """What a `tel:` link dials: E.164, or the national digits for a domestic-only number."""
        if self.domestic_only:
            return "".join(ch for ch in self.national if ch.isdigit())
        return self.e164


class Availability(NamedTuple):
    """When a channel attends some of its request types: a schedule, and an optional label."""

    schedule: str
    request_types: tuple[str, ...] | None
    label: Text | None


class Channel(NamedTuple):
    """A way to reach the help desk. `value` is a Phone (phone, WhatsApp) or a str (email, URL)."""

    id: str
    kind: str
    value: Phone | str
    name: Text
    description: Text
    details: Text | None
    request_types: tuple[str, ...] | None
    availability: tuple[Availability, ...]

    @property
    def phone(self) -> Phone | None:
        return self.value if isinstance(self.value, Phone) else None


class ContactPhone(NamedTuple):
    """One of a contact's phones; `whatsapp` when the same number takes WhatsApp messages."""

    phone: Phone
    whatsapp: bool


class Contact(NamedTuple):
    """A person one escalates to; their role is the name of their level."""

    person: str
    emails: tuple[str, ...]
    phones: tuple[ContactPhone, ...]


class Level(NamedTuple):
    """One step of the escalation ladder: existing channels by id, a contact of its own, or both.

    `name` is who answers at this level: a group, or the contact's role.
    """

    id: str
    title: Text
    name: Text
    channels: tuple[str, ...]
    contact: Contact | None


NOTICE_KINDS = ("maintenance", "incident", "information")
EFFECTS = ("unavailable", "degraded")
UPDATE_STATUSES = ("investigating", "identified", "monitoring", "resolved")


class Affected(NamedTuple):
    """A channel a notice affects: how (unavailable or degraded), and which channels to use instead."""

    channel: str
    effect: str
    alternatives: tuple[str, ...]


class Update(NamedTuple):
    """A step of an incident's timeline: when (aware, UTC), its status, and what was said."""

    at: datetime.datetime
    status: str
    text: Text


class Notice(NamedTuple):
    """Planned maintenance, an incident or information, from `starts` until `ends` (aware, UTC).

    An incident may have no end until it is resolved; a resolved one ends when it was resolved,
    unless `ends` says otherwise. `updated` is when readers last had something new to learn.
    """

    id: str
    kind: str
    posted: datetime.datetime
    starts: datetime.datetime
    ends: datetime.datetime | None
    title: Text
    body: Text
    affects: tuple[Affected, ...]
    updates: tuple[Update, ...]
    cancelled: datetime.datetime | None
    revised: datetime.datetime | None

    @property
    def resolved(self) -> datetime.datetime | None:
        """When the incident was resolved; None while it is not."""
        return self.updates[-1].at if self.updates and self.updates[-1].status == "resolved" else None

    @property
    def updated(self) -> datetime.datetime:
        """The last time anything readers should notice changed: posted, revised, an update, or
        the cancellation."""
        moments = [self.posted, *(u.at for u in self.updates)]
        moments += [moment for moment in (self.revised, self.cancelled) if moment is not None]
        return max(moments)


class Logo(NamedTuple):
    """The organisation's logo, checked and ready to publish: an SVG rebuilt from what is known to
    be safe, or a raster image as given. Its size (pixels, or the SVG's own units) gives the page
    its aspect ratio before it loads."""

    data: bytes
    suffix: str  # ".svg", ".png", ".jpg" or ".webp": the published file's
    width: float
    height: float


class Brand(NamedTuple):
    """The organisation's look: an accent colour ('#rrggbb') and a logo, each optional."""

    accent: str | None = None
    logo: Logo | None = None


class Site(NamedTuple):
    """Everything the outputs need, validated."""

    organisation: str
    title: Text
    languages: tuple[Language, ...]
    timezone: str
    country: str
    base_url: str | None
    updated: datetime.date
    schedules: tuple[Schedule, ...]
    request_types: tuple[RequestType, ...]
    channels: tuple[Channel, ...]
    levels: tuple[Level, ...]
    prose: Mapping[str, Mapping[str, str]]
    # UI strings by language and key. A key with placeholders (content/ui_strings.py) holds a
    # str.format template; a key without holds the final text, its {{ and }} already braces.
    strings: Mapping[str, Mapping[str, str]]
    notices: tuple[Notice, ...] = ()
    brand: Brand = Brand()
    # Whether the pages install the offline worker (outputs/offline.py); false publishes one that
    # retires itself.
    offline: bool = True

    @property
    def default_language(self) -> Language:
        return self.languages[0]

    def schedule(self, schedule_id: str) -> Schedule:
        return next(s for s in self.schedules if s.id == schedule_id)

    def channel(self, channel_id: str) -> Channel:
        return next(c for c in self.channels if c.id == channel_id)

    def request_type(self, type_id: str) -> RequestType:
        return next(r for r in self.request_types if r.id == type_id)
