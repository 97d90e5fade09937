"""The command line and the build guarantees: atomic, deterministic, contained, clear exit codes."""

from __future__ import annotations

import datetime
import hashlib
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from generator import cli, pipeline
from generator.cache import BuildCache
from generator.content.model import Site
from generator.writer import MARKER, OutputError, Staging, lock_path, merge, write_site

ROOT = Path(__file__).resolve().parent.parent

Edit = Callable[[Path, str, str], None]


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file below `folder` with the hash of its bytes."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def run_build(*arguments: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), *arguments],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        check=False,
    )


def test_build_prints_one_summary_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["build", "--output", str(tmp_path / "site")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Built ") and "2 languages, 6 channels, 4 escalation levels" in lines[0]
    assert (tmp_path / "site" / "es" / "index.html").is_file()
    assert (tmp_path / "site" / "en" / "index.html").is_file()


def test_no_command_means_build(tmp_path: Path) -> None:
    assert cli.main(["--output", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "index.html").is_file()


def test_check_writes_nothing(content_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = tree_digest(tmp_path)
    assert cli.main(["check", "--content", str(content_copy)]) == 0
    assert "is valid" in capsys.readouterr().out
    assert tree_digest(tmp_path) == before


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["bogus"]) == 2
    assert cli.main(["build", "--base-url", "ftp://example.org"]) == 2
    assert "only https:// and http://" in capsys.readouterr().err


def test_bad_content_exits_1_without_traceback_and_keeps_the_site(
    content_copy: Path, edit: Edit, tmp_path: Path
) -> None:
    output = tmp_path / "site"
    assert run_build("build", "--content", str(content_copy), "--output", str(output)).returncode == 0
    before = tree_digest(output)
    edit(content_copy / "hours.yaml", 'closes: "19:00"', 'closes: "06:00"')
    edit(content_copy / "channels.yaml", "kind: email", "kind: fax")
    result = run_build("build", "--content", str(content_copy), "--output", str(output))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    errors = result.stderr.splitlines()
    assert (
        f"{content_copy}/hours.yaml:11:17: schedules[0].weekly[0].closes: closes at or before it opens"
        in result.stderr
    )
    assert f"{content_copy}/channels.yaml:50:11: channels[2].kind: unknown channel kind" in result.stderr
    # Each message shows the offending line with a caret under the column, as a compiler does.
    assert '\n 11 |         closes: "06:00"\n    |                 ^\n' in result.stderr
    assert errors[-1] == "2 problems found; nothing was written."
    assert tree_digest(output) == before


def test_a_template_error_keeps_the_site(tmp_path: Path, cache: BuildCache) -> None:
    output = tmp_path / "site"
    pipeline.build(ROOT / "content", output, cache)
    before = tree_digest(output)
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    (templates / "index.html").write_text("{{ no_such_variable }}", encoding="utf-8")
    with pytest.raises(
        pipeline.TemplateProblem, match=r"index.html:1:1: template error: .no_such_variable. is undefined"
    ):
        pipeline.build(ROOT / "content", output, cache, templates=templates)
    assert tree_digest(output) == before
    assert sorted(tmp_path.glob(".site.*")) == [lock_path(output)]


def test_two_builds_are_byte_identical_whatever_the_zone_and_locale(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    assert run_build("--output", str(first), env={"TZ": "Asia/Tokyo", "LANG": "ja_JP.UTF-8"}).returncode == 0
    assert run_build("--output", str(second), env={"TZ": "America/Los_Angeles", "LANG": "C"}).returncode == 0
    assert tree_digest(first) == tree_digest(second)
    assert len(tree_digest(first)) > 3


def test_source_date_epoch_is_the_only_clock(seed_site: Site) -> None:
    assert pipeline.build_time(seed_site, None).isoformat() == "2026-11-29T00:00:00+00:00"
    assert pipeline.build_time(seed_site, "1700000000").isoformat() == "2023-11-14T22:13:20+00:00"


def test_outputs_may_not_collide_or_escape() -> None:
    with pytest.raises(OutputError, match="two outputs write"):
        merge({"es/index.html": b"a"}, {"es/index.html": b"b"})
    with pytest.raises(OutputError, match="two outputs write"):
        merge({"es/Index.html": b"a"}, {"es/index.html": b"b"})  # the same file on a case-blind host
    for bad in ("../x", "/etc/passwd", "a/../../x", "a//b", "a\\b", ""):
        with pytest.raises(OutputError, match="would leave the output folder"):
            merge({bad: b"x"})


def test_the_writer_swaps_whole_folders_and_cleans_up(tmp_path: Path) -> None:
    output = tmp_path / "site"
    write_site({"a.txt": b"1", "old/only.txt": b"x"}, output)
    write_site({"a.txt": b"2", "new/deep/b.txt": b"3"}, output)
    assert tree_digest(output).keys() == {"a.txt", "new/deep/b.txt", MARKER}
    assert (output / "a.txt").read_bytes() == b"2"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock", "site"]


def test_the_writer_links_what_the_last_build_holds_unchanged(tmp_path: Path) -> None:
    output = tmp_path / "site"
    write_site({"same.txt": b"kept", "changed.txt": b"old", "tampered.txt": b"t", "link.txt": b"l"}, output)
    before = {name: os.stat(output / name) for name in ("same.txt", "changed.txt", "tampered.txt")}
    (output / "tampered.txt").chmod(0o600)  # an operator's change: the new build must not keep it
    (output / "link.txt").unlink()
    (tmp_path / "outside.txt").write_bytes(b"l")
    (output / "link.txt").symlink_to(tmp_path / "outside.txt")  # never followed out of the site
    files = {"same.txt": b"kept", "changed.txt": b"new", "tampered.txt": b"t", "link.txt": b"l"}
    write_site(files, output)
    after = {name: os.stat(output / name, follow_symlinks=False) for name in files}
    # The unchanged file is the very same inode, with its modification time, not a copy.
    assert after["same.txt"].st_ino == before["same.txt"].st_ino
    assert after["same.txt"].st_mtime_ns == before["same.txt"].st_mtime_ns
    assert after["changed.txt"].st_ino != before["changed.txt"].st_ino
    assert after["tampered.txt"].st_ino != before["tampered.txt"].st_ino
    assert all(stat.S_ISREG(s.st_mode) and stat.S_IMODE(s.st_mode) == 0o644 for s in after.values())
    assert after["link.txt"].st_ino != os.stat(tmp_path / "outside.txt").st_ino
    assert {name: (output / name).read_bytes() for name in files} == files
    assert (tmp_path / "outside.txt").read_bytes() == b"l"


def test_the_writer_refuses_a_folder_it_did_not_build(tmp_path: Path) -> None:
    precious = tmp_path / "content"
    precious.mkdir()
    (precious / "hours.yaml").write_text("keep me")
    with pytest.raises(OutputError, match="was not built by canales"):
        write_site({"a.txt": b"1"}, precious)
    assert (precious / "hours.yaml").read_text() == "keep me"


def test_a_swap_cut_short_is_repaired_by_the_next_run(tmp_path: Path) -> None:
    output = tmp_path / "site"
    write_site({"a.txt": b"1"}, output)
    # What a build killed between its two renames leaves: no site/, the old build beside it.
    os.rename(output, tmp_path / ".site.old-abc")
    (tmp_path / ".site.staging-def").mkdir()
    write_site({"a.txt": b"2"}, output)
    assert (output / "a.txt").read_bytes() == b"2"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock", "site"]


def test_two_builds_of_one_output_never_overlap(tmp_path: Path) -> None:
    output = tmp_path / "site"
    write_site({"a.txt": b"1"}, output)
    with Staging(output) as first:
        first.write({"a.txt": b"2"})
        # The second would have removed the first's staging folder as a killed build's.
        with pytest.raises(OutputError, match="another build is writing"):
            Staging(output)
        assert (first.folder / "a.txt").read_bytes() == b"2"
        first.commit()
    assert (output / "a.txt").read_bytes() == b"2"
    write_site({"a.txt": b"3"}, output)  # the first build let go of the lock
    assert (output / "a.txt").read_bytes() == b"3"
    # Another output beside it is not held up.
    with Staging(output):
        write_site({"b.txt": b"1"}, tmp_path / "preview")


def test_a_build_while_another_writes_the_site_is_one_clear_line(tmp_path: Path) -> None:
    output = tmp_path / "site"
    assert run_build("build", "--output", str(output)).returncode == 0
    before = tree_digest(output)
    with Staging(output):
        result = run_build("build", "--output", str(output))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        f"error: another build is writing {output}; run this one once it has finished; nothing was written."
    )
    assert "Traceback" not in result.stderr
    assert tree_digest(output) == before


def test_check_lists_what_a_new_language_lacks(content_copy: Path, edit: Edit) -> None:
    edit(
        content_copy / "site.yaml",
        "  - code: en\n    locale: en\n",
        "  - code: en\n    locale: en\n  - code: pt\n    locale: pt_BR\n",
    )
    result = run_build("check", "--content", str(content_copy))
    assert result.returncode == 1
    lacking = [line for line in result.stderr.splitlines() if "missing the 'pt' text" in line]
    # Every translatable text of every file is listed with its place, not only the first file's.
    files = {line.split(":", 1)[0].rsplit("/", 1)[-1] for line in lacking}
    assert files == {"site.yaml", "hours.yaml", "channels.yaml", "escalation.yaml"}
    assert f"{content_copy}/site.yaml:5:3: title: missing the 'pt' text" in result.stderr
    # The interface strings come from the generator's Portuguese: only the content's texts lack.
    assert "strings/pt.yaml" not in result.stderr
    assert "Texts lacking a translation: pt: 35." in result.stderr
    assert "not a phone number" not in result.stderr


def test_without_a_base_url_each_degraded_feature_warns_once(tmp_path: Path) -> None:
    result = run_build("build", "--output", str(tmp_path / "a"))
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning: no base URL")]
    features = [line.split(": ")[2] for line in warnings]
    assert features == ["pages", "calendars", "contact cards", "structured data"]
    with_base = run_build(
        "build", "--output", str(tmp_path / "b"), "--base-url", "https://example.org/ayuda/"
    )
    assert with_base.returncode == 0 and "warning" not in with_base.stderr


@pytest.mark.parametrize("epoch", ["100000000000000000000", "99999999999999", "-5", "soon"])
def test_a_bad_source_date_epoch_is_one_clear_line(tmp_path: Path, epoch: str) -> None:
    result = run_build("build", "--output", str(tmp_path / "site"), env={"SOURCE_DATE_EPOCH": epoch})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "SOURCE_DATE_EPOCH must be" in result.stderr
    assert not (tmp_path / "site").exists()


def test_a_build_warns_when_the_covered_dates_run_out(seed_site: Site) -> None:
    near = [w for w in pipeline.warnings(seed_site, datetime.date(2028, 10, 1)) if "cover dates until" in w]
    assert near == [
        "the calendars, the open-now data and the special days cover dates until 2028-11-20, counted from "
        "`updated` in site.yaml (2026-11-29): update it and rebuild"
    ]
    assert not [w for w in pipeline.warnings(seed_site, datetime.date(2026, 11, 29)) if "cover dates" in w]


def test_a_build_names_the_notices_that_ended_long_before_the_contents_date(
    content_copy: Path, tmp_path: Path, edit: Callable[[Path, str, str], None]
) -> None:
    """Counted from `updated` in site.yaml, never the clock: a notice over for more than 90 days
    (in the site's zone) is named; one over for 90 days, an incident still open, or a notice of
    a later date is not. The feeds keep them all."""
    from test_notices_feeds import NOTICES_YAML, write_notices

    old = """
  - id: old-maintenance
    kind: maintenance
    posted: 2026-08-01T10:00
    starts: 2026-08-30T22:00
    ends: 2026-08-30T23:30
    title: {es: Viejo, en: Old}
    body: {es: Viejo., en: Old.}
  - id: ninety-days
    kind: maintenance
    posted: 2026-08-01T10:00
    starts: 2026-08-31T10:00
    ends: 2026-08-31T23:30
    title: {es: Noventa, en: Ninety}
    body: {es: Noventa., en: Ninety.}
  - id: open-incident
    kind: incident
    starts: 2025-01-02T09:00
    title: {es: Abierto, en: Open}
    body: {es: Abierto., en: Open.}
"""
    write_notices(content_copy, NOTICES_YAML + old)
    site = pipeline.load(content_copy, BuildCache())
    assert site.updated == datetime.date(2026, 11, 29)
    found = [w for w in pipeline.warnings(site) if w.startswith("notices")]
    assert found == [
        "notices over for more than 90 days before `updated` in site.yaml (2026-11-29): "
        "old-maintenance (ended 2026-08-30); remove them from notices.yaml when the feeds need not show "
        "them any longer"
    ]
    # 2026-08-30T23:30 in Bogotá is the 31st in UTC: the day counts in the site's zone.
    assert pipeline.old_notices(site)[0][0].ends == datetime.datetime(2026, 8, 31, 4, 30, tzinfo=datetime.UTC)
    result = run_build("build", "--content", str(content_copy), "--output", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    assert f"warning: {found[0]}" in result.stderr.splitlines()
    assert b"old-maintenance" in (tmp_path / "site/en/notices.atom").read_bytes()
    # A newer `updated` brings the others' turn; none without notices.
    edit(content_copy / "site.yaml", "updated: 2026-11-29", "updated: 2027-06-01")
    later = pipeline.load(content_copy, BuildCache())
    assert [n.id for n, _ in pipeline.old_notices(later)] == [
        "portal-maintenance-2026-12",
        "phone-outage-2026-12-02",
        "old-maintenance",
        "ninety-days",
    ]
    assert pipeline.old_notices(later._replace(notices=())) == []
