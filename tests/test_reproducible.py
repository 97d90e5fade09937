"""The same content gives the same site, byte for byte and mode for mode, whatever the machine.

Every build here runs the real command line in its own process and is compared, file by file and
mode by mode, with one reference build. What varies: the time zone, the locale variables (which
Babel reads itself; this machine has only the C locales installed, so libc ignores the others),
the umask, Python's hash seed, and the order in which the file system lists a folder.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "content"
# Variables that would change a build on purpose (SOURCE_DATE_EPOCH) or by accident.
CLEARED = ("SOURCE_DATE_EPOCH", "TZ", "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "LC_TIME", "PYTHONHASHSEED")

# The command line, with every folder listing (os.listdir, os.scandir, and so pathlib's iterdir,
# glob and rglob) handed over in another order: reversed, or shuffled by a seeded generator.
LISTING_IN_ANOTHER_ORDER = """
import os, random, sys
order = sys.argv.pop(1)
shuffle = random.Random(order).shuffle
def reorder(items):
    items = list(items)
    items.reverse() if order == "reversed" else shuffle(items)
    return items
listdir, scandir = os.listdir, os.scandir
class Listing:
    def __init__(self, entries): self.entries = iter(entries)
    def __iter__(self): return self.entries
    def __next__(self): return next(self.entries)
    def __enter__(self): return self
    def __exit__(self, *exc): return None
    def close(self): return None
def scandir_reordered(path="."):
    with scandir(path) as found:
        return Listing(reorder(found))
os.listdir = lambda path=".": reorder(listdir(path))
os.scandir = scandir_reordered
from generator.cli import main
sys.exit(main(sys.argv[1:]))
"""


def tree(folder: Path) -> dict[str, str]:
    """Every path below `folder` with its mode and, for a file, the hash of its bytes."""
    found = {}
    for path in sorted(folder.rglob("*")):
        mode = oct(path.stat().st_mode)
        found[path.relative_to(folder).as_posix()] = (
            f"{mode} {hashlib.sha256(path.read_bytes()).hexdigest()}" if path.is_file() else mode
        )
    return found


def build(
    output: Path,
    *,
    content: Path = SEED,
    env: dict[str, str] | None = None,
    umask: int = 0o022,
    prelude: list[str] | None = None,
) -> dict[str, str]:
    """Build with the real command line in a fresh process; the output's tree."""
    base = {name: value for name, value in os.environ.items() if name not in CLEARED}
    command = prelude or [str(ROOT / "build.py")]

    def start_with_umask() -> None:
        os.umask(umask)

    result = subprocess.run(
        # Without the cache: every variation asks Babel, the zones and the writers itself.
        [sys.executable, *command, "build", "--content", str(content), "--output", str(output), "--no-cache"],
        capture_output=True,
        text=True,
        env={**base, "PYTHONPATH": str(ROOT), **(env or {})},
        preexec_fn=start_with_umask,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return tree(output)


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    found = build(tmp_path_factory.mktemp("reference") / "site", env={"TZ": "UTC", "LANG": "C.UTF-8"})
    assert len(found) > 20
    return found


@pytest.mark.parametrize(
    ("env", "umask"),
    [
        (
            {
                "TZ": "Pacific/Kiritimati",
                "LANG": "tr_TR.UTF-8",
                "LC_ALL": "tr_TR.UTF-8",
                "PYTHONHASHSEED": "1",
            },
            0o077,
        ),
        (
            {
                "TZ": "America/St_Johns",
                "LANG": "ja_JP.UTF-8",
                "LC_TIME": "ar_EG.UTF-8",
                "PYTHONHASHSEED": "2",
            },
            0o002,
        ),
        ({"TZ": "Asia/Kathmandu", "LANGUAGE": "de:fr", "LC_ALL": "C", "PYTHONHASHSEED": "3"}, 0o027),
    ],
    ids=["kiritimati-turkish-umask-077", "st-johns-japanese-umask-002", "kathmandu-c-umask-027"],
)
def test_zone_locale_umask_and_hash_seed_change_nothing(
    reference: dict[str, str], tmp_path: Path, env: dict[str, str], umask: int
) -> None:
    assert build(tmp_path / "site", env=env, umask=umask) == reference


@pytest.mark.parametrize("order", ["reversed", "shuffled-1", "shuffled-2"])
def test_the_order_folders_are_listed_in_changes_nothing(
    reference: dict[str, str], tmp_path: Path, order: str
) -> None:
    prelude = ["-c", LISTING_IN_ANOTHER_ORDER, order]
    assert build(tmp_path / "site", env={"TZ": "UTC"}, prelude=prelude) == reference


def test_content_written_in_reverse_order_changes_nothing(reference: dict[str, str], tmp_path: Path) -> None:
    """A copy whose files were created last-first. Whether the file system then lists them in
    another order is its own affair (ext4 orders by a hash of the name, tmpfs by creation), so
    this is a check on a real disk, and the reordered listing above is the one that always bites."""
    copy = tmp_path / "content"
    for source in sorted(SEED.rglob("*"), reverse=True):
        target = copy / source.relative_to(SEED)
        if source.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    assert build(tmp_path / "site", content=copy, env={"TZ": "UTC"}) == reference


def test_modes_are_set_not_inherited(reference: dict[str, str]) -> None:
    """The writer sets every mode itself, so a umask of 077 cannot make a site unreadable."""
    modes = {value.split()[0] for value in reference.values()}
    assert modes == {oct(0o100644), oct(0o40755)}


def test_the_machines_zone_database_changes_nothing(reference: dict[str, str], tmp_path: Path) -> None:
    """Zones come from the pinned tzdata package: a machine whose database (here PYTHONTZPATH)
    gives Bogotá Madrid's rules, daylight saving time included, builds the same site."""
    import tzdata

    zones = Path(tzdata.__file__).parent / "zoneinfo"
    machine = tmp_path / "zoneinfo"
    for name in ("America/Bogota", "UTC", "Etc/UTC"):
        (machine / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(zones / "Europe" / "Madrid", machine / name)
    assert build(tmp_path / "site", env={"TZ": "UTC", "PYTHONTZPATH": str(machine)}) == reference


# A build in-process, then whether Babel's dates module (which works out the machine's zone as it
# loads) was imported, and what TZ is afterwards.
ZONE_BABEL_KEPT = """
import os, sys
from generator.cli import main
status = main(sys.argv[1:])
print("babel.dates" in sys.modules, os.environ.get("TZ", "(unset)"), sep="|")
sys.exit(status)
"""


@pytest.mark.parametrize("machine_zone", ["Asia/Kathmandu", None], ids=["tz-kathmandu", "tz-unset"])
def test_a_warm_build_never_reads_the_machines_zone(tmp_path: Path, machine_zone: str | None) -> None:
    """Babel works out the machine's zone as babel.dates loads (it costs a small build a twentieth
    of its time). Its answers are kept in the build cache, so a build whose wording did not change
    never imports it; no build touches TZ; and the first build, which asks Babel itself, and the
    next, which does not, write the same site."""
    base = {name: value for name, value in os.environ.items() if name not in CLEARED}
    env = {
        **base,
        "PYTHONPATH": str(ROOT),
        "CANALES_CACHE_DIR": str(tmp_path / "cache"),  # empty: the first build asks Babel itself
        **({"TZ": machine_zone} if machine_zone else {}),
    }
    lines = []
    for name in ("first", "warm"):
        command = ["-c", ZONE_BABEL_KEPT, "build", "--content", str(SEED), "--output", str(tmp_path / name)]
        result = subprocess.run(
            [sys.executable, *command], capture_output=True, text=True, env=env, check=False, timeout=60
        )
        assert result.returncode == 0, result.stderr
        lines.append(result.stdout.splitlines()[-1])
    zone = machine_zone or "(unset)"
    assert lines == [f"True|{zone}", f"False|{zone}"]
    assert tree(tmp_path / "warm") == tree(tmp_path / "first")


def test_a_site_with_notices_is_the_same_whatever_the_machines_zone(tmp_path: Path) -> None:
    """Notices never read the clock nor the machine's zone: their times come from the content, in
    the site's zone, and their feeds from the build's stamp."""
    from test_notices_feeds import NOTICES_YAML

    content = tmp_path / "content"
    shutil.copytree(SEED, content)
    (content / "notices.yaml").write_text(NOTICES_YAML, encoding="utf-8")
    first = build(tmp_path / "utc", content=content, env={"TZ": "UTC"})
    assert {"es/notices.atom", "en/notices.atom", "es/notices.ics", "en/notices.ics"} <= set(first)
    assert build(tmp_path / "again", content=content, env={"TZ": "UTC"}) == first
    assert build(tmp_path / "kiritimati", content=content, env={"TZ": "Pacific/Kiritimati"}) == first
    assert (
        build(tmp_path / "st-johns", content=content, env={"TZ": "America/St_Johns", "LC_ALL": "C"}) == first
    )
    assert b"portal-maintenance-2026-12" in (tmp_path / "utc/en/notices.atom").read_bytes()
