"""Every page is valid HTML, and every SVG valid SVG, by the Nu Html Checker (npm vnu-jar, run with
the machine's Java), with and without a base URL, and with a brand (its rebuilt logo and favicon)."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from examples import BRAND, add_brand

from generator import pipeline
from generator.cache import BuildCache

ROOT = Path(__file__).resolve().parents[2]
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def _branded(content: Path) -> None:
    logo = (BRAND / "acme-logo.svg").read_bytes()
    add_brand(content, 'brand:\n  logo: brand/acme.svg\n  accent: "#ffd100"\n', {"brand/acme.svg": logo})


@pytest.mark.parametrize(
    ("base_url", "change"),
    [(None, None), ("https://example.org/ayuda/", None), (None, _branded)],
    ids=["relative", "base-url", "brand"],
)
def test_the_nu_html_checker_finds_no_error(
    tmp_path: Path,
    require: Callable[[bool, str], None],
    base_url: str | None,
    change: Callable[[Path], None] | None,
) -> None:
    java = shutil.which("java")
    require(java is not None, "java")
    require(
        VNU.is_file(), f"the Nu Html Checker ({VNU.relative_to(ROOT)}; run `make node_modules/.installed`)"
    )
    site = tmp_path / "site"
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    if change:
        change(content)
    pipeline.build(content, site, BuildCache(), base_url=base_url)
    files = sorted(str(p) for p in site.rglob("*") if p.suffix in (".html", ".svg"))
    assert len(files) >= 4 + 1 + 3
    result = subprocess.run(
        [str(java), "-jar", str(VNU), "--errors-only", "--format", "json", "--also-check-svg", *files],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = [f"{m.get('url', '')}:{m.get('lastLine', '')}: {m.get('message', '')}" for m in messages]
    assert errors == []
    assert result.returncode == 0
