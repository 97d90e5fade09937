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
    # str.format over escaped values: what Markup.format does, at a third of its cost per call.
    return Markup(str(escape(template)).format(**{name: escape(value) for name, value in values.items()}))


def listing(wording: Wording, items: Sequence[Markup]) -> Markup:
    """HTML items joined as the language lists them ("a, b y c"; "أ و ب"), each left as it is."""
    pattern = wording.listing([f"{{{index}}}" for index in range(len(items))])
    return Markup(str(escape(pattern)).format(*(escape(item) for item in items)))


def ltr(text: str) -> Markup:
    """An email or web address: left to right even inside right-to-left text."""
    return Markup(f'<bdi dir="ltr">{escape(text)}</bdi>')


def phone_number(text: str) -> Markup:
    """A phone number: left to right even inside right-to-left text, where "+57 601 7442727"
    would otherwise read "7442727 601 57+", and never broken over two lines."""
    return Markup(f'<bdi dir="ltr" class="number">{escape(text)}</bdi>')
