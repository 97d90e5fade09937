"""`edit` in a real browser: Decap CMS's forms at /admin/ edit a copy of the seed through decap-server,
the YAML on disk changes exactly where the forms did, `check` passes, and the site's tab reloads
by itself; what the forms refuse, and what only `check` finds, shown over the page."""

from __future__ import annotations

import difflib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import DESKTOP, require
from test_admin_config import default_interrupt, free_port, stop_edit

from generator.content.yamlsource import load_yaml

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]
Edit = Callable[[Path, str, str], None]


@dataclass
class Editor:
    """A running `build.py edit`: its process, the site's address, the admin's, and the content."""

    process: subprocess.Popen[str]
    url: str
    admin: str
    proxy: str
    content: Path


@pytest.fixture
def editor(content_copy: Path) -> Iterator[Editor]:
    """`build.py edit` on a copy of the seed, on free ports, until the test ends."""
    require(shutil.which("node") is not None, "Node.js (node)")
    require(
        (ROOT / "node_modules" / "decap-cms" / "dist" / "decap-cms.js").is_file()
        and (ROOT / "node_modules" / "decap-server" / "dist" / "index.js").is_file(),
        "the npm packages decap-cms and decap-server (npm ci)",
    )
    require(Path("/usr/bin/chromium").is_file(), "Chromium at /usr/bin/chromium")
    proxy_port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "build.py"),
            "edit",
            "--content",
            str(content_copy),
            "--port",
            "0",
            "--proxy-port",
            str(proxy_port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # Beside the content, as an editor runs it: errors name content/...; Decap comes from this
        # checkout's node_modules, which `edit` looks for when none is above the working folder.
        cwd=content_copy.parent,
        env={**os.environ, "PYTHONFAULTHANDLER": "1"},
        preexec_fn=default_interrupt,
    )
    assert process.stdout is not None
    admin = ""
    for line in process.stdout:
        found = re.search(r"Decap CMS at (http://127\.0\.0\.1:\d+/)admin/", line)
        if found:
            admin = found[1] + "admin/"
            break
    if not admin:
        process.kill()
        pytest.fail(f"edit did not start:\n{process.communicate()[1]}")
    yield Editor(
        process, admin.removesuffix("admin/"), admin, f"http://127.0.0.1:{proxy_port}/api/v1", content_copy
    )
    if process.poll() is None:
        stop_edit(process)


# --- driving Decap's forms ----------------------------------------------------------------------


def field(scope: Any, name: str) -> Any:
    """A field's control by its key: Decap ties each label to its input as `<key>-field-<n>`."""
    return scope.locator(
        "xpath=.//div[contains(@class,'ControlContainer')]"
        f"[./div[contains(@class,'ControlTopbar')]/label[starts-with(@for, '{name}-field-')]]"
    ).first


def item(page: Any, scope: Any, summary: str) -> Any:
    """A list item by what it shows when closed (its id, say), opened."""
    label = page.locator("[class*='NestedObjectLabel']", has_text=re.compile(f"^{re.escape(summary)}$"))
    found = scope.locator("[class*='SortableListItem']", has=label).first
    found.wait_for()
    found.locator("button").first.click()
    return found


def retype(page: Any, control: Any, text: str) -> None:
    """Replace a text input's value as an editor does: select all, type. (Held by its element: a
    list item found by what it shows is no longer found once that changes.)"""
    box = control.locator("input").element_handle()
    box.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)
    assert box.input_value() == text


def open_entry(page: Any, editor: Editor, collection: str, entry: str) -> None:
    """Open a file from its collection's list, as an editor does. (Changing the address from one
    entry to another keeps the first one's form in Decap 3.16, with the second's fields.)"""
    page.goto(f"{editor.admin}#/collections/{collection}")
    page.get_by_role("link", name=re.compile(f"^{re.escape(entry)}")).click()
    page.locator("[class*='ControlContainer']").first.wait_for()


def sign_in(page: Any, editor: Editor, screenshot: Path | None = None) -> None:
    page.goto(editor.admin)
    # decap-server needs no password: "Iniciar sesión" (the admin speaks the site's first language).
    button = page.get_by_role("button", name="Iniciar sesión")
    button.wait_for()
    if screenshot:
        page.screenshot(path=screenshot)
    button.click()
    page.get_by_text("site.yaml").wait_for()


def centre(locator: Any) -> None:
    """Scroll an element to the middle of the window, for a screenshot that shows it."""
    locator.evaluate("element => element.scrollIntoView({block: 'center'})")


def publish(page: Any) -> None:
    page.get_by_role("button", name="Publicar").first.click()
    page.get_by_text("Publicar ahora").click()


def wait_for_change(path: Path, before: bytes, seconds: float = 15.0) -> bytes:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        now = path.read_bytes()
        if now != before:
            time.sleep(0.2)  # decap-server writes a file in one call; let it finish
            return path.read_bytes()
        time.sleep(0.05)
    pytest.fail(f"{path.name} did not change within {seconds} s")


def data(path: Path) -> Any:
    return load_yaml(path, path.name).data


def check(content: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "check", "--content", str(content)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )


def comments(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.startswith("#")]


# --- the tests ----------------------------------------------------------------------------------


def test_editing_the_seed_through_the_forms(
    browser: Any, editor: Editor, artifact: Callable[[str], Path]
) -> None:
    channels, escalation = editor.content / "channels.yaml", editor.content / "escalation.yaml"
    seed = {path: path.read_bytes() for path in (channels, escalation)}
    expected_channels, expected_escalation = data(channels), data(escalation)
    context = browser.new_context(viewport=DESKTOP, locale="es-CO")
    try:
        site = context.new_page()
        site.goto(editor.url + "en/")
        assert site.locator("a[href='tel:+576017442727']").count() > 0
        page = context.new_page()
        sign_in(page, editor, artifact("editor-sign-in.png"))
        page.screenshot(path=artifact("editor-files.png"))

        # The Bogotá line: its number and its English name; the email channel's schedule.
        open_entry(page, editor, "content", "channels")
        bogota = item(page, page, "phone-bogota")
        retype(page, field(bogota, "value"), "601 7440000")
        retype(page, field(field(bogota, "name"), "en"), "Bogotá main line")
        centre(field(bogota, "domestic_only"))
        page.screenshot(path=artifact("editor-channel.png"))
        email = item(page, page, "email")
        availability = field(email, "availability")
        availability.locator("[class*='SortableListItem']").first.locator("button").first.click()
        schedule = field(availability, "schedule")
        schedule.locator("input[role=combobox]").click()
        page.locator("[class*='option']", has_text=re.compile("^always$")).wait_for()
        schedule.scroll_into_view_if_needed()
        page.screenshot(path=artifact("editor-relation.png"))
        page.locator("[class*='option']", has_text=re.compile("^always$")).click()
        # The admin names decap-server's relay as localhost; it listens on 127.0.0.1.
        port = editor.proxy.removeprefix("http://127.0.0.1")

        def saves(request: Any) -> bool:
            return bool(request.url.endswith(port) and "persistEntry" in (request.post_data or ""))

        with page.expect_request(saves) as saving:
            publish(page)
        channels_request = saving.value.post_data
        first = wait_for_change(channels, seed[channels])
        page.get_by_text("Publicado").wait_for()
        page.screenshot(path=artifact("editor-published.png"))

        # Level 2's contact gets a third email.
        open_entry(page, editor, "content", "escalation")
        level = item(page, page, "level-2")
        emails = field(field(level, "contact"), "emails")
        emails.get_by_role("button", name=re.compile("Add emails")).click()
        emails.locator("input").last.fill("mesa.ayuda@certicamara.com")
        centre(emails.locator("input").last)
        page.get_by_role("button", name="Publicar").first.click()
        page.get_by_text("Publicar ahora").wait_for()
        page.screenshot(path=artifact("editor-publish.png"))
        page.get_by_text("Publicar ahora").click()
        wait_for_change(escalation, seed[escalation])

        # Exactly those values changed, and nothing else did.
        expected_channels["channels"][0]["value"] = "601 7440000"
        expected_channels["channels"][0]["name"]["en"] = "Bogotá main line"
        expected_channels["channels"][2]["availability"][0]["schedule"] = "always"
        expected_escalation["levels"][1]["contact"]["emails"].append("mesa.ayuda@certicamara.com")
        assert data(channels) == expected_channels
        assert data(escalation) == expected_escalation
        for path, added in (
            (channels, ["    value: 601 7440000", "      en: Bogotá main line", "      - schedule: always"]),
            (escalation, ["        - mesa.ayuda@certicamara.com"]),
        ):
            old, new = seed[path].decode(), path.read_text(encoding="utf-8")
            diff = list(difflib.unified_diff(old.split("\n"), new.split("\n"), lineterm="", n=0))
            assert set(added) <= {line[1:] for line in diff if line.startswith("+")}, "\n".join(diff)
            # The schema line and every comment at the margin are kept (docs/editing.md).
            assert comments(new) == comments(old) and new.startswith("# yaml-language-server: $schema=")
        done = check(editor.content)
        assert done.returncode == 0, done.stderr

        # The site's tab reloaded by itself, with the new number and name.
        site.locator("a[href='tel:+576017440000']").first.wait_for(timeout=10_000)
        assert "Bogotá main line" in site.content()
        centre(site.locator("a[href='tel:+576017440000']").first)
        site.screenshot(path=artifact("editor-site-reloaded.png"))

        # The same save again, as the admin sent it, changes nothing on disk.
        assert channels_request is not None
        request = urllib.request.Request(
            editor.proxy, data=channels_request.encode(), headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request) as answer:
            assert json.load(answer) == {"message": "entry persisted"}
        assert channels.read_bytes() == first

        # A second edit changes one line; undoing it in a third save gives the same bytes back.
        open_entry(page, editor, "content", "channels")
        bogota = item(page, page, "phone-bogota")
        retype(page, field(field(bogota, "name"), "en"), "Bogotá line")
        publish(page)
        second = wait_for_change(channels, first)
        diff = [
            line
            for line in difflib.unified_diff(
                first.decode().split("\n"), second.decode().split("\n"), lineterm="", n=0
            )
            if line[:1] in "+-" and line[:3] not in ("+++", "---")
        ]
        assert diff == ["-      en: Bogotá main line", "+      en: Bogotá line"]
        # Decap compares a form with the entry as it was opened: reopened, as an editor would.
        open_entry(page, editor, "content", "channels")
        bogota = item(page, page, "phone-bogota")
        retype(page, field(field(bogota, "name"), "en"), "Bogotá main line")
        publish(page)
        assert wait_for_change(channels, second) == first

        # Typed and undone: Decap has nothing to save, and offers no Publicar.
        open_entry(page, editor, "content", "channels")
        retype(page, field(field(item(page, page, "phone-bogota"), "name"), "en"), "Bogotá main line!")
        page.get_by_role("button", name="Publicar").first.wait_for()
        page.keyboard.press("Backspace")
        page.get_by_role("button", name="Publicado").wait_for()
        assert page.get_by_role("button", name="Publicar").count() == 0
    finally:
        context.close()


def test_a_time_the_form_refuses(browser: Any, editor: Editor, artifact: Callable[[str], Path]) -> None:
    hours = editor.content / "hours.yaml"
    before = hours.read_bytes()
    page = browser.new_page(viewport=DESKTOP, locale="es-CO")
    try:
        sign_in(page, editor)
        open_entry(page, editor, "content", "hours")
        business = item(page, page, "business")
        interval = item(page, business, "mon-fri 07:00 19:00")
        opens = field(interval, "opens")
        retype(page, opens, "25:00")
        publish(page)
        message = page.get_by_text("opens no coincide con el patrón: a time HH:MM")
        message.wait_for()
        message.scroll_into_view_if_needed()
        page.screenshot(path=artifact("editor-refused-time.png"))
        time.sleep(1)
        assert hours.read_bytes() == before
    finally:
        page.close()


def test_what_only_check_finds_shows_over_the_site(
    browser: Any, editor: Editor, artifact: Callable[[str], Path]
) -> None:
    """A number the form cannot judge is saved; `serve` shows the error over the site's page, and
    the site comes back once the form fixes it."""
    channels = editor.content / "channels.yaml"
    context = browser.new_context(viewport=DESKTOP, locale="es-CO")
    try:
        site = context.new_page()
        site.goto(editor.url + "es/")
        page = context.new_page()
        sign_in(page, editor)
        open_entry(page, editor, "content", "channels")
        bogota = item(page, page, "phone-bogota")
        number = field(bogota, "value")
        retype(page, number, "601 74")
        before = channels.read_bytes()
        publish(page)
        wait_for_change(channels, before)
        overlay = site.locator("#canales-errors")
        overlay.wait_for(timeout=10_000)
        assert re.search(r"channels\.yaml:\d+:\d+: channels\[0\]\.value: phone channel", overlay.inner_text())
        site.screenshot(path=artifact("editor-error-over-site.png"))
        assert check(editor.content).returncode == 1

        # Fixed in the form (reopened: Decap compares with the entry as it was opened).
        open_entry(page, editor, "content", "channels")
        retype(page, field(item(page, page, "phone-bogota"), "value"), "601 7442727")
        before = channels.read_bytes()
        publish(page)
        wait_for_change(channels, before)
        site.locator("h1", has_text="Canales de atención").wait_for(timeout=10_000)
        site.wait_for_function("() => !document.getElementById('canales-errors')", timeout=10_000)
    finally:
        context.close()


def _children(pid: int) -> list[int]:
    """The processes whose parent is `pid`, from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_ctrl_c_stops_the_server_and_decap_server(editor: Editor) -> None:
    proxy_port = int(editor.proxy.split(":")[2].split("/")[0])
    with urllib.request.urlopen(editor.admin) as answer:
        assert b"decap-cms.js" in answer.read()
    children = _children(editor.process.pid)
    assert children, "decap-server is a child process of `edit`"
    editor.process.send_signal(signal.SIGINT)
    stdout, stderr = editor.process.communicate(timeout=20)
    assert editor.process.returncode == 0, stderr
    assert "Stopped." in stdout and "Traceback" not in stderr
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", proxy_port)) != 0
    time.sleep(0.5)
    assert not [pid for pid in children if _running(pid)]  # decap-server is gone too
