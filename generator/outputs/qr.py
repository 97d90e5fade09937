"""QR codes (segno, SVG) that move a conversation or a contact from a desktop screen to a phone.

One per WhatsApp link (channels and escalation contacts alike) and one per escalation contact card.
A contact's code carries a short vCard (name, organisation, role, emails, phones) rather than the
published file: phones read it without a network, and a short text makes a code coarse enough to
scan from a screen. The full card stays one click away on the page.
"""

import functools
import io
from typing import NamedTuple

from generator.cache import register
from generator.content.model import Level, Phone, Site
from generator.outputs import Files, cards, links
from generator.outputs.context import RenderContext

# A contact's code carries a card that vobject writes, through cards.serialize_card.
QR = register("qr", packages=("segno", "vobject"), modules=(__name__, "generator.outputs.cards"))
# Medium error correction: the codes are read from screens, where glare and moiré cost modules.
ERROR = "m"


class TextCode(NamedTuple):
    """A code that carries a text as it is (a WhatsApp link)."""

    text: str


class ContactCode(NamedTuple):
    """A code that carries a short vCard of a contact: what reads the same in every language."""

    person: str
    organisation: str
    emails: tuple[str, ...]
    phones: tuple[str, ...]  # as dialled


Code = TextCode | ContactCode


WHATSAPP_PREFIX, CONTACT_PREFIX = "qr/whatsapp-", "qr/contact-"


def whatsapp_path(phone: Phone) -> str:
    """Where a WhatsApp link's code is published; the same for every language."""
    return f"{WHATSAPP_PREFIX}{phone.e164.lstrip('+')}.svg"


def contact_path(level: Level, ctx: RenderContext) -> str:
    """Where a contact's code is published: `qr/contact-orlando-mendez.svg`, one for every language,
    as the code carries nothing that a language changes."""
    return f"{CONTACT_PREFIX}{cards.card_slug(level, ctx)}.svg"


def draw(code: Code) -> bytes:
    """The code as a small SVG that scales to any size, dark on white whatever the page's theme;
    b"" for a contact whose card is too long for any code (the page then shows none)."""
    if isinstance(code, TextCode):
        return _svg(code.text)
    for short in (False, True):
        try:
            return _svg(card_data(code, short=short))
        except ValueError:  # segno's DataOverflowError: no code holds this much
            continue
    return b""


def _svg(data: str) -> bytes:
    import segno  # only when a code is not in the cache: segno loads urllib and http.client

    code = segno.make(data, error=ERROR, micro=False)
    out = io.BytesIO()
    code.save(
        out,
        kind="svg",
        scale=1,
        border=4,
        xmldecl=False,
        svgns=True,
        omitsize=True,
        dark="#000",
        light="#fff",
    )
    return out.getvalue() + b"\n"


def card_data(code: ContactCode, *, short: bool = False) -> str:
    """The vCard a contact's code carries, written by vobject so that no text can add a property.

    It holds the name, the organisation, the emails and the phones, which read the same in every
    language, so one code serves every page: the role is on the full card, one click away.
    `short` keeps only the name and the first phone or email, for a contact whose full card is too
    long for any QR code.
    """
    import vobject  # only for a code the cache lacks, as cards.py does

    card = vobject.vCard()
    given, family = cards.split_name(code.person)
    card.add("n").value = vobject.vcard.Name(family=family, given=given)
    card.add("fn").value = code.person
    phones, emails = list(code.phones), list(code.emails)
    if short:
        phones, emails = phones[:1], [] if phones else emails[:1]
    else:
        card.add("org").value = [code.organisation]
    for email in emails:
        card.add("email").value = email
    for phone in phones:
        card.add("tel").value = phone
    return cards.serialize_card(card).decode()


def contact_code(level: Level, site: Site) -> ContactCode:
    """What a contact level's code carries."""
    contact = level.contact
    if contact is None:
        raise ValueError(f"level {level.id!r} has no contact")
    phones = tuple(p.phone.dialled for p in contact.phones)
    return ContactCode(contact.person, site.organisation, contact.emails, phones)


def whatsapp_phones(site: Site) -> list[Phone]:
    """Every number the site links to WhatsApp, once each, in page order."""
    phones = [c.value for c in site.channels if c.kind == "whatsapp" and isinstance(c.value, Phone)]
    for level in site.levels:
        if level.contact:
            phones.extend(p.phone for p in level.contact.phones if p.whatsapp)
    return list(dict.fromkeys(phones))


def codes(ctx: RenderContext) -> dict[str, Code]:
    """Every QR code by where it is published, once each: a WhatsApp link's and a contact's
    serve every language."""
    found: dict[str, Code] = {
        whatsapp_path(phone): TextCode(links.whatsapp(phone)) for phone in whatsapp_phones(ctx.site)
    }
    for level in ctx.site.levels:
        if level.contact:
            found[contact_path(level, ctx)] = contact_code(level, ctx.site)
    return found


def render_qr(ctx: RenderContext) -> Files:
    """Every QR code, from the build cache or drawn (a contact too long for any code has none)."""
    files: Files = {}
    for path, code in codes(ctx).items():
        svg = ctx.cache.keep(QR, code, functools.partial(draw, code))
        if svg:
            files[path] = svg
    return files
