"""The validated content: frozen, typed, and free of any output format.

Records are NamedTuples: immutable, and made without the code generation that dataclasses run at
import, which cost `check` a sixth of its time. Like most modules that define NamedTuples, this
one does without `from __future__ import annotations`: NamedTuple would compile each string
annotation at import.

Objects refer to each other by id (a level names channels, an availability names a schedule);
`Site` resolves ids. Validation guarantees that every id resolves.
"""

import datetime
from collections.abc import Mapping
from typing import NamedTuple

MINUTES_PER_DAY = 24 * 60
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


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


class Schedule(NamedTuple):
    """Weekly opening hours in one time zone, or always open; with optional closures."""

    id: str
    name: Text
    timezone: str
    always: bool
    weekly: tuple[Interval, ...]
    closures: Closures


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

    @property
    def default_language(self) -> Language:
        return self.languages[0]

    def schedule(self, schedule_id: str) -> Schedule:
        return next(s for s in self.schedules if s.id == schedule_id)

    def channel(self, channel_id: str) -> Channel:
        return next(c for c in self.channels if c.id == channel_id)

    def request_type(self, type_id: str) -> RequestType:
        return next(r for r in self.request_types if r.id == type_id)
