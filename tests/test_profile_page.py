"""The profile page as a product, clicked in headless Chromium: search, sort, chips, URL state, folding."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from conftest import run_cli, write_corpus
from playwright.sync_api import Page

LONG = " ".join(["This sentence makes the abstract long enough to be folded on the card."] * 12)
PAGE = f"""Zoë Example

CL
h-index3

4 Papers

88.5CLMar 3, 2024Code
Accents and Search: a Zoë Story
Zoë Example, Ada Lovelace, Bob One, Carol Two, Dan Three, Eve Four, Fay Five, Gus Six, Hal Seven, Ivy Eight

{LONG}

12CVJan 5, 2022
Vision Paper About Engines

Zoë Example

A short abstract about engines that see, long enough to be a real abstract of a paper.

45.2CLJul 9, 2023
Another Language Paper

Zoë Example, Ada Lovelace

We study words and their meanings in a corpus of engine manuals, at some length here.

3LGFeb 1, 2021Code
Learning Old Tricks

Zoë Example

We learn tricks from old machines, and report on how they fared against new ones.
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("product")
    seeds = write_corpus(root / "seeds", {"zoe.txt": PAGE})
    out = root / "out"
    result = run_cli("build", "--seeds", seeds, "--out", out)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture
def page(browser, site) -> Iterator[Page]:
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto((site / "zoe-example" / "index.html").as_uri())
    yield page
    assert errors == []
    page.close()


def titles(page: Page) -> list[str]:
    return [
        card.locator(".card-title").inner_text().rstrip(" #").strip()
        for card in page.locator("article.card").all()
        if card.is_visible()
    ]


def counter(page: Page) -> str:
    return page.locator("[data-result-count]").inner_text()


def test_search_is_instant_and_accent_insensitive(page):
    page.locator("[data-search]").fill("zoe story")
    assert titles(page) == ["Accents and Search: a Zoë Story"]
    assert counter(page) == "1 of 4 papers"
    page.locator("[data-search]").fill("LOVELACE")  # authors are searched too
    assert len(titles(page)) == 2
    assert page.locator('button[data-category="CL"] .count').inner_text() == "2"  # live counts
    assert page.locator('button[data-category="CV"] .count').inner_text() == "0"


def test_chips_combine_with_shift_click(page):
    page.locator('button[data-category="CV"]').click()
    assert titles(page) == ["Vision Paper About Engines"]
    page.locator('button[data-category="LG"]').click(modifiers=["Shift"])
    assert titles(page) == ["Vision Paper About Engines", "Learning Old Tricks"]
    assert page.locator('button[data-category="CV"]').get_attribute("aria-pressed") == "true"
    assert page.locator('button[data-category="LG"]').get_attribute("aria-pressed") == "true"
    page.locator('button[data-category="CL"]').click()  # a plain click selects only that one
    assert [page.locator(f'button[data-category="{c}"]').get_attribute("aria-pressed") for c in ("CL", "CV", "LG")] == [
        "true",
        "false",
        "false",
    ]


def test_sorts_and_year_headings(page):
    assert titles(page) == [
        "Accents and Search: a Zoë Story",
        "Another Language Paper",
        "Vision Paper About Engines",
        "Learning Old Tricks",
    ]
    headings = [h.inner_text() for h in page.locator(".year-heading").all() if h.is_visible()]
    assert headings == ["2024", "2023", "2022", "2021"]
    page.locator("[data-sort]").select_option("oldest")
    assert titles(page)[0] == "Learning Old Tricks"
    page.locator("[data-sort]").select_option("score")
    assert titles(page) == [
        "Accents and Search: a Zoë Story",
        "Another Language Paper",
        "Vision Paper About Engines",
        "Learning Old Tricks",
    ]
    assert page.locator(".year-heading").count() == 0  # no year groups when not sorted by date
    page.locator("[data-sort]").select_option("title")
    assert titles(page) == sorted(titles(page), key=str.casefold)


def test_code_filter(page):
    page.locator("[data-code-filter]").click()
    assert titles(page) == ["Accents and Search: a Zoë Story", "Learning Old Tricks"]
    assert page.locator("[data-code-filter]").get_attribute("aria-pressed") == "true"


def test_state_lives_in_the_url_survives_reload_and_back(page):
    page.locator('button[data-category="CL"]').click()
    page.locator("[data-sort]").select_option("score")
    page.locator("[data-search]").fill("language")
    page.wait_for_function("location.search.includes('q=language')")
    assert "cat=CL" in page.url and "sort=score" in page.url and "q=language" in page.url
    page.reload()
    assert titles(page) == ["Another Language Paper"]
    assert page.locator("[data-search]").input_value() == "language"
    assert page.locator("[data-sort]").input_value() == "score"
    page.go_back()  # undo the search (one history entry, however many keys): sort and category stay
    assert page.locator("[data-search]").input_value() == ""
    assert page.locator("[data-sort]").input_value() == "score"
    page.go_back()  # undo the sort change: the category stays
    assert page.locator("[data-sort]").input_value() == "newest"
    assert page.locator('button[data-category="CL"]').get_attribute("aria-pressed") == "true"


def test_empty_result_offers_to_clear(page):
    page.locator("[data-search]").fill("no such paper anywhere")
    assert titles(page) == [] and page.locator("[data-empty]").is_visible()
    page.locator("[data-clear]").click()
    assert len(titles(page)) == 4 and not page.locator("[data-empty]").is_visible()
    assert page.locator("[data-search]").input_value() == ""


def test_long_abstracts_and_author_lists_fold(page):
    card = page.locator("article.card").first
    abstract = card.locator(".abstract")
    folded_height = abstract.bounding_box()["height"]
    card.locator(".show-more").click()
    assert abstract.bounding_box()["height"] > folded_height * 1.5
    assert card.locator(".show-more").get_attribute("aria-expanded") == "true"
    authors = card.locator(".authors")
    assert "Ivy Eight" not in authors.inner_text() and "+4 more" in authors.inner_text()
    card.locator(".more-authors summary").click()
    assert "Ivy Eight" in authors.inner_text()
    assert card.locator(".authors strong").inner_text() == "Zoë Example"


def test_cite_shows_the_same_entry_as_papers_bib(page, site):
    card = page.locator("article.card").first
    card.locator(".cite summary").click()
    entry = card.locator(".bibtex").inner_text()
    assert entry.startswith("@misc{example2024accents,")
    assert entry.strip() in (site / "zoe-example" / "papers.bib").read_text(encoding="utf-8")


def test_without_javascript_everything_is_readable(browser, site):
    page = browser.new_page(java_script_enabled=False)
    page.goto((site / "zoe-example" / "index.html").as_uri())
    assert len(titles(page)) == 4
    assert page.locator(".year-heading").count() == 4
    assert page.locator(".abstract.clamped").count() == 0
    assert not page.locator("[data-toolbar]").is_visible()


def test_index_search_finds_papers_across_the_site(browser, shipped_site):
    page = browser.new_page()
    page.goto((shipped_site / "index.html").as_uri())
    page.locator("#site-search-input").fill("mixtral")
    results = page.locator("[data-site-results] li")
    assert results.count() == 1
    assert "Arthur Mensch" in results.first.inner_text() and "Szymon Antoniak" in results.first.inner_text()
    results.first.locator("a").click()  # to the paper's own page
    page.wait_for_load_state("load")
    assert page.url.endswith("papers/mixtral-of-experts/index.html")
    assert page.locator("h1").inner_text() == "Mixtral of Experts"


def test_header_charts_are_drawn_at_build_time_and_readable(site):
    html = (site / "zoe-example" / "index.html").read_text(encoding="utf-8")
    assert html.count('<svg class="chart-svg"') == 2
    assert '<title id="years-chart-title">Papers per year: 2021 1, 2022 1, 2023 1, 2024 1</title>' in html
    assert '<table class="visually-hidden">' in html
    data = json.loads((site / "papers.json").read_text(encoding="utf-8"))
    assert len(data["papers"]) == 4


def test_copy_bibtex_puts_the_entry_on_the_clipboard(browser, site, http_root):
    import shutil

    root, origin = http_root
    shutil.copytree(site, root / "site")
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin)
    page = context.new_page()
    page.goto(f"{origin}/site/zoe-example/index.html")
    card = page.locator("article.card").first
    card.locator(".cite summary").click()
    card.locator("[data-copy]").click()
    page.wait_for_function("document.querySelector('[data-copy]').textContent === 'Copied'")
    assert page.evaluate("navigator.clipboard.readText()") == card.locator(".bibtex").inner_text()
    context.close()


def test_uncategorised_papers_show_and_filter(browser, tmp_path):
    seeds = write_corpus(
        tmp_path / "seeds",
        {
            "list.txt": "Abstract: A paper without any category, with enough words to be one.\n",
            "page.txt": PAGE,
            "site.yaml": "profiles:\n  - name: Zoë Example\n    sources: [list.txt, page.txt]\n",
        },
    )
    assert run_cli("build", "--seeds", seeds, "--out", tmp_path / "out").returncode == 0
    page = browser.new_page()
    page.goto((tmp_path / "out" / "zoe-example" / "index.html").as_uri())
    assert len(titles(page)) == 5
    page.locator('button[data-category=""]').click()
    assert len(titles(page)) == 1 and "cat=none" in page.url
    page.reload()
    assert len(titles(page)) == 1
