"""The profile page printed to PDF in Chromium: a publication list without controls, abstracts
hidden unless asked for, DOIs and arXiv ids printed with their addresses, cards never split."""

from __future__ import annotations

import io

from pypdf import PdfReader

CONTROLS = (
    "Search titles",
    "Has code",
    "Newest first",
    "Show more",
    "Cite",
    "Details",
    "Shift-click",
    "Download all",
    "Print the abstracts",
    "Build report",
    "All 14",
)


def printed(browser, site, abstracts: bool) -> tuple[str, int]:
    page = browser.new_page()
    page.goto((site / "arthur-mensch" / "index.html").as_uri())
    page.wait_for_load_state("load")
    if abstracts:
        page.locator("[data-print-abstracts]").check()
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
    page.close()
    return "\n".join(sheet.extract_text() for sheet in pdf.pages), len(pdf.pages)


def test_the_printed_profile_is_a_publication_list(browser, shipped_site):
    text, pages = printed(browser, shipped_site, abstracts=False)
    flat = " ".join(text.split())
    assert "Arthur Mensch" in flat and "Mixtral of Experts" in flat and "Voxtral" in flat
    assert [word for word in CONTROLS if word in flat] == []
    assert "https://arxiv.org/abs/2401.04088" in flat.replace(" ", "") or "arxiv.org/abs/2401.04088" in flat.replace(
        " ", ""
    )
    assert "We introduce Mixtral" not in flat  # abstracts hidden by default
    with_abstracts, longer = printed(browser, shipped_site, abstracts=True)
    assert "We introduce Mixtral" in " ".join(with_abstracts.split())
    assert 1 <= pages < longer <= 12


def test_no_card_is_split_across_printed_pages(browser, shipped_site):
    page = browser.new_page()
    page.goto((shipped_site / "arthur-mensch" / "index.html").as_uri())
    page.emulate_media(media="print")
    rules = page.evaluate("[...document.querySelectorAll('article.card')].map(c => getComputedStyle(c).breakInside)")
    headings = page.evaluate("[...document.querySelectorAll('.year-heading')].map(h => getComputedStyle(h).breakAfter)")
    assert set(rules) == {"avoid"} and set(headings) == {"avoid"}
    assert not page.locator("[data-toolbar]").is_visible() and not page.locator(".show-more").first.is_visible()
    page.close()
