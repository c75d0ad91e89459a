"""Gates on the built site by the standard checkers: axe-core for accessibility (in Chromium, light
and dark) and the Nu HTML Checker for validity.  Both come from package-lock.json (``npm ci``);
the Nu checker runs on Java.  The README's test command installs all three."""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
from collections.abc import Iterator
from functools import partial
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import ROOT, QuietHandler
from playwright.sync_api import Browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
PAGES = ["index.html", "arthur-mensch/index.html", "papers/pixtral-12b/index.html", "report.html", "404.html"]
BLOCKING = {"serious", "critical"}


@pytest.fixture(scope="module")
def served_site(shipped_site: Path) -> Iterator[str]:
    """The shipped site served at the root of a local HTTP server (as on GitHub Pages, where the
    404 page's absolute links work): its origin."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(shipped_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def axe_violations(browser: Browser, url: str, scheme: str, width: int) -> list[dict]:
    """axe-core's serious and critical violations on one page."""
    page = browser.new_page(color_scheme=scheme, viewport={"width": width, "height": 900})
    page.goto(url)
    page.wait_for_load_state("load")
    page.evaluate(AXE.read_text(encoding="utf-8"))  # evaluated, not a <script>: the page's CSP allows none
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    page.close()
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["html"][:120] for n in v["nodes"][:3]]}
        for v in result["violations"]
        if v["impact"] in BLOCKING
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("page_path", PAGES)
def test_axe_finds_no_serious_violation(browser, served_site, page_path, scheme):
    assert AXE.is_file(), "axe-core missing: run npm ci (bash scripts/test.sh does)"
    assert axe_violations(browser, served_site + page_path, scheme, 1280) == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("page_path", ["arthur-mensch/index.html", "papers/mixtral-of-experts/index.html"])
def test_axe_finds_no_serious_violation_on_a_phone(browser, served_site, page_path, scheme):
    assert axe_violations(browser, served_site + page_path, scheme, 390) == []


def test_axe_reports_a_low_contrast_page(browser, tmp_path):
    """The gate can fail: grey text on a white page is reported."""
    (tmp_path / "low.html").write_text(
        '<!doctype html><html lang="en"><head><title>x</title></head>'
        '<body><main><p style="color:#bbb;background:#fff">Hard to read</p></main></body></html>',
        encoding="utf-8",
    )
    assert [v["id"] for v in axe_violations(browser, (tmp_path / "low.html").as_uri(), "light", 800)] == [
        "color-contrast"
    ]


def nu_errors(folder: Path) -> list[dict]:
    """The Nu HTML Checker's errors on every HTML file below ``folder``."""
    java = shutil.which("java")
    assert java and VNU.is_file(), "java or vnu-jar missing: bash scripts/test.sh installs both"
    result = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", "--skip-non-html", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    return [{"file": m.get("url", "").rsplit("/", 2)[-2:], "message": m["message"]} for m in messages]


def test_nu_html_checker_finds_no_error_on_any_page(shipped_site):
    pages = sorted(shipped_site.rglob("*.html"))
    assert len(pages) >= 7
    assert nu_errors(shipped_site) == []


def test_nu_html_checker_reports_an_invalid_page(tmp_path):
    """The gate can fail: a page with a stray end tag and a duplicate id is reported."""
    (tmp_path / "bad.html").write_text(
        '<!doctype html><html lang="en"><head><title>x</title></head><body><p id="a"></div><p id="a"></body></html>',
        encoding="utf-8",
    )
    assert len(nu_errors(tmp_path)) >= 2


@pytest.fixture(scope="module")
def personal_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One person's site (its root is their page), with a photo, selected papers and types."""
    from conftest import run_cli, write_corpus
    from test_home import picture
    from test_paper_pages import EINSTEIN

    root = tmp_path_factory.mktemp("personal")
    site = (
        "title: Albert Einstein\ndescription: Papers by Albert Einstein.\nfooter: My papers.\n"
        "profiles:\n  - name: Albert Einstein\n    photo: me.jpg\n    sources: [einstein.bib]\n"
    )
    files = {"site.yaml": site, "einstein.bib": EINSTEIN, "me.jpg": picture((600, 800), "JPEG")}
    result = run_cli("build", "--seeds", write_corpus(root / "seeds", files), "--out", root / "out")
    assert result.returncode == 0, result.stderr
    return root / "out"


@pytest.mark.parametrize(("scheme", "width"), [("light", 1280), ("dark", 1280), ("light", 390), ("dark", 390)])
def test_axe_finds_no_serious_violation_on_a_personal_site(browser, personal_site, scheme, width):
    paper = next(personal_site.glob("papers/*/index.html")).relative_to(personal_site)
    for page_path in ("index.html", str(paper)):
        assert axe_violations(browser, (personal_site / page_path).as_uri(), scheme, width) == [], page_path


def test_nu_html_checker_finds_no_error_on_a_personal_site(personal_site):
    assert nu_errors(personal_site) == []
