"""Notices on the page as built: which are there, and what they say without the script.

The script decides by the visitor's clock (tests/browser/test_notices.py); the build decides only
what the page carries, by the content's date, never the build machine's clock.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from bs4 import BeautifulSoup
from examples import NOTICES, ROOT, use_notices

from generator import pipeline
from generator.cache import BuildCache
from generator.content.reader import read_content
from generator.hours import PublicHolidays

OLD = """\
  - id: old-outage
    kind: incident
    starts: 2026-10-01T08:00
    ends: 2026-10-01T09:00
    title: {es: Falla antigua, en: An old outage}
    body: {es: Ya pasó., en: Long over.}
  - id: recent-outage
    kind: incident
    starts: 2026-11-27T08:00
    ends: 2026-11-27T09:00
    title: {es: Falla reciente, en: A recent outage}
    body: {es: Pasó hace poco., en: Just over.}
"""


def built(tmp_path: Path, notices: str) -> dict[str, BeautifulSoup]:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    use_notices(content, notices)
    site = read_content(content, PublicHolidays(BuildCache()))
    files = pipeline.render(site, BuildCache())
    return {code: BeautifulSoup(files[f"{code}/index.html"], "html.parser") for code in ("es", "en")}


def test_notices_not_over_at_build_time_show_in_words(tmp_path: Path) -> None:
    pages = built(tmp_path, NOTICES + OLD)
    en = pages["en"]
    notices = en.select("section.notice")
    # Built on 29 November 2026: the old outage is gone, the recent one is carried (hidden) so the
    # script can mark it over for a few days; the two to come show as they are.
    assert [n["id"] for n in notices] == [
        "_notice-portal-maintenance-2026-12",
        "_notice-phone-outage-2026-12-02",
        "_notice-recent-outage",
    ]
    assert [n.has_attr("hidden") for n in notices] == [False, False, True]
    maintenance = notices[0]
    assert maintenance.select_one("h2").get_text() == "Portal maintenance"
    assert " ".join(maintenance.select_one(".notice-window").get_text().split()) == (
        "Saturday, December 12, 2026, 10:00 PM to Sunday, December 13, 2026, 4:00 AM"
    )
    assert maintenance.select_one(".notice-tag").get_text() == "Maintenance"
    affected = " ".join(maintenance.select_one(".notice-affects li").get_text().split())
    assert (
        affected
        == "ServiceNow self-service portal: Unavailable. Use instead: Bogotá customer line and Help desk email."
    )
    assert maintenance.select_one(".notice-affects a")["href"] == "#portal"
    incident = notices[1]
    assert [" ".join(li.get_text(" ").split()) for li in incident.select(".notice-updates li")] == [
        "Resolved · Wednesday, December 2, 2026, 11:05 AM Calls get through again.",
        "Investigating · Wednesday, December 2, 2026, 9:20 AM We are looking into it with the carrier.",
    ]
    # The alternatives in each affected channel wait for the script.
    portal_line = en.select_one('[data-channel="portal"] .channel-notice')
    assert portal_line.has_attr("hidden") and portal_line["data-notice"] == "portal-maintenance-2026-12"
    # The live region is empty: the page says nothing by itself.
    live = en.select_one("#_notice-live")
    assert live["role"] == "status" and live.get_text() == ""
    spanish = pages["es"].select_one("section.notice")
    assert " ".join(spanish.select_one(".notice-window").get_text().split()) == (
        "sábado, 12 de diciembre de 2026, 10:00 p. m. a domingo, 13 de diciembre de 2026, 4:00 a. m."
    )


def test_the_page_links_the_notices_feeds(tmp_path: Path) -> None:
    en = built(tmp_path, NOTICES)["en"]
    assert en.select_one('link[rel="alternate"][type="application/atom+xml"]')["href"] == "notices.atom"
    links = {a["class"][0]: a["href"] for a in en.select(".notice-feeds a")}
    assert links == {
        "atom": "notices.atom",
        "subscribe": "notices.ics",
        "add-to-google": "notices.ics",
        "download": "notices.ics",
    }


def test_a_site_without_notices_has_none_on_its_page(seed_files: dict[str, bytes]) -> None:
    soup = BeautifulSoup(seed_files["en/index.html"], "html.parser")
    assert soup.select("section.notice") == []
    assert soup.select(".notice-feeds a.atom")
