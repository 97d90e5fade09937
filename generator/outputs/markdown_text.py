"""Markdown prose to HTML, with no raw HTML let through and only safe link targets."""

from __future__ import annotations

import xml.etree.ElementTree as etree

import markdown
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

SAFE_SCHEMES = ("https:", "http:", "mailto:", "tel:", "#")


class _DropUnsafeLinks(Treeprocessor):
    """Links to javascript:, data: and the like lose their target; images are not allowed."""

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.tag == "a" and not element.get("href", "").lower().startswith(SAFE_SCHEMES):
                element.attrib.pop("href", None)
            if element.tag == "img":
                element.tag = "span"
                element.text = element.get("alt", "")
                element.attrib.clear()


def _converter() -> markdown.Markdown:
    converter = markdown.Markdown(output_format="html")
    # Raw HTML in prose is shown as text, never passed through.
    converter.preprocessors.deregister("html_block")
    converter.inlinePatterns.deregister("html")
    converter.treeprocessors.register(_DropUnsafeLinks(converter), "drop_unsafe_links", 0)
    return converter


def render_markdown(text: str) -> Markup:
    """Render Markdown prose as safe HTML."""
    converter = _converter()
    try:
        return Markup(converter.convert(text))
    except RecursionError:
        # The reader refuses prose nested this deep (generator.content.prose); should a shape it
        # does not foresee get here, the build still fails with a message, not a traceback.
        raise ValueError("Markdown text nested too deeply to render") from None
