"""Contact cards (vCard 3.0): one per escalation contact, one for the help desk, and a bundle.

vCard 3.0 because phones and Google import it reliably. Outlook desktop reads only the first card of a
multi-card file, so every card is also published on its own, and the bundle starts with the help desk.

vobject writes every property (escaping included); this module only refolds its output, because
vobject 0.9.9 folds by characters, not octets, whenever a line is shorter than 75 characters: a NOTE
of 40 emoji (165 octets) comes out unfolded.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

from generator.cache import register
from generator.content.model import Channel, Contact, Language, Level, Phone, Site
from generator.outputs import Files, links
from generator.outputs.context import BUNDLE_SLUG, ORGANISATION_SLUG, RenderContext

CARDS = register("vcard", packages=("vobject",), modules=(__name__,))
PRODID = "-//canales//help desk contact cards//EN"

# Fixed forever: a UID derived from it must survive rebuilds, or address books duplicate contacts.
UID_NAMESPACE_NAME = "urn:canales:vcard"

_FOLD_OCTETS = 75
# Large enough that vobject never folds, so that the folding is left to `_fold`.
_NO_FOLDING = 1 << 30

_PERSON_TEL_TYPES = ("CELL", "VOICE", "WORK")
_LANDLINE_TEL_TYPES = ("WORK", "VOICE")
# A WhatsApp line may take only messages, so it is not marked VOICE.
_WHATSAPP_TEL_TYPES = ("CELL", "WORK")
_EMAIL_TYPES = ("INTERNET", "WORK")
WITHOUT_BASE_URL = "contact cards: no URL of the help page"


def card_path(level: Level, language: Language, ctx: RenderContext) -> str:
    """Where a contact level's card is published, for one language: `es/contacts/orlando-mendez.vcf`."""
    return f"{language.code}/contacts/{card_slug(level, ctx)}.vcf"


def card_slug(level: Level, ctx: RenderContext) -> str:
    """A contact's file name without extension, the same in every language: `orlando-mendez`."""
    if level.contact is None:
        raise ValueError(f"level {level.id!r} has no contact, so no card of its own")
    return ctx.card_slugs[level.id]


def bundle_path(language: Language) -> str:
    """Where the file holding every card of one language is published."""
    return f"{language.code}/contacts/{BUNDLE_SLUG}.vcf"


def organisation_card_path(language: Language) -> str:
    """Where the help desk's own card is published, for one language."""
    return f"{language.code}/contacts/{ORGANISATION_SLUG}.vcf"


def uid_name(site: Site, language: Language, level: Level | None = None) -> str:
    """What a card's UID is made from: the role (organisation, level, language), not the person,
    so that an updated card replaces the previous holder's in an address book; `level` None for
    the help desk. The unit separator cannot occur in ids or language codes."""
    subject = ("level", level.id) if level else ("organisation",)
    return "\x1f".join((site.organisation, *subject, language.code))


def card_uid(name: str) -> str:
    """A card's UID: a UUID 5 of its `uid_name`, stable across rebuilds."""
    import uuid  # only for a card the cache lacks: uuid imports platform, which is slow to load

    return str(uuid.uuid5(uuid.uuid5(uuid.NAMESPACE_URL, UID_NAMESPACE_NAME), name))


def format_rev(stamp: datetime.datetime) -> str:
    """REV's form, in UTC: 20261129T000000Z. A naive stamp is refused: its instant is unknown."""
    if stamp.tzinfo is None or stamp.utcoffset() is None:
        raise ValueError("the build stamp must carry a time zone")
    return stamp.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def split_name(person: str) -> tuple[str, str]:
    """(given, family): the last word is the family name, the words before it the given name."""
    words = person.split()
    if not words:
        return "", ""
    return " ".join(words[:-1]), words[-1]


def _tel_value(phone: Phone) -> str:
    # A domestic-only number has no international form that works; write it as dialled at home.
    return phone.national if phone.domestic_only else phone.international


Property = tuple[str, str, tuple[str, ...]]
"""A card property after the name and note: its name, value and TYPE parameters."""


class Card(NamedTuple):
    """Everything one card holds, in order: the build cache finds the card by it, and `write`
    writes the card from it alone."""

    uid_name: str
    rev: str
    organisation: str
    categories: tuple[str, ...]
    full_name: str
    person: tuple[str, str] | None  # (given, family); None for the help desk, shown as a company
    title: str | None
    note: str
    properties: tuple[Property, ...]


def write(card: Card) -> bytes:
    """The card as published: vCard 3.0, written by vobject."""
    import vobject  # only for a card the cache lacks: importing it is a tenth of the seed's build

    written = vobject.vCard()
    _add(written, "prodid", PRODID)
    _add(written, "uid", card_uid(card.uid_name))
    _add(written, "rev", card.rev)
    _add(written, "org", [card.organisation])
    _add(written, "categories", list(card.categories))
    _add(written, "fn", card.full_name)
    if card.person is None:
        # vCard 3.0 requires N; an empty one lets importers fall back to FN rather than
        # filing the help desk as a person whose family name is the organisation.
        _add(written, "n", vobject.vcard.Name())
        _add(written, "x-abshowas", "COMPANY")
    else:
        given, family = card.person
        _add(written, "n", vobject.vcard.Name(family=family, given=given))
    if card.title is not None:
        _add(written, "title", card.title)
    _add(written, "note", card.note)
    for name, value, types in card.properties:
        _add(written, name, value, types)
    return serialize_card(written)


def _add(card: Any, name: str, value: Any, types: tuple[str, ...] = ()) -> None:
    line = card.add(name)
    line.value = value
    if types:
        line.type_param = list(types)


def _whatsapp(phone: Phone) -> list[Property]:
    link = links.whatsapp(phone)
    return [("url", link, ()), ("x-socialprofile", link, ("whatsapp",))]


class _LanguageCards:
    """The cards of one language, as records."""

    def __init__(self, ctx: RenderContext, language: Language) -> None:
        self.site = ctx.site
        self.language = language
        self.strings: Mapping[str, str] = ctx.site.strings[language.code]
        self.rev = format_rev(ctx.stamp)
        self.page = links.page_url(ctx.site, language)

    def _note(self, level: Level) -> str:
        key = "card_note_first" if level.id == self.site.levels[0].id else "card_note"
        code = self.language.code
        return self.strings[key].format(title=level.title[code], name=level.name[code])

    def _card(
        self,
        level: Level | None,
        full_name: str,
        person: tuple[str, str] | None,
        title: str | None,
        note: str,
        properties: list[Property],
    ) -> Card:
        site = self.site
        page: list[Property] = [("url", self.page, ())] if self.page else []
        return Card(
            uid_name=uid_name(site, self.language, level),
            rev=self.rev,
            organisation=site.organisation,
            categories=(site.organisation, self.strings["card_category"]),
            full_name=full_name,
            person=person,
            title=title,
            note=note,
            properties=(*properties, *page),
        )

    def person(self, level: Level, contact: Contact) -> Card:
        """The card of one escalation contact; their role is the level's name."""
        properties: list[Property] = [("email", email, _EMAIL_TYPES) for email in contact.emails]
        for contact_phone in contact.phones:
            phone = contact_phone.phone
            types = _PERSON_TEL_TYPES if phone.mobile else _LANDLINE_TEL_TYPES
            properties.append(("tel", _tel_value(phone), types))
            if contact_phone.whatsapp:
                properties += _whatsapp(phone)
        title = level.name[self.language.code]
        return self._card(
            level, contact.person, split_name(contact.person), title, self._note(level), properties
        )

    def organisation(self) -> Card:
        """The help desk's own card: every channel, shown as a company."""
        properties = [prop for channel in self.site.channels for prop in self._channel(channel)]
        full_name = f"{self.site.organisation} – {self.site.title[self.language.code]}"
        return self._card(None, full_name, None, None, self._organisation_note(), properties)

    def _organisation_note(self) -> str:
        # The help desk card stands for the levels without a person of their own (groups that
        # are reached through the channels): describe the first of them.
        for level in self.site.levels:
            if level.contact is None:
                return self._note(level)
        code = self.language.code
        return self.strings["card_note_first"].format(
            title=self.site.title[code], name=self.site.organisation
        )

    def _channel(self, channel: Channel) -> list[Property]:
        phone = channel.phone
        if channel.kind == "phone" and phone:
            return [("tel", _tel_value(phone), _LANDLINE_TEL_TYPES)]
        if channel.kind == "whatsapp" and phone:
            return [("tel", _tel_value(phone), _WHATSAPP_TEL_TYPES), *_whatsapp(phone)]
        if channel.kind == "email":
            return [("email", str(channel.value), _EMAIL_TYPES)]
        if channel.kind == "web":
            return [("url", str(channel.value), ())]
        raise ValueError(f"channel {channel.id!r}: no vCard property for kind {channel.kind!r}")


def _fold(line: str) -> Iterator[bytes]:
    """One content line as physical lines of at most 75 octets, never splitting a character."""
    chunk = bytearray()
    limit = _FOLD_OCTETS
    for char in line:
        encoded = char.encode("utf-8")
        if len(chunk) + len(encoded) > limit:
            yield bytes(chunk)
            # The continuation's leading space counts towards its 75 octets.
            chunk = bytearray(b" ")
        chunk += encoded
    yield bytes(chunk)


def serialize_card(card: Any) -> bytes:
    """A vobject card as bytes: UTF-8 without BOM, CRLF line ends, folded at 75 octets."""
    text: str = card.serialize(lineLength=_NO_FOLDING)
    lines = text.split("\r\n")
    if lines[-1] != "" or any("\r" in line or "\n" in line for line in lines):
        # vobject escapes line breaks in every value; a raw one here would let text add properties.
        raise ValueError("vobject wrote a raw line break inside a property")
    out = bytearray()
    for line in lines[:-1]:
        # Apple Contacts writes this name in mixed case; vobject upper-cases every name.
        if line.startswith("X-ABSHOWAS:"):
            line = "X-ABShowAs:" + line.removeprefix("X-ABSHOWAS:")
        for physical in _fold(line):
            out += physical + b"\r\n"
    return bytes(out)


def render_language_cards(ctx: RenderContext, language: Language) -> Files:
    """One language's cards: one per contact, the help desk's, and the bundle of them all.

    `ctx.stamp` (aware, from SOURCE_DATE_EPOCH or the content) becomes REV: the clock is never
    read. Every card is found in the build cache by its record: vobject takes half a millisecond
    a card, which hundreds of contacts feel, and a build whose cards are all kept never imports it.
    """
    files: Files = {}
    records = _LanguageCards(ctx, language)
    help_desk = records.organisation()
    organisation = ctx.cache.keep(CARDS, help_desk, functools.partial(write, help_desk))
    files[organisation_card_path(language)] = organisation
    bundle = [organisation]
    for level in ctx.site.levels:
        if level.contact is not None:
            card = records.person(level, level.contact)
            written = ctx.cache.keep(CARDS, card, functools.partial(write, card))
            files[card_path(level, language, ctx)] = written
            bundle.append(written)
    files[bundle_path(language)] = b"".join(bundle)
    return files
