"""`canales new DIR`: a new help desk's folder, with content that passes `check` at once.

One of each thing (a schedule, two channels, an escalation level), each file with its schema line
and comments, the JSON Schemas beside them for editors' completion, a README for editors, and a
GitHub Pages workflow that installs this version of canales, not its repository.
"""

from __future__ import annotations

import json
from pathlib import Path

import phonenumbers

from generator import __version__
from generator.content.schema_export import content_schemas, schema_bytes

# Every text starts in English, in every language: the editors translate them in place.
TEXTS = {
    "title": "Support channels",
    "schedule": "Service hours",
    "requests": "Requests",
    "phone": "Help desk phone",
    "phone_about": "Call us about any request.",
    "email": "Help desk email",
    "email_about": "Write to us about any request; we answer within a working day.",
    "level_title": "First escalation",
    "level_name": "Help desk supervisor",
}
INTRO = "Reach the help desk through these channels. Edit this text in `content/pages/{code}/intro.md`.\n"
RULE = "Escalate to a level only after the levels before it could not help.\n"


class ScaffoldError(ValueError):
    """The folder cannot be made (it is not empty)."""


def _text(key: str, codes: list[str], indent: int) -> str:
    pad = " " * indent
    value = json.dumps(TEXTS[key], ensure_ascii=False)
    return "".join(f"\n{pad}{code}: {value}" for code in codes)


def _files(codes: list[str], timezone: str, country: str) -> dict[str, str]:
    example = phonenumbers.example_number(country) or phonenumbers.parse("+1 650 253 0000")
    number = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    languages = "".join(f"\n  - code: {code}" for code in codes)
    files = {
        "content/site.yaml": f"""# yaml-language-server: $schema=../schema/site.schema.json
# The site's settings. Every text has one entry per language: translate each in place.
organisation: Example Help Desk
title:{_text("title", codes, 2)}
# The first language is the default one. Add `locale: pt_BR` for a region's formats.
languages:{languages}
timezone: {timezone}
country: {country}
# Bump this date when the content changes: it stamps the feeds, and the hours run two years from it.
updated: 2026-01-01
# Your logo (an SVG, PNG, JPEG or WebP in this folder) and colour; the build keeps them readable.
# brand:
#   logo: brand/logo.svg
#   accent: "#0b3d5c"
""",
        "content/hours.yaml": f"""# yaml-language-server: $schema=../schema/hours.schema.json
# Service hours. Channels name these schedules by id. Public holidays: closures: {{holidays: {country}}}
schedules:
  - id: business
    name:{_text("schedule", codes, 6)}
    weekly:
      - days: [mon-fri]
        opens: "08:00"
        closes: "17:00"
""",
        "content/channels.yaml": f"""# yaml-language-server: $schema=../schema/channels.schema.json
# The channels, in the order the page lists them.
request_types:
  - id: requests
    name:{_text("requests", codes, 6)}

channels:
  - id: phone
    kind: phone
    value: "{number}"
    name:{_text("phone", codes, 6)}
    description:{_text("phone_about", codes, 6)}
    request_types: all
    availability:
      - schedule: business

  - id: email
    kind: email
    value: help@example.org
    name:{_text("email", codes, 6)}
    description:{_text("email_about", codes, 6)}
    request_types: all
    availability:
      - schedule: business
""",
        "content/escalation.yaml": f"""# yaml-language-server: $schema=../schema/escalation.schema.json
# The escalation ladder, lowest level first: channels by id, and/or a contact.
levels:
  - id: level-1
    title:{_text("level_title", codes, 6)}
    name:{_text("level_name", codes, 6)}
    channels: [email, phone]
""",
        "README.md": f"""# Our help site

The help desk's channels, hours and escalation ladder, built by
[canales](https://pypi.org/project/canales/) {__version__} into a static site.

- Edit the files in `content/`: YAML for data, Markdown for the two pages of each language.
  Every text has one entry per language. An editor that reads the `yaml-language-server` line at
  the top of each file (VS Code with the YAML extension) completes and checks as you type.
- Check: `canales check` lists every problem as `file:line:col: message`.
- See it: `canales serve`, then open <http://127.0.0.1:8000/>; it reloads on every save.
- Publish: push to GitHub; `.github/workflows/pages.yml` builds and publishes the site with GitHub
  Pages (Settings → Pages → Source: GitHub Actions).
""",
        ".github/workflows/pages.yml": f"""# Build with canales {__version__}; publish on GitHub Pages.
name: Publish the help site
on:
  push:
    branches: [main]
  workflow_dispatch:
permissions:
  contents: read
  pages: write
  id-token: write
concurrency:
  group: pages
  cancel-in-progress: false
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      # canales from PyPI; or, with a repository variable CANALES_PACKAGE, from where it says
      # (a wheel's URL, or git+https://…/canales@v{__version__}): docs/hosting.md.
      - run: python -m pip install "${{{{ vars.CANALES_PACKAGE || 'canales=={__version__}' }}}}"
      - id: pages
        uses: actions/configure-pages@v5
      # The build cache keeps QR codes and cards between runs; a new canales version starts anew.
      - uses: actions/cache@v4
        with:
          path: ~/.cache/canales
          key: canales-{__version__}-${{{{ hashFiles('content/**') }}}}
          restore-keys: canales-{__version__}-
      - run: canales build --base-url "${{{{ steps.pages.outputs.base_url }}}}/"
      - uses: actions/upload-pages-artifact@v3
        with:
          path: site
  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{{{ steps.deployment.outputs.page_url }}}}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
""",
        ".gitignore": "/site/\n",
    }
    for code in codes:
        files[f"content/pages/{code}/intro.md"] = INTRO.format(code=code)
        files[f"content/pages/{code}/escalation.md"] = RULE
    for name, schema in content_schemas().items():
        files[f"schema/{name}"] = schema_bytes(schema).decode()
    return files


def new_site(folder: Path, *, languages: list[str], timezone: str, country: str) -> list[Path]:
    """Write a new help desk's folder at `folder`, which must be empty or absent; returns the files
    written. The caller checks the content it made (cli)."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ScaffoldError(f"{folder} is not an empty folder: canales new writes only into a new one")
    written = []
    for relative, text in _files(languages, timezone, country).items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
