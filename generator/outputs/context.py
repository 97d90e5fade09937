"""What every output of one build reads, made once by the pipeline: the render context.

The model is the validated content and nothing else; what outputs derive from it in common is
derived here once: the dates they cover, the public holidays on those dates, each language's
wording, the schedules' open spans and the contacts' file names. Outputs never read the clock:
the window and the stamp come from the content (or SOURCE_DATE_EPOCH).
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping
from typing import NamedTuple

from generator.brand import Palette, palette
from generator.cache import BuildCache, register
from generator.content.model import Level, Schedule, Site
from generator.hours import HolidayTable, PublicHolidays, Span, occurrences
from generator.i18n import Wording

# The spans are worked out by generator.hours, and written and read back here.
SPANS = register("spans", packages=("tzdata",), modules=("generator.hours", __name__))
# Two years: long enough that a site left alone stays right for a long time, short enough to embed
# the open spans in every page. Past the window the page shows the hours in words only, and the
# build warns ahead of time to rebuild with a newer `updated`.
WINDOW_WEEKS = 104


class Window(NamedTuple):
    """The dates every output covers: open spans, calendar exceptions, closed dates, holidays.

    It starts on the Monday of the week the content was last `updated` (taken from the content
    rather than the clock, so unchanged content gives identical outputs) and runs WINDOW_WEEKS.
    """

    first: datetime.date
    end: datetime.date  # the first day after it

    @classmethod
    def of(cls, updated: datetime.date) -> Window:
        first = updated - datetime.timedelta(days=updated.weekday())
        return cls(first, first + datetime.timedelta(weeks=WINDOW_WEEKS))

    @property
    def last(self) -> datetime.date:
        return self.end - datetime.timedelta(days=1)

    @property
    def utc(self) -> tuple[datetime.datetime, datetime.datetime]:
        """The window as UTC instants, a day wider on each side: zones east of UTC start their
        first day the day before in UTC, and zones west of it end their last day the day after."""
        one_day = datetime.timedelta(days=1)
        start = datetime.datetime.combine(self.first - one_day, datetime.time(), datetime.UTC)
        end = datetime.datetime.combine(self.end + one_day, datetime.time(), datetime.UTC)
        return start, end

    @property
    def years(self) -> range:
        """Every year a date of the window, or of its UTC instants in any zone, may fall in."""
        return range(self.first.year - 1, self.end.year + 2)


class RenderContext(NamedTuple):
    """One build's shared inputs; every output takes it."""

    site: Site
    cache: BuildCache
    stamp: datetime.datetime  # aware UTC: DTSTAMP, REV
    window: Window
    holidays: HolidayTable
    wordings: Mapping[str, Wording]  # by language code
    open_spans: Mapping[str, tuple[Span, ...]]  # by schedule id, within the window
    card_slugs: Mapping[str, str]  # each contact level's card file name, by level id
    palette: Palette | None = None  # the brand's colours; None keeps the generator's own


def prepare(site: Site, cache: BuildCache, stamp: datetime.datetime) -> RenderContext:
    """The render context of `site`, its slow answers found in `cache`."""
    window = Window.of(site.updated)
    holidays = PublicHolidays(cache).table(site.schedules, window.years)
    return RenderContext(
        site=site,
        cache=cache,
        stamp=stamp,
        window=window,
        holidays=holidays,
        wordings={lang.code: Wording(lang, site.strings[lang.code], cache) for lang in site.languages},
        open_spans={s.id: _open_spans(s, window, holidays, cache) for s in site.schedules},
        card_slugs=card_slugs(site.levels),
        palette=palette(site.brand.accent) if site.brand.accent else None,
    )


def _open_spans(
    schedule: Schedule, window: Window, holidays: HolidayTable, cache: BuildCache
) -> tuple[Span, ...]:
    """The schedule's open spans within the window, kept in the build cache: two years of spans
    take longer to work out than the rest of a small site's rebuild. They depend on the schedule,
    the window and the public holidays of its region, and on generator.hours and the zone data."""
    start, end = window.utc
    region = holidays.region(schedule.closures, window.first, window.last)
    record = (schedule, start, end, tuple(sorted(region)))

    def work_out() -> list[tuple[int, int]]:
        found = occurrences(schedule, start, end, holidays)
        return [(int(opens.timestamp()), int(closes.timestamp())) for opens, closes in found]

    return tuple(
        (
            datetime.datetime.fromtimestamp(opens, datetime.UTC),
            datetime.datetime.fromtimestamp(closes, datetime.UTC),
        )
        for opens, closes in cache.answer(SPANS, record, work_out)
    )


ORGANISATION_SLUG = "help-desk"
BUNDLE_SLUG = "escalation"
_RESERVED_SLUGS = frozenset({ORGANISATION_SLUG, BUNDLE_SLUG})
_MAX_SLUG = 64
# Latin letters NFKD leaves whole; without these, "Łukasz Ødegård" would lose letters in its slug.
_ASCII_LETTERS = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe"})


def name_slug(person: str) -> str:
    """ "Orlando Méndez" → "orlando-mendez": ASCII, lowercase, hyphens; "" when nothing is left."""
    folded = unicodedata.normalize("NFKD", person.casefold().translate(_ASCII_LETTERS))
    ascii_text = folded.encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text)[:_MAX_SLUG].strip("-")


def _fallback_slug(level: Level) -> str:
    # A level id is a slug already; only the two file names kept for the cards' own are taken.
    return f"{level.id}-contact" if level.id in _RESERVED_SLUGS else level.id


def card_slugs(levels: tuple[Level, ...]) -> dict[str, str]:
    """Each contact level's card file name (without .vcf), by level id; all distinct, not reserved.

    A name slug is kept only when no other contact could end up with the same file, whatever the
    order of the levels: otherwise both colliding contacts fall back to their level ids.
    Counting keeps it linear in the contacts.
    """
    contact_levels = [level for level in levels if level.contact is not None]
    names = {level.id: name_slug(level.contact.person) for level in contact_levels if level.contact}
    name_counts = Counter(names.values())
    fallback_counts = Counter(_fallback_slug(level) for level in contact_levels)
    slugs: dict[str, str] = {}
    for level in contact_levels:
        name, own_fallback = names[level.id], _fallback_slug(level)
        # Taken by another contact: its name slug, or its fallback (which this level's own may equal).
        taken_as_fallback = fallback_counts[name] - (name == own_fallback)
        usable = name and name not in _RESERVED_SLUGS and name_counts[name] == 1 and not taken_as_fallback
        slugs[level.id] = name if usable else own_fallback
    if len(set(slugs.values())) != len(slugs):
        raise ValueError(f"escalation contacts would share a card file: {sorted(slugs.values())}")
    return slugs
