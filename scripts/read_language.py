"""Read a language in place: build the seed with that language added, and print what its reader
sees, top to bottom: the page's text, the open-now statuses the script writes at a few moments, a
contact card's note, and the texts of the calendar feeds and the notices' Atom feed.

    .venv/bin/python scripts/read_language.py pt [--locale pt_BR] [--out /tmp/read-pt]

The seed's own texts (channel names, the intro) come from tests/translations/<code>.yaml where
there is one, else they are English copies marked "[pt]": what is to be read is the interface
around them. The content has the docs' Christmas schedule and two notices,
so that every interface string appears somewhere. The built site stays in --out for screenshots.
"""

from __future__ import annotations

import argparse
import datetime
import shutil
import sys
from pathlib import Path
from xml.etree import ElementTree

import yaml
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from examples import CHRISTMAS, NOTICES, add_language, use_example, use_notices  # noqa: E402

from generator import pipeline  # noqa: E402
from generator.cache import BuildCache  # noqa: E402
from generator.writer import write_site  # noqa: E402

# Moments at which the script's statuses are read: open, closed overnight, on Christmas Eve,
# during the incident, and before the maintenance (UTC).
MOMENTS = (
    "2026-12-02T15:00:00Z",
    "2026-12-05T03:00:00Z",
    "2026-12-24T14:00:00Z",
    "2026-12-12T20:00:00Z",
    "2026-12-13T05:00:00Z",
)


def make_content(code: str, locale: str, folder: Path) -> Path:
    content = folder / "content"
    if content.exists():
        shutil.rmtree(content)
    shutil.copytree(ROOT / "content", content)
    use_example(content, CHRISTMAS)
    use_notices(content, NOTICES)
    if (content / "pages" / code).is_dir():
        # A language the seed has: read the shipped catalog alone, in the locale asked for, first.
        (content / "strings" / f"{code}.yaml").unlink(missing_ok=True)
        path = content / "site.yaml"
        site = yaml.safe_load(path.read_text(encoding="utf-8"))
        others = [language for language in site["languages"] if language["code"] != code]
        site["languages"] = [{"code": code, "locale": locale}, *others]
        site["updated"] = str(site["updated"])
        path.write_text(yaml.safe_dump(site, allow_unicode=True), encoding="utf-8")
    else:
        add_language(content, code, locale, first=True)
    return content


def page_text(html: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    for hidden in soup.select("script, style"):
        hidden.decompose()
    lines = [line.strip() for line in soup.get_text("\n").splitlines()]
    head = [f"<title> {soup.title.get_text() if soup.title else ''}"]
    meta = soup.select_one('meta[name="description"]')
    if meta:
        head.append(f"<meta description> {meta['content']}")
    for tag in soup.select("[aria-label], [title], img[alt]"):
        for attribute in ("aria-label", "title", "alt"):
            if tag.get(attribute):
                head.append(f"<{tag.name} {attribute}> {tag[attribute]}")
    return "\n".join(head + [line for line in lines if line])


def script_statuses(site: Path, code: str) -> str:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return "(Playwright is not installed)"
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        return "(no Chromium at /usr/bin/chromium)"
    out = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium))
        for moment in MOMENTS:
            context = browser.new_context(timezone_id="Europe/Madrid")
            page = context.new_page()
            page.clock.set_fixed_time(datetime.datetime.fromisoformat(moment.replace("Z", "+00:00")))
            page.goto((site / code / "index.html").as_uri())
            texts = page.eval_on_selector_all(
                ".status, .channel-notice:not([hidden]), .special-days li, .notice, #_notice-live",
                "els => els.map(e => e.innerText.replace(/\\s+/g, ' ').trim()).filter(Boolean)",
            )
            out.append(f"-- at {moment} (visitor in Europe/Madrid)")
            out.extend(f"   {text}" for text in dict.fromkeys(texts))
            context.close()
        browser.close()
    return "\n".join(out)


def feed_texts(site: Path, code: str) -> str:
    out = []
    cards = sorted((site / code / "contacts").glob("*.vcf"))
    if cards:
        out.append(f"-- card {cards[0].name}")
        out.extend(
            line
            for line in cards[0].read_bytes().decode("utf-8").replace("\r\n ", "").splitlines()
            if line.startswith("NOTE")
        )
    for feed in sorted((site / code).rglob("*.ics")):
        out.append(f"-- {feed.relative_to(site)}")
        unfolded = feed.read_bytes().decode("utf-8").replace("\r\n ", "")
        for line in unfolded.splitlines():
            if line.startswith(("X-WR-CALNAME", "X-WR-CALDESC", "SUMMARY", "DESCRIPTION", "NAME")):
                out.append("   " + line.replace("\\n", "\n      "))
    atom_ns = "{http://www.w3.org/2005/Atom}"
    for atom in sorted((site / code).rglob("*.atom")):
        out.append(f"-- {atom.relative_to(site)}")
        for element in ElementTree.parse(atom).iter():
            tag = element.tag.removeprefix(atom_ns)
            if tag in ("title", "subtitle"):
                out.append(f"   {tag}: {element.text}")
            elif tag == "content":
                text = BeautifulSoup(element.text or "", "html.parser").get_text("", strip=False)
                out.append("   content: " + " ".join(text.split()))
    return "\n".join(dict.fromkeys(out))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("code", help="the language code, as in a site's languages (pt, ar, pt-br)")
    parser.add_argument("--locale", help="its CLDR locale (default: the code)")
    parser.add_argument("--out", type=Path, help="where to build (default: /tmp/read-<code>)")
    args = parser.parse_args()
    folder: Path = args.out or Path(f"/tmp/read-{args.code}")
    folder.mkdir(parents=True, exist_ok=True)
    content = make_content(args.code, args.locale or args.code, folder)
    cache = BuildCache()
    files = pipeline.render(pipeline.load(content, cache), cache)
    site = folder / "site"
    write_site(files, site)
    print(f"== page {args.code}/index.html (built in {site})")
    print(page_text(files[f"{args.code}/index.html"].decode("utf-8")))
    print("\n== what the script writes")
    print(script_statuses(site, args.code))
    print("\n== cards and feeds")
    print(feed_texts(site, args.code))
    print("\n== 404 page")
    print(page_text(files["404.html"].decode("utf-8")))


if __name__ == "__main__":
    main()
