"""The words around the content: the UI strings each language's strings file must give, and the
prose pages each language must have. The reader checks content against these; generator.i18n
formats with them."""

from pathlib import Path
from typing import NamedTuple

# The interface strings the generator ships, one YAML catalog per language or regional locale
# (pt.yaml, pt_BR.yaml), in the same format as a site's strings/<lang>.yaml.
CATALOGS = Path(__file__).resolve().parent.parent / "strings"


class UiString(NamedTuple):
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
    "days_hours": UiString(
        'A group of days and their hours ("Monday to Friday, 7:00 – 19:00").', ("days", "hours")
    ),
    "clause_separator": UiString(
        'Between the parts of a schedule in words, spaces included ("…, 7:00 – 19:00; closed on holidays").'
    ),
    "closed_on_holidays": UiString("Said of hours that do not apply on public holidays."),
    "closed_on_dates": UiString("Said of hours that do not apply on some dates.", ("dates",)),
    "season_hours": UiString(
        "A season's hours: its name, its dates and its week in words.", ("season", "dates", "hours")
    ),
    "special_days": UiString("Label before a schedule's special days (Christmas Eve, closed weeks)."),
    "special_day": UiString("A special day without a label: its date(s) and hours.", ("dates", "hours")),
    "special_day_label": UiString(
        "A special day with a label: its date(s), its name and hours.", ("label", "dates", "hours")
    ),
    "closed_all_day": UiString("The hours of a special day on which nothing opens."),
    "today": UiString("Tag on the special day that is today."),
    "season_until": UiString("Open-now note: the season in force, and its last day.", ("season", "date")),
    "special_hours_today": UiString("Open-now note on a special day that has no label."),
    "special_event_summary": UiString(
        "Title of a special day's event in a calendar feed.", ("organisation", "schedule", "label")
    ),
    "notices_heading": UiString("Heading of the notices (maintenance, incidents) and their feeds."),
    "notice_maintenance": UiString("Tag on a maintenance notice."),
    "notice_incident": UiString("Tag on an incident notice."),
    "notice_information": UiString("Tag on an information notice."),
    "notice_planned": UiString("Tag on maintenance that has not started yet."),
    "notice_cancelled": UiString("Tag on maintenance that was called off."),
    "notice_over": UiString("Tag on a notice that has ended, or an incident that was resolved."),
    "notice_window": UiString("A notice's window.", ("starts", "ends")),
    "notice_since": UiString("The start of a notice that has no end yet.", ("starts",)),
    "kind_maintenance": UiString("The word for maintenance, inside a channel's status."),
    "kind_incident": UiString("The word for an incident, inside a channel's status."),
    "kind_information": UiString("The word for information, inside a channel's status."),
    "effect_unavailable": UiString("Status of a channel a notice makes unavailable."),
    "effect_degraded": UiString("Status of a channel a notice makes slow or partly unavailable."),
    "effect_until": UiString("How long a notice's effect lasts, after the channel's status.", ("when",)),
    "use_instead": UiString("Label before the channels to use while one is unavailable."),
    "update_investigating": UiString("An incident update's status: investigating."),
    "update_identified": UiString("An incident update's status: the cause is known."),
    "update_monitoring": UiString("An incident update's status: fixed, being watched."),
    "update_resolved": UiString("An incident update's status: resolved."),
    "notices_feed_title": UiString("Title of the notices' Atom feed and calendar.", ("organisation",)),
    "notices_atom": UiString("Link text to the notices' Atom feed."),
    "notices_subscribe": UiString("Link text to subscribe to the notices in a calendar."),
    "escalation_heading": UiString("Heading of the escalation ladder."),
    "escalation_channels": UiString("Label before the channels a level uses."),
    "email": UiString("Label of an email address."),
    "phone": UiString("Label of a landline number."),
    "mobile": UiString("Label of a mobile number."),
    "whatsapp": UiString("Label of a number that also takes WhatsApp."),
    "labelled": UiString(
        'A label before its value ("Email: …", "Open now: …"); French puts a space before the colon.',
        ("label",),
    ),
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


def shipped_catalog(locale: str) -> Path | None:
    """The shipped catalog for a CLDR locale: its own if there is one, else its language's
    (pt_BR, then pt; zh_Hant_TW, then zh_Hant, then zh); None when none is shipped."""
    parts = locale.replace("-", "_").split("_")
    for end in range(len(parts), 0, -1):
        # CLDR writes the language in lower case, a script in title case, a region in capitals.
        name = "_".join([parts[0].lower(), *(_cased(part) for part in parts[1:end])])
        path = CATALOGS / f"{name}.yaml"
        if path.is_file():
            return path
    return None


def _cased(part: str) -> str:
    return part.title() if len(part) == 4 else part.upper()
