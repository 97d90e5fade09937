"""`serve` never hides an error, in a real browser: a page loaded while the content is broken shows
the errors over it, and a server started on broken content shows them, then the site once fixed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from test_serve import BROKEN, start_server

pytestmark = pytest.mark.browser
Edit = Callable[[Path, str, str], None]


def overlay_text(page: Any) -> str:
    overlay = page.locator("#canales-errors")
    overlay.wait_for(state="visible", timeout=5000)
    text: str = overlay.inner_text()
    return text


def test_a_page_loaded_while_broken_shows_the_errors(browser: Any, content_copy: Path, edit: Edit) -> None:
    for server in start_server(content_copy):
        page = browser.new_page()
        try:
            page.goto(f"http://127.0.0.1:{server.port}/en/")
            edit(content_copy / "hours.yaml", *BROKEN)
            assert "closes at or before it opens" in overlay_text(page)  # the page that was open
            for _ in range(2):  # a new load, and a reload
                page.reload()
                text = overlay_text(page)
                assert "closes at or before it opens" in text and "showing the last good build" in text
        finally:
            page.close()


def test_a_server_started_on_broken_content_shows_the_problems_then_the_site(
    browser: Any, content_copy: Path, edit: Edit
) -> None:
    edit(content_copy / "hours.yaml", *BROKEN)
    for server in start_server(content_copy):
        page = browser.new_page()
        try:
            page.goto(f"http://127.0.0.1:{server.port}/es/")
            assert "nothing built yet" in overlay_text(page)
            edit(content_copy / "hours.yaml", BROKEN[1], BROKEN[0])
            page.locator("h1", has_text="Canales de atención").wait_for(timeout=5000)
            assert page.locator("#canales-errors").count() == 0
        finally:
            page.close()
