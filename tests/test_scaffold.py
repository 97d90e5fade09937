"""`canales new`: a new help desk's folder whose content passes `check` at once, in any languages,
zone and country, and that never writes into a folder that holds anything."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator import __version__, pipeline
from generator.cache import BuildCache
from generator.scaffold import ScaffoldError, new_site

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("languages", "timezone", "country"),
    [(["en"], "UTC", "US"), (["es", "en"], "America/Bogota", "CO"), (["ar", "fr"], "Asia/Beirut", "LB")],
)
def test_a_new_folder_builds_at_once(
    tmp_path: Path, languages: list[str], timezone: str, country: str
) -> None:
    folder = tmp_path / "desk"
    new_site(folder, languages=languages, timezone=timezone, country=country)
    cache = BuildCache()
    site = pipeline.load(folder / "content", cache)
    assert [language.code for language in site.languages] == languages
    assert site.timezone == timezone and len(site.channels) == 2 and len(site.levels) == 1
    files = pipeline.render(site, cache)
    assert all(f"{code}/index.html" in files for code in languages)
    # Every data file names its schema, and the schemas beside it are the generator's own.
    for name in ("site", "hours", "channels", "escalation"):
        first = (folder / "content" / f"{name}.yaml").read_text(encoding="utf-8").splitlines()[0]
        assert first == f"# yaml-language-server: $schema=../schema/{name}.schema.json"
        committed = (ROOT / "schema" / f"{name}.schema.json").read_bytes()
        assert (folder / "schema" / f"{name}.schema.json").read_bytes() == committed


def test_the_workflow_installs_this_version_of_canales(tmp_path: Path) -> None:
    new_site(tmp_path / "desk", languages=["en"], timezone="UTC", country="US")
    workflow = yaml.safe_load((tmp_path / "desk" / ".github" / "workflows" / "pages.yml").read_text())
    steps = workflow["jobs"]["build"]["steps"]
    runs = [step["run"] for step in steps if "run" in step]
    # This version from PyPI, unless the repository says where else to take canales from.
    assert f"python -m pip install \"${{{{ vars.CANALES_PACKAGE || 'canales=={__version__}' }}}}\"" in runs
    assert any(run.startswith("canales build --base-url") for run in runs)
    assert [step.get("uses") for step in steps if "upload-pages-artifact" in str(step.get("uses"))]
    # Its build cache, like deploy/github-pages.yml's, is keyed by the generator: here its version.
    (kept,) = [step["with"] for step in steps if str(step.get("uses", "")).startswith("actions/cache@")]
    assert kept["path"] == "~/.cache/canales" and kept["restore-keys"] == f"canales-{__version__}-"


def test_a_folder_that_holds_anything_is_refused(tmp_path: Path) -> None:
    (tmp_path / "desk").mkdir()
    (tmp_path / "desk" / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(ScaffoldError):
        new_site(tmp_path / "desk", languages=["en"], timezone="UTC", country="US")
    refused = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "new", str(tmp_path / "desk")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert refused.returncode == 1 and "not an empty folder" in refused.stderr
    assert [path.name for path in (tmp_path / "desk").iterdir()] == ["notes.txt"]


def test_a_bad_time_zone_is_reported_in_the_file_it_went_into(tmp_path: Path) -> None:
    made = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "new", str(tmp_path / "desk"), "--timezone", "Mars/Olympus"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert made.returncode == 1
    assert "desk/content/site.yaml:" in made.stderr and "not an IANA time zone" in made.stderr
