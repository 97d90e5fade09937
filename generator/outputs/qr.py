"""QR codes (segno, SVG) that move a conversation or a contact from a desktop screen to a phone.

One per WhatsApp link (channels and escalation contacts alike) and one per escalation contact card.
A contact's code carries a short vCard (name, organisation, role, emails, phones) rather than the
published file: phones read it without a network, and a short text makes a code coarse enough to
scan from a screen. The full card stays one click away on the page.
"""

import functools
import io
from collections.abc import Callable
from typing import NamedTuple

from generator.cache import MEMORY, BuildCache, package_version
from generator.content.model import Level, Phone, Site
from generator.outputs import Files, cards, links

# Medium error correction: the codes are read from screens, where glare and moiré cost modules.
ERROR = "m"


def whatsapp_path(phone: Phone) -> str:
    """Where a WhatsApp link's code is published; the same for every language."""
    return f"qr/whatsapp-{phone.e164.lstrip('+')}.svg"


def contact_path(level: Level, site: Site) -> str:
    """Where a contact's code is published: `qr/contact-orlando-mendez.svg`, one for every language,
    as the code carries nothing that a language changes."""
    return f"qr/contact-{cards.card_slug(level, site)}.svg"


def svg(data: str, cache: BuildCache = MEMORY) -> bytes:
    """A QR code as a small SVG that scales to any size: dark on white, whatever the page's theme.

    Choosing the best mask is the slowest step of a build, so codes are kept in `cache`, keyed by
    their text and everything else that decides their drawing.
    """
    return cache.get_or_make("qr", _text_key(data), lambda: _draw(data))


def _text_key(data: str) -> str:
    return f"segno {package_version('segno')}|{ERROR}|{data}"


def _draw(data: str) -> bytes:
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


def card_data(level: Level, site: Site, *, short: bool = False) -> str:
    """The vCard a contact's code carries, written by vobject so that no text can add a property.

    It holds the name, the organisation, the emails and the phones, which read the same in every
    language, so one code serves every page: the role is on the full card, one click away.
    `short` keeps only the name and the first phone or email, for a contact whose full card is too
    long for any QR code.
    """
    import vobject  # only for a code the cache lacks, as cards.py does

    contact = level.contact
    if contact is None:
        raise ValueError(f"level {level.id!r} has no contact")
    card = vobject.vCard()
    given, family = cards._split_name(contact.person)
    card.add("n").value = vobject.vcard.Name(family=family, given=given)
    card.add("fn").value = contact.person
    phones = [p.phone.dialled for p in contact.phones]
    emails = list(contact.emails)
    if short:
        phones, emails = phones[:1], [] if phones else emails[:1]
    else:
        card.add("org").value = [site.organisation]
    for email in emails:
        card.add("email").value = email
    for phone in phones:
        card.add("tel").value = phone
    return cards.serialize_card(card).decode()


def contact_code(level: Level, site: Site, cache: BuildCache = MEMORY) -> bytes | None:
    """A contact's code: the full card, else the short one, else none (the page then shows none).

    Looked up by what the card holds, so that a build whose contacts did not change writes no card
    and draws no code.
    """
    key = _contact_key(level, site)
    return cache.get_or_make("qr-contact", key, lambda: _contact_svg(level, site)) or None


def _contact_key(level: Level, site: Site) -> str:
    return f"segno {package_version('segno')}|{ERROR}|{site.organisation!r}|{level.contact!r}"


def _contact_svg(level: Level, site: Site) -> bytes:
    for short in (False, True):
        try:
            return _draw(card_data(level, site, short=short))
        except ValueError:  # segno's DataOverflowError: no code holds this much
            continue
    return b""


def whatsapp_phones(site: Site) -> list[Phone]:
    """Every number the site links to WhatsApp, once each, in page order."""
    phones = [c.value for c in site.channels if c.kind == "whatsapp" and isinstance(c.value, Phone)]
    for level in site.levels:
        if level.contact:
            phones.extend(p.phone for p in level.contact.phones if p.whatsapp)
    return list(dict.fromkeys(phones))


class CodeRequest(NamedTuple):
    """One code the site shows: where it is published, its cache entry, and how to draw it."""

    path: str
    namespace: str
    key: str
    draw: Callable[[], bytes]


def code_requests(site: Site) -> list[CodeRequest]:
    """Every QR code, once each: a WhatsApp link's and a contact's serve every language."""
    requests = [
        CodeRequest(whatsapp_path(phone), "qr", _text_key(link), functools.partial(_draw, link))
        for phone in whatsapp_phones(site)
        for link in [links.whatsapp(phone)]
    ]
    for level in site.levels:
        if level.contact:
            requests.append(
                CodeRequest(
                    contact_path(level, site),
                    "qr-contact",
                    _contact_key(level, site),
                    functools.partial(_contact_svg, level, site),
                )
            )
    return requests


def render_qr(site: Site, cache: BuildCache = MEMORY) -> Files:
    """Every QR code, from `cache` or drawn (a contact too long for any code has none)."""
    files: Files = {}
    for request in code_requests(site):
        code = cache.get_or_make(request.namespace, request.key, request.draw)
        if code:
            files[request.path] = code
    return files
