"""Interface strings filled in inside HTML: the page's templates and the notices' Atom content."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

if TYPE_CHECKING:
    from generator.i18n import Wording


def fill(template: str, **values: Any) -> Markup:
    """An interface string filled in as str.format fills it ({{ is a brace), each value escaped
    unless it is markup already; in a template, `{{ strings.labelled | fill(label=name) }}`."""
    return Markup(escape(template)).format(**values)


def listing(wording: Wording, items: Sequence[Markup]) -> Markup:
    """HTML items joined as the language lists them ("a, b y c"; "أ و ب"), each left as it is."""
    pattern = wording.listing([f"{{{index}}}" for index in range(len(items))])
    return Markup(escape(pattern)).format(*items)


def ltr(text: str) -> Markup:
    """A phone number, email or web address: left to right even inside right-to-left text, where
    "+57 601 7442727" would otherwise read "7442727 601 57+"."""
    return Markup('<bdi dir="ltr">{}</bdi>').format(text)
