"""The screenshots of docs/editing.md: `edit` on a temporary copy of content/, driven in Chromium.

Usage: .venv/bin/python scripts/editor_screenshots.py [--out FOLDER]   (default: docs/editing/)

Writes, at 1280×800, the same files docs/editing.md shows:
1-sign-in.png, 2-files.png, 3-channel.png, 4-schedule.png, 5-publish.png, 6-site-reloaded.png,
7-refused-time.png, 8-error-over-site.png. content/ itself is never changed.
Needs what tests/browser/test_editor.py needs: Node with the npm packages (npm ci) and Debian's
Chromium at /usr/bin/chromium, used through Playwright; never downloads a browser.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Page, ViewportSize, expect, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "browser"), str(ROOT / "tests")]

from conftest import CHROMIUM, LAUNCH_ARGS  # noqa: E402
from test_admin_config import default_interrupt, free_port, stop_edit  # noqa: E402
from test_editor import (  # noqa: E402
    Editor,
    centre,
    field,
    item,
    open_entry,
    publish,
    retype,
    sign_in,
    wait_for_change,
)

WINDOW: ViewportSize = {"width": 1280, "height": 800}


@contextmanager
def running_edit(content: Path) -> Iterator[Editor]:
    """`build.py edit` on `content`, on free ports, started beside it (so errors name content/...),
    as the `editor` fixture of tests/browser/test_editor.py does; stopped with Ctrl-C."""
    proxy_port = free_port()
    command = [sys.executable, str(ROOT / "build.py"), "edit", "--content", str(content)]
    process = subprocess.Popen(
        [*command, "--port", "0", "--proxy-port", str(proxy_port)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=content.parent,
        preexec_fn=default_interrupt,
    )
    assert process.stdout is not None
    try:
        started = (
            re.search(r"Decap CMS at (http://127\.0\.0\.1:\d+/)admin/", line) for line in process.stdout
        )
        found = next((address for address in started if address), None)
        if found is None:
            raise SystemExit("edit did not start (its messages are above)")
        yield Editor(process, found[1], found[1] + "admin/", f"http://127.0.0.1:{proxy_port}/api/v1", content)
    finally:
        if process.poll() is None:
            stop_edit(process)


def take(page: Page, out: Path, name: str) -> None:
    """A screenshot of the window, once Decap's loading bar (a canvas at the top) and its notices of
    earlier saves are gone, with CSS transitions finished."""
    page.locator("canvas").first.wait_for(state="hidden")
    expect(page.get_by_text("Entrada guardada")).to_have_count(0, timeout=15_000)
    page.screenshot(path=out / name, animations="disabled")
    print(out / name)


def screenshots(editor: Editor, page: Page, site: Page, out: Path) -> None:
    """Steps 2 to 8 of docs/editing.md, as an editor goes through them."""
    channels = editor.content / "channels.yaml"
    site.goto(editor.url + "es/")
    sign_in(page, editor, out / "1-sign-in.png")
    print(out / "1-sign-in.png")
    take(page, out, "2-files.png")

    # The Bogotá line, opened, with a new number and a new Spanish name.
    open_entry(page, editor, "content", "channels")
    bogota = item(page, page, "phone-bogota")
    retype(page, field(bogota, "value"), "601 7440000")
    retype(page, field(field(bogota, "name"), "es"), "Línea principal en Bogotá")
    centre(field(bogota, "domestic_only"))
    take(page, out, "3-channel.png")

    # Its schedule's list, opened below its request types, then closed unchanged.
    availability = field(bogota, "availability")
    availability.locator("[class*='SortableListItem']").first.locator("button").first.click()
    schedule = field(availability, "schedule")
    centre(field(bogota, "request_types"))
    schedule.locator("input[role=combobox]").click()
    page.locator("[class*='option']", has_text=re.compile("^always$")).wait_for()
    take(page, out, "4-schedule.png")
    page.keyboard.press("Escape")

    # Publicar, Publicar ahora; the site's tab reloads by itself.
    before = channels.read_bytes()
    centre(field(bogota, "domestic_only"))
    page.get_by_role("button", name="Publicar").first.click()
    page.get_by_text("Publicar ahora").wait_for()
    take(page, out, "5-publish.png")
    page.get_by_text("Publicar ahora").click()
    wait_for_change(channels, before)
    number = site.locator("a[href='tel:+576017440000']").first
    number.wait_for(timeout=10_000)
    centre(number)
    take(site, out, "6-site-reloaded.png")

    # A number that does not exist is saved, and shown over the site.
    open_entry(page, editor, "content", "channels")
    retype(page, field(item(page, page, "phone-bogota"), "value"), "601 74")
    before = channels.read_bytes()
    publish(page)
    wait_for_change(channels, before)
    site.locator("#canales-errors").wait_for(timeout=10_000)
    site.evaluate("window.scrollTo(0, 0)")
    take(site, out, "8-error-over-site.png")

    # A time of 25:00, refused by the form itself.
    open_entry(page, editor, "content", "hours")
    interval = item(page, item(page, page, "business"), "mon-fri 07:00 19:00")
    retype(page, field(interval, "opens"), "25:00")
    publish(page)
    message = page.get_by_text("opens no coincide con el patrón: a time HH:MM")
    message.wait_for()
    centre(message)
    take(page, out, "7-refused-time.png")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "editing", help="where to write the PNGs")
    out = parser.parse_args().out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as temporary, sync_playwright() as playwright:
        content = Path(temporary) / "content"
        shutil.copytree(ROOT / "content", content)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        # The admin and the site in two contexts, not two tabs of one: there, the tab behind is
        # slowed down, and while the admin is behind, Decap's loading bar never fades.
        admin, site = (browser.new_page(viewport=WINDOW, locale="es-CO") for _ in range(2))
        with running_edit(content) as editor:
            screenshots(editor, admin, site, out)
        browser.close()


if __name__ == "__main__":
    main()
