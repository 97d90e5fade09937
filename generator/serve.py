"""The authoring loop: build in memory, serve on loopback, rebuild on every save, reload browsers.

Builds never touch the disk here: the server answers from the last good build held in memory, so
broken content leaves the served site as it was and Ctrl-C leaves nothing behind. Browsers learn
of new builds, and of content errors, through server-sent events; the small script that listens
is added to pages as they are served, never to a built site.
"""

from __future__ import annotations

import gc
import html
import json
import os
import sys
import threading
import time
from collections.abc import Callable, Mapping
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import watchfiles

from generator import pipeline
from generator.cache import BuildCache
from generator.content.errors import ContentErrors
from generator.outputs import Files, TemplateProblem

PREFIX = "/__canales__/"
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".ics": "text/calendar; charset=utf-8",
    ".vcf": "text/vcard; charset=utf-8",
    ".svg": "image/svg+xml",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".webmanifest": "application/manifest+json",
}
RELOAD_SCRIPT = (Path(__file__).parent / "reload.js").read_bytes()
# How long watchfiles waits for more changes after one arrives: editors write a file in several
# steps, and one rebuild per save is what we want, but every millisecond here is felt.
WATCH_STEP_MS = 20
WATCH_DEBOUNCE_MS = 200
KEEPALIVE_SECONDS = 15.0
# A set of pages served beside the site (`edit` serves the admin at /admin/): given the request's
# path, its status, body and Content-Type, or None for a 404.
Route = Callable[[str], "tuple[HTTPStatus, bytes, str] | None"]


class LiveSite:
    """The last good build and the errors of the latest attempt, shared with request threads."""

    def __init__(
        self,
        content: Path,
        templates: Path,
        base_url: str | None,
        report: Callable[[str], None],
        cache: BuildCache,
    ) -> None:
        self.content = content
        self.templates = templates
        self.base_url = base_url
        self.report = report
        self.files: Files = {}
        self.cache = cache
        self.errors: list[str] = []
        self.version = 0
        self.changed = threading.Condition()

    def rebuild(self) -> bool:
        """Build in memory; on success publish the new files, else keep the old and publish errors."""
        started = time.perf_counter()
        try:
            site = pipeline.load(self.content, self.cache, self.base_url)
            stamp = pipeline.build_time(site, os.environ.get("SOURCE_DATE_EPOCH"))
            files = pipeline.render(site, self.cache, self.templates, stamp)
        except ContentErrors as problems:
            errors = [error.render() for error in problems.errors]
        except TemplateProblem as problem:
            errors = [str(problem)]
        except (OSError, ValueError) as error:
            errors = [f"error: {error}"]
        else:
            errors = []
        milliseconds = (time.perf_counter() - started) * 1000
        # Memory keeps what this build used, not every edit's entries since the server started.
        self.cache.forget_unused()
        with self.changed:
            if not errors:
                self.files = files
            self.errors = errors
            self.version += 1
            self.changed.notify_all()
        if errors:
            kept = "keeping the last good build" if self.files else "nothing to serve yet"
            self.report("\n".join(errors) + f"\n{len(errors)} problem(s); {kept}.")
        else:
            self.report(f"Rebuilt {len(files)} files in {milliseconds:.0f} ms.")
        return not errors

    def wait_for_change(self, since: int, timeout: float) -> int:
        """Block until the version passes `since` or the timeout ends; returns the version."""
        with self.changed:
            self.changed.wait_for(lambda: self.version > since, timeout)
            return self.version


def resolve(files: Files, raw_path: str) -> tuple[str | None, str | None]:
    """(file key, redirect) for a request path. Anything that could climb out finds nothing."""
    path = unquote(urlsplit(raw_path).path)
    parts = PurePosixPath(path).parts
    if "\\" in path or "\0" in path or any(part in ("..", ".") for part in parts):
        return None, None
    key = path.lstrip("/")
    if key == "" or key.endswith("/"):
        key += "index.html"
    if key in files:
        return key, None
    if f"{key}/index.html" in files:
        return None, path + "/"
    return None, None


def _with_reload_script(html: bytes, version: int) -> bytes:
    """The served page: the reload script added, and the page's CSP meta dropped so it may run.

    The built site keeps its CSP; only this development copy of the page loosens it.
    """
    text = html.decode("utf-8")
    start = text.find('<meta http-equiv="Content-Security-Policy"')
    if start != -1:
        text = text[:start] + text[text.index(">", start) + 1 :]
    tag = f'<script src="{PREFIX}reload.js?v={version}"></script>'
    position = text.rfind("</body>")
    text = text[:position] + tag + text[position:] if position != -1 else text + tag
    return text.encode("utf-8")


def _problems_page(errors: list[str], version: int) -> bytes:
    """The page served before any good build: the content's problems, and the reload script."""
    listed = html.escape("\n\n".join(errors) or "The first build has not finished yet.")
    page = (
        '<!DOCTYPE html>\n<html lang="en" data-canales-problems>\n<head>\n<meta charset="utf-8">\n'
        "<title>The content has problems · canales serve</title>\n</head>\n<body>\n"
        "<h1>The content has problems</h1>\n"
        "<p>Nothing has been built yet. Fix these and the site appears here by itself:</p>\n"
        f"<pre>{listed}</pre>\n</body>\n</html>\n"
    )
    return _with_reload_script(page.encode("utf-8"), version)


def make_handler(live: LiveSite, routes: Mapping[str, Route] | None = None) -> type[BaseHTTPRequestHandler]:
    """A request handler class bound to one live site, and to other pages under `routes`' prefixes."""
    served: dict[str, Route] = dict(routes or {})

    class Handler(BaseHTTPRequestHandler):
        server_version = "canales-serve"

        def log_message(self, format: str, *args: object) -> None:
            pass  # the terminal is for build results; requests are noise here

        head_only = False

        def do_HEAD(self) -> None:
            self.head_only = True
            if not self._route():
                self._file()

        def do_GET(self) -> None:
            if self.path.startswith(PREFIX + "events"):
                self._events()
            elif self.path.startswith(PREFIX + "reload.js"):
                self._send(HTTPStatus.OK, RELOAD_SCRIPT, CONTENT_TYPES[".js"])
            elif not self._route():
                self._file()

        def _route(self) -> bool:
            """Answer from a route whose prefix the path has; False when none has it."""
            path = unquote(urlsplit(self.path).path)
            if path + "/" in served:
                self._redirect(path + "/")
                return True
            for prefix, route in served.items():
                if path.startswith(prefix):
                    found = route(path)
                    status, body, content_type = found or (
                        HTTPStatus.NOT_FOUND,
                        b"Not found\n",
                        CONTENT_TYPES[".txt"],
                    )
                    self._send(status, body, content_type)
                    return True
            return False

        def _redirect(self, location: str) -> None:
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _file(self) -> None:
            with live.changed:
                files, version, errors = live.files, live.version, live.errors
            if not files:
                # No good build yet: say why, on a page that reloads itself once the content is fixed.
                status = HTTPStatus.SERVICE_UNAVAILABLE
                self._send(status, _problems_page(errors, version), CONTENT_TYPES[".html"])
                return
            key, redirect = resolve(files, self.path)
            if redirect:
                self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                self.send_header("Location", redirect)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            status = HTTPStatus.OK
            if key is None:
                status, key = HTTPStatus.NOT_FOUND, "404.html"
                if key not in files:
                    self._send(status, b"Not found\n", CONTENT_TYPES[".txt"])
                    return
            body = files[key]
            suffix = PurePosixPath(key).suffix
            if suffix == ".html":
                body = _with_reload_script(body, version)
            self._send(status, body, CONTENT_TYPES.get(suffix, "application/octet-stream"))

        def _send(self, status: HTTPStatus, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if not self.head_only:
                self.wfile.write(body)

        def _events(self) -> None:
            query = urlsplit(self.path).query
            since = (
                int(query.removeprefix("since=")) if query.startswith("since=") and query[6:].isdigit() else 0
            )
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            try:
                # A page loaded while the content is broken is the last good build: it hears of
                # the errors at once, not at the next change, so that every load shows them.
                with live.changed:
                    errors = live.errors
                if errors:
                    self.wfile.write(f"event: errors\ndata: {json.dumps(errors)}\n\n".encode())
                    self.wfile.flush()
                while True:
                    version = live.wait_for_change(since, KEEPALIVE_SECONDS)
                    if version == since:
                        self.wfile.write(b": keep-alive\n\n")
                    else:
                        since = version
                        with live.changed:
                            errors = live.errors
                        event = "errors" if errors else "reload"
                        data = json.dumps(errors)
                        self.wfile.write(f"event: {event}\ndata: {data}\n\n".encode())
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return

    return Handler


def serve(
    content: Path,
    cache: BuildCache,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    base_url: str | None = None,
    templates: Path = pipeline.TEMPLATES,
    report: Callable[[str], None] | None = None,
    routes: Mapping[str, Route] | None = None,
) -> int:
    """Serve until interrupted; returns the exit status. `routes` serves other pages beside the
    site, each under its path prefix."""
    say = report or (lambda text: print(text, flush=True))
    # A server lives on, and every rebuild leaves cycles (template environments) to collect;
    # build.py starts every command with the collector off.
    gc.enable()
    live = LiveSite(content, templates, base_url, say, cache)
    live.rebuild()
    server = ThreadingHTTPServer((host, port), make_handler(live, routes))
    server.daemon_threads = True
    stop = threading.Event()
    watcher = threading.Thread(target=_watch, args=(live, stop), daemon=True)
    watcher.start()
    bound_host, bound_port = server.server_address[:2]
    try:
        # Announced inside the try: a Ctrl-C right after the announcement is still a clean stop.
        say(f"Serving {content} on http://{bound_host!s}:{bound_port}/ (Ctrl-C to stop)")
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        say("Stopped.")
    finally:
        stop.set()
        server.server_close()
        watcher.join(timeout=2)
    return 0


def _watch(live: LiveSite, stop: threading.Event) -> None:
    paths = [live.content, live.templates]
    try:
        for _changes in watchfiles.watch(
            *paths, stop_event=stop, step=WATCH_STEP_MS, debounce=WATCH_DEBOUNCE_MS, raise_interrupt=False
        ):
            live.rebuild()
    except Exception as error:  # the watcher must not take the server down with it
        print(f"watcher stopped: {error}", file=sys.stderr)
