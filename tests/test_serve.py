"""The dev server: right Content-Types, live reload over server-sent events, errors kept visible,
the last good build kept, nothing served from outside the build, and a clean Ctrl-C."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from generator.serve import resolve

ROOT = Path(__file__).resolve().parent.parent
Edit = Callable[[Path, str, str], None]


class Server:
    def __init__(self, process: subprocess.Popen[str], port: int) -> None:
        self.process = process
        self.port = port

    def get(self, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        connection.request(method, path)
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return response.status, dict(response.getheaders()), body

    def events(self, since: int) -> http.client.HTTPResponse:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        connection.request("GET", f"/__canales__/events?since={since}")
        return connection.getresponse()


def next_event(stream: http.client.HTTPResponse) -> tuple[str, list[str]]:
    """Read one server-sent event: (name, data), skipping keep-alive comments."""
    name, data = "", ""
    while True:
        line = stream.readline().decode().rstrip("\n")
        if line.startswith("event: "):
            name = line[7:]
        elif line.startswith("data: "):
            data = line[6:]
        elif line == "" and name:
            return name, json.loads(data)


def _default_interrupt() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture
def server(content_copy: Path) -> Iterator[Server]:
    yield from start_server(content_copy)


def start_server(content_copy: Path) -> Iterator[Server]:
    """`build.py serve` on the content, on a free port, until the test ends."""
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "serve", "--content", str(content_copy), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=content_copy.parent,
        # A hung server dumps every thread's stack on SIGABRT, for the test to show.
        env={**os.environ, "PYTHONFAULTHANDLER": "1"},
        # As in a terminal, Ctrl-C must reach the server: a run started in the background by a
        # script (`make test &`) ignores SIGINT, and Python keeps an ignored SIGINT ignored.
        preexec_fn=_default_interrupt,
    )
    assert process.stdout is not None
    port = 0
    for line in process.stdout:
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if match:
            port = int(match[1])
            break
    assert port, "the server did not say where it listens"
    yield Server(process, port)
    if process.poll() is None:
        process.kill()
        process.wait()


def version_of(page: bytes) -> int:
    match = re.search(rb"/__canales__/reload\.js\?v=(\d+)", page)
    assert match, "the reload script is not in the served page"
    return int(match[1])


def test_content_types(server: Server) -> None:
    expected = {
        "/es/": "text/html; charset=utf-8",
        "/es/hours/business.ics": "text/calendar; charset=utf-8",
        "/en/contacts/help-desk.vcf": "text/vcard; charset=utf-8",
    }
    for path, content_type in expected.items():
        status, headers, body = server.get(path)
        assert (status, headers["Content-Type"]) == (200, content_type)
        assert body
    status, headers, body = server.get("/es/hours/business.ics", "HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 100


def test_paths_that_climb_out_get_404(server: Server) -> None:
    for path in (
        "/../build.py",
        "/es/../../build.py",
        "/%2e%2e/build.py",
        "/es/%2E%2E/%2e%2e/build.py",
        "/..%2fbuild.py",
        "/es/..%5c..%5cbuild.py",
        "/nothing-here",
    ):
        status, _, _ = server.get(path)
        assert status == 404, path
    status, headers, _ = server.get("/es")
    assert (status, headers["Location"]) == (301, "/es/")


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/", "index.html"),
        ("/es/", "es/index.html"),
        ("/es/index.html?x=1", "es/index.html"),
        ("/es/%2e%2e/index.html", None),
    ],
)
def test_resolve(path: str, expected: str | None) -> None:
    files = {"index.html": b"", "es/index.html": b""}
    assert resolve(files, path)[0] == expected


def test_reload_after_an_edit_and_errors_shown_while_broken(
    server: Server, content_copy: Path, edit: Edit
) -> None:
    _, _, page = server.get("/en/")
    assert b"Bogot\xc3\xa1 customer line" in page
    assert not (content_copy.parent / "site").exists()  # serving writes no site
    stream = server.events(version_of(page))

    edit(content_copy / "channels.yaml", "en: Bogotá customer line", "en: Bogotá line, edited")
    assert next_event(stream) == ("reload", [])
    _, _, page = server.get("/en/")
    assert b"Bogot\xc3\xa1 line, edited" in page

    edit(content_copy / "hours.yaml", 'closes: "19:00"', 'closes: "06:00"')
    name, errors = next_event(stream)
    assert name == "errors"
    assert re.match(
        r".*hours\.yaml:11:17: schedules\[0\]\.weekly\[0\]\.closes: closes at or before it opens", errors[0]
    )
    _, _, page = server.get("/en/")
    assert b"Bogot\xc3\xa1 line, edited" in page  # the last good build is still served

    edit(content_copy / "hours.yaml", 'closes: "06:00"', 'closes: "19:00"')
    assert next_event(stream) == ("reload", [])


def test_a_page_that_missed_a_build_reloads_at_once(server: Server, content_copy: Path, edit: Edit) -> None:
    _, _, page = server.get("/es/")
    edit(content_copy / "channels.yaml", "es: WhatsApp corporativo", "es: WhatsApp de la empresa")
    time.sleep(1)
    # The page predates the build; its script asks for events since its own version.
    assert next_event(server.events(version_of(page))) == ("reload", [])


def test_ctrl_c_exits_cleanly(server: Server, content_copy: Path) -> None:
    before = sorted(p.name for p in content_copy.parent.iterdir())
    server.process.send_signal(signal.SIGINT)
    try:
        stdout, stderr = server.process.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.send_signal(signal.SIGABRT)
        _, stderr = server.process.communicate(timeout=10)
        pytest.fail(f"serve did not stop within 10 s of Ctrl-C; its threads:\n{stderr}")
    assert server.process.returncode == 0
    assert "Traceback" not in stderr
    assert "Stopped." in stdout
    assert sorted(p.name for p in content_copy.parent.iterdir()) == before


def test_binds_loopback_by_default() -> None:
    from generator.cli import _parser

    options = _parser().parse_args(["serve"])
    assert options.host == "127.0.0.1"


BROKEN = ('closes: "19:00"', 'closes: "06:00"')


def test_a_page_loaded_while_broken_hears_the_errors_at_once(
    server: Server, content_copy: Path, edit: Edit
) -> None:
    _, _, page = server.get("/en/")
    stream = server.events(version_of(page))
    edit(content_copy / "hours.yaml", *BROKEN)
    assert next_event(stream)[0] == "errors"  # the break is built
    # A page loaded now, or reloaded, is the last good build, and its script learns of the
    # errors when it connects, not at the next change.
    _, _, page = server.get("/en/")
    name, errors = next_event(server.events(version_of(page)))
    assert name == "errors" and "closes at or before it opens" in errors[0]


def test_started_on_broken_content_it_shows_the_problems_then_the_site(
    content_copy: Path, edit: Edit
) -> None:
    edit(content_copy / "hours.yaml", *BROKEN)
    for server in start_server(content_copy):
        status, headers, page = server.get("/es/")
        assert status == 503 and headers["Content-Type"] == "text/html; charset=utf-8"
        assert b"hours.yaml:11:17: schedules[0].weekly[0].closes: closes at or before it opens" in page
        stream = server.events(version_of(page))
        assert next_event(stream)[0] == "errors"
        edit(content_copy / "hours.yaml", BROKEN[1], BROKEN[0])
        assert next_event(stream) == ("reload", [])
        status, _, page = server.get("/es/")
        assert status == 200 and "Línea de atención en Bogotá".encode() in page
