"""The URLs that make a channel or a contact actionable: tel:, mailto:, WhatsApp, the web."""

from __future__ import annotations

from urllib.parse import quote

from generator.content.model import Channel, Language, Phone, Site


def tel(phone: Phone) -> str:
    """A tel: URL: E.164, except for domestic-only numbers, dialled as written in the country."""
    return f"tel:{phone.dialled}"


def mailto(address: str) -> str:
    return f"mailto:{quote(address, safe='@.+-_')}"


def whatsapp(phone: Phone) -> str:
    """WhatsApp's click-to-chat link: the international number, digits only."""
    return "https://wa.me/" + "".join(ch for ch in phone.e164 if ch.isdigit())


def channel_href(channel: Channel) -> str:
    """Where a channel's link goes."""
    if isinstance(channel.value, Phone):
        return whatsapp(channel.value) if channel.kind == "whatsapp" else tel(channel.value)
    if channel.kind == "email":
        return mailto(channel.value)
    return channel.value


def without_scheme(url: str) -> str:
    """A web address as people read it: no scheme, no trailing slash."""
    return url.split("://", 1)[-1].rstrip("/")


def absolute_url(site: Site, path: str) -> str | None:
    """A site path as an absolute URL under the base URL (which may carry a path, like /ayuda/);
    None when the site has no base URL."""
    if not site.base_url:
        return None
    return f"{site.base_url.rstrip('/')}/{path}"


def page_url(site: Site, language: Language) -> str | None:
    """A language's help page as an absolute URL, when the site has a base URL."""
    return absolute_url(site, f"{language.code}/")
