"""Screenshots of the built pages at phone and desktop width, light and dark, for a person to look at.

Usage: .venv/bin/python scripts/screenshots.py [SITE_DIR] [OUT_DIR] [LANGUAGE ...]
(every language of the site when none is named)
Uses Debian's Chromium (/usr/bin/chromium) through Playwright; never downloads a browser.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
SIZES = {"phone": (360, 800), "desktop": (1280, 800)}


def main() -> None:
    site = Path(sys.argv[1] if len(sys.argv) > 1 else "site").resolve()
    out = Path(sys.argv[2] if len(sys.argv) > 2 else "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-background-networking"]
        )
        languages = sys.argv[3:] or sorted(
            folder.name for folder in site.iterdir() if (folder / "index.html").is_file()
        )
        for language in languages:
            for size_name, (width, height) in SIZES.items():
                for scheme in ("light", "dark"):
                    page = browser.new_page(viewport={"width": width, "height": height}, color_scheme=scheme)
                    page.goto((site / language / "index.html").as_uri())
                    target = out / f"{language}-{size_name}-{scheme}.png"
                    # QR codes load lazily: scroll them into view and wait, or they show as blanks.
                    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
                    for _ in range(50):  # (wait_for_function evaluates strings, which the CSP forbids)
                        if page.evaluate("[...document.images].every(image => image.complete)"):
                            break
                        page.wait_for_timeout(100)
                    page.evaluate("window.scrollTo(0, 0)")
                    page.screenshot(path=str(target), full_page=True)
                    # The first screen, at full resolution: what a visitor sees before scrolling.
                    page.screenshot(path=str(target.with_suffix(".top.png")))
                    page.close()
                    print(target)
        browser.close()


if __name__ == "__main__":
    main()
