"""Benchmark: a large profile page in the browser — how long it takes to open, to filter on a
search keystroke and to sort, in headless Chromium.

Usage: python bench/browser.py [--papers 1000,5000] [--repeat 3]

For each size, one profile of that many BibTeX papers (deterministic titles, authors, abstracts
and years) is built into a temporary folder and opened from ``file://`` as a visitor would.
Reported, medians of ``--repeat`` page loads: the time to DOMContentLoaded with JavaScript off
(the HTML alone) and on (the HTML and site.js setting up the page: folding abstracts, the first
filtering), then in page time, measured with ``performance.now()`` around the event and a forced
layout: a search keystroke, and a change of sort.  Speed is measured here, never asserted in a
test.  The browser is Debian's /usr/bin/chromium, or the one the CHROMIUM variable names.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.pipeline import BuildOptions, build  # noqa: E402

WORDS = [
    "learning",
    "graph",
    "neural",
    "network",
    "deep",
    "sparse",
    "optimal",
    "transport",
    "bayesian",
    "inference",
    "robust",
    "causal",
    "model",
    "data",
    "scale",
    "efficient",
    "attention",
    "vision",
    "language",
    "protein",
    "cell",
    "genome",
]
TYPE_AND_MEASURE = """(query) => {
  const started = performance.now();
  const box = document.querySelector('[data-search]');
  box.value = query;
  box.dispatchEvent(new Event('input'));
  document.body.offsetHeight;
  return performance.now() - started;
}"""
SORT_AND_MEASURE = """(sort) => {
  const started = performance.now();
  const menu = document.querySelector('[data-sort]');
  menu.value = sort;
  menu.dispatchEvent(new Event('change'));
  document.body.offsetHeight;
  return performance.now() - started;
}"""


def write_seeds(folder: Path, papers: int) -> None:
    """One profile of ``papers`` BibTeX entries, the same for the same count."""
    chooser = random.Random(papers)
    entries = []
    for number in range(papers):
        title = " ".join(chooser.choice(WORDS) for _ in range(chooser.randint(4, 10))).capitalize()
        authors = " and ".join(f"Author{chooser.randint(1, 400)}, {chooser.choice('ABCDEFG')}." for _ in range(3))
        abstract = " ".join(chooser.choice(WORDS) for _ in range(120))
        entries.append(
            f"@article{{k{number},\n  title = {{{title} {number}}},\n  author = {{{authors} and Lee, Ann}},\n"
            f"  journal = {{Journal {chooser.randint(1, 50)}}},\n  year = {{{chooser.randint(1990, 2025)}}},\n"
            f"  abstract = {{{abstract}}},\n}}\n"
        )
    folder.mkdir(parents=True)
    (folder / "lab.bib").write_text("".join(entries), encoding="utf-8")
    (folder / "site.yaml").write_text("profiles:\n  - name: Ann Lee\n    sources: [lab.bib]\n", encoding="utf-8")


def seconds_to_open(browser: Browser, url: str, javascript: bool) -> float:
    page = browser.new_page(java_script_enabled=javascript)
    started = time.perf_counter()
    page.goto(url, wait_until="domcontentloaded", timeout=600_000)
    seconds = time.perf_counter() - started
    page.close()
    return seconds


def in_page_milliseconds(browser: Browser, url: str) -> tuple[float, float]:
    """(a search keystroke, a change of sort), in milliseconds."""
    page = browser.new_page()
    page.goto(url, wait_until="load", timeout=600_000)
    keystrokes = [page.evaluate(TYPE_AND_MEASURE, query) for query in ("g", "gr", "graph", "graph n", "")]
    sort = page.evaluate(SORT_AND_MEASURE, "title")
    page.close()
    return statistics.median(keystrokes), sort


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--papers", default="1000,5000")
    options.add_argument("--repeat", type=int, default=3)
    arguments = options.parse_args()
    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    print("papers | page MB | open, no JS (s) | open with JS (s) | keystroke (ms) | sort (ms)")
    print("--- | --- | --- | --- | --- | ---")
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        for papers in map(int, arguments.papers.split(",")):
            seeds, out = Path(folder) / f"seeds-{papers}", Path(folder) / f"out-{papers}"
            write_seeds(seeds, papers)
            build(BuildOptions(seeds, out, seeds / "site.yaml"))
            url = (out / "index.html").as_uri()
            plain = statistics.median(seconds_to_open(browser, url, False) for _ in range(arguments.repeat))
            scripted = statistics.median(seconds_to_open(browser, url, True) for _ in range(arguments.repeat))
            keystroke, sort = in_page_milliseconds(browser, url)
            size = (out / "index.html").stat().st_size / 1e6
            print(f"{papers} | {size:.1f} | {plain:.2f} | {scripted:.2f} | {keystroke:.0f} | {sort:.0f}")
        browser.close()


if __name__ == "__main__":
    main()
