"""The notices' feeds, read back as readers read them: Atom by feedparser (and the RFC's required
elements by ElementTree), iCalendar by icalendar. khal imports the calendar in tests/test_khal.py;
the JSON is checked in tests/test_data.py, the prune warning in tests/test_build.py."""

from __future__ import annotations

import datetime
import re
import shutil
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any

import feedparser
import pytest
from examples import NOTICES, use_notices
from icalendar import Calendar
from render_context import context

from generator import pipeline
from generator.cache import BuildCache
from generator.content.model import Notice, Site, Text, Update
from generator.outputs import Files, notices

ROOT = Path(__file__).resolve().parent.parent
STAMP = datetime.datetime(2026, 11, 29, tzinfo=datetime.UTC)
BASE_URL = "https://example.org/ayuda/"
ATOM = "{http://www.w3.org/2005/Atom}"
UTC = datetime.UTC
# A maintenance of the portal and an incident on the Bogotá line (tests/examples.py).
NOTICES_YAML = NOTICES
MAINTENANCE, INCIDENT = "portal-maintenance-2026-12", "phone-outage-2026-12-02"


def write_notices(content: Path, text: str = NOTICES_YAML) -> Path:
    use_notices(content, text)
    return content


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The seed content with the two notices."""
    content = tmp_path_factory.mktemp("notices") / "content"
    shutil.copytree(ROOT / "content", content)
    return pipeline.load(write_notices(content), BuildCache())


def render(site: Site, stamp: datetime.datetime = STAMP, cache: BuildCache | None = None) -> Files:
    return notices.render_notices(context(site, cache or BuildCache(), stamp))


def notice(site: Site, notice_id: str) -> Notice:
    return next(n for n in site.notices if n.id == notice_id)


def with_notice(site: Site, changed: Notice) -> Site:
    return site._replace(notices=tuple(changed if n.id == changed.id else n for n in site.notices))


def bogota(*args: int) -> datetime.datetime:
    """A Bogotá wall-clock time (UTC-5 all year) as an aware UTC moment."""
    return datetime.datetime(*args, tzinfo=UTC) + datetime.timedelta(hours=5)  # type: ignore[misc]


def parsed(atom: bytes, url: str = f"{BASE_URL}en/notices.atom") -> Any:
    """The feed as feedparser reads it when fetched from `url` as application/atom+xml."""
    headers = {"content-type": "application/atom+xml", "content-location": url}
    return feedparser.parse(atom, response_headers=headers)


def entries(atom: bytes) -> dict[str, ElementTree.Element]:
    root = ElementTree.fromstring(atom)
    return {entry.findtext(f"{ATOM}id", ""): entry for entry in root.findall(f"{ATOM}entry")}


def entry_updated(site: Site, notice_id: str, language: str = "en") -> str:
    feed = render(site)[f"{language}/notices.atom"]
    found = [e for i, e in entries(feed).items() if i.endswith(f":{notice_id}")]
    return found[0].findtext(f"{ATOM}updated", "")


# --- Atom ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["es", "en"])
def test_feedparser_reads_each_atom_feed_without_bozo(site: Site, language: str) -> None:
    feed = parsed(render(site)[f"{language}/notices.atom"], f"{BASE_URL}{language}/notices.atom")
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.language == language
    assert [e.title for e in feed.entries] == (
        ["Problems with the Bogotá line (Resolved)", "Portal maintenance"]
        if language == "en"
        else ["Fallas en la línea de Bogotá (Resuelto)", "Mantenimiento del portal"]
    )
    assert [t.term for e in feed.entries for t in e.tags] == ["incident", "maintenance"]


def test_atom_has_every_element_rfc_4287_requires(site: Site) -> None:
    """A feed needs id, title, updated and an author (none of the entries has its own), and
    should link to itself; an entry needs id, title, updated, and content."""
    for language in site.languages:
        root = ElementTree.fromstring(render(site)[notices.atom_path(language)])
        assert root.tag == f"{ATOM}feed"
        for name in ("id", "title", "updated"):
            assert root.findtext(f"{ATOM}{name}"), name
        assert root.findtext(f"{ATOM}author/{ATOM}name") == "Certicámara"
        rels = {link.get("rel"): link for link in root.findall(f"{ATOM}link")}
        assert rels["self"].get("type") == "application/atom+xml" and rels["self"].get("href")
        assert rels["alternate"].get("hreflang") == language.code
        found = root.findall(f"{ATOM}entry")
        assert len(found) == 2
        for entry in found:
            for name in ("id", "title", "updated", "published", "content"):
                assert entry.findtext(f"{ATOM}{name}"), name
            assert entry.find(f"{ATOM}content").get("type") == "html"  # type: ignore[union-attr]
            assert entry.find(f"{ATOM}author") is None
        stamps = [root.findtext(f"{ATOM}updated", "")] + [e.findtext(f"{ATOM}updated", "") for e in found]
        assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", s) for s in stamps)


def test_entries_are_newest_first_and_published_when_posted(site: Site) -> None:
    root = ElementTree.fromstring(render(site)["en/notices.atom"])
    found = root.findall(f"{ATOM}entry")
    assert [(e.findtext(f"{ATOM}published"), e.findtext(f"{ATOM}updated")) for e in found] == [
        ("2026-12-02T14:10:00Z", "2026-12-02T16:05:00Z"),  # posted at its start; resolved at 11:05
        ("2026-12-01T15:00:00Z", "2026-12-01T15:00:00Z"),
    ]
    # The feed was last updated when its newest entry was.
    assert root.findtext(f"{ATOM}updated") == "2026-12-02T16:05:00Z"


def test_ids_are_permanent_tag_uris(site: Site) -> None:
    """Ids never change with a rebuild, a new stamp, a base URL, or any change to the notice."""

    def ids(site: Site, stamp: datetime.datetime = STAMP) -> dict[str, list[str]]:
        found = {}
        for path, feed in render(site, stamp).items():
            if path.endswith(".atom"):
                root = ElementTree.fromstring(feed)
                found[path] = [root.findtext(f"{ATOM}id", ""), *sorted(entries(feed))]
        return found

    first = ids(site)
    assert first == {
        "es/notices.atom": [
            "tag:canales,2026:certicamara:notices:es",
            f"tag:canales,2026:certicamara:notices:es:{INCIDENT}",
            f"tag:canales,2026:certicamara:notices:es:{MAINTENANCE}",
        ],
        "en/notices.atom": [
            "tag:canales,2026:certicamara:notices:en",
            f"tag:canales,2026:certicamara:notices:en:{INCIDENT}",
            f"tag:canales,2026:certicamara:notices:en:{MAINTENANCE}",
        ],
    }
    maintenance = notice(site, MAINTENANCE)
    changed = maintenance._replace(
        starts=maintenance.starts + datetime.timedelta(hours=1),
        title=Text((("es", "Otro"), ("en", "Other"))),
        cancelled=bogota(2026, 12, 10, 8, 0),
    )
    assert ids(with_notice(site, changed)) == first
    assert ids(site._replace(base_url=BASE_URL), STAMP + datetime.timedelta(days=40)) == first


def test_an_organisation_without_latin_letters_keeps_a_tag_uri_of_its_name(site: Site) -> None:
    named = site._replace(organisation="東京 サポート")
    root = ElementTree.fromstring(render(named)["en/notices.atom"])
    assert root.findtext(f"{ATOM}id") == (
        "tag:canales,2026:%E6%9D%B1%E4%BA%AC%20%E3%82%B5%E3%83%9D%E3%83%BC%E3%83%88:notices:en"
    )
    assert not parsed(render(named)["en/notices.atom"]).bozo


def test_updated_moves_with_each_update_resolution_cancellation_and_revision(site: Site) -> None:
    maintenance, incident = notice(site, MAINTENANCE), notice(site, INCIDENT)
    investigating = incident._replace(updates=incident.updates[:1], ends=None)
    said = Text((("es", "Ya sabemos la causa."), ("en", "We know the cause.")))
    identified = investigating._replace(
        updates=(*investigating.updates, Update(bogota(2026, 12, 2, 10, 0), "identified", said))
    )
    steps = [
        (investigating, "2026-12-02T14:20:00Z"),
        (identified, "2026-12-02T15:00:00Z"),
        (incident, "2026-12-02T16:05:00Z"),  # resolved
        (maintenance, "2026-12-01T15:00:00Z"),
        (maintenance._replace(revised=bogota(2026, 12, 5, 9, 30)), "2026-12-05T14:30:00Z"),
        (maintenance._replace(cancelled=bogota(2026, 12, 10, 8, 0)), "2026-12-10T13:00:00Z"),
    ]
    for changed, expected in steps:
        assert entry_updated(with_notice(site, changed), changed.id) == expected


def test_cancelled_maintenance_says_so(site: Site) -> None:
    maintenance = notice(site, MAINTENANCE)
    cancelled = with_notice(site, maintenance._replace(cancelled=bogota(2026, 12, 10, 8, 0)))
    files = render(cancelled)
    feed = parsed(files["es/notices.atom"], f"{BASE_URL}es/notices.atom")
    (entry,) = [e for e in feed.entries if e.id.endswith(MAINTENANCE)]
    assert entry.title == "Mantenimiento del portal (Cancelado)"
    assert "<strong>Mantenimiento · Cancelado:</strong>" in entry.content[0].value
    statuses = {str(e["SUMMARY"]): e["STATUS"] for e in Calendar.from_ical(files["es/notices.ics"]).events}
    assert statuses == {
        "Mantenimiento: Mantenimiento del portal (Cancelado)": "CANCELLED",
        "Incidente: Fallas en la línea de Bogotá (Resuelto)": "CONFIRMED",
    }


def test_content_gives_window_body_affected_channels_and_timeline(site: Site) -> None:
    # English times read "9:10 AM" with a narrow no-break space (U+202F), as CLDR writes them.
    feed = parsed(render(site)["en/notices.atom"])
    incident, maintenance = (e.content[0].value for e in feed.entries)
    assert (
        "Saturday, December 12, 2026, 10:00\u202fPM to Sunday, December 13, 2026, 4:00\u202fAM (America/Bogota)"
        in (maintenance)
    )
    assert "<p>The portal will be unavailable while we upgrade the platform.</p>" in maintenance
    assert "ServiceNow self-service portal</a>: Unavailable. Use instead:" in maintenance
    assert 'href="mailto:mesadeayuda@certicamara.com">Help desk email</a>' in maintenance
    # The incident ends the day it starts: its end says the time only. The latest update first.
    assert "Wednesday, December 2, 2026, 9:10\u202fAM to 11:05\u202fAM (America/Bogota)" in incident
    resolved = incident.index("Wednesday, December 2, 2026, 11:05\u202fAM</time>: Resolved")
    investigating = incident.index("Wednesday, December 2, 2026, 9:20\u202fAM</time>: Investigating")
    assert resolved < investigating
    assert "<p>Calls get through again.</p>" in incident


def test_entry_text_is_escaped_and_markdown_is_sanitised(site: Site) -> None:
    maintenance = notice(site, MAINTENANCE)
    body = Text((("es", "x"), ("en", "Use <b>this</b> & [that](javascript:alert(1)) ]]>")))
    title = Text((("es", "x"), ("en", "A & B <i>")))
    atom = render(with_notice(site, maintenance._replace(body=body, title=title)))["en/notices.atom"]
    feed = parsed(atom)
    assert not feed.bozo
    entry = next(e for e in feed.entries if e.id.endswith(MAINTENANCE))
    assert entry.title == "A & B <i>"
    content = entry.content[0].value
    assert "&lt;b&gt;this&lt;/b&gt; &amp;" in content and "javascript" not in content


def test_links_are_absolute_with_a_base_url_and_relative_to_the_feed_without(site: Site) -> None:
    for base in (None, BASE_URL):
        atom = render(site._replace(base_url=base))["es/notices.atom"]
        root = ElementTree.fromstring(atom)
        hrefs = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
        if base:
            assert hrefs == {"self": f"{BASE_URL}es/notices.atom", "alternate": f"{BASE_URL}es/"}
        else:
            assert hrefs == {"self": "notices.atom", "alternate": "./"}
        # Either way, a reader that fetched the feed from its place finds the same addresses.
        feed = parsed(atom, f"{BASE_URL}es/notices.atom")
        assert {link.rel: link.href for link in feed.feed.links} == {
            "self": f"{BASE_URL}es/notices.atom",
            "alternate": f"{BASE_URL}es/",
        }
        assert {e.link for e in feed.entries} == {f"{BASE_URL}es/"}


# --- iCalendar -----------------------------------------------------------------------------------


def test_icalendar_reads_each_calendar(site: Site) -> None:
    files = render(site)
    for language in site.languages:
        calendar = Calendar.from_ical(files[notices.ics_path(language)])
        assert calendar["PRODID"] == f"-//canales//help desk notices//{language.code.upper()}"
        assert calendar["METHOD"] == "PUBLISH"
        assert str(calendar["X-WR-CALNAME"]) == str(calendar["NAME"])
        by_start = sorted(calendar.events, key=lambda event: event.DTSTART)
        incident, maintenance = by_start
        windows = [(event.DTSTART, event.DTEND) for event in by_start]
        assert windows == [
            (bogota(2026, 12, 2, 9, 10), bogota(2026, 12, 2, 11, 5)),
            (bogota(2026, 12, 12, 22, 0), bogota(2026, 12, 13, 4, 0)),
        ]
        for event in by_start:
            assert event.DTSTART.tzinfo is not None and event.DTSTART.utcoffset() == datetime.timedelta(0)
            assert event["TRANSP"] == "TRANSPARENT"
            assert event.DTSTAMP == STAMP
            assert event["STATUS"] == "CONFIRMED"
            assert re.fullmatch(r"[0-9a-f]{32}@canales", str(event["UID"]))
        assert maintenance["LAST-MODIFIED"].dt == bogota(2026, 12, 1, 10, 0) == maintenance["CREATED"].dt
        assert incident["LAST-MODIFIED"].dt == bogota(2026, 12, 2, 11, 5)
    en = Calendar.from_ical(files["en/notices.ics"])
    assert sorted(str(event["SUMMARY"]) for event in en.events) == [
        "Incident: Problems with the Bogotá line (Resolved)",
        "Maintenance: Portal maintenance",
    ]
    description = next(str(e["DESCRIPTION"]) for e in en.events if "Portal" in str(e["SUMMARY"]))
    assert description == (
        "The portal will be unavailable while we upgrade the platform.\n\n"
        "ServiceNow self-service portal: Unavailable. Use instead: Bogotá customer line and Help desk email."
    )


def test_the_calendar_has_the_hours_feeds_refresh_and_name_conventions(site: Site) -> None:
    text = render(site)["es/notices.ics"].decode()
    assert "\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in text
    assert "\r\nX-PUBLISHED-TTL:PT1H\r\n" in text
    assert "\r\nNAME:Certicámara: mantenimientos e incidentes\r\n" in text


def test_an_incident_not_over_has_no_end(site: Site) -> None:
    incident = notice(site, INCIDENT)
    open_incident = incident._replace(updates=incident.updates[:1], ends=None)
    calendar = Calendar.from_ical(render(with_notice(site, open_incident))["en/notices.ics"])
    (event,) = [e for e in calendar.events if "line" in str(e["SUMMARY"])]
    assert "DTEND" not in event and "DURATION" not in event
    assert event["SUMMARY"] == "Incident: Problems with the Bogotá line"
    atom = parsed(render(with_notice(site, open_incident))["en/notices.atom"])
    assert (
        "Since Wednesday, December 2, 2026, 9:10\u202fAM (America/Bogota)" in atom.entries[0].content[0].value
    )


def sequences(site: Site) -> dict[str, int]:
    calendar = Calendar.from_ical(render(site)["es/notices.ics"])
    return {str(event["UID"]): int(event["SEQUENCE"]) for event in calendar.events}


def test_uids_are_stable_and_sequence_grows_when_times_or_text_change(site: Site) -> None:
    first = sequences(site)
    maintenance_uid = notices.uid(site, site.languages[0], notice(site, MAINTENANCE))
    incident_uid = notices.uid(site, site.languages[0], notice(site, INCIDENT))
    # A new maintenance starts at 0; the incident was resolved 115 minutes after it was posted.
    assert first == {maintenance_uid: 0, incident_uid: 115}
    assert sequences(site) == first
    assert sequences(site._replace(base_url=BASE_URL, updated=datetime.date(2027, 1, 4))) == first
    maintenance = notice(site, MAINTENANCE)
    moved = maintenance._replace(
        starts=maintenance.starts + datetime.timedelta(hours=2),
        ends=maintenance.ends + datetime.timedelta(hours=2),  # type: ignore[operator]
        revised=bogota(2026, 12, 3, 8, 0),
    )
    reworded = moved._replace(
        body=Text((("es", "Ahora hasta las 6:00."), ("en", "Now until 6:00."))),
        revised=bogota(2026, 12, 4, 8, 0),
    )
    cancelled = reworded._replace(cancelled=bogota(2026, 12, 10, 8, 0))
    seen = [first[maintenance_uid]]
    for changed in (moved, reworded, cancelled):
        now = sequences(with_notice(site, changed))
        assert set(now) == set(first)  # the same events, by the same UIDs
        assert now[incident_uid] == first[incident_uid]
        seen.append(now[maintenance_uid])
    assert seen == sorted(seen) and len(set(seen)) == len(seen)


def test_uids_differ_by_language_and_by_organisation(site: Site) -> None:
    es, en = site.languages
    maintenance = notice(site, MAINTENANCE)
    other = site._replace(organisation="Otra mesa")
    found = {
        notices.uid(site, es, maintenance),
        notices.uid(site, en, maintenance),
        notices.uid(other, es, maintenance),
        notices.uid(site, es, notice(site, INCIDENT)),
    }
    assert len(found) == 4


# --- both ------------------------------------------------------------------------------------------


def test_a_site_without_notices_gets_both_feeds_empty(seed_site: Site) -> None:
    assert seed_site.notices == ()
    files = render(seed_site)
    assert sorted(files) == ["en/notices.atom", "en/notices.ics", "es/notices.atom", "es/notices.ics"]
    feed = parsed(files["en/notices.atom"])
    assert not feed.bozo and feed.entries == []
    assert feed.feed.updated == "2026-11-29T00:00:00Z"  # the build's stamp
    assert feed.feed.title == "Certicámara: maintenance and incidents"
    calendar = Calendar.from_ical(files["en/notices.ics"])
    assert calendar.events == [] and str(calendar["NAME"]) == "Certicámara: maintenance and incidents"


def test_the_site_links_its_feeds_in_the_build(site: Site) -> None:
    files = pipeline.render(site, BuildCache())
    for language in site.languages:
        assert notices.atom_path(language) in files and notices.ics_path(language) in files
    assert notices.subscription_links(site, site.languages[0]) is None
    links = notices.subscription_links(site._replace(base_url=BASE_URL), site.languages[1])
    assert links is not None
    assert links.webcal == "webcal://example.org/ayuda/en/notices.ics"
    assert links.google == (
        "https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2Fexample.org%2Fayuda%2Fen%2Fnotices.ics"
    )


def test_two_renders_are_byte_identical_and_a_warm_cache_changes_nothing(site: Site, tmp_path: Path) -> None:
    cold = render(site, cache=BuildCache(tmp_path))
    assert render(site) == cold
    assert render(site, cache=BuildCache(tmp_path)) == cold
    # A new stamp changes the calendars' DTSTAMP, and nothing in a feed that has entries.
    later = render(site, STAMP + datetime.timedelta(days=2))
    assert later["en/notices.atom"] == cold["en/notices.atom"]
    differ = set(later["en/notices.ics"].split(b"\r\n")) ^ set(cold["en/notices.ics"].split(b"\r\n"))
    assert differ and all(line.startswith(b"DTSTAMP:") for line in differ)
