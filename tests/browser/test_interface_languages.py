"""Every shipped language in a real browser: what the open-now script writes is in the page's own
language, with the same digits and the same form of times as the page's text (Babel's)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from conftest import Served, _serve
from one_language import SHIPPED, catalog, leaks, single_language_content

from generator import pipeline
from generator.cache import BuildCache
from generator.content.model import Language
from generator.i18n import Wording

pytestmark = pytest.mark.browser
BOGOTA = ZoneInfo("America/Bogota")
# Open on a weekday; closed at night; on Christmas Eve; during the incident; before the maintenance.
MOMENTS = {
    "open": datetime.datetime(2026, 12, 1, 10, 0, tzinfo=BOGOTA),
    "night": datetime.datetime(2026, 12, 3, 22, 0, tzinfo=BOGOTA),
    "christmas-eve": datetime.datetime(2026, 12, 24, 9, 0, tzinfo=BOGOTA),
    "incident": datetime.datetime(2026, 12, 2, 10, 0, tzinfo=BOGOTA),
    "maintenance": datetime.datetime(2026, 12, 12, 23, 0, tzinfo=BOGOTA),
}


# Each shipped language in its own locale, and Egypt's Arabic, whose CLDR digits are Arabic-Indic
# (Babel writes Latin digits for it, so the script must too).
SITES = {code: (code, code) for code in SHIPPED} | {"ar-eg": ("ar", "ar_EG")}


@pytest.fixture(scope="module")
def languages_served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One site per language, each in its own folder (/<site>/<code>/index.html)."""
    root = tmp_path_factory.mktemp("languages")
    for name, (code, locale) in SITES.items():
        folder = root / "sources" / name
        folder.mkdir(parents=True)
        pipeline.build(single_language_content(folder, code, locale), root / "sites" / name, BuildCache())
    yield from _serve(root / "sites")


def page_text(page: Any) -> str:
    """The page's text once the script has written every status, spaces as a reader sees them."""
    page.locator(".status[data-state]").first.wait_for(state="attached")
    text: str = page.locator("body").inner_text()
    return text.replace("\u202f", " ").replace("\xa0", " ")


@pytest.mark.parametrize("code", SHIPPED)
def test_what_the_script_writes_is_in_the_pages_language(
    visit: Any, languages_served: Served, code: str
) -> None:
    for name, moment in MOMENTS.items():
        # A visitor in another zone, so that the script also says "(… your time)".
        seen = visit(f"{languages_served.url}{code}/{code}/", at=moment, zone="Europe/Madrid")
        text = page_text(seen.page)
        assert leaks(text, code) == [], f"{code} at {name}"
        assert seen.errors == []
    words = catalog(code)
    assert words["status_closed"] in text or words["status_open"] in text


@pytest.mark.parametrize("name", SITES)
def test_the_script_writes_times_as_the_page_does(visit: Any, languages_served: Served, name: str) -> None:
    """Closed at night, the business lines open at 7:00: the script says it with the digits and
    the form Babel gives the page ("07:00" in German, "7:00 ص" in Arabic, in Egypt too)."""
    code, locale = SITES[name]
    seen = visit(f"{languages_served.url}{name}/{code}/", at=MOMENTS["night"])
    page = seen.page
    page.locator('[data-channel="phone-bogota"] .status[data-state]').wait_for(state="attached")
    status = page.locator('[data-channel="phone-bogota"] .status-text').inner_text()
    wording = Wording(Language(code, locale, None), catalog(code), BuildCache())
    seven = wording.time(7 * 60)
    assert seven.replace("\u202f", " ") in status.replace("\u202f", " "), (status, seven)
    hours = page.locator('[data-channel="phone-bogota"] .hours-phrase').first.inner_text()
    assert seven in hours
