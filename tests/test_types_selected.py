"""Selected papers (al-folio's ``selected={true}``, papers.yaml's ``selected: true``) and
publication types (from BibTeX types and venues): a section, chips that combine, a grouping by
type; clicked in Chromium."""

from __future__ import annotations

import pytest
from conftest import chip_counts_and_what_they_show, run_cli, write_corpus

BIB = """@article{j1,
  title = {Optimal Transport for Domain Adaptation},
  author = {Ann Lee and Bo Chen},
  journal = {IEEE Transactions on Pattern Analysis and Machine Intelligence},
  year = {2017},
  selected = {true},
}
@inproceedings{c1,
  title = {Sinkhorn Distances at Scale},
  author = {Ann Lee},
  booktitle = {Advances in Neural Information Processing Systems},
  year = {2019},
  abbr = {NeurIPS},
  selected = {true},
}
@inproceedings{c2,
  title = {Wasserstein Barycenters in Practice},
  author = {Ann Lee},
  booktitle = {International Conference on Machine Learning},
  year = {2020},
}
@misc{p1,
  title = {Unbalanced Transport Revisited},
  author = {Ann Lee},
  year = {2023},
  eprint = {2301.01234},
  archivePrefix = {arXiv},
}
@phdthesis{t1,
  title = {Computational Optimal Transport},
  author = {Ann Lee},
  school = {ENS},
  year = {2016},
}
"""
SITE = "profiles:\n  - name: Ann Lee\n    sources: [lee.bib]\n"
PAPERS = """- match: "Wasserstein Barycenters in Practice"
  selected: true
  venue_short: ICML
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("types")
    seeds = write_corpus(root / "seeds", {"site.yaml": SITE, "lee.bib": BIB, "papers.yaml": PAPERS})
    result = run_cli("build", "--seeds", seeds, "--out", root / "out")
    assert result.returncode == 0, result.stderr
    return root / "out"


def visible_titles(page) -> list[str]:
    return [
        card.locator(".card-title").inner_text().rstrip(" #")
        for card in page.locator("article.card").all()
        if card.is_visible()
    ]


def test_selected_papers_head_the_page_and_types_are_read_from_bibtex(browser, site):
    page = browser.new_page()
    page.goto((site / "index.html").as_uri())
    selected = page.locator(".selected-papers li a").all_inner_texts()
    assert selected == [
        "Wasserstein Barycenters in Practice",
        "Sinkhorn Distances at Scale",
        "Optimal Transport for Domain Adaptation",
    ]
    types = {card.get_attribute("id"): card.get_attribute("data-type") for card in page.locator("article.card").all()}
    assert sorted(types.values()) == ["conference", "conference", "journal", "preprint", "thesis"]
    chips = page.locator("[data-type-filters] button").all_inner_texts()
    assert [" ".join(chip.split()) for chip in chips] == ["Journal 1", "Conference 2", "Preprint 1", "Thesis 1"]
    assert page.locator("article.card .badge.venue-short").all_inner_texts() == ["ICML", "NeurIPS"]
    page.close()


def test_type_chips_the_selected_toggle_and_search_combine(browser, site):
    page = browser.new_page()
    page.goto((site / "index.html").as_uri())
    page.locator("[data-type-filters] button[data-type=conference]").click()
    assert sorted(visible_titles(page)) == ["Sinkhorn Distances at Scale", "Wasserstein Barycenters in Practice"]
    page.locator("[data-type-filters] button[data-type=journal]").click(modifiers=["Shift"])
    assert len(visible_titles(page)) == 3
    page.locator("[data-selected-filter]").click()
    assert len(visible_titles(page)) == 3  # all three are selected
    page.locator("[data-search]").fill("sinkhorn")
    assert visible_titles(page) == ["Sinkhorn Distances at Scale"]
    assert "type=conference%2Cjournal" in page.url and "selected=1" in page.url  # the view, shareable
    page.locator("[data-search]").fill("")
    page.locator("[data-type-filters] button[data-type=journal]").click(modifiers=["Shift"])
    page.locator("[data-selected-filter]").click()
    assert len(visible_titles(page)) == 2
    page.close()


def test_grouping_by_type_puts_each_type_under_its_heading(browser, site):
    page = browser.new_page()
    page.goto((site / "index.html").as_uri())
    page.locator("[data-sort]").select_option("type")
    headings = [h.inner_text() for h in page.locator(".year-heading").all() if h.is_visible()]
    assert headings == ["Journal", "Conference", "Preprint", "Thesis"]
    page.close()


def test_a_wrong_selected_value_is_an_error_at_its_line(tmp_path):
    papers = '- match: "Sinkhorn Distances"\n  selected: maybe\n'
    seeds = write_corpus(tmp_path / "seeds", {"site.yaml": SITE, "lee.bib": BIB, "papers.yaml": papers})
    result = run_cli("build", "--seeds", seeds, "--out", tmp_path / "out")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "papers.yaml:2:" in result.stderr


@pytest.mark.parametrize("query", ["?selected=1", "?years=2019-2019,2020-2020", "?type=conference&selected=1"])
def test_every_chip_counts_the_cards_a_click_on_it_shows(browser, site, query):
    page = browser.new_page()
    counts = chip_counts_and_what_they_show(page, (site / "index.html").as_uri() + query)
    assert len(counts) > 4
    assert [(label, shown) for label, shown, _ in counts] == [(label, visible) for label, _, visible in counts]
    page.close()
