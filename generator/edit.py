"""`edit`: the local editing setup. `serve`, plus Decap CMS at /admin/ and decap-server saving to disk.

The admin's forms come from the content format (generator/content/admin_config.py), made for the
content folder's languages each time the admin loads them. Decap CMS is served from its npm
package, never a CDN; decap-server (npm, MODE=fs) writes what the editor saves into the content
folder, where `serve` sees the change, rebuilds and reloads the site's tab, or shows the errors.

Decap drops every YAML comment when it writes a file (decap-cms#5099). The admin talks to a small
relay of ours on the proxy port, which passes everything to decap-server and, for each YAML file
saved, puts back the comments the file had at the top and before each top-level key (the
`# yaml-language-server` schema line among them). Comments inside lists are lost.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath
from typing import Any, NamedTuple

import yaml

from generator.cache import BuildCache
from generator.content.admin_config import DEFAULT_PROXY_PORT, Backend, config_for
from generator.content.errors import ContentErrors

# The npm packages `edit` runs, as package.json pins them; others of the same major version are
# used with a warning.
DECAP_CMS = ("decap-cms", "3.16.3")
DECAP_SERVER = ("decap-server", "3.11.3")
INSTALL = "npm install --save-dev --save-exact " + " ".join(
    f"{name}@{version}" for name, version in (DECAP_CMS, DECAP_SERVER)
)

# Installed from a wheel, admin/ (the page and our widget) is inside the package; here, beside it.
_PACKAGE = Path(__file__).resolve().parent
ADMIN = _PACKAGE / "admin" if (_PACKAGE / "admin").is_dir() else _PACKAGE.parent / "admin"
ADMIN_PREFIX = "/admin/"
ADMIN_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".yml": "text/yaml; charset=utf-8",
    ".wasm": "application/wasm",
    ".map": "application/json",
    ".css": "text/css; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
}
# decap-server exits when its stdin closes, so that it never outlives `edit`, however `edit` ends.
_RUN_SERVER = (
    "process.stdin.on('end', () => process.exit(0));"
    "process.stdin.on('error', () => process.exit(0));"
    "process.stdin.resume();"
    "require(process.argv[1]);"
)
START_SECONDS = 30.0
MAX_REQUEST_BYTES = 64 * 1024 * 1024
_HOP_BY_HOP = frozenset(
    (
        "connection",
        "keep-alive",
        "transfer-encoding",
        "te",
        "trailer",
        "upgrade",
        "host",
        "content-length",
        "date",
        "server",
    )
)


class EditProblem(Exception):
    """What keeps `edit` from starting: Node or the npm packages missing, a port taken."""


class Decap(NamedTuple):
    """Where the npm packages are: Node, Decap CMS's browser bundle, decap-server's script."""

    node: str
    dist: Path
    server: Path
    warnings: tuple[str, ...]


def find_decap(node_modules: Path | None = None) -> Decap:
    """Node and the two npm packages: from `node_modules`, else $CANALES_NODE_MODULES, else the
    nearest node_modules folder above the working folder, else this checkout's."""
    node = shutil.which("node")
    candidates: list[Path] = []
    if node_modules is not None:
        candidates.append(node_modules)
    elif os.environ.get("CANALES_NODE_MODULES"):
        candidates.append(Path(os.environ["CANALES_NODE_MODULES"]))
    else:
        here = Path.cwd().resolve()
        candidates.extend(folder / "node_modules" for folder in (here, *here.parents))
        candidates.append(_PACKAGE.parent / "node_modules")
    found = next(
        (
            folder
            for folder in candidates
            if (folder / "decap-cms" / "dist" / "decap-cms.js").is_file()
            and (folder / "decap-server" / "dist" / "index.js").is_file()
        ),
        None,
    )
    if node is None or found is None:
        looked = ", ".join(str(folder) for folder in dict.fromkeys(candidates))
        missing = (
            "Node.js (the `node` command) is not installed" if node is None else f"they are not in {looked}"
        )
        raise EditProblem(
            f"`edit` needs Node.js and the npm packages {DECAP_CMS[0]} {DECAP_CMS[1]} and "
            f"{DECAP_SERVER[0]} {DECAP_SERVER[1]}, and {missing}. With Node.js installed, run in "
            f"your help desk's folder\n  {INSTALL}\nor give --node-modules a node_modules folder "
            "that has them."
        )
    warnings = tuple(
        warning
        for name, pinned in (DECAP_CMS, DECAP_SERVER)
        if (warning := _version_warning(found, name, pinned))
    )
    return Decap(node, found / "decap-cms" / "dist", found / "decap-server" / "dist" / "index.js", warnings)


def _version_warning(node_modules: Path, name: str, pinned: str) -> str:
    try:
        version = str(
            json.loads((node_modules / name / "package.json").read_text(encoding="utf-8"))["version"]
        )
    except (OSError, ValueError, KeyError, TypeError):
        return f"cannot read the version of {name} in {node_modules}"
    if version.split(".")[0] != pinned.split(".")[0]:
        raise EditProblem(f"{name} {version} is installed; `edit` needs {pinned}: {INSTALL}")
    return "" if version == pinned else f"{name} {version} is installed; canales is tested with {pinned}"


# --- comments kept -----------------------------------------------------------------------------


class _Key(NamedTuple):
    """A top-level key: the 0-based line it starts on, and its list items' lines, if a list."""

    line: int
    items: tuple[int, ...]


def _top_level(text: str) -> dict[str, _Key] | None:
    """The top-level keys of a YAML mapping, in order; None if the text is not one."""
    try:
        # Composing builds nodes, never objects: a tag in the text cannot run anything.
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return None
    if not isinstance(root, yaml.MappingNode):
        return None
    keys: dict[str, _Key] = {}
    for key, value in root.value:
        if isinstance(key, yaml.ScalarNode) and str(key.value) not in keys:
            items = (
                tuple(item.start_mark.line for item in value.value)
                if isinstance(value, yaml.SequenceNode)
                else ()
            )
            keys[str(key.value)] = _Key(key.start_mark.line, items)
    return keys


def _kept(line: str) -> bool:
    """A line kept around the values: blank, or a comment at the margin."""
    return not line.strip() or line.startswith("#")


def _above(lines: list[str], line: int) -> list[str]:
    """The comment and blank lines directly above a line."""
    start = line
    while start > 0 and _kept(lines[start - 1]):
        start -= 1
    return lines[start:line]


def keep_comments(old: str | None, new: str) -> str:
    """`new`, a YAML file as Decap writes it, with what `old` had around its values: the comment
    and blank lines at the top, before each top-level key that is still there, and at the end, and
    a blank line between the items of a top-level list if `old` had one between each. Comments
    inside values are lost. Text that is not a YAML mapping is left as is."""
    old_keys, new_keys = _top_level(old or ""), _top_level(new)
    if not old or not old_keys or not new_keys:
        return new
    old_lines, new_lines = old.split("\n"), new.split("\n")
    first = min(key.line for key in old_keys.values())
    before: dict[int, list[str]] = {}
    for name, key in new_keys.items():
        if name in old_keys and old_keys[name].line != first:
            before[key.line] = _above(old_lines, old_keys[name].line)
        old_items = old_keys[name].items if name in old_keys else ()
        if len(old_items) > 1 and all(not old_lines[line - 1].strip() for line in old_items[1:]):
            before.update({line: [""] for line in key.items[1:]})
    # `new` ends with a newline, so with an empty last element; the trailer goes before it.
    end = len(old_lines) - 1 if old.endswith("\n") else len(old_lines)
    trailer = _above(old_lines, end)
    result = _above(old_lines, first)
    for index, line in enumerate(new_lines[:-1] if new.endswith("\n") else new_lines):
        result.extend(before.get(index, []))
        result.append(line)
    if any(line.startswith("#") for line in trailer):
        result.extend(trailer)
    return "\n".join(result) + ("\n" if new.endswith("\n") else "")


def _schema_line(repository: Path, target: Path) -> str:
    """For a file the admin creates (notices.yaml, say): the schema line the others have, when the
    repository has that schema (schema/<name>.schema.json, as `make schema` and `canales new` write)."""
    schema = repository.resolve() / "schema" / f"{target.stem}.schema.json"
    if not schema.is_file():
        return ""
    return f"# yaml-language-server: $schema={Path(os.path.relpath(schema, target.parent)).as_posix()}\n"


def _with_comments(body: bytes, repository: Path) -> bytes:
    """A decap-server request, its YAML files given back the comments they have on disk."""
    try:
        request = json.loads(body)
    except ValueError:
        return body
    if not isinstance(request, dict) or request.get("action") != "persistEntry":
        return body
    params = request.get("params")
    if not isinstance(params, dict):
        return body
    files = [params.get("entry"), *(params.get("dataFiles") or [])]
    changed = False
    for data_file in files:
        if not isinstance(data_file, dict) or not isinstance(data_file.get("raw"), str):
            continue
        path = data_file.get("path")
        if not isinstance(path, str) or PurePosixPath(path).suffix not in (".yaml", ".yml"):
            continue
        target = (repository / path).resolve()
        # decap-server refuses a path outside its folder; we only read, and only inside it.
        if not target.is_relative_to(repository.resolve()):
            continue
        try:
            old = target.read_text(encoding="utf-8") if target.exists() else None
        except (OSError, UnicodeDecodeError):
            continue
        raw = data_file["raw"]
        kept = (
            keep_comments(old.removeprefix("\ufeff"), raw)
            if old is not None
            else _schema_line(repository, target) + raw
        )
        if kept != data_file["raw"]:
            data_file["raw"] = kept
            changed = True
    return json.dumps(request, ensure_ascii=False).encode("utf-8") if changed else body


# --- the relay in front of decap-server ----------------------------------------------------------


def _relay_handler(upstream: int, repository: Path) -> type[BaseHTTPRequestHandler]:
    class Relay(BaseHTTPRequestHandler):
        server_version = "canales-edit"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_OPTIONS(self) -> None:  # the browser's CORS preflight, answered by decap-server
            self._forward(b"")

        def do_GET(self) -> None:
            self._forward(b"")

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if not 0 <= length <= MAX_REQUEST_BYTES:
                self._answer(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, {"error": "request too large"})
                return
            self._forward(_with_comments(self.rfile.read(length), repository))

        def _forward(self, body: bytes) -> None:
            headers = {name: value for name, value in self.headers.items() if name.lower() not in _HOP_BY_HOP}
            if self.command == "POST":
                headers["Content-Length"] = str(len(body))
            connection = http.client.HTTPConnection("127.0.0.1", upstream, timeout=120)
            try:
                connection.request(
                    self.command, self.path, body=body if self.command == "POST" else None, headers=headers
                )
                response = connection.getresponse()
                data = response.read()
            except OSError as error:
                self._answer(HTTPStatus.BAD_GATEWAY, {"error": f"decap-server did not answer: {error}"})
                return
            finally:
                connection.close()
            self.send_response(response.status)
            for name, value in response.getheaders():
                if name.lower() not in _HOP_BY_HOP:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _answer(self, status: HTTPStatus, payload: dict[str, str]) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Relay


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _ask(port: int, payload: dict[str, Any], timeout: float = 2.0) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(
            "POST", "/api/v1", body=json.dumps(payload), headers={"Content-Type": "application/json"}
        )
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _stderr() -> int | None:
    """Our standard error's file descriptor, or None (the child's own) when it has none."""
    try:
        return sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):
        return None


def start_decap_server(decap: Decap, repository: Path, port: int) -> subprocess.Popen[bytes]:
    """decap-server in fs mode on loopback, writing under `repository`; returns once it answers."""
    environment = {
        **os.environ,
        "MODE": "fs",
        "GIT_REPO_DIRECTORY": str(repository),
        "PORT": str(port),
        "BIND_HOST": "127.0.0.1",
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "warn"),
    }
    process = subprocess.Popen(
        [decap.node, "-e", _RUN_SERVER, str(decap.server)],
        stdin=subprocess.PIPE,
        # Its log goes with our errors to the terminal, never into the output scripts read.
        stdout=_stderr(),
        # Its own folder: decap-server reads a .env file from its working folder.
        cwd=decap.server.parent.parent,
        env=environment,
    )
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise EditProblem(f"decap-server stopped at start (exit status {process.returncode}); see above")
        try:
            status, _ = _ask(port, {"action": "info"}, timeout=1.0)
            if status == HTTPStatus.OK:
                return process
        except OSError:
            pass
        time.sleep(0.1)
    stop(process)
    raise EditProblem(f"decap-server did not answer within {START_SECONDS:.0f} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    """End decap-server: its stdin closed, then a terminate, then a kill."""
    if process.stdin is not None:
        with contextlib.suppress(OSError):
            process.stdin.close()
    for end in (None, process.terminate, process.kill):
        if end is not None:
            end()
        try:
            process.wait(timeout=5)
            return
        except subprocess.TimeoutExpired:
            continue


# --- the admin's files ------------------------------------------------------------------------


def admin_route(
    dist: Path, config: Callable[[], bytes], admin: Path = ADMIN
) -> Callable[[str], tuple[HTTPStatus, bytes, str] | None]:
    """What /admin/ serves: our page and widget, the generated config, and Decap's bundle."""
    dist_root = dist.resolve()

    def answer(path: str) -> tuple[HTTPStatus, bytes, str] | None:
        name = path.removeprefix(ADMIN_PREFIX)
        if name in ("", "index.html", "canales.js"):
            file = admin / (name or "index.html")
            return HTTPStatus.OK, file.read_bytes(), ADMIN_TYPES[file.suffix]
        if name == "config.yml":
            return HTTPStatus.OK, config(), ADMIN_TYPES[".yml"]
        parts = PurePosixPath(name).parts
        if not name or "\\" in name or "\0" in name or any(part in ("..", ".") for part in parts):
            return None
        file = (dist_root / name).resolve()
        if not file.is_relative_to(dist_root) or not file.is_file():
            return None
        return HTTPStatus.OK, file.read_bytes(), ADMIN_TYPES.get(file.suffix, "application/octet-stream")

    return answer


def _config_source(content: Path, proxy_port: int) -> Callable[[], bytes]:
    """The config for the content's languages as they are now: an editor may add a language in
    the admin itself. While site.yaml cannot say, the last good config is kept."""
    backend = Backend(proxy_port=proxy_port)
    last = [config_for(content, backend)]  # raises ContentErrors at start, where the CLI reports it

    def current() -> bytes:
        with contextlib.suppress(ContentErrors):
            last[0] = config_for(content, backend)
        return last[0]

    return current


def edit(
    content: Path,
    cache: BuildCache,
    *,
    port: int = 8000,
    proxy_port: int = DEFAULT_PROXY_PORT,
    node_modules: Path | None = None,
    base_url: str | None = None,
    report: Callable[[str], None] | None = None,
) -> int:
    """Serve the site and the admin until interrupted; returns the exit status."""
    from generator.serve import serve

    say = report or (lambda text: print(text, flush=True))
    decap = find_decap(node_modules)
    for warning in decap.warnings:
        say(f"warning: {warning}")
    content = content.resolve()
    repository = content.parent
    config = _config_source(content, proxy_port)
    upstream = _free_port()
    try:
        relay = ThreadingHTTPServer(("127.0.0.1", proxy_port), _relay_handler(upstream, repository))
    except OSError as error:
        raise EditProblem(
            f"cannot listen on port {proxy_port} for the admin's saves ({error.strerror}); is another "
            "`edit` or decap-server running? Stop it, or choose another port with --proxy-port"
        ) from None
    relay.daemon_threads = True
    relay_thread = threading.Thread(target=relay.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
    server: subprocess.Popen[bytes] | None = None
    try:
        server = start_decap_server(decap, repository, upstream)
        relay_thread.start()

        def announce(text: str) -> None:
            say(text)
            found = re.match(r"Serving .* on (http://\S+/) ", text)
            if found:
                say(f"Editing {content.name}/ in Decap CMS at {found[1]}admin/ (saves are written to disk)")

        return serve(
            content,
            cache,
            port=port,
            base_url=base_url,
            report=announce,
            routes={ADMIN_PREFIX: admin_route(decap.dist, config)},
        )
    finally:
        if relay_thread.is_alive():
            relay.shutdown()
        relay.server_close()
        if server is not None:
            stop(server)
