"""Every kind of bad content is refused with its message, file, line and column, all in one run."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from generator import pipeline
from generator.cache import BuildCache
from generator.content.errors import ContentError, ContentErrors
from generator.content.model import Text

Edit = Callable[[Path, str, str], None]


def errors_after(content: Path, edit: Edit, file: str, old: str, new: str) -> list[str]:
    edit(content / file, old, new)
    with pytest.raises(ContentErrors) as raised:
        pipeline.load(content, BuildCache())
    return [str(error) for error in raised.value.errors]


# (file, snippet, replacement, expected line, expected text in the message)
CASES = [
    ("hours.yaml", "      - days: [sat]", "      - days: [sat\n", 14, "YAML syntax error"),
    ("hours.yaml", '        opens: "08:00"', '\topens: "08:00"', 13, "tab"),
    (
        "hours.yaml",
        "    always: true",
        "    always: true\n    always: false",
        21,
        "duplicate key 'always' (first given at line 20)",
    ),
    (
        "hours.yaml",
        "    weekly:\n      - days: [mon-fri]",
        "    wekly:\n      - days: [mon-fri]",
        8,
        "unknown key 'wekly' in a schedule (did you mean 'weekly'?)",
    ),
    ("hours.yaml", "    always: true", "    always: 1", 20, "expected true or false, found the number 1"),
    ("hours.yaml", "  - id: always\n", "  - always_id: x\n", 16, "unknown key 'always_id'"),
    (
        "hours.yaml",
        '        closes: "19:00"',
        '        closes: "06:00"',
        11,
        "closes at or before it opens; for hours past midnight add 'overnight: true'",
    ),
    ("hours.yaml", '        closes: "19:00"', '        closes: "25:00"', 11, "out of range (00:00 to 24:00)"),
    ("hours.yaml", "      - days: [sat]", "      - days: [fri]", 12, "overlaps interval 1 of this schedule"),
    ("hours.yaml", "      - days: [sat]", "      - days: [sut]", 12, "days are mon, tue"),
    (
        "hours.yaml",
        "  - id: always\n",
        "  - id: always\n    timezone: America/Bogata\n",
        17,
        "not an IANA time zone",
    ),
    ("hours.yaml", "  - id: always\n", "  - id: Always Open\n", 16, "expected an id of lowercase letters"),
    ("hours.yaml", "  - id: always\n", "  - id: ../x\n", 16, "expected an id of lowercase letters"),
    ("hours.yaml", "      en: 24/7 service\n", "", 18, "missing the 'en' text"),
    (
        "hours.yaml",
        "      en: 24/7 service\n",
        "      en: 24/7 service\n      fr: Service 24/7\n",
        20,
        "language 'fr' is not one of the site's languages (es, en)",
    ),
    (
        "channels.yaml",
        'value: "601 7442727"',
        'value: "601 744"',
        24,
        "phone channel: not a valid phone number",
    ),
    (
        "channels.yaml",
        'value: "601 7442727"',
        "value: 6017442727",
        24,
        "expected text, found the number 6017442727 (put it in quotes)",
    ),
    (
        "channels.yaml",
        "value: mesadeayuda@certicamara.com",
        "value: mesadeayuda.certicamara.com",
        51,
        "not an email address",
    ),
    (
        "channels.yaml",
        "value: https://certicamara.service-now.com/csm",
        "value: javascript:alert(1)",
        99,
        "only https:// and http:// addresses are allowed, not javascript:",
    ),
    (
        "channels.yaml",
        "value: https://certicamara.service-now.com/csm",
        "value: data:text/html,x",
        99,
        "not data:",
    ),
    (
        "channels.yaml",
        "    kind: email",
        "    kind: fax",
        50,
        "unknown channel kind: expected one of phone, email, whatsapp, web, found the text 'fax'",
    ),
    (
        "channels.yaml",
        "      - schedule: business\n\n  - id: phone-toll-free",
        "      - schedule: busines\n\n  - id: phone-toll-free",
        33,
        "unknown schedule 'busines' (did you mean 'business'?)",
    ),
    (
        "channels.yaml",
        "  - id: phone-bogota\n    kind: phone\n",
        "  - id: phone-bogota\n",
        22,
        "missing required key 'kind' in a channel",
    ),
    (
        "channels.yaml",
        "  - id: phone-toll-free",
        "  - id: phone-bogota",
        35,
        "channel id 'phone-bogota' is used twice",
    ),
    (
        "escalation.yaml",
        "channels: [email, phone-bogota,",
        "channels: [email, phone-bogot,",
        11,
        "unknown channel 'phone-bogot' (did you mean 'phone-bogota'?)",
    ),
    (
        "escalation.yaml",
        "        - orlando.mendez@certicamara.com",
        "        - orlando.mendez@",
        24,
        "not an email address",
    ),
    (
        "escalation.yaml",
        "      person: Orlando Méndez\n",
        "",
        21,
        "missing required key 'person' in a contact",
    ),
    ("site.yaml", "timezone: America/Bogota", "timezone: Mars/Olympus", 13, "not an IANA time zone"),
    ("site.yaml", "updated: 2026-11-29", "updated: 2026-13-01", 15, "expected a date YYYY-MM-DD"),
    (
        "strings/es.yaml",
        "mobile: Celular",
        'mobile: "Celular {number}"',
        4,
        "mobile: expected no placeholders, found {number}",
    ),
]


@pytest.mark.parametrize(("file", "old", "new", "line", "message"), CASES)
def test_bad_content_is_refused_with_its_place(
    content_copy: Path, edit: Edit, file: str, old: str, new: str, line: int, message: str
) -> None:
    errors = errors_after(content_copy, edit, file, old, new)
    prefix = f"{content_copy / file}:{line}:"
    matching = [error for error in errors if message in error]
    assert matching, f"no error says {message!r}: {errors}"
    assert any(error.startswith(prefix) for error in matching), f"not at {prefix}: {matching}"


def test_every_problem_is_reported_in_one_run(content_copy: Path, edit: Edit) -> None:
    edit(content_copy / "hours.yaml", 'closes: "19:00"', 'closes: "06:00"')
    edit(content_copy / "channels.yaml", "kind: email", "kind: fax")
    edit(content_copy / "escalation.yaml", "person: Iván Rodríguez", "persn: Iván Rodríguez")
    with pytest.raises(ContentErrors) as raised:
        pipeline.load(content_copy, BuildCache())
    files = {Path(error.file).name for error in raised.value.errors}
    assert files == {"hours.yaml", "channels.yaml", "escalation.yaml"}


def test_python_tags_never_run(content_copy: Path, edit: Edit, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    edit(
        content_copy / "site.yaml",
        "organisation: Certicámara",
        f"organisation: !!python/object/apply:os.system ['touch {marker}']",
    )
    errors = errors_after(content_copy, edit, "site.yaml", "country: CO", "country: CO")
    assert any("tag '!!python/object/apply:os.system' is not allowed" in error for error in errors)
    assert not marker.exists()


def test_alias_bomb_is_refused(content_copy: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    (content_copy / "hours.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ContentErrors) as raised:
        pipeline.load(content_copy, BuildCache())
    assert any("aliases expanding" in error.message for error in raised.value.errors)


def test_not_utf8_and_empty_files(content_copy: Path) -> None:
    (content_copy / "hours.yaml").write_bytes(b"schedules:\n  - id: caf\xe9\n")
    (content_copy / "escalation.yaml").write_bytes(b"  \n")
    with pytest.raises(ContentErrors) as raised:
        pipeline.load(content_copy, BuildCache())
    messages = {Path(e.file).name: (e.line, e.column, e.message) for e in raised.value.errors}
    assert messages["hours.yaml"] == (2, 12, "not UTF-8 text (byte 0xe9)")
    assert messages["escalation.yaml"][2] == "file is empty"


def test_byte_order_mark_is_accepted(content_copy: Path) -> None:
    path = content_copy / "hours.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert pipeline.load(content_copy, BuildCache()).schedules[0].id == "business"


def test_missing_translation_file_and_unknown_language_folder(content_copy: Path) -> None:
    (content_copy / "pages" / "en" / "intro.md").unlink()
    (content_copy / "pages" / "fr").mkdir()
    with pytest.raises(ContentErrors) as raised:
        pipeline.load(content_copy, BuildCache())
    text = "\n".join(map(str, raised.value.errors))
    assert "pages/en/intro.md:1:1: file is missing (the 'intro' text in 'en')" in text
    assert "pages/fr:1:1: language 'fr' is not one of the site's languages (es, en)" in text


def test_norway_and_times_stay_text(content_copy: Path, edit: Edit) -> None:
    # YAML 1.1 would read `no` as false and 19:00 as the integer 1140.
    edit(content_copy / "hours.yaml", 'closes: "19:00"', "closes: 19:00")
    site = pipeline.load(content_copy, BuildCache())
    assert site.schedules[0].weekly[0].closes == 19 * 60


def test_a_problem_found_twice_is_reported_once() -> None:
    first = ContentError("hours.yaml", 3, 5, "not a time", field="schedules[0].opens")
    again = ContentError("hours.yaml", 3, 5, "not a time", field="schedules[0]")
    earlier = ContentError("channels.yaml", 9, 1, "unknown key")
    assert ContentErrors([first, again, earlier]).errors == [earlier, first]


def test_the_model_is_frozen(content_copy: Path) -> None:
    site = pipeline.load(content_copy, BuildCache())
    with pytest.raises(AttributeError):
        site.organisation = "Other"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        site.title.translations = ()  # type: ignore[misc]
    assert site.title == Text(site.title.translations) and hash(site.title) == hash(
        Text(site.title.translations)
    )
    assert site.title["es"] == dict(site.title.translations)["es"]


def test_errors_in_several_files_come_in_one_report(content_copy: Path, tmp_path: Path) -> None:
    """A broken email in one file, a mistyped schedule in another and a bad time in a third: one
    `check` lists all three, the cross-file reference included."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    escalation = content_copy / "escalation.yaml"
    escalation.write_text(
        escalation.read_text().replace("supervisor.mesadeayuda@certicamara.com", "not-an-email", 1)
    )
    channels = content_copy / "channels.yaml"
    channels.write_text(channels.read_text().replace("- schedule: business", "- schedule: busines", 1))
    hours = content_copy / "hours.yaml"
    hours.write_text(hours.read_text().replace('"19:00"', '"25:00"', 1))
    result = subprocess.run(
        [sys.executable, str(root / "build.py"), "check", "--content", str(content_copy), "--no-cache"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    places = [
        line.split(": ")[0] for line in result.stderr.splitlines() if line.startswith(str(content_copy))
    ]
    assert [place.rsplit("/", 1)[-1].split(":")[0] for place in places] == [
        "channels.yaml",
        "escalation.yaml",
        "hours.yaml",
    ]
    assert "unknown schedule 'busines' (did you mean 'business'?)" in result.stderr
    assert "3 problems found" in result.stderr
