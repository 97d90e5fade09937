"""The shipped nginx server block, for real: a build published under /ayuda/ on a loopback port.

Debian's nginx runs deploy/nginx.conf with only its root and port substituted. Every link on the
pages must answer, with the right Content-Type, the security headers, gzip, and the site's own 404.
Locally the test skips without nginx; under CI=true a missing nginx fails it.
"""

from __future__ import annotations

import gzip
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from generator import pipeline
from generator.cache import BuildCache

ROOT = Path(__file__).resolve().parent.parent
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
SECURITY_HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_block(root: Path, port: int) -> str:
    """deploy/nginx.conf with the operator's lines filled in, as an operator would."""
    text = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    text, listens = re.subn(r"^(\s*)listen \S+;", rf"\g<1>listen 127.0.0.1:{port};", text, flags=re.M)
    text, roots = re.subn(r"^(\s*)root \S+;", rf"\g<1>root {root};", text, flags=re.M)
    assert listens == 1 and roots == 1, "the server block should have one listen and one root line"
    return text


@pytest.fixture(scope="module")
def nginx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, Path]]:
    if NGINX is None:
        if os.environ.get("CI") == "true":
            pytest.fail("nginx is not installed; .ci/run installs it")
        pytest.skip("nginx is not installed")
    work = tmp_path_factory.mktemp("nginx")
    port = free_port()
    www = work / "www"
    pipeline.build(ROOT / "content", www / "ayuda", BuildCache(), base_url=f"http://127.0.0.1:{port}/ayuda/")
    for folder in ("client", "proxy", "fastcgi", "uwsgi", "scgi"):
        (work / folder).mkdir()
    (work / "nginx.conf").write_text(
        f"""
user root;
daemon off;
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log;
events {{}}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {work}/client;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
{server_block(www, port)}
}}
""",
        encoding="utf-8",
    )
    process = subprocess.Popen(
        [NGINX, "-c", str(work / "nginx.conf"), "-p", str(work)], stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                assert process.stderr is not None
                pytest.fail(f"nginx did not start: {process.stderr.read().decode()}")
            time.sleep(0.05)
    yield port, www / "ayuda"
    process.terminate()
    process.wait(timeout=10)


def fetch(port: int, path: str, gzip_ok: bool = False) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request("GET", path, headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, body


def site_links(port: int) -> set[str]:
    """Every same-site path linked or loaded from the pages, found by crawling from /ayuda/."""
    base = f"http://127.0.0.1:{port}"
    queue, seen, found = ["/ayuda/"], set(), set()
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        status, headers, body = fetch(port, path)
        assert status == 200, path
        if not headers["content-type"].startswith("text/html"):
            continue
        soup = BeautifulSoup(body, "html.parser")
        for element in soup.select("[href], [src]"):
            target = str(element.get("href") or element.get("src"))
            if target.startswith("webcal://"):
                target = "http://" + target.removeprefix("webcal://")
            absolute = urljoin(base + path, target)
            parts = urlsplit(absolute)
            if parts.scheme == "http" and parts.netloc == f"127.0.0.1:{port}":
                found.add(parts.path)
                if parts.path not in seen:
                    queue.append(parts.path)
    return found


def test_every_link_answers_under_the_sub_path(nginx: tuple[int, Path]) -> None:
    port, _site = nginx
    links = site_links(port)
    assert {
        "/ayuda/es/",
        "/ayuda/en/",
        "/ayuda/es/hours/business.ics",
        "/ayuda/en/contacts/help-desk.vcf",
    } <= links
    assert all(link.startswith("/ayuda/") for link in links), sorted(links)
    for link in links:
        status, _, _ = fetch(port, link)
        assert status == 200, link


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/ayuda/es/", "text/html; charset=utf-8"),
        ("/ayuda/es/hours/business.ics", "text/calendar; charset=utf-8"),
        ("/ayuda/en/contacts/help-desk.vcf", "text/vcard; charset=utf-8"),
        ("/ayuda/en/notices.atom", "application/atom+xml; charset=utf-8"),
        ("/ayuda/es/notices.ics", "text/calendar; charset=utf-8"),
    ],
)
def test_content_types_headers_and_gzip(nginx: tuple[int, Path], path: str, content_type: str) -> None:
    port, site = nginx
    status, headers, body = fetch(port, path, gzip_ok=True)
    assert status == 200
    assert headers["content-type"] == content_type
    for name in SECURITY_HEADERS:
        assert headers.get(name.lower()), name
    assert headers["x-content-type-options"] == "nosniff"
    # The pages' own meta element holds the rest of their policy; the header adds framing only.
    assert headers["content-security-policy"] == "frame-ancestors 'self'"
    assert headers["cache-control"] == "max-age=300"
    assert headers.get("content-encoding") == "gzip"
    on_disk = site / (path.removeprefix("/ayuda/") + ("index.html" if path.endswith("/") else ""))
    assert gzip.decompress(body) == on_disk.read_bytes()


def test_fingerprinted_assets_are_cached_for_a_year(nginx: tuple[int, Path]) -> None:
    port, site = nginx
    favicon = next(site.glob("static/favicon.*.svg")).name
    status, headers, _ = fetch(port, f"/ayuda/static/{favicon}")
    assert status == 200
    assert headers["cache-control"] == "max-age=31536000"
    assert headers["content-type"] == "image/svg+xml; charset=utf-8"
    assert headers.get("x-content-type-options") == "nosniff"
    # An SVG opened by itself runs nothing, whatever it holds.
    assert headers["content-security-policy"].startswith("default-src 'none'; style-src 'unsafe-inline'")
    icon = next(site.glob("static/icon-512.*.png")).name
    status, headers, _ = fetch(port, f"/ayuda/static/{icon}")
    assert (status, headers["cache-control"], headers["content-type"]) == (
        200,
        "max-age=31536000",
        "image/png",
    )


def test_the_offline_worker_and_the_manifest(nginx: tuple[int, Path]) -> None:
    port, site = nginx
    status, headers, body = fetch(port, "/ayuda/sw.js")
    assert (status, body) == (200, (site / "sw.js").read_bytes())
    assert headers["content-type"] == "application/javascript; charset=utf-8"
    assert headers["cache-control"] == "no-cache"  # a new worker is found at the next visit
    status, headers, body = fetch(port, "/ayuda/manifest.webmanifest")
    assert status == 200 and headers["content-type"] == "application/manifest+json; charset=utf-8"
    assert json.loads(body)["start_url"] == "es/"


def test_only_the_embeddable_status_may_be_framed_by_other_sites(nginx: tuple[int, Path]) -> None:
    port, _ = nginx
    for path in ("/ayuda/", "/ayuda/es/", "/ayuda/en/index.html", "/ayuda/no-such-page"):
        assert fetch(port, path)[1]["content-security-policy"] == "frame-ancestors 'self'", path
    for path in ("/ayuda/es/embed/", "/ayuda/en/embed/index.html"):
        status, headers, _ = fetch(port, path)
        assert status in (200, 404)  # 404 until the embeddable page is built
        assert headers["content-security-policy"] == "frame-ancestors *", path


def test_the_sites_own_404_page(nginx: tuple[int, Path]) -> None:
    port, site = nginx
    for path in ("/ayuda/no-such-page", "/ayuda/es/no/such/page.html"):
        status, headers, body = fetch(port, path)
        assert status == 404
        assert body == (site / "404.html").read_bytes()
        assert headers.get("x-content-type-options") == "nosniff"
