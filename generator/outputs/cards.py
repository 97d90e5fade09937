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
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Mapping
from typing import Any

from generator.cache import MEMORY, BuildCache, code_version
from generator.content.model import Channel, Contact, Language, Level, Phone, Site
from generator.outputs import Files, links

PRODID = "-//canales//help desk contact cards//EN"

# Fixed forever: a UID derived from it must survive rebuilds, or address books duplicate contacts.
UID_NAMESPACE_NAME = "urn:canales:vcard"

ORGANISATION_SLUG = "help-desk"
BUNDLE_SLUG = "escalation"
_RESERVED_SLUGS = frozenset({ORGANISATION_SLUG, BUNDLE_SLUG})
_MAX_SLUG = 64
_FOLD_OCTETS = 75
# Large enough that vobject never folds, so that the folding is left to `_fold`.
_NO_FOLDING = 1 << 30

# Latin letters NFKD leaves whole; without these, "Łukasz Ødegård" would lose letters in its slug.
_ASCII_LETTERS = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe"})

_PERSON_TEL_TYPES = ("CELL", "VOICE", "WORK")
_LANDLINE_TEL_TYPES = ("WORK", "VOICE")
# A WhatsApp line may take only messages, so it is not marked VOICE.
_WHATSAPP_TEL_TYPES = ("CELL", "WORK")
_EMAIL_TYPES = ("INTERNET", "WORK")
WITHOUT_BASE_URL = "contact cards: no URL of the help page"


def _name_slug(person: str) -> str:
    """ "Orlando Méndez" → "orlando-mendez": ASCII, lowercase, hyphens; "" when nothing is left."""
    folded = unicodedata.normalize("NFKD", person.casefold().translate(_ASCII_LETTERS))
    ascii_text = folded.encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text)[:_MAX_SLUG].strip("-")


def _fallback_slug(level: Level) -> str:
    # A level id is a slug already; only the two file names the module keeps for itself are taken.
    return f"{level.id}-contact" if level.id in _RESERVED_SLUGS else level.id


_last_slugs: tuple[tuple[Level, ...], dict[str, str]] | None = None


def _card_slugs(site: Site) -> dict[str, str]:
    """Each contact level's file name (without .vcf), by level id; all distinct and not reserved.

    Every page link and every card asks, so the last ladder's answer is kept, by identity:
    hashing a ladder of frozen objects costs more than computing the answer.
    """
    global _last_slugs
    if _last_slugs is None or _last_slugs[0] is not site.levels:
        _last_slugs = (site.levels, _slugs_of(site.levels))
    return _last_slugs[1]


def _slugs_of(levels: tuple[Level, ...]) -> dict[str, str]:
    """A name slug is kept only when no other contact could end up with the same file, whatever the
    order of the levels: otherwise both colliding contacts fall back to their level ids.

    Counting keeps it linear in the contacts.
    """
    contact_levels = [level for level in levels if level.contact is not None]
    names = {level.id: _name_slug(level.contact.person) for level in contact_levels if level.contact}
    name_counts = Counter(names.values())
    fallback_counts = Counter(_fallback_slug(level) for level in contact_levels)
    slugs: dict[str, str] = {}
    for level in contact_levels:
        name, own_fallback = names[level.id], _fallback_slug(level)
        # Taken by another contact: its name slug, or its fallback (which this level's own may equal).
        taken_as_fallback = fallback_counts[name] - (name == own_fallback)
        usable = name and name not in _RESERVED_SLUGS and name_counts[name] == 1 and not taken_as_fallback
        slugs[level.id] = name if usable else own_fallback
    if len(set(slugs.values())) != len(slugs):
        raise ValueError(f"escalation contacts would share a card file: {sorted(slugs.values())}")
    return slugs


def card_path(level: Level, language: Language, site: Site) -> str:
    """Where a contact level's card is published, for one language: `es/contacts/orlando-mendez.vcf`.

    `site` is needed because a name that collides with another contact's falls back to the level id.
    """
    return f"{language.code}/contacts/{card_slug(level, site)}.vcf"


def card_slug(level: Level, site: Site) -> str:
    """A contact's file name without extension, the same in every language: `orlando-mendez`."""
    if level.contact is None:
        raise ValueError(f"level {level.id!r} has no contact, so no card of its own")
    return _card_slugs(site)[level.id]


def bundle_path(language: Language) -> str:
    """Where the file holding every card of one language is published."""
    return f"{language.code}/contacts/{BUNDLE_SLUG}.vcf"


def organisation_card_path(site: Site, language: Language) -> str:
    """Where the help desk's own card is published, for one language."""
    return f"{language.code}/contacts/{ORGANISATION_SLUG}.vcf"


def card_uid(site: Site, language: Language, level: Level | None = None) -> str:
    """A card's UID: stable across rebuilds, distinct per language; `level` None for the help desk.

    It follows the role (organisation, level, language), not the person, so that an updated card
    replaces the previous holder's in an address book.
    """
    import uuid  # only for a card the cache lacks: uuid imports platform, which is slow to load

    namespace = uuid.uuid5(uuid.NAMESPACE_URL, UID_NAMESPACE_NAME)
    subject = ("level", level.id) if level else ("organisation",)
    # The unit separator cannot occur in ids or language codes, so no two subjects share a name.
    return str(uuid.uuid5(namespace, "\x1f".join((site.organisation, *subject, language.code))))


def format_rev(stamp: datetime.datetime) -> str:
    """REV's form, in UTC: 20261129T000000Z. A naive stamp is refused: its instant is unknown."""
    if stamp.tzinfo is None or stamp.utcoffset() is None:
        raise ValueError("the build stamp must carry a time zone")
    return stamp.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _split_name(person: str) -> tuple[str, str]:
    """(given, family): the last word is the family name, the words before it the given name."""
    words = person.split()
    if not words:
        return "", ""
    return " ".join(words[:-1]), words[-1]


def _tel_value(phone: Phone) -> str:
    # A domestic-only number has no international form that works; write it as dialled at home.
    return phone.national if phone.domestic_only else phone.international


def _add(card: Any, name: str, value: Any, types: tuple[str, ...] = ()) -> None:
    line = card.add(name)
    line.value = value
    if types:
        line.type_param = list(types)


def _add_whatsapp(card: Any, phone: Phone) -> None:
    link = links.whatsapp(phone)
    _add(card, "url", link)
    _add(card, "x-socialprofile", link, ("whatsapp",))


class _CardWriter:
    """Builds the cards of one language."""

    def __init__(self, site: Site, language: Language, stamp: datetime.datetime) -> None:
        self.site = site
        self.language = language
        self.strings: Mapping[str, str] = site.strings[language.code]
        self.rev = format_rev(stamp)
        self.page = links.page_url(site, language)

    def _note(self, level: Level) -> str:
        key = "card_note_first" if level.id == self.site.levels[0].id else "card_note"
        code = self.language.code
        return self.strings[key].format(title=level.title[code], name=level.name[code])

    def _common(self, card: Any, level: Level | None) -> None:
        _add(card, "prodid", PRODID)
        _add(card, "uid", card_uid(self.site, self.language, level))
        _add(card, "rev", self.rev)
        _add(card, "org", [self.site.organisation])
        _add(card, "categories", [self.site.organisation, self.strings["card_category"]])

    def person(self, level: Level, contact: Contact) -> Any:
        """The card of one escalation contact; their role is the level's name."""
        import vobject  # only for a card the cache lacks: importing it is a tenth of the seed's build

        card = vobject.vCard()
        self._common(card, level)
        _add(card, "fn", contact.person)
        given, family = _split_name(contact.person)
        _add(card, "n", vobject.vcard.Name(family=family, given=given))
        _add(card, "title", level.name[self.language.code])
        _add(card, "note", self._note(level))
        for email in contact.emails:
            _add(card, "email", email, _EMAIL_TYPES)
        for contact_phone in contact.phones:
            phone = contact_phone.phone
            _add(card, "tel", _tel_value(phone), _PERSON_TEL_TYPES if phone.mobile else _LANDLINE_TEL_TYPES)
            if contact_phone.whatsapp:
                _add_whatsapp(card, phone)
        if self.page:
            _add(card, "url", self.page)
        return card

    def person_bytes(self, level: Level, contact: Contact) -> bytes:
        """The card of one escalation contact, as published."""
        return serialize_card(self.person(level, contact))

    def organisation(self) -> Any:
        """The help desk's own card: every channel, shown as a company."""
        import vobject

        card = vobject.vCard()
        self._common(card, None)
        organisation = self.site.organisation
        _add(card, "fn", f"{organisation} – {self.site.title[self.language.code]}")
        # vCard 3.0 requires N; an empty one lets importers fall back to FN rather than
        # filing the help desk as a person whose family name is the organisation.
        _add(card, "n", vobject.vcard.Name())
        _add(card, "x-abshowas", "COMPANY")
        _add(card, "note", self._organisation_note())
        for channel in self.site.channels:
            self._add_channel(card, channel)
        if self.page:
            _add(card, "url", self.page)
        return card

    def organisation_bytes(self) -> bytes:
        """The help desk's own card, as published."""
        return serialize_card(self.organisation())

    def organisation_key(self) -> str:
        """Everything the help desk's card holds besides what every card of the language shares."""
        site = self.site
        return f"organisation|{site.title!r}|{site.channels!r}|{self._organisation_note()!r}"

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

    def _add_channel(self, card: Any, channel: Channel) -> None:
        phone = channel.phone
        if channel.kind == "phone" and phone:
            _add(card, "tel", _tel_value(phone), _LANDLINE_TEL_TYPES)
        elif channel.kind == "whatsapp" and phone:
            _add(card, "tel", _tel_value(phone), _WHATSAPP_TEL_TYPES)
            _add_whatsapp(card, phone)
        elif channel.kind == "email":
            _add(card, "email", str(channel.value), _EMAIL_TYPES)
        elif channel.kind == "web":
            _add(card, "url", str(channel.value))
        else:
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


def render_cards(site: Site, stamp: datetime.datetime, cache: BuildCache = MEMORY) -> Files:
    """Every language's contact cards: one per contact, the help desk's, and the bundle of them all."""
    files: Files = {}
    for language in site.languages:
        files.update(render_language_cards(site, language, stamp, cache))
    return files


def render_language_cards(
    site: Site, language: Language, stamp: datetime.datetime, cache: BuildCache = MEMORY
) -> Files:
    """One language's cards: one per contact, the help desk's, and the bundle of them all.

    `stamp` (aware, from SOURCE_DATE_EPOCH or the content) becomes REV: the clock is never read.
    Every card is found in `cache` by everything that goes into it, this module's own code
    included: vobject takes half a millisecond a card, which hundreds of contacts feel, and a
    build whose cards are all kept never imports it, which saves the seed's build a tenth.
    """
    files: Files = {}
    first = site.levels[0].id
    writer = _CardWriter(site, language, stamp)
    strings = {key: writer.strings[key] for key in ("card_note", "card_note_first", "card_category")}
    shared = repr((_code_version(), site.organisation, writer.page, language, strings, writer.rev))
    organisation = cache.get_or_make(
        "vcard", f"{shared}|{writer.organisation_key()}", writer.organisation_bytes
    )
    files[organisation_card_path(site, language)] = organisation
    bundle = [organisation]
    for level in site.levels:
        if level.contact is not None:
            contact = level.contact
            key = f"{shared}|{level.id == first}|{level!r}"
            card = cache.get_or_make("vcard", key, functools.partial(writer.person_bytes, level, contact))
            files[card_path(level, language, site)] = card
            bundle.append(card)
    files[bundle_path(language)] = b"".join(bundle)
    return files


@functools.cache
def _code_version() -> str:
    """What decides how a card is written besides its content: vobject, and this very module."""
    return code_version(("vobject",), (__file__,))
