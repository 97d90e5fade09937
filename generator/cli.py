"""The command line: build | check. Exit status 0 on success, 1 for content errors, 2 for usage."""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from generator import __version__, cache
from generator.cache import BuildCache
from generator.content.errors import ContentErrors, display_path, missing_translations
from generator.content.formats import _web_url
from generator.content.reader import read_content
from generator.hours import PublicHolidays
from generator.outputs import TemplateProblem


def _base_url(text: str) -> str:
    try:
        return _web_url(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _parser() -> argparse.ArgumentParser:
    # prog is how it was called: `canales` once installed, `build.py` in the repository.
    parser = argparse.ArgumentParser(description="Build a help desk's static site from its content folder.")
    parser.add_argument("--version", action="version", version=f"canales {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="{build,check,serve,edit,new,cache}")
    build = commands.add_parser("build", help="build the site (the default command)")
    check = commands.add_parser("check", help="validate the content and write nothing")
    serve = commands.add_parser("serve", help="serve the site on loopback and rebuild on every change")
    edit = commands.add_parser("edit", help="serve, with Decap CMS's forms at /admin/ saving to the content")
    for command in (build, check, serve, edit):
        command.add_argument(
            "--content", type=Path, default=Path("content"), help="content folder (default: content)"
        )
        command.add_argument(
            "--no-cache",
            action="store_true",
            help="neither read nor write the build cache (everything is made anew, in memory)",
        )
    build.add_argument("--output", type=Path, default=Path("site"), help="output folder (default: site)")
    build.add_argument("--base-url", type=_base_url, help="where the site is published, for absolute URLs")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1, loopback)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0 picks a free one)")
    serve.add_argument("--base-url", type=_base_url, help="where the site will be published")
    # Always loopback: decap-server writes into the content folder for whoever reaches it.
    edit.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0 picks a free one)")
    edit.add_argument(
        "--proxy-port", type=int, default=8081, help="port the admin saves through (default: 8081)"
    )
    edit.add_argument(
        "--node-modules", type=Path, help="a node_modules folder with decap-cms and decap-server"
    )
    edit.add_argument("--base-url", type=_base_url, help="where the site will be published")
    new = commands.add_parser("new", help="write a new help desk's folder, with content that passes check")
    new.add_argument("folder", type=Path, help="the folder to create (it must not exist, or be empty)")
    new.add_argument("--languages", default="en", help="language codes, the first the default (default: en)")
    new.add_argument("--timezone", default="UTC", help="the help desk's IANA time zone (default: UTC)")
    new.add_argument("--country", default="US", help="country code for phone numbers (default: US)")
    kept = commands.add_parser("cache", help="show what the build cache keeps, or clear it")
    kept.add_argument("action", choices=("info", "clear"), nargs="?", default="info")
    return parser


def _cache(options: argparse.Namespace) -> BuildCache:
    """The build cache a command uses: the user's folder, or memory alone with --no-cache."""
    return BuildCache(None if options.no_cache else cache.default_folder())


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if not arguments or (arguments[0].startswith("-") and arguments[0] not in ("-h", "--help", "--version")):
        arguments.insert(0, "build")
    try:
        options = _parser().parse_args(arguments)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    try:
        if options.command == "check":
            return _check(options.content, _cache(options))
        if options.command == "new":
            return _new(options)
        if options.command == "cache":
            return _show_or_clear(options.action)
        if options.command == "serve":
            from generator.serve import serve  # only this command needs the server and the watcher

            return serve(
                options.content,
                _cache(options),
                host=options.host,
                port=options.port,
                base_url=options.base_url,
            )
        if options.command == "edit":
            return _edit(options)
        return _build(options.content, options.output, options.base_url, _cache(options))
    except ContentErrors as errors:
        for error in errors.errors:
            print(error.render(), file=sys.stderr)
        count = len(errors.errors)
        lacking = missing_translations(errors.errors)
        if lacking:
            listed = ", ".join(f"{code}: {number}" for code, number in lacking.items())
            print(f"Texts lacking a translation: {listed}.", file=sys.stderr)
        print(f"{count} problem{'s' if count != 1 else ''} found; nothing was written.", file=sys.stderr)
        return 1
    except TemplateProblem as problem:
        print(f"{problem}\nnothing was written.", file=sys.stderr)
        return 1
    except (OSError, ValueError) as error:
        print(f"error: {error}; nothing was written.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _check(content: Path, kept: BuildCache) -> int:
    started = time.perf_counter()
    site = read_content(content, PublicHolidays(kept))
    seconds = time.perf_counter() - started
    damaged = kept.warning()
    if damaged:
        print(f"warning: {damaged}", file=sys.stderr)
    print(
        f"{display_path(content)} is valid: {len(site.languages)} languages, {len(site.channels)} channels, "
        f"{len(site.schedules)} schedules, {len(site.levels)} escalation levels, in {seconds:.2f} s"
    )
    return 0


def _build(content: Path, output: Path, base_url: str | None, kept: BuildCache) -> int:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None and not epoch.isdigit():
        raise ValueError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, not {epoch!r}")
    from generator import pipeline  # rendering's libraries: not for `check`, which only reads

    # The clock only decides whether to warn that the covered dates run out; outputs never see it.
    today = datetime.date.today()
    report = pipeline.build(content, output, kept, base_url=base_url, source_date_epoch=epoch, today=today)
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    site = report.site
    print(
        f"Built {report.files} files ({report.size / 1024:.0f} KiB): {len(site.languages)} languages, "
        f"{len(site.channels)} channels, {len(site.levels)} escalation levels, "
        f"in {report.seconds:.2f} s → {display_path(output)}/"
    )
    return 0


def _edit(options: argparse.Namespace) -> int:
    from generator.edit import EditProblem, edit  # the server, the admin and decap-server

    try:
        return edit(
            options.content,
            _cache(options),
            port=options.port,
            proxy_port=options.proxy_port,
            node_modules=options.node_modules,
            base_url=options.base_url,
        )
    except EditProblem as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1


def _new(options: argparse.Namespace) -> int:
    from generator.scaffold import new_site

    codes = [code.strip() for code in options.languages.split(",") if code.strip()]
    folder: Path = options.folder
    new_site(folder, languages=codes, timezone=options.timezone, country=options.country.upper())
    # What it wrote is checked like any content: a bad language, zone or country is reported as
    # the editor would see it, in the file it went into.
    try:
        read_content(folder / "content", PublicHolidays(BuildCache(None)))
    except ContentErrors:
        print(f"{display_path(folder)} was written, but its content has problems:", file=sys.stderr)
        raise
    shown = display_path(folder)
    print(f"Wrote {shown}/. Next: cd {shown}, edit content/, and see it with `canales serve`.")
    return 0


def _show_or_clear(action: str) -> int:
    folder = cache.default_folder()
    if action == "clear":
        removed = cache.clear(folder)
        print(f"Removed {removed} entr{'y' if removed == 1 else 'ies'} from the build cache {folder}")
        return 0
    uses = cache.info(folder)
    print(f"Build cache: {folder}")
    print(
        f"Entries unused for {cache.MAX_AGE_DAYS} days are removed after a build (checked once a day); "
        "`build.py cache clear` removes them all."
    )
    for use in uses:
        print(f"  {use.name:<10} {use.entries:>7} entries {use.size / 1024:>10.0f} KiB")
    entries, size = sum(use.entries for use in uses), sum(use.size for use in uses)
    print(f"  {'total':<10} {entries:>7} entries {size / 1024:>10.0f} KiB")
    return 0
