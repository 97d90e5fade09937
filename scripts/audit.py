"""Lighthouse (npm lighthouse@12.2.3, mobile) on every language's page: 100 in Performance,
Accessibility, Best Practices and SEO, or exit 1.

Usage: .venv/bin/python scripts/audit.py [CONTENT]     (or `make audit`, on content/)

CONTENT is another content folder to audit instead of the seed's: a language added with
scripts/read_language.py (its content is left in /tmp/read-<code>/content), say.

The seed content is built with the loopback server's address as its base URL, as a published site
has one (canonical and hreflang links must be absolute), and served over HTTP on 127.0.0.1.
Lighthouse drives Debian's Chromium (CHROME_PATH=/usr/bin/chromium). It exits 0 whatever the score,
so the scores are read from its JSON reports, kept in test-artifacts/lighthouse/.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator import pipeline  # noqa: E402
from generator.cache import BuildCache  # noqa: E402

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
REPORTS = ROOT / "test-artifacts" / "lighthouse"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def lighthouse(url: str, report: Path) -> dict[str, Any]:
    """Run Lighthouse on one URL; its JSON report."""
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            f"--only-categories={','.join(CATEGORIES)}",
            "--chrome-flags=--headless=new --no-sandbox --disable-dev-shm-usage",
        ],
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        check=True,
        timeout=300,
    )
    result: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    return result


def failing_audits(result: dict[str, Any], category: str) -> list[str]:
    """The scored audits of a category that did not pass, to say why a score is not 100."""
    audits = result["audits"]
    return [
        f"{ref['id']}: {audits[ref['id']]['title']}"
        for ref in result["categories"][category]["auditRefs"]
        if ref["weight"] > 0 and (audits[ref["id"]]["score"] or 0) < 1
    ]


def main() -> int:
    content = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else ROOT / "content"
    if not LIGHTHOUSE.is_file():
        print("Lighthouse is missing: run `make node_modules/.installed` (npm ci).", file=sys.stderr)
        return 2
    REPORTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as temporary:
        site = Path(temporary) / "site"
        handler = functools.partial(_Quiet, directory=str(site))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        cache = BuildCache()
        site_model = pipeline.load(content, cache, base_url=base)
        pipeline.build(content, site, cache, base_url=base)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        ok = True
        try:
            print(f"{'page':<6}" + "".join(f"{c:>16}" for c in CATEGORIES))
            for language in site_model.languages:
                result = lighthouse(f"{base}{language.code}/", REPORTS / f"{language.code}.json")
                scores = {c: round((result["categories"][c]["score"] or 0) * 100) for c in CATEGORIES}
                print(f"{language.code + '/':<6}" + "".join(f"{scores[c]:>16}" for c in CATEGORIES))
                for category in CATEGORIES:
                    if scores[category] < 100:
                        ok = False
                        for audit in failing_audits(result, category):
                            print(f"    {category}: {audit}")
        finally:
            server.shutdown()
            server.server_close()
    print(f"reports: {REPORTS.relative_to(ROOT)}/")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
