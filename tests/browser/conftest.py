"""Real-browser fixtures: Debian's Chromium through Playwright, and built sites served over HTTP.

Locally a missing browser, Java or validator skips these tests; under CI=true it fails them, so a
broken CI machine cannot pass by running nothing.
"""

from __future__ import annotations

import datetime
import functools
import http.server
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from generator import pipeline
from generator.cache import BuildCache

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(os.environ.get("CANALES_ARTIFACTS", ROOT / "test-artifacts"))
PHONE = {"width": 360, "height": 800}
DESKTOP = {"width": 1280, "height": 800}
LAUNCH_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-dev-shm-usage"]


def require(available: bool, what: str) -> None:
    """Skip when `what` is missing, except under CI, where that is a failure."""
    if available:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is missing; CI must install it (.ci/run)")
    pytest.skip(f"{what} is missing")


@pytest.fixture(name="require")
def require_fixture() -> Callable[[bool, str], None]:
    """`require` for tests that need a tool of their own (Java, the validator)."""
    return require


@dataclass(frozen=True)
class Served:
    """A built site served on loopback: its folder, and its address with a trailing slash."""

    root: Path
    url: str


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class _FiveMinutesHandler(_QuietHandler):
    """Caching as the deploy recipes set it for pages, feeds and cards: five minutes."""

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=300")
        super().end_headers()


def _serve(root: Path, *, cached: bool = False) -> Iterator[Served]:
    """Serve `root` on loopback; `cached` sends the recipes' five-minute Cache-Control."""
    handler = functools.partial(_FiveMinutesHandler if cached else _QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Served(root, f"http://127.0.0.1:{server.server_address[1]}/")
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def build_variant(target: Path, change: Callable[[Path], None] | None = None) -> Path:
    """Build the seed content, changed by `change` (given the content folder), into `target`."""
    content = target / "content"
    shutil.copytree(ROOT / "content", content)
    if change:
        change(content)
    pipeline.build(content, target / "site", BuildCache())
    return target / "site"


def close_on_holidays(content: Path) -> None:
    """Business hours closed on Colombia's public holidays (8 December 2026 is one)."""
    path = content / "hours.yaml"
    text = path.read_text(encoding="utf-8")
    marker = '        closes: "13:00"\n'
    assert marker in text
    path.write_text(text.replace(marker, marker + "    closures:\n      holidays: CO\n", 1), encoding="utf-8")


@pytest.fixture(scope="session")
def seed_served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The seed site, built without a base URL and served at the root of a loopback server."""
    yield from _serve(build_variant(tmp_path_factory.mktemp("seed")))


@pytest.fixture(scope="session")
def holiday_served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The seed site with business hours closed on Colombian public holidays."""
    yield from _serve(build_variant(tmp_path_factory.mktemp("holidays"), close_on_holidays))


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless; never a downloaded browser."""
    require(Path(CHROMIUM).is_file(), f"Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield instance
        instance.close()


@dataclass
class Visit:
    """An opened page, with every console error, page error and off-site request it caused."""

    page: Any
    errors: list[str]
    off_site: list[str]


@pytest.fixture
def visit(browser: Any) -> Iterator[Callable[..., Visit]]:
    """Open a URL in a fresh context: the visitor's zone, a fixed clock, a viewport, a colour scheme."""
    contexts: list[Any] = []

    def open_page(
        url: str,
        *,
        zone: str = "America/Bogota",
        at: datetime.datetime | None = None,
        viewport: dict[str, int] = DESKTOP,
        scheme: str = "light",
        locale: str = "en-US",
    ) -> Visit:
        context = browser.new_context(timezone_id=zone, viewport=viewport, color_scheme=scheme, locale=locale)
        contexts.append(context)
        errors: list[str] = []
        off_site: list[str] = []

        def route(request_route: Any) -> None:
            request_url = request_route.request.url
            if request_url.startswith("http://127.0.0.1:"):
                request_route.continue_()
            else:
                off_site.append(request_url)
                request_route.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        if at is not None:
            page.clock.set_fixed_time(at)
        page.goto(url)
        return Visit(page, errors, off_site)

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def artifact() -> Callable[[str], Path]:
    """Where a test saves a screenshot for people to look at: test-artifacts/ (git-ignored), or
    $CANALES_ARTIFACTS."""
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return lambda name: folder / name
