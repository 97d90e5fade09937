"""The command line: build | check. Exit status 0 on success, 1 for content errors, 2 for usage."""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from generator import pipeline
from generator.content.errors import ContentErrors, display_path, missing_translations
from generator.content.formats import _web_url


def _base_url(text: str) -> str:
    try:
        return _web_url(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py",
        description="Build a help desk's static site from its content folder.",
    )
    commands = parser.add_subparsers(dest="command", metavar="{build,check,serve}")
    build = commands.add_parser("build", help="build the site (the default command)")
    build.add_argument(
        "--content", type=Path, default=Path("content"), help="content folder (default: content)"
    )
    build.add_argument("--output", type=Path, default=Path("site"), help="output folder (default: site)")
    build.add_argument("--base-url", type=_base_url, help="where the site is published, for absolute URLs")
    check = commands.add_parser("check", help="validate the content and write nothing")
    check.add_argument(
        "--content", type=Path, default=Path("content"), help="content folder (default: content)"
    )
    serve = commands.add_parser("serve", help="serve the site on loopback and rebuild on every change")
    serve.add_argument(
        "--content", type=Path, default=Path("content"), help="content folder (default: content)"
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1, loopback)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0 picks a free one)")
    serve.add_argument("--base-url", type=_base_url, help="where the site will be published")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if not arguments or (arguments[0].startswith("-") and arguments[0] not in ("-h", "--help")):
        arguments.insert(0, "build")
    try:
        options = _parser().parse_args(arguments)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    try:
        if options.command == "check":
            return _check(options.content)
        if options.command == "serve":
            from generator.serve import serve

            return serve(options.content, host=options.host, port=options.port, base_url=options.base_url)
        return _build(options.content, options.output, options.base_url)
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
    except pipeline.TemplateProblem as problem:
        print(f"{problem}\nnothing was written.", file=sys.stderr)
        return 1
    except (OSError, ValueError) as error:
        print(f"error: {error}; nothing was written.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _check(content: Path) -> int:
    started = time.perf_counter()
    from generator.cache import BuildCache, default_folder

    site = pipeline.load(content, cache=BuildCache(default_folder()))
    seconds = time.perf_counter() - started
    print(
        f"{display_path(content)} is valid: {len(site.languages)} languages, {len(site.channels)} channels, "
        f"{len(site.schedules)} schedules, {len(site.levels)} escalation levels, in {seconds:.2f} s"
    )
    return 0


def _build(content: Path, output: Path, base_url: str | None) -> int:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None and not epoch.isdigit():
        raise ValueError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, not {epoch!r}")
    from generator.cache import BuildCache, default_folder  # not needed by `check`

    cache = BuildCache(default_folder())
    # The clock only decides whether to warn that the covered dates run out; outputs never see it.
    today = datetime.date.today()
    report = pipeline.build(
        content, output, base_url=base_url, source_date_epoch=epoch, cache=cache, today=today
    )
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    site = report.site
    print(
        f"Built {report.files} files ({report.size / 1024:.0f} KiB): {len(site.languages)} languages, "
        f"{len(site.channels)} channels, {len(site.levels)} escalation levels, "
        f"in {report.seconds:.2f} s → {display_path(output)}/"
    )
    return 0
