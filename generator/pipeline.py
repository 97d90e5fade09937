"""content → model → outputs → writer: the one path that `build`, `check` and `serve` share."""

from __future__ import annotations

import datetime
import functools
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple
from zoneinfo import ZoneInfo

import jinja2

from generator import brand, parallel
from generator.cache import BuildCache
from generator.content.model import Notice, Site
from generator.content.reader import read_content
from generator.hours import PublicHolidays
from generator.outputs import (
    Files,
    TemplateProblem,
    branding,
    calendars,
    cards,
    data,
    notices,
    offline,
    pages,
    qr,
)
from generator.outputs.context import RenderContext, Window, prepare
from generator.outputs.fingerprint import fingerprint, static_files
from generator.writer import Staging, check_distinct, merge

__all__ = [
    "TEMPLATES",
    "BuildReport",
    "TemplateProblem",
    "build",
    "build_time",
    "load",
    "plan",
    "render",
    "warnings",
]

# Installed from a wheel, the templates are inside the package; in the repository, beside it.
_PACKAGE = Path(__file__).resolve().parent
TEMPLATES = _PACKAGE / "templates" if (_PACKAGE / "templates").is_dir() else _PACKAGE.parent / "templates"


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
# A notice over for longer than this before `updated` has had its time in the feeds.
NOTICE_PRUNE_DAYS = 90


def warnings(site: Site, today: datetime.date | None = None) -> list[str]:
    """What the build could not make as it should, one line per feature, for the terminal.

    `today` (the command line's clock, never the outputs') adds a warning when the dates that
    the calendars' closures and the open-now data cover are about to run out. Notices that ended
    long before the content's `updated` (never the clock) are named, for the editors to prune.
    """
    found = []
    if not site.base_url:
        found = [
            f"no base URL (--base-url, or base_url in site.yaml): {module.WITHOUT_BASE_URL}"
            for module in (pages, calendars, cards, data)
        ]
    end = Window.of(site.updated).end
    if today is not None and today >= end - datetime.timedelta(days=WINDOW_WARNING_DAYS):
        found.append(
            f"the calendars, the open-now data and the special days cover dates until {end.isoformat()}, "
            f"counted from `updated` in site.yaml ({site.updated.isoformat()}): update it and rebuild"
        )
    if site.brand.accent:
        adjusted = brand.warning(brand.palette(site.brand.accent))
        if adjusted:
            found.append(adjusted)
    old = old_notices(site)
    if old:
        named = ", ".join(f"{notice.id} (ended {ended.isoformat()})" for notice, ended in old)
        found.append(
            f"notices over for more than {NOTICE_PRUNE_DAYS} days before `updated` in site.yaml "
            f"({site.updated.isoformat()}): {named}; remove them from notices.yaml when the feeds "
            "need not show them any longer"
        )
    return found


def old_notices(site: Site) -> list[tuple[Notice, datetime.date]]:
    """The notices that ended more than NOTICE_PRUNE_DAYS before the content's `updated`, with the
    day each ended in the site's zone, in the order of notices.yaml. An incident still open has not
    ended; a cancelled maintenance ends when its window would have."""
    zone = ZoneInfo(site.timezone)
    limit = site.updated - datetime.timedelta(days=NOTICE_PRUNE_DAYS)
    ended = [(notice, notice.ends.astimezone(zone).date()) for notice in site.notices if notice.ends]
    return [(notice, day) for notice, day in ended if day < limit]


def load(content: Path, cache: BuildCache, base_url: str | None = None) -> Site:
    """Read and validate the content folder; raises ContentErrors."""
    return read_content(content, PublicHolidays(cache), base_url=base_url)


def render(
    site: Site, cache: BuildCache, templates: Path = TEMPLATES, stamp: datetime.datetime | None = None
) -> Files:
    """Every output file of the site, in memory; `stamp` defaults to the content's date, and slow
    pure steps are looked up in `cache` first."""
    ctx = prepare(site, cache, stamp or build_time(site, None))
    planned = plan(ctx, templates)
    files = merge(planned.assets, *(part() for part in planned.parts))
    return merge(files, offline.render_worker(ctx, templates, offline.digests(planned.kept, files)))


Part = Callable[[], Files]


class Plan(NamedTuple):
    """A build's assets, made first; the rest of its outputs as parts; and what the offline
    worker keeps, which is made last, from what the parts made (outputs/offline.py)."""

    assets: Files
    parts: list[Part]
    kept: frozenset[str]


def plan(ctx: RenderContext, templates: Path = TEMPLATES) -> Plan:
    """The site's assets, made now, and the rest of its outputs as independent parts to make,
    largest first: one page and one set of cards per language, the site-wide pages, the calendars,
    the data, the notices' feeds and the manifest. Parts only read the render context, so they may
    run in any order, or in other processes.
    """
    # Assets first: pages link them by their fingerprinted names.
    static = branding.brand_assets(ctx.site, ctx.palette, static_files(templates), ctx.cache)
    assets, published = fingerprint(merge(static, qr.render_qr(ctx)))
    try:
        renderer = pages.PageRenderer(ctx, templates, published)
    except jinja2.TemplateError as error:
        raise TemplateProblem(*_template_place(error, templates), str(error)) from error

    def rendering(make: Callable[[], Files]) -> Part:
        def part() -> Files:
            try:
                return make()
            except jinja2.TemplateError as error:
                raise TemplateProblem(*_template_place(error, templates), str(error)) from error

        return part

    languages = ctx.site.languages
    parts: list[Part] = [
        *(rendering(functools.partial(renderer.language_page, language)) for language in languages),
        *(functools.partial(cards.render_language_cards, ctx, language) for language in languages),
        functools.partial(data.render_data, ctx),
        rendering(renderer.site_pages),
        functools.partial(calendars.render_calendars, ctx),
        functools.partial(notices.render_notices, ctx),
        functools.partial(offline.render_manifest, ctx, published),
    ]
    return Plan(assets, parts, offline.kept_paths(ctx, published))


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
    cache: BuildCache,
    *,
    base_url: str | None = None,
    templates: Path = TEMPLATES,
    source_date_epoch: str | None = None,
    today: datetime.date | None = None,
) -> BuildReport:
    """Load, render and write the site; nothing is written unless every step succeeds.

    Each part is written as soon as it is made and then dropped, so a large site is never held in
    memory whole; large sites make their parts on every core.
    """
    started = time.perf_counter()
    # Large content is read in a process of its own: reading makes ten times the model's memory
    # in short-lived values, which would stay scattered around the model, and every worker forked
    # later would copy those pages as it reads the model. Only the model comes back, compact.
    if _content_size(content) >= LOAD_APART_FROM:
        site = parallel.call_apart(load, content, cache, base_url)
    else:
        site = load(content, cache, base_url)
    workers = parallel.cores() if len(site.levels) * len(site.languages) >= PARALLEL_FROM else 1
    with Staging(output) as staging:
        ctx = prepare(site, cache, build_time(site, source_date_epoch))
        if workers > 1:
            _draw_missing_codes(ctx, workers)
        assets, parts, kept = plan(ctx, templates)

        def write(part: Part) -> tuple[list[str], int, dict[str, str]]:
            files = part()
            return list(files), staging.write(files), offline.digests(kept, files)

        written = [(list(assets), staging.write(assets), offline.digests(kept, assets))]
        del assets  # written: the workers forked next need not inherit it
        written += parallel.run([functools.partial(write, part) for part in parts], workers)
        # The offline worker last: its version is made from what it keeps.
        kept_digests = {path: digest for *_, part_digests in written for path, digest in part_digests.items()}
        worker = offline.render_worker(ctx, templates, kept_digests)
        written.append((list(worker), staging.write(worker), {}))
        paths = check_distinct(path for part_paths, *_ in written for path in part_paths)
        staging.commit()
    cache.prune()
    seconds = time.perf_counter() - started
    size = sum(part_size for _, part_size, _ in written)
    found = warnings(site, today)
    damaged = cache.warning()
    if damaged:
        found.append(damaged)
    return BuildReport(site, paths, size, seconds, tuple(found))


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


def _draw_missing_codes(ctx: RenderContext, workers: int) -> None:
    """Draw the QR codes the cache lacks on every core: without a cache (a first build), drawing
    them is most of a large site's build, and the pages need their names before anything else."""
    missing = [code for code in qr.codes(ctx).values() if not ctx.cache.has(qr.QR, code)]

    def draw_share(share: list[qr.Code]) -> list[tuple[qr.Code, bytes]]:
        return [(code, qr.draw(code)) for code in share]

    shares = [missing[index::workers] for index in range(workers)]
    for drawn in parallel.run([functools.partial(draw_share, share) for share in shares if share], workers):
        for code, svg in drawn:
            ctx.cache.put(qr.QR, code, svg)
