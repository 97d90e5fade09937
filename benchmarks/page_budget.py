"""The one-round-trip budget: every HTML page, with what its first render needs, fits in 12,000 bytes
of gzip, and nothing besides the page itself blocks rendering.

Usage: .venv/bin/python benchmarks/page_budget.py [SITE_DIR]
Without SITE_DIR it builds the seed content into a temporary folder. Prints one line per page and
exits 1 when a page is over budget or loads a render-blocking resource.

Why 12,000: a new TCP connection's first flight is about 10 segments (≈14.6 KB); the rest leaves
room for headers and TLS records. Compressed at gzip level 6, what most servers and CDNs use.
A stylesheet or a synchronous script from the site itself would count into the page's cost (and be
reported as blocking); the pages inline both, so the page is all there is.

The embeddable status pages (`<lang>/embed/index.html`, shown in an iframe on other sites) have a
budget of their own, 6,000 bytes: they load on someone else's page, beside its own first flight.
"""

from __future__ import annotations

import gzip
import sys
import tempfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

BUDGET = 12_000
EMBED_BUDGET = 6_000
LEVEL = 6
ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class PageCost:
    """One page: its size as sent, and the render-blocking resources it loads."""

    path: str
    raw: int
    gzip: int
    blocking: tuple[str, ...]

    @property
    def budget(self) -> int:
        return budget_for(self.path)

    @property
    def ok(self) -> bool:
        return self.gzip <= self.budget and not self.blocking


def budget_for(path: str) -> int:
    """A page's budget, by its path in the site: an embeddable status page's, or every other page's."""
    return EMBED_BUDGET if path.endswith("/embed/index.html") else BUDGET


class _Blocking(HTMLParser):
    """Finds stylesheets and synchronous scripts: the requests a browser waits for to render."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "link" and "stylesheet" in (attributes.get("rel") or "").split():
            media = attributes.get("media") or "all"
            if media in ("all", "screen") or "screen" in media:
                self.found.append(attributes.get("href") or "")
        deferred = "async" in attributes or "defer" in attributes or attributes.get("type") == "module"
        if tag == "script" and attributes.get("src") and not deferred:
            self.found.append(attributes["src"] or "")


def _gzip_size(data: bytes) -> int:
    # mtime=0: the same bytes always give the same size.
    return len(gzip.compress(data, compresslevel=LEVEL, mtime=0))


def measure(site: Path) -> list[PageCost]:
    """Every HTML page under `site`, with the cost of what its first render needs."""
    costs = []
    for page in sorted(site.rglob("*.html")):
        data = page.read_bytes()
        parser = _Blocking()
        parser.feed(data.decode("utf-8"))
        size = _gzip_size(data)
        for href in parser.found:
            local = (page.parent / href.split("?")[0]).resolve()
            if local.is_file() and site.resolve() in local.parents:
                size += _gzip_size(local.read_bytes())
        costs.append(PageCost(page.relative_to(site).as_posix(), len(data), size, tuple(parser.found)))
    return costs


def _build(target: Path) -> Path:
    sys.path.insert(0, str(ROOT))
    from generator import pipeline
    from generator.cache import BuildCache

    pipeline.build(ROOT / "content", target, BuildCache())
    return target


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory() as temporary:
        site = Path(argv[0]) if argv else _build(Path(temporary) / "site")
        costs = measure(site)
        width = max(len(cost.path) for cost in costs)
        print(f"{'page':<{width}}  {'bytes':>7}  {'gzip':>6}  {'budget':>6}")
        for cost in costs:
            verdict = (
                "ok"
                if cost.ok
                else "OVER"
                if cost.gzip > cost.budget
                else "BLOCKING " + ", ".join(cost.blocking)
            )
            print(f"{cost.path:<{width}}  {cost.raw:>7}  {cost.gzip:>6}  {cost.budget:>6}  {verdict}")
        return 0 if all(cost.ok for cost in costs) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
