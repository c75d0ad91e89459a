"""Controls that fit the data, clicked in Chromium: what has nothing to act on is not shown,
co-author name variants count once, the touch hint, one history entry per search, and a phone
that shows the first paper early."""

from __future__ import annotations

import pytest
from conftest import chip_counts_and_what_they_show, run_cli, write_corpus

PLAIN = """@article{a1,
  title = {Change Point Detection in Genomic Data},
  author = {Toby Dylan Hocking and G Rigaill and Paul Fearnhead},
  journal = {Journal of Statistical Software},
  year = {2020},
}
@article{a2,
  title = {Segmentation of Copy Number Profiles},
  author = {Toby Dylan Hocking and Guillem Rigaill},
  journal = {Bioinformatics},
  year = {2019},
}
@article{a3,
  title = {Peak Calling by Optimal Partitioning},
  author = {Hocking, Toby Dylan and Rigaill, Guillem and Bourque, Guillaume},
  journal = {ICML},
  year = {2015},
}
"""
SITE = "profiles:\n  - name: Toby Dylan Hocking\n    sources: [plain.bib]\n"


@pytest.fixture(scope="module")
def plain_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("plain")
    seeds = write_corpus(root / "seeds", {"site.yaml": SITE, "plain.bib": PLAIN})
    result = run_cli("build", "--seeds", seeds, "--out", root / "out")
    assert result.returncode == 0, result.stderr
    return root / "out"


def open_page(browser, path, **options):
    page = browser.new_page(**options)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, errors


def test_controls_with_nothing_to_act_on_are_not_shown(browser, plain_site):
    page, errors = open_page(browser, plain_site / "index.html")
    assert page.locator("[data-filters]").count() == 0  # no paper has a category: no chips
    assert page.locator("#categories-chart").count() == 0
    assert page.locator("[data-code-filter]").count() == 0  # none has code
    assert page.locator("[data-sort] option[value=score]").count() == 0  # none has a score
    page.locator("[data-search]").fill("segmentation")  # what is shown still works
    assert page.locator("article.card:visible").count() == 1
    assert errors == []
    page.close()


def test_a_co_authors_name_variants_count_once(plain_site):
    html = (plain_site / "index.html").read_text(encoding="utf-8")
    assert '<li>Guillem Rigaill <span class="count">3</span></li>' in html
    assert "G Rigaill" not in html.split("Frequent co-authors")[1].split("</ol>")[0]
    assert "<dt>Co-authors named</dt><dd>3</dd>" in html  # Rigaill, Fearnhead, Bourque


def test_the_shift_click_hint_is_not_shown_on_a_touch_screen(browser, shipped_site):
    page, _ = open_page(browser, shipped_site / "arthur-mensch" / "index.html")
    assert page.locator(".filters-hint").is_visible()
    page.close()
    phone = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
    page, _ = open_page(browser, shipped_site / "arthur-mensch" / "index.html", **phone)
    assert not page.locator(".filters-hint").is_visible()
    page.close()


def test_a_search_is_one_history_entry_and_back_restores_the_view_before_it(browser, http_root, shipped_site):
    import shutil

    root, origin = http_root  # over http: history works as on a published site
    shutil.copytree(shipped_site, root / "site")
    page = browser.new_page()
    page.goto(f"{origin}/site/arthur-mensch/index.html")
    page.locator("[data-filters] button[data-category=CL]").click()
    search = page.locator("[data-search]")
    search.press_sequentially("mixtral", delay=20)
    assert "q=mixtral" in page.url and "cat=CL" in page.url
    page.go_back()
    assert "cat=CL" in page.url and "q=" not in page.url
    assert search.input_value() == ""
    assert page.locator("[data-filters] button[data-category=CL]").get_attribute("aria-pressed") == "true"
    assert page.locator("article.card:visible").count() == 8
    page.go_back()
    assert "cat=" not in page.url
    page.close()


def test_on_a_phone_the_first_paper_is_within_a_screen_and_a_half(browser, shipped_site):
    page, _ = open_page(browser, shipped_site / "arthur-mensch" / "index.html", viewport={"width": 390, "height": 844})
    top = page.evaluate("document.querySelector('article.card').getBoundingClientRect().top + window.scrollY")
    assert top < 1.5 * 844
    assert page.locator("[data-fold-narrow]").get_attribute("open") is None  # the charts start folded
    page.locator("[data-fold-narrow] > summary").click()
    assert page.locator("#years-chart-caption").is_visible()
    page.close()


def visible_years(page) -> list[str]:
    return sorted({card.get_attribute("data-year") for card in page.locator("article.card").all() if card.is_visible()})


def test_year_chips_combine_with_each_other_and_with_categories(browser, shipped_site):
    page, errors = open_page(browser, shipped_site / "arthur-mensch" / "index.html")
    years = page.locator("[data-year-filters] button")
    assert [" ".join(text.split()) for text in years.all_inner_texts()] == [
        "2025 2",
        "2024 2",
        "2023 3",
        "2022 5",
        "2021 2",
    ]
    page.locator("[data-year-filters] button[data-years='2024-2024']").click()
    assert visible_years(page) == ["2024"]
    page.locator("[data-year-filters] button[data-years='2023-2023']").click(modifiers=["Shift"])
    assert visible_years(page) == ["2023", "2024"] and page.locator("article.card:visible").count() == 5
    page.locator("[data-filters] button[data-category=CL]").click()
    assert all(card.get_attribute("data-category") == "CL" for card in page.locator("article.card:visible").all())
    assert "years=2024-2024%2C2023-2023" in page.url
    assert errors == []
    page.close()


def test_many_years_are_offered_in_spans_of_five(tmp_path):
    entries = "".join(
        f"@article{{p{year},\n  title = {{Paper of {year} on a topic}},\n  author = {{Toby Dylan Hocking}},\n"
        f"  journal = {{Journal of Things}},\n  year = {{{year}}},\n}}\n"
        for year in range(2008, 2025, 2)
    )
    seeds = write_corpus(tmp_path / "seeds", {"site.yaml": SITE, "plain.bib": entries})
    assert run_cli("build", "--seeds", seeds, "--out", tmp_path / "out").returncode == 0
    html = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert (
        'data-years="2020-2024"' in html and 'data-years="2005-2009"' in html and 'data-years="2024-2024"' not in html
    )


@pytest.mark.parametrize("query", ["?years=2024-2024,2023-2023", "?cat=CL&code=1", "?cat=CL,CV&q=language"])
def test_every_chip_counts_the_cards_a_click_on_it_shows(browser, shipped_site, query):
    page = browser.new_page()
    counts = chip_counts_and_what_they_show(page, (shipped_site / "arthur-mensch" / "index.html").as_uri() + query)
    assert len(counts) > 5
    assert [(label, shown) for label, shown, _ in counts] == [(label, visible) for label, _, visible in counts]
    page.close()
