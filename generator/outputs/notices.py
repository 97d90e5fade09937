"""The notices' feeds, one of each per language: Atom (RFC 4287) and a subscribable iCalendar.

Planned maintenance, incidents and information reach people who follow the help desk in a feed
reader or a calendar. Nothing here reads the clock: a feed holds every notice of the content,
current or not, until the editors prune it (the build warns about notices long over), and the page
decides in the browser which are current.

What each feed holds is worked out here, as a record of plain values (`AtomFeed`, `NoticesFeed`);
the build cache finds the feed's bytes by that record, and only on a miss is the writer imported:
the Atom writer here with xml.etree, the iCalendar one in generator.outputs.ics with icalendar. A
build whose notices did not change imports neither.

**Identity.** A notice is known by its content id, in every feed, forever:

- the Atom feed's id is `tag:canales,2026:<site>:notices:<lang>`, and each entry's is the feed's
  id, a colon and the notice's id. `canales,2026` is the tagging entity and its date, fixed for
  good (RFC 4151): it is never the year of a build or of a notice. `<site>` is the organisation's
  name as a slug (`certicamara`), or percent-encoded UTF-8 when nothing of it is left as a slug: it
  is what the content has that names the help desk, and that a new host, a new base URL or a site
  without one leaves alone (renaming the organisation starts new feeds);
- an event's UID is a digest of that same entry id, so two organisations' notices that share an id
  stay apart in one calendar.

**Changes.** `updated` (Atom) and LAST-MODIFIED (iCalendar) are the notice's `updated`: it moves
with every update, resolution, cancellation and revision. SEQUENCE is the whole minutes from the
notice's `posted` to its `updated`: 0 when it is first published, as RFC 5545 starts it, and larger
after each of those, so that a client that imported the event takes the change. Editors who change
a notice's times or text set `revised` to say so; changing `posted` itself can lower the SEQUENCE.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import unicodedata
from typing import NamedTuple
from urllib.parse import quote
from zoneinfo import ZoneInfo

from markupsafe import Markup

from generator.cache import register
from generator.content.model import Language, Notice, Site
from generator.i18n import Wording
from generator.outputs import Files, links
from generator.outputs.calendars import SubscriptionLinks, feed_links
from generator.outputs.context import RenderContext, name_slug
from generator.outputs.markdown_text import render_markdown
from generator.outputs.markup import fill, listing

NOTICES = register("notices", packages=("icalendar",), modules=(__name__, "generator.outputs.ics"))
TAGGING_ENTITY = "canales,2026"  # RFC 4151's authority and date: never changes
ATOM_NS = "http://www.w3.org/2005/Atom"
ATOM_TYPE = "application/atom+xml"


def atom_path(language: Language) -> str:
    """The language's Atom feed of notices, relative to the site root."""
    return f"{language.code}/notices.atom"


def ics_path(language: Language) -> str:
    """The language's iCalendar feed of notices, relative to the site root."""
    return f"{language.code}/notices.ics"


def subscription_links(site: Site, language: Language) -> SubscriptionLinks | None:
    """Where to subscribe to the language's notices calendar, as to the hours feeds; None without
    a base URL."""
    return feed_links(site, ics_path(language))


def site_key(site: Site) -> str:
    """What names the help desk in its feeds' ids: the organisation's name as a slug, or, when no
    Latin letter or digit is left of it, the name itself percent-encoded."""
    return name_slug(site.organisation) or quote(unicodedata.normalize("NFC", site.organisation), safe="")


def feed_id(site: Site, language: Language) -> str:
    """The Atom feed's permanent id."""
    return f"tag:{TAGGING_ENTITY}:{site_key(site)}:notices:{language.code}"


def entry_id(site: Site, language: Language, notice: Notice) -> str:
    """A notice's permanent id in the language's feeds: a tag: URI, never a URL."""
    return f"{feed_id(site, language)}:{notice.id}"


def uid(site: Site, language: Language, notice: Notice) -> str:
    """A notice's event UID: content identity (the entry id), so every rebuild keeps it."""
    return hashlib.sha256(entry_id(site, language, notice).encode()).hexdigest()[:32] + "@canales"


def sequence(notice: Notice) -> int:
    """The event's SEQUENCE: whole minutes from `posted` to `updated`, which grows with every
    update, resolution, cancellation and revision."""
    return int((notice.updated - notice.posted).total_seconds()) // 60


def newest_first(notices: tuple[Notice, ...]) -> list[Notice]:
    """Notices by their last change, the latest first (then the latest posted, then by id)."""
    by_id = sorted(notices, key=lambda notice: notice.id)
    return sorted(by_id, key=lambda notice: (notice.updated, notice.posted), reverse=True)


def instant(moment: datetime.datetime) -> str:
    """An aware moment in UTC as RFC 3339 writes it (2026-12-13T03:00:00Z)."""
    return moment.astimezone(datetime.UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


# --- in words ----------------------------------------------------------------------------------


def moment_words(wording: Wording, moment: datetime.datetime, zone: ZoneInfo) -> str:
    """A moment as the organisation's clock says it, as the page says it: "Saturday, December 12,
    2026, 10:00 PM"."""
    return wording.moment(moment.astimezone(zone))


def window_words(wording: Wording, notice: Notice, timezone: str) -> str:
    """A notice's window in the organisation's time, as the page says it, then its zone (a feed
    is read anywhere): "Saturday, December 12, 2026, 10:00 PM to Sunday, December 13, 2026,
    4:00 AM (America/Bogota)"; "Since …" without an end."""
    zone = ZoneInfo(timezone)
    ends = notice.ends.astimezone(zone) if notice.ends is not None else None
    return f"{wording.window(notice.starts.astimezone(zone), ends)} ({timezone})"


def state(wording: Wording, notice: Notice) -> str | None:
    """What a notice's title adds once it is settled: cancelled, or resolved; None before."""
    if notice.cancelled is not None:
        return wording.strings["notice_cancelled"]
    if notice.resolved is not None:
        return wording.strings["update_resolved"]
    return None


def title(wording: Wording, notice: Notice) -> str:
    """The notice's title, with its state when it is settled: "Portal maintenance (Cancelled)"."""
    text = notice.title[wording.language.code]
    settled = state(wording, notice)
    return text if settled is None else f"{text} ({settled})"


def summary(wording: Wording, notice: Notice) -> str:
    """An event's title: its kind, then its title ("Maintenance: Portal maintenance (Cancelled)")."""
    kind = wording.strings["labelled"].format(label=wording.strings[f"notice_{notice.kind}"])
    return f"{kind} {title(wording, notice)}"


def _channel_link(site: Site, channel_id: str, language: str) -> Markup:
    channel = site.channel(channel_id)
    return Markup('<a href="{}">{}</a>').format(links.channel_href(channel), channel.name[language])


def content_html(ctx: RenderContext, wording: Wording, notice: Notice) -> str:
    """An entry's content: its kind and window, its body, the channels it affects with those to
    use instead, and its timeline, the latest update first."""
    site, code, strings = ctx.site, wording.language.code, wording.strings
    settled = state(wording, notice)
    kind = strings[f"notice_{notice.kind}"] + ("" if settled is None else f" · {settled}")
    parts = [
        Markup("<p><strong>{}</strong> {}</p>").format(
            fill(strings["labelled"], label=kind), window_words(wording, notice, site.timezone)
        ),
        render_markdown(notice.body[code], ctx.cache),
    ]
    if notice.affects:
        items = []
        for affected in notice.affects:
            item = Markup("{} {}.").format(
                fill(strings["labelled"], label=_channel_link(site, affected.channel, code)),
                strings[f"effect_{affected.effect}"],
            )
            if affected.alternatives:
                alternatives = [_channel_link(site, other, code) for other in affected.alternatives]
                item += Markup(" {} {}.").format(strings["use_instead"], listing(wording, alternatives))
            items.append(Markup("<li>{}</li>").format(item))
        parts.append(Markup("<ul>{}</ul>").format(Markup("").join(items)))
    if notice.updates:
        zone = ZoneInfo(site.timezone)
        steps = [
            Markup("<li><strong>{} {}</strong>{}</li>").format(
                fill(
                    strings["labelled"],
                    label=Markup('<time datetime="{}">{}</time>').format(
                        instant(update.at), moment_words(wording, update.at, zone)
                    ),
                ),
                strings[f"update_{update.status}"],
                render_markdown(update.text[code], ctx.cache),
            )
            for update in reversed(notice.updates)
        ]
        parts.append(Markup("<ul>{}</ul>").format(Markup("").join(steps)))
    return str(Markup("\n").join(parts))


def description_text(ctx: RenderContext, wording: Wording, notice: Notice) -> str:
    """An event's description, in plain text: its body (Markdown reads as text), the channels it
    affects with those to use instead, and its timeline, the latest update first."""
    site, code, strings = ctx.site, wording.language.code, wording.strings
    paragraphs = [notice.body[code].strip()]
    lines = []
    for affected in notice.affects:
        label = strings["labelled"].format(label=site.channel(affected.channel).name[code])
        line = f"{label} {strings[f'effect_{affected.effect}']}."
        if affected.alternatives:
            names = [site.channel(other).name[code] for other in affected.alternatives]
            line += f" {strings['use_instead']} {wording.listing(names)}."
        lines.append(line)
    if lines:
        paragraphs.append("\n".join(lines))
    zone = ZoneInfo(site.timezone)
    for update in reversed(notice.updates):
        words = moment_words(wording, update.at, zone)
        said = f"{strings['labelled'].format(label=words)} {strings[f'update_{update.status}']}"
        paragraphs.append(f"{said}\n{update.text[code].strip()}")
    return "\n\n".join(paragraphs)


# --- Atom -------------------------------------------------------------------------------------


class AtomEntry(NamedTuple):
    id: str
    title: str
    published: str
    updated: str
    link: str
    kind: str
    kind_label: str
    html: str


class AtomFeed(NamedTuple):
    """Everything one Atom feed holds, as text: the cache finds the feed by it, and `write_atom`
    writes it from it alone."""

    language: str
    id: str
    title: str
    updated: str
    author: str
    self_link: str
    page_link: str
    entries: tuple[AtomEntry, ...]


def _atom_feed(ctx: RenderContext, language: Language) -> AtomFeed:
    site, wording = ctx.site, ctx.wordings[language.code]
    notices = newest_first(site.notices)
    # Absolute under the base URL; else relative to the feed itself (RFC 4287 resolves a relative
    # reference against the feed's own address), which sits in the language's folder.
    self_link = links.absolute_url(site, atom_path(language)) or "notices.atom"
    page_link = links.page_url(site, language) or "./"
    entries = tuple(
        AtomEntry(
            id=entry_id(site, language, notice),
            title=title(wording, notice),
            published=instant(notice.posted),
            updated=instant(notice.updated),
            link=page_link,
            kind=notice.kind,
            kind_label=wording.strings[f"notice_{notice.kind}"],
            html=content_html(ctx, wording, notice),
        )
        for notice in notices
    )
    return AtomFeed(
        language=language.code,
        id=feed_id(site, language),
        title=wording.strings["notices_feed_title"].format(organisation=site.organisation),
        updated=instant(notices[0].updated if notices else ctx.stamp),
        author=site.organisation,
        self_link=self_link,
        page_link=page_link,
        entries=entries,
    )


def write_atom(feed: AtomFeed) -> bytes:
    """The feed as an Atom document (RFC 4287), with the standard library's XML writer."""
    from xml.etree import ElementTree  # only for a feed the cache lacks

    def add(parent: ElementTree.Element, tag: str, text: str | None = None, **attributes: str) -> None:
        ElementTree.SubElement(parent, tag, attributes).text = text

    # The Atom namespace is the document's default, declared on the root as written: no prefix
    # registered in ElementTree's process-wide table, which the sitemap sets for its own.
    root = ElementTree.Element(
        "feed", {"xmlns": ATOM_NS, "{http://www.w3.org/XML/1998/namespace}lang": feed.language}
    )
    add(root, "id", feed.id)
    add(root, "title", feed.title)
    add(root, "updated", feed.updated)
    author = ElementTree.SubElement(root, "author")
    add(author, "name", feed.author)
    add(root, "link", rel="self", type=ATOM_TYPE, href=feed.self_link)
    add(root, "link", rel="alternate", type="text/html", hreflang=feed.language, href=feed.page_link)
    for item in feed.entries:
        entry = ElementTree.SubElement(root, "entry")
        add(entry, "id", item.id)
        add(entry, "title", item.title)
        add(entry, "published", item.published)
        add(entry, "updated", item.updated)
        add(entry, "link", rel="alternate", type="text/html", href=item.link)
        add(entry, "category", term=item.kind, label=item.kind_label)
        add(entry, "content", item.html, type="html")
    ElementTree.indent(root)
    document: bytes = ElementTree.tostring(root, encoding="UTF-8", xml_declaration=True)
    return document + b"\n"


# --- iCalendar --------------------------------------------------------------------------------


class NoticeEvent(NamedTuple):
    """One notice as an event: from `starts` to `ends` (None: no end yet), aware UTC."""

    uid: str
    summary: str
    description: str
    starts: datetime.datetime
    ends: datetime.datetime | None
    posted: datetime.datetime
    updated: datetime.datetime
    sequence: int
    cancelled: bool
    url: str | None


class NoticesFeed(NamedTuple):
    """Everything one notices calendar holds: the cache finds it by this record, and
    generator.outputs.ics.write_notices writes it from it alone."""

    language: str
    name: str
    stamp: datetime.datetime
    events: tuple[NoticeEvent, ...]


def _notices_feed(ctx: RenderContext, language: Language) -> NoticesFeed:
    site, wording = ctx.site, ctx.wordings[language.code]
    strings = wording.strings
    events = tuple(
        NoticeEvent(
            uid=uid(site, language, notice),
            summary=summary(wording, notice),
            description=description_text(ctx, wording, notice),
            starts=notice.starts,
            ends=notice.ends,
            posted=notice.posted,
            updated=notice.updated,
            sequence=sequence(notice),
            cancelled=notice.cancelled is not None,
            url=links.page_url(site, language),
        )
        for notice in newest_first(site.notices)
    )
    name = strings["notices_feed_title"].format(organisation=site.organisation)
    return NoticesFeed(language.code, name, ctx.stamp, events)


def _write_ics(feed: NoticesFeed) -> bytes:
    from generator.outputs import ics  # only for a feed the cache lacks: it imports icalendar

    return ics.write_notices(feed)


def render_notices(ctx: RenderContext) -> Files:
    """Both feeds in every language; a site without notices gets them empty, so that a
    subscription made before the first notice works."""
    files: Files = {}
    for language in ctx.site.languages:
        atom = _atom_feed(ctx, language)
        files[atom_path(language)] = ctx.cache.keep(NOTICES, atom, functools.partial(write_atom, atom))
        calendar = _notices_feed(ctx, language)
        files[ics_path(language)] = ctx.cache.keep(NOTICES, calendar, functools.partial(_write_ics, calendar))
    return files
