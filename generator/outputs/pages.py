"""The help pages: one per language, a root page that sends visitors to the default one, and a 404;
and per language, a compact status page for other sites to show in an iframe (<lang>/embed/).

Each page is one self-contained response: its stylesheet and its one script are inlined (so the
first render needs no other request), and a Content-Security-Policy allows exactly those, by hash.
"""

import base64
import datetime
import hashlib
import io
import itertools
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

import jinja2
from markupsafe import Markup

from generator.brand import Palette
from generator.cache import BuildCache, register
from generator.content.model import Channel, Language, Level, Notice, Phone, Schedule, Site
from generator.hours import Run, season_runs, special_runs
from generator.outputs import Files, branding, cards, data, links, notices, offline, qr
from generator.outputs.calendars import calendar_path, subscription_links
from generator.outputs.context import RenderContext
from generator.outputs.markdown_text import render_markdown
from generator.outputs.markup import fill, listing, ltr, phone_number

# The print stylesheet: a file of its own, linked for print only (templates/static/print.css).
PRINT_STYLE = "static/print.css"
# Compiled templates: Jinja checks each against its template's source and its own version.
TEMPLATE_CODE = register("jinja", packages=("jinja2",), modules=())

WITHOUT_BASE_URL = "pages: no canonical link, and relative hreflang alternates"
NOT_FOUND = "404.html"
# The strings the open-now script needs, handed to it with the schedule data.
SCRIPT_STRINGS = (
    "status_open",
    "status_closed",
    "closes",
    "opens",
    "when_today",
    "when_tomorrow",
    "when_day",
    "your_time",
    "always_open",
    "today",
    "effect_unavailable",
    "effect_degraded",
    "effect_until",
    "kind_maintenance",
    "kind_incident",
    "kind_information",
    "notice_planned",
    "notice_cancelled",
    "notice_over",
    "notice_window",
    "labelled",
)
# A maintenance shows as planned this long before it starts; a notice stays this long after it ends.
PLANNED_AHEAD_DAYS = 14
OVER_FOR_DAYS = 3


class Link(NamedTuple):
    """A link as the page shows it; `note` is a line of help shown under it. A number, email or
    address in `text` or `note` is marked left to right (markup.ltr, markup.phone_number)."""

    href: str
    text: str
    label: str = ""
    note: str = ""


class DatedPhrase(NamedTuple):
    """A phrase about some days (a special day), with when they start and end as UTC minutes since
    the epoch (the schedule's local midnights): the script hides it once it is over and marks it
    while it lasts, in the visitor's browser, whatever its zone."""

    text: str
    starts: int
    ends: int


class HoursLine(NamedTuple):
    """The hours of one availability: what they are for, one phrase per line, then the special
    days from the build date on."""

    label: str
    phrases: tuple[str, ...]
    special_days: tuple[DatedPhrase, ...]


class Status(NamedTuple):
    """Where the open-now script writes one availability's state; `label` names it when a channel
    has several."""

    schedule: str
    label: str


class Qr(NamedTuple):
    """A QR code image, as linked from the page, with its caption."""

    src: str
    caption: str


class ChannelView(NamedTuple):
    id: str
    kind: str
    name: str
    link: Link
    description: str
    details: Markup | None
    request_types: str
    hours: tuple[HoursLine, ...]
    statuses: tuple[Status, ...]
    round_the_clock: bool
    qr: Qr | None
    # The channels to use instead, by each notice that affects this one: the script shows them
    # while the notice is current.
    alternatives: tuple[tuple[str, Markup], ...]  # a notice's id, and the channels to use instead


class AffectedView(NamedTuple):
    """A channel a notice affects, as the notice says it, with the channels to use instead."""

    channel: str  # its id: its place on the page
    name: str
    effect: str
    alternatives: Markup  # the channels to use instead, as links


class UpdateView(NamedTuple):
    status: str
    when: str
    text: Markup


class NoticeView(NamedTuple):
    """A notice as the page shows it. The script decides by the clock whether it is planned,
    current or over, from its instants (UTC minutes since the epoch); without the script, the
    notices not over when the site was built show as they are."""

    id: str
    kind: str
    tag: str
    title: str
    body: Markup
    window: str
    starts: int
    ends: int | None
    cancelled: bool
    over: bool  # already over when the site was built
    affects: tuple[AffectedView, ...]
    updates: tuple[UpdateView, ...]


class NoticeFeeds(NamedTuple):
    """The notices' feeds: Atom, and a calendar to download or (with a base URL) subscribe to."""

    atom: str
    calendar: str
    webcal: str
    google: str


class LevelView(NamedTuple):
    id: str
    number: int
    title: str
    name: str
    person: str | None
    channels: tuple[tuple[str, Link], ...]
    contact_links: tuple[Link, ...]
    card: str | None
    card_name: str | None
    qrs: tuple[Qr, ...]


class ScheduleView(NamedTuple):
    """A schedule in words, with its feed: downloaded, and subscribed to where a URL is known.

    Without a base URL, `webcal` and `google` are empty and the page's script builds them from the
    page's own address.
    """

    id: str
    name: str
    phrases: tuple[str, ...]
    special_days: tuple[DatedPhrase, ...]
    download: str
    webcal: str
    google: str


class Alternate(NamedTuple):
    """This page in another language (or itself), for the switcher and hreflang."""

    language: Language
    name: str  # the language's name in itself
    href: str
    current: bool


class Assets(NamedTuple):
    """The inlined stylesheet and script, and the policy that allows exactly them."""

    style: Markup
    script: Markup
    csp: str


class EmbedAssets(NamedTuple):
    """The embeddable page's inlined stylesheet (its own, small), the full page's script, the
    script that tells the frame's parent the page's height, and the policy that allows exactly them."""

    style: Markup
    script: Markup
    height: Markup
    csp: str


def _minutes(instant: datetime.datetime) -> int:
    """An instant as whole minutes since the Unix epoch, as the script reads instants."""
    return int(instant.timestamp()) // 60


def _days(schedule: Schedule, run: Run[Any]) -> tuple[int, int]:
    """A run of days as UTC minutes since the epoch: from its first local midnight to the one
    after its last day, in the schedule's zone."""
    tz = ZoneInfo(schedule.timezone)

    def midnight(day: datetime.date) -> int:
        return int(datetime.datetime.combine(day, datetime.time(), tz).timestamp()) // 60

    return midnight(run.first), midnight(run.last + datetime.timedelta(days=1))


def round_the_clock(site: Site, channel: Channel) -> bool:
    """A channel that never closes, for any of its request types: the one to reach in an emergency."""
    return all(site.schedule(availability.schedule).always for availability in channel.availability)


class PageViews:
    """Prepares what the templates show, for one language: all wording decisions are made here."""

    def __init__(self, ctx: RenderContext, language: Language, published: Mapping[str, str]) -> None:
        self.ctx = ctx
        self.site = ctx.site
        self.cache = ctx.cache
        self.language = language
        # Fingerprinted assets' published names, by plain site path.
        self.published = published
        self.wording = ctx.wordings[language.code]
        self.strings = self.wording.strings
        # A schedule's special days in words, worked out once however many channels use it.
        self._special_days: dict[str, tuple[DatedPhrase, ...]] = {}

    def phone_link(self, phone: Phone, label: str = "") -> Link:
        if phone.domestic_only:
            country = self.wording.country(self.site.country)
            note = self.strings["domestic_only"].format(country=country)
        else:
            note = fill(self.strings["from_abroad"], number=phone_number(phone.international))
        return Link(links.tel(phone), phone_number(phone.national), label, note)

    def channel_link(self, channel: Channel) -> Link:
        href = links.channel_href(channel)
        if channel.kind == "phone" and isinstance(channel.value, Phone):
            return self.phone_link(channel.value)
        if channel.kind == "whatsapp" and isinstance(channel.value, Phone):
            text = fill(self.strings["whatsapp_action"], number=phone_number(channel.value.international))
        elif channel.kind == "email":
            text = fill(self.strings["email_action"], address=ltr(str(channel.value)))
        else:
            address = links.without_scheme(str(channel.value))
            text = fill(self.strings["web_action"], address=ltr(address))
        return Link(href, text)

    def named_links(self, channel_ids: tuple[str, ...]) -> tuple[tuple[str, Link], ...]:
        """Channels by id, each with its name and main link, as lists of channels show them."""
        code = self.language.code
        return tuple(
            (self.site.channel(c).name[code], self.channel_link(self.site.channel(c))) for c in channel_ids
        )

    def alternatives(self, channel_ids: tuple[str, ...]) -> Markup:
        """Channels to use instead, as links joined as the language lists them."""
        return listing(
            self.wording,
            [
                Markup('<a href="{}">{}</a>').format(link.href, name)
                for name, link in self.named_links(channel_ids)
            ],
        )

    def request_types(self, type_ids: tuple[str, ...] | None) -> str:
        if type_ids is None:
            return self.strings["all_request_types"]
        names = [self.site.request_type(type_id).name[self.language.code] for type_id in type_ids]
        return self.wording.listing(names)

    def channel(self, channel: Channel) -> ChannelView:
        code = self.language.code
        hours = []
        statuses = []
        for availability in channel.availability:
            if availability.label is not None:
                label = availability.label[code]
            elif len(channel.availability) > 1:
                label = self.request_types(availability.request_types)
            else:
                label = ""
            schedule = self.site.schedule(availability.schedule)
            hours.append(HoursLine(label, self.phrases(schedule), self.special_days(schedule)))
            # One status needs no label: it is the channel's.
            statuses.append(Status(availability.schedule, label if len(channel.availability) > 1 else ""))
        code_image = None
        if channel.kind == "whatsapp" and isinstance(channel.value, Phone):
            code_image = Qr(
                f"../{self.published[qr.whatsapp_path(channel.value)]}", self.strings["qr_whatsapp"]
            )
        return ChannelView(
            id=channel.id,
            kind=channel.kind,
            name=channel.name[code],
            link=self.channel_link(channel),
            description=channel.description[code],
            details=render_markdown(channel.details[code], self.cache) if channel.details else None,
            request_types=self.request_types(channel.request_types),
            hours=tuple(hours),
            statuses=tuple(statuses),
            round_the_clock=round_the_clock(self.site, channel),
            qr=code_image,
            alternatives=tuple(
                (notice.id, self.alternatives(affected.alternatives))
                for notice in self.site.notices
                if notice.cancelled is None
                for affected in notice.affects
                if affected.channel == channel.id and affected.alternatives
            ),
        )

    def relative(self, path: str) -> str:
        """A site path as linked from this language's page, which sits in the language's folder."""
        return path.removeprefix(f"{self.language.code}/")

    def phrases(self, schedule: Schedule) -> tuple[str, ...]:
        """The schedule's hours in words: its weeks, then its closures, if any."""
        *phrases, closures = self.wording.lines(schedule, since=self.site.updated)
        return tuple(phrases) + ((closures,) if closures else ())

    def special_days(self, schedule: Schedule) -> tuple[DatedPhrase, ...]:
        """The schedule's special days from the build date to the end of the window, in order."""
        found = self._special_days.get(schedule.id)
        if found is None:
            runs = special_runs(schedule, self.site.updated, self.ctx.window.last)
            found = tuple(
                DatedPhrase(self.wording.special_day(run.rule, run.first, run.last), *_days(schedule, run))
                for run in runs
            )
            self._special_days[schedule.id] = found
        return found

    def schedule(self, schedule: Schedule) -> ScheduleView:
        links = subscription_links(self.site, schedule, self.language)
        return ScheduleView(
            id=schedule.id,
            name=schedule.name[self.language.code],
            phrases=self.phrases(schedule),
            special_days=self.special_days(schedule),
            download=self.relative(calendar_path(schedule, self.language)),
            webcal=links.webcal if links else "",
            google=(links.google or "") if links else "",
        )

    def level(self, number: int, level: Level) -> LevelView:
        code = self.language.code
        channels = self.named_links(level.channels)
        contact_links: list[Link] = []
        codes: list[Qr] = []
        if level.contact:
            contact_links.extend(
                Link(links.mailto(email), ltr(email), self.strings["email"]) for email in level.contact.emails
            )
            for contact_phone in level.contact.phones:
                phone = contact_phone.phone
                kind = "whatsapp" if contact_phone.whatsapp else "mobile" if phone.mobile else "phone"
                contact_links.append(self.phone_link(phone, self.strings[kind]))
                if contact_phone.whatsapp:
                    # The line above names it (Mobile and WhatsApp): this one needs no label.
                    text = fill(self.strings["whatsapp_action"], number=phone_number(phone.international))
                    contact_links.append(Link(links.whatsapp(phone), text))
                    codes.append(
                        Qr(f"../{self.published[qr.whatsapp_path(phone)]}", self.strings["qr_whatsapp"])
                    )
            card_code = self.published.get(qr.contact_path(level, self.ctx))
            if card_code:  # a contact too long for any code has none
                label = self.strings["qr_card"].format(person=level.contact.person)
                codes.insert(0, Qr(f"../{card_code}", label))
        card = cards.card_path(level, self.language, self.ctx) if level.contact else None
        return LevelView(
            card=self.relative(card) if card else None,
            card_name=card.rsplit("/", 1)[-1] if card else None,
            id=level.id,
            number=number,
            title=level.title[code],
            name=level.name[code],
            person=level.contact.person if level.contact else None,
            channels=channels,
            contact_links=tuple(contact_links),
            qrs=tuple(codes),
        )

    def notice_feeds(self) -> NoticeFeeds:
        """The notices' Atom feed and calendar, as linked from this language's page."""
        subscribe = notices.subscription_links(self.site, self.language)
        return NoticeFeeds(
            atom=self.relative(notices.atom_path(self.language)),
            calendar=self.relative(notices.ics_path(self.language)),
            webcal=subscribe.webcal if subscribe else "",
            google=(subscribe.google or "") if subscribe else "",
        )

    def notices(self) -> list[NoticeView]:
        """The notices the page may show: all but those over for good when it was built."""
        stamp = self.ctx.stamp
        shown = []
        for notice in self.site.notices:
            ends = notice.ends
            if ends is not None and ends + datetime.timedelta(days=OVER_FOR_DAYS) <= stamp:
                continue
            shown.append(self.notice(notice, over=ends is not None and ends <= stamp))
        return shown

    def notice(self, notice: Notice, *, over: bool) -> NoticeView:
        code, zone = self.language.code, ZoneInfo(self.site.timezone)
        ends = notice.ends.astimezone(zone) if notice.ends else None
        affects = tuple(
            AffectedView(
                affected.channel,
                self.site.channel(affected.channel).name[code],
                self.strings[f"effect_{affected.effect}"],
                self.alternatives(affected.alternatives),
            )
            for affected in notice.affects
        )
        updates = tuple(
            UpdateView(
                self.strings[f"update_{update.status}"],
                self.wording.moment(update.at.astimezone(zone)),
                render_markdown(update.text[code], self.cache),
            )
            for update in notice.updates
        )
        return NoticeView(
            id=notice.id,
            kind=notice.kind,
            tag=self.strings[f"notice_{notice.kind}"],
            title=notice.title[code],
            body=render_markdown(notice.body[code], self.cache),
            window=self.wording.window(notice.starts.astimezone(zone), ends),
            starts=_minutes(notice.starts),
            ends=_minutes(notice.ends) if notice.ends else None,
            cancelled=notice.cancelled is not None,
            over=over,
            affects=affects,
            updates=updates,
        )

    def urgent(self, channels: list[ChannelView]) -> list[tuple[str, ChannelView]]:
        """The channels open around the clock, each with the heading that points to it: what the
        channel is for ("Critical incidents"), or its name when it takes every request type."""
        found = []
        for channel, view in zip(self.site.channels, channels, strict=True):
            if view.round_the_clock:
                what = view.request_types if channel.request_types is not None else view.name
                found.append((self.strings["urgent_heading"].format(request_types=what), view))
        return found

    def script_data(self) -> dict[str, Any]:
        """What the open-now script reads: the schedules' open spans and the words it needs.

        Spans are whole minutes since the Unix epoch, delta-encoded (gap, length, gap, length...)
        from `base`: a weekly rhythm compresses to almost nothing. Past `end` the script says nothing.
        """
        start, end = self.ctx.window.utc
        base = int(start.timestamp()) // 60
        schedules: dict[str, list[int]] = {}
        notes: dict[str, list[list[int | str]]] = {}
        used = {a.schedule for channel in self.site.channels for a in channel.availability}
        for schedule in self.site.schedules:
            if schedule.id not in used:
                continue
            previous = base
            encoded: list[int] = []
            for opens, closes in self.ctx.open_spans[schedule.id]:
                first, last = int(opens.timestamp()) // 60, int(closes.timestamp()) // 60
                encoded += [first - previous, last - first]
                previous = last
            schedules[schedule.id] = encoded
            note_list = self.notes(schedule)
            if note_list:
                notes[schedule.id] = [[starts - base, ends - base, text] for starts, ends, text in note_list]
        return {
            "zone": self.site.timezone,
            # Babel writes dates and times in Latin digits for every locale (ar_EG too, whose CLDR
            # default is Arabic-Indic): the script writes the same digits, and the same form of time.
            "locale": f"{self.language.locale.replace('_', '-')}-u-nu-latn",
            "time": self.wording.time_options,
            "base": base,
            "end": int(end.timestamp()) // 60,
            "always": [s.id for s in self.site.schedules if s.always and s.id in used],
            "schedules": schedules,
            # A schedule in a zone of its own says its times in that zone.
            "zones": {
                s.id: s.timezone
                for s in self.site.schedules
                if s.id in used and s.timezone != self.site.timezone
            },
            "notes": notes,
            # What the notices do to channels while they are current: [starts, ends or null, kind,
            # [[channel, effect], ...]], in minutes since the epoch. Cancelled ones do nothing.
            "notices": [
                [
                    _minutes(n.starts),
                    _minutes(n.ends) if n.ends else None,
                    n.kind,
                    [[a.channel, a.effect] for a in n.affects],
                    n.id,
                ]
                for n in self.site.notices
                if n.affects and n.cancelled is None
            ],
            "planned_days": PLANNED_AHEAD_DAYS,
            "over_days": OVER_FOR_DAYS,
            "strings": {key: self.strings[key] for key in SCRIPT_STRINGS},
        }

    def notes(self, schedule: Schedule) -> list[tuple[int, int, str]]:
        """What the open-now status adds while a season or a special day lasts, over the window:
        (starts, ends, text), in UTC minutes since the epoch. A season says until when it runs
        ("Summer hours until August 31"); a special day says its label."""
        window = self.ctx.window
        found = []
        for season_run in season_runs(schedule, window.first, window.last):
            text = self.strings["season_until"].format(
                season=season_run.rule.name[self.language.code],
                date=self.wording.day(season_run.last, yearly=True),
            )
            found.append((*_days(schedule, season_run), text))
        for special_run in special_runs(schedule, window.first, window.last):
            label, hours = special_run.rule.label, special_run.rule.hours
            # Closed and nameless, a special day needs no note: "Closed · opens …" says it all.
            if label or hours:
                text = label[self.language.code] if label else self.strings["special_hours_today"]
                found.append((*_days(schedule, special_run), text))
        return sorted(found)


class _TemplateCode(jinja2.BytecodeCache):
    """Compiled templates kept in the build cache, for the next process: compiling them is a
    tenth of a cold build. Jinja stores each under its template's name and source checksum, and
    refuses code of another Jinja or Python."""

    def __init__(self, cache: BuildCache) -> None:
        self.cache = cache

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.cache.find(TEMPLATE_CODE, (bucket.key, bucket.checksum))
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.cache.put(TEMPLATE_CODE, (bucket.key, bucket.checksum), bucket.bytecode_to_string())


def _environment(templates: Path, cache: BuildCache) -> jinja2.Environment:
    """The templates' environment; their compiled code is found in the build cache."""
    environment = jinja2.Environment(
        bytecode_cache=_TemplateCode(cache),
        loader=jinja2.FileSystemLoader(templates),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["fill"] = fill
    return environment


def _compact(text: str, comment: str) -> str:
    """An asset without its comment lines, indentation and blank lines: fewer bytes on every page.

    Only whole-line comments go, so nothing inside a string or a value is touched.
    """
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.DOTALL) if comment == "/*" else text
    lines = (line.strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line and not line.startswith(comment))


def _hash(text: str) -> str:
    digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
    return f"'sha256-{digest}'"


def _policy(*allowed: str) -> str:
    """A page's Content-Security-Policy: nothing at all, except what `allowed` lists; no <base>,
    no form posts."""
    return "; ".join(("default-src 'none'", *allowed, "base-uri 'none'", "form-action 'none'"))


def assets(templates: Path, palette: Palette | None = None) -> Assets:
    """The inlined stylesheet (in the brand's colours) and script, and a CSP that allows them and
    nothing inline besides.

    Images (the favicon, QR codes) may come only from the site itself; nothing from any other origin.
    """
    style = _compact((templates / "assets" / "style.css").read_text(encoding="utf-8"), "/*")
    style += branding.brand_style(palette)
    script = _compact((templates / "assets" / "page.js").read_text(encoding="utf-8"), "//")
    csp = _policy(
        # The inline stylesheet by its hash; the print stylesheet, a file of the site's own.
        f"style-src {_hash(style)} 'self'",
        f"script-src {_hash(script)}",
        "img-src 'self'",
        # Nothing on the page connects anywhere, but tools that audit a page fetch its
        # robots.txt from inside it (Lighthouse does), and this lets them: same origin only.
        "connect-src 'self'",
        # The offline worker and the web app manifest, from the site itself (outputs/offline.py).
        "worker-src 'self'",
        "manifest-src 'self'",
    )
    return Assets(Markup(style), Markup(script), csp)


def embed_assets(templates: Path, script: str) -> EmbedAssets:
    """The embeddable page's assets: its own stylesheet, the full page's `script` (the same bytes,
    so the same hash) and the height script; a CSP that allows them and nothing else, not even
    images. (Who may frame the page is the server's to say: frame-ancestors has no effect in a meta
    element; docs/embed.md.)"""
    style = _compact((templates / "assets" / "embed.css").read_text(encoding="utf-8"), "/*")
    height = _compact((templates / "assets" / "embed.js").read_text(encoding="utf-8"), "//")
    csp = _policy(
        # Its inline stylesheet only: the embed links no stylesheet (not even the print one).
        f"style-src {_hash(style)}",
        f"script-src {_hash(script)} {_hash(height)}",
    )
    return EmbedAssets(Markup(style), Markup(script), Markup(height), csp)


def embed_path(language: Language) -> str:
    """Where a language's embeddable status page is written; it is linked as `<lang>/embed/`."""
    return f"{language.code}/embed/index.html"


def _json(value: Any) -> Markup:
    return Markup(data.script_json(value))


class PageRenderer:
    """The help pages, made one at a time: each language's page, then the site-wide ones.

    The templates are compiled once, when it is made, so that pages made apart (in other
    processes, for large sites) share them. `published` maps each asset's plain path to its
    fingerprinted name (generator.outputs.fingerprint).
    """

    def __init__(self, ctx: RenderContext, templates: Path, published: Mapping[str, str]) -> None:
        self.ctx, self.site, self.published, self.cache = ctx, ctx.site, published, ctx.cache
        self.environment = _environment(templates, ctx.cache)
        self.inline = assets(templates, ctx.palette)
        self.embed_assets = embed_assets(templates, str(self.inline.script))
        # The languages written right to left: their pages, sections and links say dir="rtl".
        self.environment.globals["rtl"] = frozenset(
            code for code, wording in ctx.wordings.items() if wording.direction == "rtl"
        )
        self.templates = {
            name: self.environment.get_template(name)
            for name in ("index.html", "root.html", "404.html", "embed.html")
        }

    def _site_links(self, relative: str) -> dict[str, Any]:
        """The addresses of what a page's head and header name (favicon, logo, manifest, offline
        worker): absolute under the base URL, else `relative` to the page (the 404 page,
        served at any depth, gives "/"). The worker's is always relative: a worker must come from
        the page's own origin, even when a build for its base URL is previewed elsewhere."""

        def address(path: str) -> str:
            name = self.published.get(path, path)
            return links.absolute_url(self.site, name) or relative + name

        return {
            "favicon": address(branding.FAVICON),
            "logo": branding.logo_view(self.site, address),
            "print_style": address(PRINT_STYLE),
            "manifest": address(offline.MANIFEST),
            "theme_colour": offline.theme_colour(self.ctx),
            "worker": offline.worker_address(relative, self.ctx) if relative != "/" else None,
        }

    def _name(self, language: Language) -> str:
        return self.ctx.wordings[language.code].own_name

    def language_page(self, language: Language) -> Files:
        """One language's index.html, and its embeddable status page, made from the same views and
        the same open-now data."""
        site = self.site
        views = PageViews(self.ctx, language, self.published)
        notice_feeds = views.notice_feeds()
        alternates = [
            Alternate(
                other,
                self._name(other),
                links.page_url(site, other) or f"../{other.code}/",
                other == language,
            )
            for other in site.languages
        ]
        channels = [views.channel(channel) for channel in site.channels]
        # One encoding of the open-now data, for the page and its embeddable status page alike.
        script_data = _json(views.script_data())
        html = _render(
            self.templates["index.html"],
            site=site,
            language=language,
            strings=views.strings,
            title=site.title[language.code],
            description=views.strings["description"].format(organisation=site.organisation),
            canonical=links.page_url(site, language),
            alternates=alternates,
            x_default=links.absolute_url(site, "") or "../",
            assets=self.inline,
            **self._site_links("../"),
            intro=render_markdown(site.prose[language.code]["intro"], self.cache),
            escalation_rule=render_markdown(site.prose[language.code]["escalation"], self.cache),
            channels=channels,
            urgent=views.urgent(channels),
            notices=views.notices(),
            notice_feeds=notice_feeds,
            # Made as the template reaches them, so that 10,000 views are never alive at once.
            levels=(views.level(number, level) for number, level in enumerate(site.levels, 1)),
            schedules=[views.schedule(schedule) for schedule in site.schedules],
            bundle=views.relative(cards.bundle_path(language)),
            help_desk_card=views.relative(cards.organisation_card_path(language)),
            data_file=f"../{data.DATA_PATH}",
            updated=views.strings["updated"].format(date=views.wording.date(site.updated)),
            structured=_json(data.organization(self.ctx, language.code)),
            script_data=script_data,
        )
        return {
            f"{language.code}/index.html": html,
            embed_path(language): self._embed(views, channels, script_data),
        }

    def _embed(self, views: PageViews, channels: list[ChannelView], script_data: Markup) -> bytes:
        """A language's embeddable status page (templates/embed.html): each channel's name, status
        and main link, and a link to the full page, which it sits one folder below."""
        language = views.language
        return _render(
            self.templates["embed.html"],
            site=self.site,
            language=language,
            strings=views.strings,
            title=self.site.title[language.code],
            full_page=links.page_url(self.site, language) or "../",
            assets=self.embed_assets,
            channels=channels,
            script_data=script_data,
        )

    def site_pages(self) -> Files:
        """The root index.html, which leads to the languages, and the 404 page."""
        site, default = self.site, self.site.default_language
        root = _render(
            self.templates["root.html"],
            site=site,
            language=default,
            strings=site.strings[default.code],
            title=site.title[default.code],
            description=site.strings[default.code]["description"].format(organisation=site.organisation),
            alternates=[
                Alternate(
                    lang, self._name(lang), links.page_url(site, lang) or f"{lang.code}/", lang == default
                )
                for lang in site.languages
            ],
            x_default=links.absolute_url(site, "") or "./",
            assets=self.inline,
            **self._site_links(""),
        )
        return {"index.html": root, NOT_FOUND: self._not_found()}

    def _not_found(self) -> bytes:
        """The page a host shows for a missing address, in every language at once (the visitor's
        is unknown). It may be served at any depth, so its links are absolute: under the base URL
        when there is one, else from the host's root."""
        site = self.site
        prefix = links.absolute_url(site, "") or "/"
        default = site.default_language
        html = _render(
            self.templates["404.html"],
            site=site,
            language=default,
            strings=site.strings[default.code],
            languages=[(lang, site.strings[lang.code], f"{prefix}{lang.code}/") for lang in site.languages],
            title=site.strings[default.code]["not_found_title"],
            assets=self.inline,
            **self._site_links("/"),
        )
        return html


def _render(template: jinja2.Template, **context: Any) -> bytes:
    """A page, encoded a few thousand pieces at a time into one buffer. Jinja's render() joins a
    list of every piece, and a page listing 10,000 contacts has two million of them."""
    buffer = io.BytesIO()
    pieces = template.generate(**context)
    while batch := list(itertools.islice(pieces, 4096)):  # (a batch of empty pieces is no end)
        buffer.write("".join(batch).encode())
    return buffer.getvalue()


def page_json(files: Files, path: str) -> dict[str, Any]:
    """The JSON-LD a built page carries (for tests and tools)."""
    text = files[path].decode()
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', text, re.DOTALL)
    if match is None:
        raise ValueError(f"{path} carries no JSON-LD")
    document: dict[str, Any] = json.loads(match.group(1))
    return document
