"""Take the screenshots shown in the README and docs/: the shipped site's profile page on a desktop
and on a phone, light and dark, in headless Chromium.

Usage: .venv/bin/python scripts/screenshots.py   (after bash scripts/test.sh has installed Playwright)
The browser is Debian's /usr/bin/chromium, or the one the CHROMIUM variable names.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.pipeline import BuildOptions, build, default_config_path  # noqa: E402

SHOTS = ROOT / "docs" / "screenshots"
VIEWS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
PAGES = {"profile": "arthur-mensch/index.html", "index": "index.html", "paper": "papers/mixtral-of-experts/index.html"}


def main() -> None:
    browser_path = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    SHOTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        seeds = ROOT / "seeds"
        build(BuildOptions(seeds, site, default_config_path(seeds)))
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=browser_path, args=["--no-sandbox", "--disable-gpu"])
            for page_name, page_path in PAGES.items():
                for view, size in VIEWS.items():
                    for scheme in ("light", "dark"):
                        page = browser.new_page(viewport=size, color_scheme=scheme, device_scale_factor=1)
                        page.goto((site / page_path).as_uri())
                        page.wait_for_load_state("load")
                        target = SHOTS / f"{page_name}-{view}-{scheme}.png"
                        page.screenshot(path=str(target), full_page=False)
                        page.close()
                        print(target.relative_to(ROOT))
            browser.close()


if __name__ == "__main__":
    main()
