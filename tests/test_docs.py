"""The documentation: the README stays a short front page, and every link between the pages
(and to a heading in them) leads somewhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT

PAGES = [ROOT / "README.md", ROOT / "CHANGELOG.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)\)|<img src=\"([^\"]+)\"")


def heading_anchors(page: Path) -> set[str]:
    """GitHub's anchors for the page's headings: lowercase, punctuation dropped, spaces to hyphens."""
    anchors = set()
    in_code = False
    for line in page.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            in_code = not in_code
        elif not in_code and line.startswith("#"):
            text = line.lstrip("#").strip().lower()
            anchors.add(re.sub(r"[^\w\- ]", "", text).replace(" ", "-"))
    return anchors


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_relative_link_leads_somewhere(page):
    text = page.read_text(encoding="utf-8")
    for match in LINK.finditer(text):
        target = match.group(1) or match.group(2)
        if re.match(r"[a-z]+:", target):
            continue  # an address on the web
        path, _, anchor = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        assert linked.exists(), f"{page.name}: {target}"
        if anchor:
            assert anchor in heading_anchors(linked), f"{page.name}: {target}"


def test_the_readme_is_a_front_page():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 160
    for command in ("bash scripts/build.sh", "bash scripts/test.sh"):
        assert f"```sh\n{command}\n```" in readme
    assert "docs/screenshots/" in readme


def test_the_screenshots_the_readme_shows_exist_for_both_themes_and_sizes():
    shots = {path.name for path in (ROOT / "docs" / "screenshots").glob("*.png")}
    for view in ("desktop", "phone"):
        for scheme in ("light", "dark"):
            assert f"profile-{view}-{scheme}.png" in shots


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_module_the_documentation_names_exists(page):
    named = set(re.findall(r"\bgenerator/[\w/]+\.py\b", page.read_text(encoding="utf-8")))
    assert [path for path in sorted(named) if not (ROOT / path).is_file()] == []
