"""Markdown prose to HTML, with no raw HTML let through and only safe link targets."""

from __future__ import annotations

from typing import TYPE_CHECKING

from markupsafe import Markup

from generator.cache import BuildCache, register

if TYPE_CHECKING:  # both only for a text the cache lacks
    import xml.etree.ElementTree as etree

    import markdown

# This module is part of every rendered text's key: a change to the sanitiser below reaches every
# site, warm cache or not.
MARKDOWN = register("markdown", packages=("markdown",), modules=(__name__,))
SAFE_SCHEMES = ("https:", "http:", "mailto:", "tel:", "#")


def _drop_unsafe_links(root: etree.Element) -> None:
    """Links to javascript:, data: and the like lose their target; images are not allowed."""
    for element in root.iter():
        if element.tag == "a" and not element.get("href", "").lower().startswith(SAFE_SCHEMES):
            element.attrib.pop("href", None)
        if element.tag == "img":
            element.tag = "span"
            element.text = element.get("alt", "")
            element.attrib.clear()


def _converter() -> markdown.Markdown:
    import markdown  # only when a text is not in the cache: it is slow to import
    from markdown.treeprocessors import Treeprocessor

    class DropUnsafeLinks(Treeprocessor):
        def run(self, root: etree.Element) -> None:
            _drop_unsafe_links(root)

    converter = markdown.Markdown(output_format="html")
    # Raw HTML in prose is shown as text, never passed through.
    converter.preprocessors.deregister("html_block")
    converter.inlinePatterns.deregister("html")
    converter.treeprocessors.register(DropUnsafeLinks(converter), "drop_unsafe_links", 0)
    return converter


def render_markdown(text: str, cache: BuildCache) -> Markup:
    """Render Markdown prose as safe HTML; the same text renders the same, so `cache` keeps it."""
    return Markup(cache.keep(MARKDOWN, text, lambda: _convert(text).encode()).decode())


def _convert(text: str) -> str:
    try:
        return str(_converter().convert(text))
    except RecursionError:
        # The reader refuses prose nested this deep (generator.content.prose); should a shape it
        # does not foresee get here, the build still fails with a message, not a traceback.
        raise ValueError("Markdown text nested too deeply to render") from None
