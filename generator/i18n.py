"""The words around the content: UI strings each language must give, and locale formatting (Babel).

Every language formats with CLDR data for its own locale, never the machine's, so output does not
depend on where it is built.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from babel import Locale
from babel.dates import format_date, format_time, get_day_names
from babel.lists import format_list

from generator.content.model import MINUTES_PER_DAY, Closures, Interval, Schedule


@dataclass(frozen=True)
class UiString:
    """A key of strings/<lang>.yaml: what it is for, and the placeholders it must carry."""

    doc: str
    placeholders: tuple[str, ...] = ()


UI_STRINGS: dict[str, UiString] = {
    "skip_to_content": UiString("Link text that skips to the main content."),
    "languages": UiString("Label of the language switcher."),
    "channels_heading": UiString("Heading of the list of channels."),
    "request_types": UiString("Label before a channel's request types."),
    "all_request_types": UiString("Shown when a channel takes every request type."),
    "hours": UiString("Label before a channel's hours."),
    "from_abroad": UiString("A number's international form, for callers abroad.", ("number",)),
    "domestic_only": UiString("Said of a number that cannot be dialled from abroad.", ("country",)),
    "email_action": UiString("Link text to write an email.", ("address",)),
    "whatsapp_action": UiString("Link text to chat on WhatsApp.", ("number",)),
    "web_action": UiString("Link text to open a web portal.", ("address",)),
    "always_open": UiString("Hours of a channel that never closes."),
    "every_day": UiString("Days phrase for all seven days of the week."),
    "day_range": UiString("Days phrase for consecutive days.", ("first", "last")),
    "closed_on_holidays": UiString("Said of hours that do not apply on public holidays."),
    "closed_on_dates": UiString("Said of hours that do not apply on some dates.", ("dates",)),
    "escalation_heading": UiString("Heading of the escalation ladder."),
    "escalation_channels": UiString("Label before the channels a level uses."),
    "email": UiString("Label of an email address."),
    "phone": UiString("Label of a landline number."),
    "mobile": UiString("Label of a mobile number."),
    "whatsapp": UiString("Label of a number that also takes WhatsApp."),
    "updated": UiString("When the content was last revised.", ("date",)),
    "choose_language": UiString("Heading of the page that lists the site's languages."),
    "hours_heading": UiString("Heading of the schedules and their calendar feeds."),
    "calendar_name": UiString("A calendar feed's name.", ("organisation", "schedule")),
    "calendar_description": UiString("A calendar feed's description.", ("organisation", "schedule", "hours")),
    "event_summary": UiString("Title of an opening-hours event.", ("organisation", "schedule")),
    "event_description": UiString("First line of an event's description, before its channels."),
    "event_channel": UiString("One channel in an event's description.", ("channel", "request_types")),
    "subscribe": UiString("Link text to subscribe to a calendar feed."),
    "add_to_google": UiString("Link text to add a feed to Google Calendar."),
    "download_ics": UiString("Link text to download a calendar file."),
    "card_note": UiString("Note on a contact card.", ("title", "name")),
    "card_note_first": UiString("Note on the card of the first level.", ("title", "name")),
    "card_category": UiString("Category of the contact cards."),
    "add_to_contacts": UiString("Link text to save one contact."),
    "all_contacts": UiString("Link text to save every escalation contact at once."),
    "help_desk_card": UiString("Link text to save the help desk itself as a contact."),
    "description": UiString("The page's summary for search engines and link previews.", ("organisation",)),
    "contents": UiString("Label of the list of links to the page's sections."),
    "always_badge": UiString("Tag on a channel that never closes."),
    "urgent_heading": UiString(
        "Heading of the box that points to a channel open around the clock.", ("request_types",)
    ),
    "status_open": UiString("Open-now status: the channel is open."),
    "status_closed": UiString("Open-now status: the channel is closed."),
    "closes": UiString("Open-now status: when an open channel closes.", ("when",)),
    "opens": UiString("Open-now status: when a closed channel opens.", ("when",)),
    "when_today": UiString("A time later today.", ("time",)),
    "when_tomorrow": UiString("A time tomorrow.", ("time",)),
    "when_day": UiString(
        "A time on a later day, named by its weekday (or weekday and date).", ("day", "time")
    ),
    "your_time": UiString("The same moment in the visitor's own time zone.", ("when",)),
    "qr_whatsapp": UiString("Caption of a QR code that opens a WhatsApp chat on a phone."),
    "qr_card": UiString("Caption of a QR code that saves a contact on a phone.", ("person",)),
    "data_link": UiString("Link text to the help desk's data as JSON."),
    "not_found_title": UiString("Title of the page shown for an address that does not exist."),
    "not_found_text": UiString("Text of that page, before the links to the help pages."),
}

PROSE_SLOTS: dict[str, str] = {
    "intro": "Opening paragraph: what the channels are for.",
    "escalation": "The escalation rule, shown above the ladder.",
}


def language_name(locale: str) -> str:
    """A language's name in itself, capitalised as a menu item ("Español", "English")."""
    parsed = Locale.parse(locale)
    name = parsed.languages.get(parsed.language) or locale
    return name[:1].upper() + name[1:]


def country_name(country: str, locale: str) -> str:
    """A country's name in the given locale (CO → "Colombia")."""
    return str(Locale.parse(locale).territories.get(country, country))


def format_minutes(minutes: int, locale: str) -> str:
    """A time of day, given in minutes after midnight (any day), in the locale's short form."""
    minutes %= MINUTES_PER_DAY
    return format_time(datetime.time(minutes // 60, minutes % 60), "short", locale=locale)


def format_day(day: datetime.date, locale: str) -> str:
    return format_date(day, "long", locale=locale)


class HoursWriter:
    """Puts schedules into words for one language: "lunes a viernes, 7:00 a. m. – 7:00 p. m."."""

    def __init__(self, locale: str, strings: Mapping[str, str]) -> None:
        self.locale = locale
        self.strings = strings
        self.day_names = get_day_names("wide", locale=locale)

    def schedule(self, schedule: Schedule) -> str:
        """The whole schedule, closures included, as one sentence fragment."""
        *hours, exceptions = self.lines(schedule)
        phrase = "; ".join(hours)
        return f"{phrase} ({exceptions})" if exceptions else phrase

    def lines(self, schedule: Schedule) -> list[str]:
        """The schedule's phrases, one per group of days, then its closures ('' when none)."""
        hours = [self.strings["always_open"]] if schedule.always else self.weekly(schedule.weekly)
        return [*hours, self.closures(schedule.closures)]

    def weekly(self, intervals: tuple[Interval, ...]) -> list[str]:
        """One phrase per group of days that share the same hours, in week order."""
        by_day: dict[int, list[tuple[int, int]]] = {}
        for interval in intervals:
            for day in interval.days:
                by_day.setdefault(day, []).append((interval.opens, interval.closes))
        groups: dict[tuple[tuple[int, int], ...], list[int]] = {}
        for day in sorted(by_day):
            groups.setdefault(tuple(sorted(by_day[day])), []).append(day)
        phrases = []
        for spans, days in sorted(groups.items(), key=lambda item: item[1][0]):
            ranges = [
                f"{format_minutes(opens, self.locale)} – {format_minutes(closes, self.locale)}"
                for opens, closes in spans
            ]
            phrases.append(f"{self.days(days)}, {format_list(ranges, locale=self.locale)}")
        return phrases

    def days(self, days: list[int]) -> str:
        """Days of the week as people say them: runs of three or more become ranges."""
        if len(days) == 7:
            return self.strings["every_day"]
        runs: list[list[int]] = []
        for day in days:
            if runs and runs[-1][-1] == day - 1:
                runs[-1].append(day)
            else:
                runs.append([day])
        parts: list[str] = []
        for run in runs:
            if len(run) >= 3:
                first, last = self.day_names[run[0]], self.day_names[run[-1]]
                parts.append(self.strings["day_range"].format(first=first, last=last))
            else:
                parts.extend(self.day_names[day] for day in run)
        return format_list(parts, locale=self.locale)

    def closures(self, closures: Closures) -> str:
        parts = []
        if closures.holidays:
            parts.append(self.strings["closed_on_holidays"])
        if closures.dates:
            dates = [format_day(day, self.locale) for day in sorted(closures.dates)]
            parts.append(self.strings["closed_on_dates"].format(dates=format_list(dates, locale=self.locale)))
        return "; ".join(parts)
