"""The category filters, clicked in a real headless Chromium on pages opened from file://."""

from __future__ import annotations

import pytest
from conftest import SEEDS, run_cli
from playwright.sync_api import Browser, Page

PROFILES = ["arthur-mensch", "szymon-antoniak", "baptiste-roziere", "amelie-heliou"]


def open_profile(browser: Browser, site, slug: str, javascript: bool = True) -> Page:
    page = browser.new_page(java_script_enabled=javascript)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto((site / slug / "index.html").as_uri())
    page.wait_for_load_state("load")
    page.errors = errors  # type: ignore[attr-defined]
    return page


def visible_categories(page: Page) -> list[str]:
    return [card.get_attribute("data-category") for card in page.locator("article.card").all() if card.is_visible()]


@pytest.mark.parametrize("slug", PROFILES)
def test_every_chip_shows_exactly_its_category(browser, shipped_site, slug):
    page = open_profile(browser, shipped_site, slug)
    cards = page.locator("article.card")
    all_categories = [cards.nth(i).get_attribute("data-category") for i in range(cards.count())]
    chips = page.locator("button[data-category]")
    assert chips.count() == len(set(all_categories))
    for index in range(chips.count()):
        chip = chips.nth(index)
        category = chip.get_attribute("data-category")
        chip.click()
        assert chip.get_attribute("aria-pressed") == "true"
        shown = visible_categories(page)
        assert shown == [c for c in all_categories if c == category]
        count_label = chip.locator(".count").inner_text()
        assert int(count_label) == len(shown)
        others = [chips.nth(i).get_attribute("aria-pressed") for i in range(chips.count()) if i != index]
        assert set(others) <= {"false"}
        assert page.locator("[data-result-count]").inner_text() == f"{len(shown)} of {len(all_categories)} papers"
    page.locator("button[data-filter-all]").click()
    assert visible_categories(page) == all_categories
    assert page.errors == []  # type: ignore[attr-defined]


def test_clicking_the_active_chip_again_shows_everything(browser, shipped_site):
    page = open_profile(browser, shipped_site, "arthur-mensch")
    chip = page.locator('button[data-category="CV"]')
    cv_cards = page.locator('article[data-category="CV"]').count()
    chip.click()
    assert visible_categories(page) == ["CV"] * cv_cards
    chip.click()
    assert len(visible_categories(page)) == 14
    assert page.locator("button[data-filter-all]").get_attribute("aria-pressed") == "true"


def test_without_javascript_every_card_is_shown(browser, shipped_site):
    page = open_profile(browser, shipped_site, "arthur-mensch", javascript=False)
    assert len(visible_categories(page)) == 14
    assert not page.locator("[data-filters]").is_visible()


def test_index_links_open_profiles_from_file_urls(browser, shipped_site):
    page = browser.new_page()
    page.goto((shipped_site / "index.html").as_uri())
    page.get_by_role("link", name="Arthur Mensch").click()
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == "Arthur Mensch"
    stylesheet_loaded = page.evaluate("getComputedStyle(document.body).margin === '0px'")
    assert stylesheet_loaded


def test_filters_work_over_http_under_a_project_prefix(browser, http_root):
    root, origin = http_root
    result = run_cli("build", "--seeds", SEEDS, "--out", root / "profiles", "--base-url", "/profiles/")
    assert result.returncode == 0, result.stderr
    page = browser.new_page()
    page.goto(f"{origin}/profiles/index.html")
    page.get_by_role("link", name="Arthur Mensch").click()
    page.wait_for_load_state("load")
    cv_cards = page.locator('article[data-category="CV"]').count()
    page.locator('button[data-category="CV"]').click()
    assert visible_categories(page) == ["CV"] * cv_cards and cv_cards >= 2
    assert page.evaluate("getComputedStyle(document.body).margin === '0px'")  # stylesheet found under the prefix
