"""The help pages: one per language, and a root page that sends visitors to the default one."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import jinja2
from babel.lists import format_list
from markupsafe import Markup

from generator.content.model import Channel, Language, Level, Phone, Schedule, Site
from generator.i18n import HoursWriter, country_name, format_day
from generator.outputs import Files, cards, links
from generator.outputs.calendars import calendar_path, subscription_links
from generator.outputs.markdown_text import render_markdown


@dataclass(frozen=True)
class Link:
    """A link as the page shows it; `note` is a line of help shown under it."""

    href: str
    text: str
    label: str = ""
    note: str = ""


@dataclass(frozen=True)
class HoursLine:
    """The hours of one availability: what they are for, then one phrase per line."""

    label: str
    phrases: tuple[str, ...]


@dataclass(frozen=True)
class ChannelView:
    id: str
    kind: str
    name: str
    link: Link
    description: str
    details: Markup | None
    request_types: str
    hours: tuple[HoursLine, ...]


@dataclass(frozen=True)
class LevelView:
    id: str
    number: int
    title: str
    name: str
    person: str | None
    channels: tuple[tuple[str, Link], ...]
    contact_links: tuple[Link, ...]
    card: str | None
    card_name: str | None


@dataclass(frozen=True)
class ScheduleView:
    """A schedule in words, with its feed: downloaded, and subscribed to where a URL is known.

    Without a base URL, `webcal` and `google` are empty and the page's script builds them from the
    page's own address.
    """

    id: str
    name: str
    phrases: tuple[str, ...]
    download: str
    webcal: str
    google: str


@dataclass(frozen=True)
class Alternate:
    """This page in another language (or itself), for the switcher and hreflang."""

    language: Language
    href: str
    current: bool


class PageViews:
    """Prepares what the templates show, for one language: all wording decisions are made here."""

    def __init__(self, site: Site, language: Language) -> None:
        self.site = site
        self.language = language
        self.strings = site.strings[language.code]
        self.hours_writer = HoursWriter(language.locale, self.strings)

    def phone_link(self, phone: Phone, label: str = "") -> Link:
        if phone.domestic_only:
            country = country_name(self.site.country, self.language.locale)
            note = self.strings["domestic_only"].format(country=country)
        else:
            note = self.strings["from_abroad"].format(number=phone.international)
        return Link(links.tel(phone), phone.national, label, note)

    def channel_link(self, channel: Channel) -> Link:
        href = links.channel_href(channel)
        if channel.kind == "phone" and isinstance(channel.value, Phone):
            return self.phone_link(channel.value)
        if channel.kind == "whatsapp" and isinstance(channel.value, Phone):
            text = self.strings["whatsapp_action"].format(number=channel.value.international)
        elif channel.kind == "email":
            text = self.strings["email_action"].format(address=channel.value)
        else:
            text = self.strings["web_action"].format(address=links.without_scheme(str(channel.value)))
        return Link(href, text)

    def request_types(self, type_ids: tuple[str, ...] | None) -> str:
        if type_ids is None:
            return self.strings["all_request_types"]
        names = [self.site.request_type(type_id).name[self.language.code] for type_id in type_ids]
        return format_list(names, locale=self.language.locale)

    def channel(self, channel: Channel) -> ChannelView:
        code = self.language.code
        hours = []
        for availability in channel.availability:
            if availability.label is not None:
                label = availability.label[code]
            elif len(channel.availability) > 1:
                label = self.request_types(availability.request_types)
            else:
                label = ""
            *phrases, closures = self.hours_writer.lines(self.site.schedule(availability.schedule))
            hours.append(HoursLine(label, tuple(phrases) + ((closures,) if closures else ())))
        return ChannelView(
            id=channel.id,
            kind=channel.kind,
            name=channel.name[code],
            link=self.channel_link(channel),
            description=channel.description[code],
            details=render_markdown(channel.details[code]) if channel.details else None,
            request_types=self.request_types(channel.request_types),
            hours=tuple(hours),
        )

    def relative(self, path: str) -> str:
        """A site path as linked from this language's page, which sits in the language's folder."""
        return path.removeprefix(f"{self.language.code}/")

    def schedule(self, schedule: Schedule) -> ScheduleView:
        *phrases, closures = self.hours_writer.lines(schedule)
        links = subscription_links(self.site, schedule, self.language)
        return ScheduleView(
            id=schedule.id,
            name=schedule.name[self.language.code],
            phrases=tuple(phrases) + ((closures,) if closures else ()),
            download=self.relative(calendar_path(schedule, self.language)),
            webcal=links.webcal if links else "",
            google=(links.google or "") if links else "",
        )

    def level(self, number: int, level: Level) -> LevelView:
        code = self.language.code
        channels = tuple(
            (self.site.channel(channel_id).name[code], self.channel_link(self.site.channel(channel_id)))
            for channel_id in level.channels
        )
        contact_links: list[Link] = []
        if level.contact:
            contact_links.extend(
                Link(links.mailto(email), email, self.strings["email"]) for email in level.contact.emails
            )
            for contact_phone in level.contact.phones:
                phone = contact_phone.phone
                kind = "whatsapp" if contact_phone.whatsapp else "mobile" if phone.mobile else "phone"
                contact_links.append(self.phone_link(phone, self.strings[kind]))
                if contact_phone.whatsapp:
                    text = self.strings["whatsapp_action"].format(number=phone.international)
                    contact_links.append(Link(links.whatsapp(phone), text, "WhatsApp"))
        card = cards.card_path(level, self.language, self.site) if level.contact else None
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
        )


@functools.cache
def _environment(templates: Path) -> jinja2.Environment:
    """One environment per templates folder, kept between builds: compiled templates are reused,
    and Jinja's auto-reload recompiles a template whose file changed (as `serve` needs)."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_pages(site: Site, templates: Path) -> Files:
    """Every language's index.html, the root index.html, and the static assets."""
    environment = _environment(templates)
    files: Files = {}
    page = environment.get_template("index.html")
    for language in site.languages:
        views = PageViews(site, language)
        alternates = [
            Alternate(other, links.page_url(site, other) or f"../{other.code}/", other == language)
            for other in site.languages
        ]
        html = page.render(
            site=site,
            language=language,
            strings=views.strings,
            title=site.title[language.code],
            canonical=links.page_url(site, language),
            alternates=alternates,
            intro=render_markdown(site.prose[language.code]["intro"]),
            escalation_rule=render_markdown(site.prose[language.code]["escalation"]),
            channels=[views.channel(channel) for channel in site.channels],
            levels=[views.level(number, level) for number, level in enumerate(site.levels, 1)],
            schedules=[views.schedule(schedule) for schedule in site.schedules],
            bundle=views.relative(cards.bundle_path(language)),
            help_desk_card=views.relative(cards.organisation_card_path(site, language)),
            updated=views.strings["updated"].format(date=format_day(site.updated, language.locale)),
            static="../static/",
        )
        files[f"{language.code}/index.html"] = html.encode()
    default = site.default_language
    root = environment.get_template("root.html").render(
        site=site,
        language=default,
        strings=site.strings[default.code],
        title=site.title[default.code],
        alternates=[Alternate(lang, f"{lang.code}/", lang == default) for lang in site.languages],
        static="static/",
    )
    files["index.html"] = root.encode()
    static = templates / "static"
    for path in sorted(static.rglob("*")):
        if path.is_file():
            files["static/" + path.relative_to(static).as_posix()] = path.read_bytes()
    return files
