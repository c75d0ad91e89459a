"""Shared helpers: run the real CLI, write small source corpora."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


def run_cli(
    *args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m generator`` as a user would, capturing its output."""
    return subprocess.run(
        [sys.executable, "-m", "generator", *map(str, args)],
        cwd=cwd or ROOT,
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )


@pytest.fixture(autouse=True, scope="session")
def private_cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Builds in the tests (and the command lines they run) cache into this session's own folder,
    never the user's ``~/.cache``."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
        yield


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """A private copy of the shipped seeds, safe to edit."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture(scope="session")
def shipped_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built once from the shipped seeds."""
    out = tmp_path_factory.mktemp("shipped") / "output"
    result = run_cli("build", "--seeds", SEEDS, "--out", out)
    assert result.returncode == 0, result.stderr
    return out


def write_corpus(folder: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``files`` (name → text or bytes) into ``folder`` and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
    return folder


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def http_root(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A plain static HTTP server over a temporary folder; yields (folder, origin)."""
    root = tmp_path / "www"
    root.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` (relative POSIX path → content)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless Chromium (the system's), one per test module."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        yield browser
        browser.close()


CHIPS = "[data-filters] button[data-category], [data-type-filters] button, [data-year-filters] button"


def chip_counts_and_what_they_show(page: Page, url: str) -> list[tuple[str, int, int]]:
    """For every chip of the profile page at ``url``: its label, the count it shows, and how many
    cards are visible after a plain click on it (which shows that value alone in its group).
    The only chosen chip of a group is left out: a click on it clears the group."""
    page.goto(url)
    found = []
    for index in range(page.locator(CHIPS).count()):
        page.goto(url)
        chip = page.locator(CHIPS).nth(index)
        chosen_in_group = chip.locator("xpath=..").locator("button[aria-pressed=true]").count()
        if chip.get_attribute("aria-pressed") == "true" and chosen_in_group == 1:
            continue
        label, shown = " ".join(chip.inner_text().split()[:-1]), int(chip.locator(".count").inner_text())
        chip.click()
        found.append((label, shown, page.locator("article.card:visible").count()))
    return found
