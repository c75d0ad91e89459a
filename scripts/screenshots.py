"""Take the screenshots shown in the README and docs/: the shipped site's profile, index and paper
pages, and the root of a one-person site made from the same seeds, on a desktop and on a phone,
light and dark, in headless Chromium.

Usage: .venv/bin/python scripts/screenshots.py [FOLDER]   (after bash scripts/test.sh has installed
Playwright; FOLDER defaults to docs/screenshots)
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
PAGES = {  # screenshot name → the site it is taken from and the page
    "profile": ("shipped", "arthur-mensch/index.html"),
    "index": ("shipped", "index.html"),
    "paper": ("shipped", "papers/mixtral-of-experts/index.html"),
    "home": ("personal", "index.html"),
}
PERSONAL_SITE = """title: Arthur Mensch
description: Papers by Arthur Mensch, merged from his scraped profile pages.
footer: Built from scraped profile pages and BibTeX.
profiles:
  - name: Arthur Mensch
    affiliations: [DMA, PARIETAL]
    sources: ["000_*.txt", "004_*.txt"]
"""


def build_sites(folder: Path) -> dict[str, Path]:
    """The shipped site and a one-person site (the shipped seeds, one profile), built into ``folder``."""
    seeds = ROOT / "seeds"
    personal = folder / "personal-seeds"
    shutil.copytree(seeds, personal, ignore=shutil.ignore_patterns("00[123]_*.txt", "papers.yaml"))
    (personal / "site.yaml").write_text(PERSONAL_SITE, encoding="utf-8")
    sites = {"shipped": (seeds, folder / "site"), "personal": (personal, folder / "personal")}
    for source, out in sites.values():
        build(BuildOptions(source, out, default_config_path(source)))
    return {name: out for name, (_, out) in sites.items()}


def main(shots: Path = SHOTS) -> None:
    """Write every screenshot into ``shots``."""
    browser_path = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    shots.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        sites = build_sites(Path(folder))
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=browser_path, args=["--no-sandbox", "--disable-gpu"])
            for page_name, (site_name, page_path) in PAGES.items():
                for view, size in VIEWS.items():
                    for scheme in ("light", "dark"):
                        page = browser.new_page(viewport=size, color_scheme=scheme, device_scale_factor=1)
                        page.goto((sites[site_name] / page_path).as_uri())
                        page.wait_for_load_state("load")
                        target = shots / f"{page_name}-{view}-{scheme}.png"
                        page.screenshot(path=str(target), full_page=False)
                        page.close()
                        print(target)
            browser.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else SHOTS)
