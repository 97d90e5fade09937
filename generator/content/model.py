"""The validated content: frozen, typed, and free of any output format.

Objects refer to each other by id (a level names channels, an availability names a schedule);
`Site` resolves ids. Validation guarantees that every id resolves.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

MINUTES_PER_DAY = 24 * 60
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Text:
    """A text given once per site language, in the site's language order."""

    translations: tuple[tuple[str, str], ...]

    def __getitem__(self, language: str) -> str:
        for code, text in self.translations:
            if code == language:
                return text
        raise KeyError(language)


@dataclass(frozen=True)
class Language:
    """A site language: its code (used in paths and hreflang), its Babel locale and its own name."""

    code: str
    locale: str
    # The language's name in itself, for the switcher; "" until rendering fills in CLDR's.
    name: str


@dataclass(frozen=True)
class Interval:
    """Open on each of `days` (0 = Monday) from `opens` to `closes`, in minutes after local midnight.

    `closes` may exceed 1440: the interval then runs past midnight into the next day.
    """

    days: tuple[int, ...]
    opens: int
    closes: int


@dataclass(frozen=True)
class Closures:
    """Days on which a schedule's intervals do not start: fixed dates and a country's holidays."""

    dates: tuple[datetime.date, ...] = ()
    holidays: str | None = None
    subdivision: str | None = None


@dataclass(frozen=True)
class Schedule:
    """Weekly opening hours in one time zone, or always open; with optional closures."""

    id: str
    name: Text
    timezone: str
    always: bool
    weekly: tuple[Interval, ...]
    closures: Closures


@dataclass(frozen=True)
class RequestType:
    """A kind of request a client brings (incident, change, ...)."""

    id: str
    name: Text


@dataclass(frozen=True)
class Phone:
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


@dataclass(frozen=True)
class Availability:
    """When a channel attends some of its request types: a schedule, and an optional label."""

    schedule: str
    request_types: tuple[str, ...] | None
    label: Text | None


@dataclass(frozen=True)
class Channel:
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


@dataclass(frozen=True)
class ContactPhone:
    """One of a contact's phones; `whatsapp` when the same number takes WhatsApp messages."""

    phone: Phone
    whatsapp: bool


@dataclass(frozen=True)
class Contact:
    """A person one escalates to; their role is the name of their level."""

    person: str
    emails: tuple[str, ...]
    phones: tuple[ContactPhone, ...]


@dataclass(frozen=True)
class Level:
    """One step of the escalation ladder: existing channels by id, a contact of its own, or both.

    `name` is who answers at this level: a group, or the contact's role.
    """

    id: str
    title: Text
    name: Text
    channels: tuple[str, ...]
    contact: Contact | None


@dataclass(frozen=True)
class Site:
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

    @property
    def default_language(self) -> Language:
        return self.languages[0]

    def schedule(self, schedule_id: str) -> Schedule:
        return next(s for s in self.schedules if s.id == schedule_id)

    def channel(self, channel_id: str) -> Channel:
        return next(c for c in self.channels if c.id == channel_id)

    def request_type(self, type_id: str) -> RequestType:
        return next(r for r in self.request_types if r.id == type_id)
