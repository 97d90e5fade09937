"""Machine-readable outputs: the JSON file, JSON-LD, open spans, QR codes, sitemap and robots.txt."""

from __future__ import annotations

import bisect
import datetime
import json
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from examples import CHRISTMAS, SUMMER, use_example
from schedules import open_by_wall_clock

from generator import pipeline
from generator.cache import BuildCache
from generator.content.model import (
    Closures,
    Dates,
    Interval,
    Opening,
    Schedule,
    Season,
    Site,
    SpecialDay,
    Text,
)
from generator.outputs import Files, data, qr
from generator.outputs.context import WINDOW_WEEKS, RenderContext, prepare
from generator.outputs.pages import PageViews, page_json

BOGOTA = ZoneInfo("America/Bogota")
BASE_URL = "https://example.org/ayuda/"


def bogota(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=BOGOTA)  # type: ignore[misc]


def context(site: Site) -> RenderContext:
    """The render context of `site`, with a cache of its own. (Not conftest's `context`: when
    tests/browser is collected too, its conftest is the module that `import conftest` finds.)"""
    return prepare(site, BuildCache(), pipeline.build_time(site, None))


@pytest.fixture(scope="module")
def document(seed_files: Files) -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(seed_files[data.DATA_PATH])
    return parsed


@pytest.fixture(scope="module")
def holiday_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The seed with Colombia's public holidays closing the business hours."""
    import shutil

    content = tmp_path_factory.mktemp("holidays") / "content"
    shutil.copytree(Path(__file__).resolve().parent.parent / "content", content)
    path = content / "hours.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            '        closes: "13:00"\n', '        closes: "13:00"\n    closures:\n      holidays: CO\n', 1
        )
    )
    return pipeline.load(content, BuildCache())


def test_the_json_file_describes_every_channel_in_page_order(document: dict[str, Any]) -> None:
    assert document["format"] == "canales/help-desk" and document["version"] == 1
    assert [c["id"] for c in document["channels"]] == [
        "phone-bogota",
        "phone-toll-free",
        "email",
        "whatsapp-monitoring",
        "whatsapp-corporate",
        "portal",
    ]
    toll_free = document["channels"][1]
    assert toll_free["href"] == "tel:018000181531"
    assert toll_free["phone"]["domestic_only"] is True and toll_free["phone"]["dial"] == "018000181531"
    assert document["channels"][0]["name"] == {
        "es": "Línea de atención en Bogotá",
        "en": "Bogotá customer line",
    }
    portal = document["channels"][5]
    assert [a["schedule"] for a in portal["availability"]] == ["always", "business"]
    assert portal["availability"][0]["request_types"] == ["incidents", "critical-incidents"]


def test_the_json_file_gives_hours_as_rules_and_as_open_spans(
    document: dict[str, Any], seed_site: Site
) -> None:
    business = next(s for s in document["schedules"] if s["id"] == "business")
    assert business["timezone"] == "America/Bogota"
    assert business["weekly"] == [
        {
            "days": ["mon", "tue", "wed", "thu", "fri"],
            "opens": "07:00",
            "closes": "19:00",
            "overnight": False,
        },
        {"days": ["sat"], "opens": "08:00", "closes": "13:00", "overnight": False},
    ]
    # Monday 30 November 2026, 07:00 to 19:00 in Bogotá is 12:00 to 00:00 UTC.
    assert ["2026-11-30T12:00:00Z", "2026-12-01T00:00:00Z"] in business["open"]
    # About two years of six openings a week.
    assert 6 * 100 < len(business["open"]) <= 6 * WINDOW_WEEKS + 6
    always = next(s for s in document["schedules"] if s["id"] == "always")
    assert always["open"] == [[document["horizon"]["start"], document["horizon"]["end"]]]
    assert business["calendars"] == {"es": "es/hours/business.ics", "en": "en/hours/business.ics"}


def test_the_json_file_says_the_seeds_hours_in_openstreetmap_terms(document: dict[str, Any]) -> None:
    business, always = document["schedules"]
    assert business["opening_hours"] == "Mo-Fr 07:00-19:00; Sa 08:00-13:00"
    assert always["opening_hours"] == "24/7"
    for schedule in document["schedules"]:
        assert schedule["seasons"] == schedule["special_days"] == []
        assert schedule["season_dates"] == schedule["special_dates"] == []


def _example(tmp_path: Path, title: str) -> tuple[RenderContext, dict[str, Any]]:
    """The render context of the seed with the docs' example as its business schedule, and the
    business schedule as data/help-desk.json gives it."""
    import shutil

    content = tmp_path / "content"
    shutil.copytree(Path(__file__).resolve().parent.parent / "content", content)
    use_example(content, title)
    ctx = context(pipeline.load(content, BuildCache()))
    document = json.loads(data.render_data(ctx)[data.DATA_PATH])
    return ctx, next(s for s in document["schedules"] if s["id"] == "business")


CHRISTMAS_EVE = {"es": "Nochebuena", "en": "Christmas Eve"}
NEW_YEARS_EVE = {"es": "Fin de año", "en": "New Year's Eve"}
YEAR_END = {"es": "Cierre de fin de año", "en": "Year-end closure"}
MORNING = [{"opens": "07:00", "closes": "12:00", "overnight": False}]


def test_the_json_file_gives_special_days_as_written_and_as_dates(tmp_path: Path) -> None:
    _, business = _example(tmp_path, CHRISTMAS)
    assert business["special_days"] == [
        {
            "from": "12-24",
            "to": "12-24",
            "yearly": True,
            "label": CHRISTMAS_EVE,
            "closed": False,
            "hours": MORNING,
        },
        {
            "from": "12-31",
            "to": "12-31",
            "yearly": True,
            "label": NEW_YEARS_EVE,
            "closed": False,
            "hours": MORNING,
        },
        {
            "from": "2026-12-26",
            "to": "2026-12-30",
            "yearly": False,
            "label": YEAR_END,
            "closed": True,
            "hours": [],
        },
    ]
    # Every date within the window, the yearly ones expanded, in order.
    assert business["special_dates"] == [
        {
            "first": "2026-12-24",
            "last": "2026-12-24",
            "label": CHRISTMAS_EVE,
            "closed": False,
            "hours": MORNING,
        },
        {"first": "2026-12-26", "last": "2026-12-30", "label": YEAR_END, "closed": True, "hours": []},
        {
            "first": "2026-12-31",
            "last": "2026-12-31",
            "label": NEW_YEARS_EVE,
            "closed": False,
            "hours": MORNING,
        },
        {
            "first": "2027-12-24",
            "last": "2027-12-24",
            "label": CHRISTMAS_EVE,
            "closed": False,
            "hours": MORNING,
        },
        {
            "first": "2027-12-31",
            "last": "2027-12-31",
            "label": NEW_YEARS_EVE,
            "closed": False,
            "hours": MORNING,
        },
    ]
    assert business["seasons"] == business["season_dates"] == []
    # The week, public holidays past the window, the yearly special days; then the window's dates
    # that differ (Colombia's holidays and the year-end closure, on weekdays): see test_opening_hours.
    assert business["opening_hours"].startswith(
        "Mo-Fr 07:00-19:00; 2028 Nov 20+ PH off; Dec 24,Dec 31 07:00-12:00; 2026 Dec 08,2026 Dec 25,2026 Dec 28-30,"
    )
    # Christmas Eve, a Thursday in 2026: open until noon, in Bogotá (UTC-5).
    assert ["2026-12-24T12:00:00Z", "2026-12-24T17:00:00Z"] in business["open"]


def test_the_json_file_gives_seasons_as_written_and_as_dates(tmp_path: Path) -> None:
    _, business = _example(tmp_path, SUMMER)
    summer = {"es": "Horario de verano", "en": "Summer hours"}
    weekdays = ["mon", "tue", "wed", "thu", "fri"]
    assert business["seasons"] == [
        {
            "name": summer,
            "from": "07-01",
            "to": "08-31",
            "yearly": True,
            "weekly": [{"days": weekdays, "opens": "08:00", "closes": "15:00", "overnight": False}],
        }
    ]
    assert business["season_dates"] == [
        {"first": "2027-07-01", "last": "2027-08-31", "name": summer},
        {"first": "2028-07-01", "last": "2028-08-31", "name": summer},
    ]
    night = {"opens": "20:00", "closes": "04:00", "overnight": True}
    launch = {"es": "Lanzamiento", "en": "Launch night"}
    morning = {"opens": "09:00", "closes": "14:00", "overnight": False}
    assert business["special_days"] == [
        {
            "from": "2027-10-30",
            "to": "2027-10-30",
            "yearly": False,
            "label": launch,
            "closed": False,
            "hours": [morning, night],
        }
    ]
    assert business["special_dates"] == [
        {
            "first": "2027-10-30",
            "last": "2027-10-30",
            "label": launch,
            "closed": False,
            "hours": [morning, night],
        }
    ]
    assert business["opening_hours"].startswith(
        "Mo-Th 09:00-18:00; Fr 09:00-14:00; Jul 01-Aug 31 Mo-Fr 08:00-15:00; "
    )
    assert business["opening_hours"].endswith(
        "; 2027 Oct 30 09:00-14:00,20:00-24:00; 2027 Oct 31 00:00-04:00"
    )
    # The launch night runs from 20:00 CEST to 04:00 CET, past the clocks going back: nine hours.
    assert ["2027-10-30T18:00:00Z", "2027-10-31T03:00:00Z"] in business["open"]


def test_json_ld_gives_seasons_and_special_days_their_dates(tmp_path: Path) -> None:
    ctx, _ = _example(tmp_path, SUMMER)
    specs = data.opening_hours(ctx, ctx.site.schedule("business"))
    weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
    spec = {"@type": "OpeningHoursSpecification"}
    # The base week first, as ever; then each summer in the window; then dated specs, in order.
    assert specs[:2] == [
        {**spec, "dayOfWeek": weekdays[:4], "opens": "09:00", "closes": "18:00"},
        {**spec, "dayOfWeek": weekdays[4:], "opens": "09:00", "closes": "14:00"},
    ]
    summer = {**spec, "dayOfWeek": weekdays, "opens": "08:00", "closes": "15:00"}
    assert specs[2:4] == [
        {**summer, "validFrom": "2027-07-01", "validThrough": "2027-08-31"},
        {**summer, "validFrom": "2028-07-01", "validThrough": "2028-08-31"},
    ]
    launch = {"validFrom": "2027-10-30", "validThrough": "2027-10-30"}
    assert [s for s in specs if s.get("validFrom") == "2027-10-30"] == [
        {**spec, "opens": "09:00", "closes": "14:00", **launch},
        {**spec, "opens": "20:00", "closes": "04:00", **launch},  # closes < opens: the next day
    ]
    dated = [s["validFrom"] for s in specs[4:]]
    assert dated == sorted(dated) and all("dayOfWeek" not in s for s in specs[4:])
    # Madrid's own holiday, San José on Friday 19 March 2027: closed, as schema.org says it.
    assert {
        **spec,
        "opens": "00:00",
        "closes": "00:00",
        "validFrom": "2027-03-19",
        "validThrough": "2027-03-19",
    } in specs


def test_json_ld_closed_special_days_and_the_days_a_season_closes(holiday_site: Site) -> None:
    # Bogotá's business hours close on Colombia's holidays; a special day opens one of them
    # (Tuesday 8 December 2026), another closes two days, and a season closes Saturdays.
    business = holiday_site.schedule("business")
    weekdays = Interval((0, 1, 2, 3, 4), 8 * 60, 17 * 60)
    season = Season(
        Dates(datetime.date(2027, 1, 4), datetime.date(2027, 1, 31), False), business.name, (weekdays,)
    )
    opened = SpecialDay(
        Dates(datetime.date(2026, 12, 8), datetime.date(2026, 12, 8), False),
        (Opening(9 * 60, 12 * 60),),
        None,
    )
    closed = SpecialDay(Dates(datetime.date(2027, 2, 1), datetime.date(2027, 2, 2), False), (), None)
    business = business._replace(seasons=(season,), special_days=(opened, closed))
    ctx = context(holiday_site._replace(schedules=(business, *holiday_site.schedules[1:])))
    specs = data.opening_hours(ctx, business)
    spec = {"@type": "OpeningHoursSpecification"}
    january = {"validFrom": "2027-01-04", "validThrough": "2027-01-31"}
    assert {
        **spec,
        "dayOfWeek": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
        "opens": "08:00",
        "closes": "17:00",
        **january,
    } in specs
    assert {**spec, "dayOfWeek": ["Saturday"], "opens": "00:00", "closes": "00:00", **january} in specs
    # The special day wins over the holiday: one spec on that date, its own.
    assert [s for s in specs if s.get("validFrom") == "2026-12-08"] == [
        {**spec, "opens": "09:00", "closes": "12:00", "validFrom": "2026-12-08", "validThrough": "2026-12-08"}
    ]
    for day in ("2027-02-01", "2027-02-02"):
        assert [s for s in specs if s.get("validFrom") == day] == [
            {**spec, "opens": "00:00", "closes": "00:00", "validFrom": day, "validThrough": day}
        ]
    # The JSON file's string says the same day's hours.
    assert "2026 Dec 08 09:00-12:00" in data.help_desk(ctx)["schedules"][0]["opening_hours"]


def test_the_json_file_links_files_that_exist(document: dict[str, Any], seed_files: Files) -> None:
    paths = [
        c for level in document["escalation"] if level["contact"] for c in level["contact"]["cards"].values()
    ]
    paths += [p for cards in document["cards"].values() for p in cards.values()]
    paths += [p for s in document["schedules"] for p in s["calendars"].values()]
    assert paths and all(path in seed_files for path in paths)
    assert document["escalation"][2]["contact"]["phones"][0]["whatsapp"] is True


# A schedule that exercises what the seed's do not: a split shift, hours past midnight (into
# Sunday 02:00, the moment Madrid's clocks change in March and October, and from Sunday night into
# Monday, across the week's end), a fixed closed date and a region's public holidays, in a zone
# with daylight saving time.
MADRID = Schedule(
    "madrid",
    Text((("es", "Madrid"), ("en", "Madrid"))),
    "Europe/Madrid",
    False,
    (
        Interval((0, 1, 2, 3, 4), 9 * 60, 14 * 60),
        Interval((0, 1, 2, 3, 4), 16 * 60, 19 * 60 + 30),
        Interval((4, 5), 21 * 60, 26 * 60),
        Interval((6,), 23 * 60, 25 * 60 + 30),
    ),
    # Friday 29 October 2027, the weekend Madrid goes back to winter time.
    Closures(dates=(datetime.date(2027, 10, 29),), holidays="ES", subdivision="MD"),
)


def _agree_with_the_wall_clock(ctx: RenderContext, schedule: Schedule) -> int:
    """Check the schedule's open spans against `open_by_wall_clock`, which reads the schedule's own
    words rather than generator.hours: every 47 minutes across the window (a step that walks
    through every time of day), and a minute either side of every opening and closing."""
    spans = ctx.open_spans[schedule.id]
    start, end = ctx.window.utc
    holidays = ctx.holidays.region(schedule.closures, start.date(), end.date())
    instants = []
    instant = start
    while instant < end:
        instants.append(instant)
        instant += datetime.timedelta(minutes=47)
    minute = datetime.timedelta(minutes=1)
    for opens, closes in spans:
        instants += [opens - minute, opens, closes - minute, closes]
    openings = [opens for opens, _ in spans]
    checked = 0
    for instant in instants:
        if not start <= instant < end:
            continue
        # The last span that opens at or before the instant (spans are sorted and apart).
        at = bisect.bisect_right(openings, instant) - 1
        inside = at >= 0 and spans[at][0] <= instant < spans[at][1]
        assert inside == open_by_wall_clock(schedule, instant, holidays), (schedule.id, instant)
        checked += 1
    return checked


def test_open_spans_agree_with_the_wall_clock(seed_context: RenderContext, holiday_site: Site) -> None:
    for schedule in seed_context.site.schedules:
        assert _agree_with_the_wall_clock(seed_context, schedule) > 20_000
    holidays = context(holiday_site)
    assert _agree_with_the_wall_clock(holidays, holiday_site.schedule("business")) > 20_000
    site = seed_context.site._replace(schedules=(*seed_context.site.schedules, MADRID))
    ctx = context(site)
    assert _agree_with_the_wall_clock(ctx, MADRID) > 20_000
    spans = ctx.open_spans["madrid"]

    def utc(*args: int) -> datetime.datetime:
        return datetime.datetime(*args, tzinfo=datetime.UTC)  # type: ignore[misc]

    def madrid(*args: int) -> datetime.datetime:
        local = datetime.datetime(*args, tzinfo=ZoneInfo("Europe/Madrid"))  # type: ignore[misc]
        return local.astimezone(datetime.UTC)

    # The oracle is only as good as the cases it meets: these must be among the spans.
    # Saturday night into the spring change: 21:00 CET (UTC+1) to 02:00 CET, when clocks jump to
    # 03:00 CEST.
    assert (utc(2027, 3, 27, 20), utc(2027, 3, 28, 1)) in spans
    # Saturday night into the autumn change: 21:00 CEST (UTC+2) to the first 02:00 (CEST).
    assert (utc(2027, 10, 30, 19), utc(2027, 10, 31, 0)) in spans
    # Sunday night into Monday; then Monday's split shift.
    assert (madrid(2027, 4, 4, 23), madrid(2027, 4, 5, 1, 30)) in spans
    assert (madrid(2027, 4, 5, 9), madrid(2027, 4, 5, 14)) in spans
    assert (madrid(2027, 4, 5, 16), madrid(2027, 4, 5, 19, 30)) in spans
    # Nothing starts on the closed Friday, nor on a public holiday (Good Friday, Saturday 1 May,
    # Madrid's own 2 May 2028); but the night before a closed day still runs into it.
    closed = [datetime.date(2027, 10, 29), datetime.date(2027, 3, 26)]
    closed += [datetime.date(2027, 5, 1), datetime.date(2028, 5, 2)]
    for day in closed:
        assert not any(opens.astimezone(ZoneInfo("Europe/Madrid")).date() == day for opens, _ in spans)
    assert (madrid(2027, 4, 30, 21), madrid(2027, 5, 1, 2)) in spans


def test_the_embedded_script_data_decodes_to_the_open_spans(holiday_site: Site) -> None:
    ctx = context(holiday_site)
    script = PageViews(ctx, holiday_site.languages[0], {}).script_data()
    assert script["zone"] == "America/Bogota" and script["locale"] == "es-CO-u-nu-latn"
    encoded = script["schedules"]["business"]
    decoded, at = [], script["base"]
    for gap, length in zip(encoded[::2], encoded[1::2], strict=True):
        decoded.append((at + gap, at + gap + length))
        at += gap + length
    expected = [(int(o.timestamp()) // 60, int(c.timestamp()) // 60) for o, c in ctx.open_spans["business"]]
    assert decoded == expected
    # Tuesday 8 December 2026 is a public holiday in Colombia: no span starts that day.
    holiday = int(bogota(2026, 12, 8).timestamp()) // 60
    assert not any(holiday <= opens < holiday + 24 * 60 for opens, _ in decoded)
    assert set(script["strings"]) >= {"status_open", "status_closed", "opens", "closes"}


def test_json_ld_has_a_contact_point_per_channel_and_availability(seed_files: Files) -> None:
    document = page_json(seed_files, "en/index.html")
    assert document["@context"] == "https://schema.org" and document["@type"] == "Organization"
    assert document["name"] == "Certicámara"
    points = document["contactPoint"]
    assert [p["name"] for p in points] == [
        "Bogotá customer line",
        "National toll-free line",
        "Help desk email",
        "Monitoring Centre WhatsApp",
        "Corporate WhatsApp",
        "ServiceNow self-service portal",
        "ServiceNow self-service portal",
    ]
    bogota_line, toll_free, email, monitoring = points[:4]
    assert bogota_line["telephone"] == "+576017442727" and "contactOption" not in bogota_line
    assert toll_free["contactOption"] == "TollFree" and toll_free["areaServed"] == "CO"
    assert toll_free["telephone"].startswith("+57")
    assert email["email"] == "mesadeayuda@certicamara.com"
    assert monitoring["url"] == "https://wa.me/573184872656"
    assert all(p["availableLanguage"] == ["es", "en"] and p["contactType"] for p in points)
    assert bogota_line["hoursAvailable"] == [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
            "opens": "07:00",
            "closes": "19:00",
        },
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": ["Saturday"],
            "opens": "08:00",
            "closes": "13:00",
        },
    ]
    assert monitoring["hoursAvailable"][0]["dayOfWeek"][6] == "Sunday"
    assert (monitoring["hoursAvailable"][0]["opens"], monitoring["hoursAvailable"][0]["closes"]) == (
        "00:00",
        "23:59",
    )
    assert [p["contactType"] for p in points[5:]] == ["Incidents handled", "Requests handled"]
    assert "url" not in document  # no base URL, no absolute page address


def test_json_ld_lists_closed_dates(holiday_site: Site, cache: BuildCache) -> None:
    files = pipeline.render(holiday_site._replace(base_url=BASE_URL), cache)
    document = page_json(files, "es/index.html")
    assert document["url"] == "https://example.org/ayuda/es/"
    closed = [s for s in document["contactPoint"][0]["hoursAvailable"] if "validFrom" in s]
    assert {"@type": "OpeningHoursSpecification", "opens": "00:00", "closes": "00:00"}.items() <= closed[
        0
    ].items()
    assert "2026-12-08" in [s["validFrom"] for s in closed]
    assert all(s["validFrom"] == s["validThrough"] for s in closed)


def test_json_ld_is_safe_inside_the_page(seed_site: Site, cache: BuildCache) -> None:
    site = seed_site._replace(organisation="</script><script>alert(1)</script> & co")
    files = pipeline.render(site, cache)
    html = files["es/index.html"].decode()
    assert "</script><script>alert" not in html
    assert page_json(files, "es/index.html")["name"] == site.organisation


def test_qr_codes_for_every_whatsapp_link_and_contact_card(seed_site: Site, seed_files: Files) -> None:
    expected = {
        "qr/whatsapp-573184872656.svg",
        "qr/whatsapp-573168731648.svg",
        "qr/whatsapp-573187174937.svg",
    } | {f"qr/contact-{name}.svg" for name in ("orlando-mendez", "nelson-calderon", "ivan-rodriguez")}
    # Published under fingerprinted names: `qr/whatsapp-573184872656.0123456789.svg`.
    published = {re.sub(r"\.[0-9a-f]{10}\.svg$", ".svg", p): p for p in seed_files if p.endswith(".svg")}
    assert {path for path in published if "favicon" not in path} == expected
    for path in expected:
        root = ElementTree.fromstring(seed_files[published[path]])
        assert root.tag == "{http://www.w3.org/2000/svg}svg" and root.get("viewBox")
    level = seed_site.levels[2]
    card = qr.card_data(qr.contact_code(level, seed_site))
    assert card.startswith("BEGIN:VCARD\r\nVERSION:3.0\r\n")
    assert "FN:Nelson Calderón" in card and "TEL:+573187174937" in card and "ORG:Certicámara" in card
    # One code serves every language: it holds nothing that is translated.
    assert "TITLE" not in card
    assert seed_files[published["qr/whatsapp-573184872656.svg"]] == qr.draw(
        qr.TextCode("https://wa.me/573184872656")
    )


def test_no_sitemap_without_a_base_url(seed_files: Files) -> None:
    assert "sitemap.xml" not in seed_files
    assert seed_files["robots.txt"] == b"User-agent: *\nAllow: /\n"


def test_sitemap_with_alternates_and_robots_with_a_base_url(seed_site: Site, cache: BuildCache) -> None:
    files = pipeline.render(seed_site._replace(base_url=BASE_URL), cache)
    assert files["robots.txt"].decode().splitlines()[-1] == "Sitemap: https://example.org/ayuda/sitemap.xml"
    namespaces = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    root = ElementTree.fromstring(files["sitemap.xml"])
    urls = root.findall("s:url", namespaces)
    assert [u.findtext("s:loc", namespaces=namespaces) for u in urls] == [f"{BASE_URL}es/", f"{BASE_URL}en/"]
    for url in urls:
        assert url.findtext("s:lastmod", namespaces=namespaces) == "2026-11-29"
        alternates = {a.get("hreflang"): a.get("href") for a in url.findall("x:link", namespaces)}
        assert alternates == {"es": f"{BASE_URL}es/", "en": f"{BASE_URL}en/", "x-default": BASE_URL}


def test_the_data_file_is_stable(
    tmp_path: Path, seed_site: Site, document: dict[str, Any], cache: BuildCache
) -> None:
    again = json.loads(pipeline.render(seed_site, cache)[data.DATA_PATH])
    assert again == document


def test_the_json_file_gives_notices_with_utc_instants_and_their_feeds(tmp_path: Path) -> None:
    import shutil

    from test_notices_feeds import NOTICES_YAML

    content = tmp_path / "content"
    shutil.copytree(Path(__file__).resolve().parent.parent / "content", content)
    (content / "notices.yaml").write_text(NOTICES_YAML, encoding="utf-8")
    files = pipeline.render(pipeline.load(content, BuildCache()), BuildCache())
    document = json.loads(files[data.DATA_PATH])
    assert document["notice_feeds"] == {
        "es": {"atom": "es/notices.atom", "calendar": "es/notices.ics"},
        "en": {"atom": "en/notices.atom", "calendar": "en/notices.ics"},
    }
    assert all(path in files for feeds in document["notice_feeds"].values() for path in feeds.values())
    maintenance, incident = document["notices"]  # in the order of notices.yaml
    assert maintenance == {
        "id": "portal-maintenance-2026-12",
        "kind": "maintenance",
        "posted": "2026-12-01T15:00:00Z",
        "starts": "2026-12-13T03:00:00Z",
        "ends": "2026-12-13T09:00:00Z",
        "updated": "2026-12-01T15:00:00Z",
        "cancelled": None,
        "resolved": None,
        "title": {"es": "Mantenimiento del portal", "en": "Portal maintenance"},
        "body": {
            "es": "El portal no estará disponible mientras actualizamos la plataforma.",
            "en": "The portal will be unavailable while we upgrade the platform.",
        },
        "affects": [
            {"channel": "portal", "effect": "unavailable", "alternatives": ["phone-bogota", "email"]}
        ],
        "updates": [],
    }
    # An incident: posted when it started, ended when it was resolved, last updated then.
    assert {
        key: incident[key] for key in ("posted", "starts", "ends", "updated", "resolved", "cancelled")
    } == {
        "posted": "2026-12-02T14:10:00Z",
        "starts": "2026-12-02T14:10:00Z",
        "ends": "2026-12-02T16:05:00Z",
        "updated": "2026-12-02T16:05:00Z",
        "resolved": "2026-12-02T16:05:00Z",
        "cancelled": None,
    }
    assert incident["updates"] == [
        {
            "at": "2026-12-02T14:20:00Z",
            "status": "investigating",
            "text": {
                "es": "Estamos revisando con el operador.",
                "en": "We are looking into it with the carrier.",
            },
        },
        {
            "at": "2026-12-02T16:05:00Z",
            "status": "resolved",
            "text": {"es": "Las llamadas entran con normalidad.", "en": "Calls get through again."},
        },
    ]
    channels = {channel["id"] for channel in document["channels"]}
    assert {a["channel"] for n in document["notices"] for a in n["affects"]} <= channels


def test_the_json_file_of_a_site_without_notices_still_names_their_feeds(document: dict[str, Any]) -> None:
    assert document["notices"] == []
    assert document["notice_feeds"]["es"] == {"atom": "es/notices.atom", "calendar": "es/notices.ics"}
