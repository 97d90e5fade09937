"""The URLs that make a channel or a contact actionable: tel:, mailto:, WhatsApp, the web."""

from __future__ import annotations

from urllib.parse import quote

from generator.content.model import Channel, Phone


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
