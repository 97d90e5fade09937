"""content → model → outputs → writer: the one path that `build`, `check` and `serve` share."""

from __future__ import annotations

import contextlib
import datetime
import functools
import gc
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from generator.content.model import Site
from generator.content.reader import read_content
from generator.outputs import Files

if TYPE_CHECKING:  # the cache (hashlib, tempfile) is imported only by builds, never by `check`
    from generator.cache import BuildCache
    from generator.outputs.qr import CodeRequest

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


class TemplateProblem(Exception):
    """A template that failed to render, placed as `file:line:1: message` like content errors."""

    def __init__(self, file: str, line: int, message: str) -> None:
        super().__init__(f"{file}:{line}:1: template error: {message}")
        self.place = (file, line, message)

    def __reduce__(self) -> tuple[type[TemplateProblem], tuple[str, int, str]]:
        # Raised in a worker process, it travels back pickled: rebuilt from its parts.
        return TemplateProblem, self.place


class BuildReport(NamedTuple):
    """What a build made, for the summary line."""

    site: Site
    files: int
    size: int
    seconds: float
    warnings: tuple[str, ...] = ()


def build_time(site: Site, source_date_epoch: str | None) -> datetime.datetime:
    """The one timestamp outputs may carry: SOURCE_DATE_EPOCH, else the content's `updated` date.

    Never the clock, so that rebuilding unchanged content gives identical bytes.
    """
    if source_date_epoch:
        try:
            return datetime.datetime.fromtimestamp(int(source_date_epoch), datetime.UTC)
        except (OverflowError, OSError, ValueError):
            raise ValueError(
                f"SOURCE_DATE_EPOCH must be seconds since 1970 within the years 1970 to 9999, "
                f"not {source_date_epoch!r}"
            ) from None
    return datetime.datetime.combine(site.updated, datetime.time(), datetime.UTC)


WINDOW_WARNING_DAYS = 90


def warnings(site: Site, today: datetime.date | None = None) -> list[str]:
    """What the build could not make as it should, one line per feature, for the terminal.

    `today` (the command line's clock, never the outputs') adds a warning when the dates that
    the calendars' closures and the open-now data cover are about to run out.
    """
    from generator.outputs import calendars, cards, data, pages

    found = []
    if not site.base_url:
        found = [
            f"no base URL (--base-url, or base_url in site.yaml): {module.WITHOUT_BASE_URL}"
            for module in (pages, calendars, cards, data)
        ]
    end = min(calendars.window_end(site), data.horizon(site)[1].date())
    if today is not None and today >= end - datetime.timedelta(days=WINDOW_WARNING_DAYS):
        found.append(
            f"the calendars' closures and the open-now data cover dates until {end.isoformat()}, "
            f"counted from `updated` in site.yaml ({site.updated.isoformat()}): update it and rebuild"
        )
    return found


@contextlib.contextmanager
def _without_cyclic_gc() -> Iterator[None]:
    """Reading and rendering make millions of short-lived objects and almost no cycles, but the
    collector still walks every live object again and again: on a site of 10,000 contacts that
    made a build grow faster than its content. Reference counting frees what they drop; the
    collector runs once they are done."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load(content: Path, base_url: str | None = None, cache: BuildCache | None = None) -> Site:
    """Read and validate the content folder; raises ContentErrors."""
    from generator.cache import MEMORY

    with _without_cyclic_gc():
        return read_content(content, base_url=base_url, cache=cache or MEMORY)


def render(
    site: Site,
    templates: Path = TEMPLATES,
    stamp: datetime.datetime | None = None,
    cache: BuildCache | None = None,
) -> Files:
    """Every output file of the site, in memory; `stamp` defaults to the content's date, and slow
    pure steps are looked up in `cache` first (by default, the process's own memory)."""
    from generator.writer import merge

    with _without_cyclic_gc():
        assets, parts = plan(site, templates, stamp, cache)
        return merge(assets, *(part() for part in parts))


Part = Callable[[], Files]


def plan(
    site: Site,
    templates: Path = TEMPLATES,
    stamp: datetime.datetime | None = None,
    cache: BuildCache | None = None,
) -> tuple[Files, list[Part]]:
    """The site's assets, made now, and the rest of its outputs as independent parts to make,
    largest first: one page and one set of cards per language, the site-wide pages, the calendars
    and the data. Parts only read the model, so they may run in any order, or in other processes.
    """
    import jinja2

    from generator.cache import MEMORY
    from generator.hours import with_holidays
    from generator.i18n import named
    from generator.outputs.calendars import render_calendars
    from generator.outputs.cards import render_language_cards
    from generator.outputs.data import render_data
    from generator.outputs.fingerprint import fingerprint, static_files
    from generator.outputs.pages import PageRenderer
    from generator.outputs.qr import render_qr
    from generator.writer import merge

    cache = cache or MEMORY
    site = with_holidays(named(site, cache), cache)
    stamp = stamp or build_time(site, None)
    # Assets first: pages link them by their fingerprinted names.
    assets, published = fingerprint(merge(static_files(templates), render_qr(site, cache)))
    try:
        pages = PageRenderer(site, templates, published, cache)
    except jinja2.TemplateError as error:
        raise TemplateProblem(*_template_place(error, templates), str(error)) from error

    def rendering(make: Callable[[], Files]) -> Part:
        def part() -> Files:
            try:
                return make()
            except jinja2.TemplateError as error:
                raise TemplateProblem(*_template_place(error, templates), str(error)) from error

        return part

    languages = site.languages
    return assets, [
        *(rendering(functools.partial(pages.language_page, language)) for language in languages),
        *(functools.partial(render_language_cards, site, language, stamp, cache) for language in languages),
        functools.partial(render_data, site),
        rendering(pages.site_pages),
        functools.partial(render_calendars, site, stamp, cache),
    ]


def _template_place(error: Exception, templates: Path) -> tuple[str, int]:
    """Where in the templates an error arose: syntax errors say so; for errors while rendering,
    Jinja rewrites the traceback so that its last template frame has the template's line."""
    filename, line = getattr(error, "filename", None), getattr(error, "lineno", None)
    if filename:
        return filename, line or 1
    frame = error.__traceback__
    while frame is not None:
        code = frame.tb_frame.f_code.co_filename
        if code.startswith(str(templates)):
            filename, line = code, frame.tb_lineno
        frame = frame.tb_next
    return filename or str(templates), line or 1


def build(
    content: Path,
    output: Path,
    *,
    base_url: str | None = None,
    templates: Path = TEMPLATES,
    source_date_epoch: str | None = None,
    cache: BuildCache | None = None,
    today: datetime.date | None = None,
) -> BuildReport:
    """Load, render and write the site; nothing is written unless every step succeeds.

    Each part is written as soon as it is made and then dropped, so a large site is never held in
    memory whole; large sites make their parts on every core.
    """
    from generator import parallel
    from generator.cache import MEMORY
    from generator.writer import Staging, check_distinct

    started = time.perf_counter()
    cache = cache or MEMORY
    # Large content is read in a process of its own: reading makes ten times the model's memory
    # in short-lived values, which would stay scattered around the model, and every worker forked
    # later would copy those pages as it reads the model. Only the model comes back, compact.
    if _content_size(content) >= LOAD_APART_FROM:
        site = parallel.call_apart(load, content, base_url, cache)
    else:
        site = load(content, base_url, cache)
    workers = parallel.cores() if len(site.levels) * len(site.languages) >= PARALLEL_FROM else 1
    with _without_cyclic_gc(), Staging(output) as staging:
        if workers > 1:
            _draw_missing_codes(site, cache, workers)
        assets, parts = plan(site, templates, build_time(site, source_date_epoch), cache)

        def write(part: Part) -> tuple[list[str], int]:
            files = part()
            return list(files), staging.write(files)

        written = [(list(assets), staging.write(assets))]
        del assets  # written: the workers forked next need not inherit it
        written += parallel.run([functools.partial(write, part) for part in parts], workers)
        paths = check_distinct(path for part_paths, _ in written for path in part_paths)
        staging.commit()
    seconds = time.perf_counter() - started
    size = sum(part_size for _, part_size in written)
    return BuildReport(site, paths, size, seconds, tuple(warnings(site, today)))


# From these sizes on, a build renders in workers (levels × languages) and reads its content in a
# process of its own (bytes of YAML); below them, starting processes costs more than it saves.
PARALLEL_FROM = 2_000
LOAD_APART_FROM = 1024 * 1024


def _content_size(content: Path) -> int:
    """The bytes of the content's YAML files, read from the folder listing (0 if unreadable)."""
    try:
        return sum(entry.stat().st_size for entry in os.scandir(content) if entry.name.endswith(".yaml"))
    except OSError:
        return 0


def _draw_missing_codes(site: Site, cache: BuildCache, workers: int) -> None:
    """Draw the QR codes `cache` lacks on every core: without a cache (a first build), drawing
    them is most of a large site's build, and the pages need their names before anything else."""
    from generator import parallel
    from generator.outputs.qr import code_requests

    missing = [request for request in code_requests(site) if not cache.has(request.namespace, request.key)]

    def draw(share: list[CodeRequest]) -> list[tuple[str, str, bytes]]:
        # Only names and bytes travel back from the worker; the requests hold the whole model.
        return [(request.namespace, request.key, request.draw()) for request in share]

    shares = [missing[index::workers] for index in range(workers)]
    for drawn in parallel.run([functools.partial(draw, share) for share in shares if share], workers):
        for namespace, key, code in drawn:
            cache.put(namespace, key, code)
