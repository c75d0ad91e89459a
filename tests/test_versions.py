"""A conference paper and its journal version: two papers, each card linking the other ("Also
published as"), checked by clicking in Chromium; and the report's per-field points and the
papers.yaml item that would change each decision."""

from __future__ import annotations

import json

import pytest
from conftest import run_cli, write_corpus

SITE = """title: Versions
profiles:
  - name: Ann Lee
    sources: [lee.bib]
  - name: Bo Chen
    sources: [chen.bib]
"""
LEE = """@inproceedings{lee2019,
  title = {Clustering Categorical Data: An Approach Based on Dynamical Systems},
  author = {Lee, Ann and Chen, Bo},
  booktitle = {Proceedings of the 25th International Conference on Very Large Data Bases},
  year = {1998},
}
"""
CHEN = """@article{chen2000,
  title = {Clustering categorical data: an approach based on dynamical systems},
  author = {Ann Lee and Bo Chen},
  journal = {The VLDB Journal},
  year = {2000},
}
@article{chen2000copy,
  title = {Clustering Categorical Data: an Approach based on Dynamical Systems},
  author = {A. Lee and B. Chen},
  journal = {VLDB J.},
  year = {2000},
}
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("versions")
    seeds = write_corpus(root / "seeds", {"site.yaml": SITE, "lee.bib": LEE, "chen.bib": CHEN})
    result = run_cli("build", "--seeds", seeds, "--out", root / "out")
    assert result.returncode == 0, result.stderr
    return root / "out"


def papers(site) -> list[dict]:
    return json.loads((site / "papers.json").read_text(encoding="utf-8"))["papers"]


def test_the_versions_stay_two_papers_and_the_copies_of_the_journal_version_are_one(site):
    found = sorted(sorted(f"{s['file']}:{s['line']}" for s in paper["sources"]) for paper in papers(site))
    assert found == [["chen.bib:1", "chen.bib:7"], ["lee.bib:1"]]


def test_each_card_links_the_other_version_and_the_link_lands_on_it(browser, site):
    conference, journal = sorted(papers(site), key=lambda paper: len(paper["sources"]))
    page = browser.new_page()
    page.goto((site / "ann-lee" / "index.html").as_uri())
    card = page.locator(f"article.card#{conference['id']}")
    link = card.locator("p.versions a")
    assert link.count() == 1 and "2000" in link.inner_text()
    link.click()
    page.wait_for_load_state("load")
    assert page.url.endswith(f"#{journal['id']}")
    target = page.locator(f"article.card#{journal['id']}")
    assert target.is_visible()
    back = target.locator("p.versions a")
    assert back.count() == 1 and "1998" in back.inner_text()
    page.close()


def test_the_report_gives_each_fields_points_and_the_override_that_would_change_it(site):
    report = json.loads((site / "report.json").read_text(encoding="utf-8"))
    joined = next(d for paper in report["merged"] for d in paper["decisions"])
    assert joined["merged"] and set(joined["evidence"]) >= {"title", "authors", "venue", "year"}
    assert joined["points"] == sum(field["points"] for field in joined["evidence"].values())
    assert joined["override"].startswith("- distinct: [chen.bib:")
    related = [d for d in report["apart"] if d["related"]]
    assert related and related[0]["override"].startswith("- same: [")
    assert related[0]["evidence"]["year"]["points"] < 0
    html = (site / "report.html").read_text(encoding="utf-8")
    assert "- distinct: [chen.bib:1, chen.bib:7]" in html and "authors +6" in html
