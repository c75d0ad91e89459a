"""Real-shaped BibTeX, read faithfully: a Google Scholar export (``{\\'\\i}``, ties, an accent over a
line break, one title with two DOIs), a Mendeley export (front matter, a citation key used twice,
``file`` and ``mendeley-groups``), JabRef (front matter, a field given twice, ``@Comment``),
al-folio's ``papers.bib`` (YAML front matter, ``@string``, link fields, ``selected``, ``abbr``, a
bare PDF file name) Hugo Blox ``cite.bib`` files (``url_*`` links), a Zotero (biblatex) export (``journaltitle``,
``date``, ``file`` paths) and a dblp export (``\\_`` in DOIs, ``CoRR`` with ``eprint``).  Through the command line
and the rendered pages: nothing lost, no build refused, no LaTeX on the page, the person bolded
on every card, every link shown, and Cite giving the user's own entry."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import CHROMIUM, run_cli
from playwright.sync_api import sync_playwright

FIXTURES = Path(__file__).parent / "fixtures" / "bibtex" / "real"
SITE = """title: André's papers
profiles:
  - name: André Calero-Valdez
    aliases: ["Calero, André"]
    sources: ["*.bib", "content/publication/*/cite.bib"]
"""
ENTRIES = 19  # scholar 5, mendeley 3, jabref 2, al-folio 3, Hugo Blox 2, Zotero 2, dblp 2: every one a paper of its own


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("real-bib")
    seeds = folder / "seeds"
    shutil.copytree(FIXTURES, seeds)
    (seeds / "site.yaml").write_text(SITE, encoding="utf-8")
    result = run_cli("build", "--seeds", seeds, "--out", folder / "out")  # no --keep-going
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return folder / "out", result.stderr


def papers_of(out: Path) -> list[dict]:
    return json.loads((out / "papers.json").read_text(encoding="utf-8"))["papers"]


def by_title(out: Path, start: str) -> dict:
    [paper] = [paper for paper in papers_of(out) if paper["title"].startswith(start)]
    return paper


def test_no_entry_is_lost_and_different_dois_stay_two_papers(built):
    out, _ = built
    papers = papers_of(out)
    assert len(papers) == ENTRIES
    hedging = [paper for paper in papers if paper["title"].startswith("Exponentially fast convergence")]
    assert sorted((paper["date"], paper["doi"]) for paper in hedging) == [
        ("1993", "10.1287/opre.41.3.100"),
        ("2006", "10.1007/11776420_5"),
    ]


def test_a_key_used_twice_keeps_both_papers_and_warns_with_both_lines(built):
    out, stderr = built
    assert by_title(out, "Assistive robots")["sources"] == [{"file": "mendeley.bib", "line": 6}]
    assert by_title(out, "Visualisation needs human factors")["sources"] == [{"file": "mendeley.bib", "line": 23}]
    assert "mendeley.bib:23: warning: citation key 'Calero-Valdez2019' is used twice (first at line 6)" in stderr


def test_a_reference_managers_private_fields_are_published_nowhere(built):
    """Mendeley's and Zotero's notes (annote), JabRef's owner, groups and comments, Mendeley's
    groups and tags, paths on the user's disk: in no file of the site, the Cite boxes and
    papers.bib included; the entry's other fields are."""
    out, _ = built
    site_text = "".join(path.read_text(encoding="utf-8") for path in out.rglob("*") if path.suffix in TEXT_FILES)
    assert "PRIVATE" not in site_text and "home/andre" not in site_text and "readstatus" not in site_text
    assert "issn = {0028-0836}" in (out / "andre-calero-valdez" / "papers.bib").read_text(encoding="utf-8")


TEXT_FILES = {".html", ".bib", ".json", ".js", ".xml", ".txt"}


def test_a_field_given_twice_is_a_warning_and_the_first_value_is_kept(built):
    out, stderr = built
    assert by_title(out, "Data literacy")["date"] == "2021-03"
    assert "jabref.bib:14: warning: field 'year' is given twice in entry 'Valdez2021' (first at line 9)" in stderr
    assert "the first value is kept: '2021'" in stderr


LATEX_RESIDUE = re.compile(r"[\\{}~]|\u0131\u0301")


def test_no_latex_is_left_on_the_page(built):
    out, _ = built
    for paper in papers_of(out):
        for text in [paper["title"], paper["venue"], *paper["authors"]]:
            assert not LATEX_RESIDUE.search(text), (paper["id"], text)
    assert by_title(out, "Impact of technology")["title"] == "Impact of technology on Maíra's daily routines"
    assert "Claire Le Goues" in by_title(out, "A systematic study")["authors"]
    assert by_title(out, "A systematic study")["title"].endswith("Fixing 55 out of 105 bugs for $8 each")
    machado = by_title(out, "Deep learning for naïve users")
    assert machado["authors"] == ["H. S. Machado", "André Calero", "Jean François"]
    assert machado["arxiv"] == "2005.14165"


class CardReader(HTMLParser):
    """Each card's author line (with <strong> marks), links and venue text."""

    def __init__(self) -> None:
        super().__init__()
        self.cards: list[dict] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        classes = (values.get("class") or "").split()
        if tag == "article" and "card" in classes:
            self.cards.append({"authors": "", "links": {}, "venue": "", "note": "", "badges": []})
        elif not self.cards:
            return
        elif tag == "div" and "authors" in classes:
            self._in = "authors"
        elif tag == "strong" and self._in == "authors":
            self.cards[-1]["authors"] += "<strong>"
        elif tag == "a" and "action" in classes:
            self._in = "link"
            self._href = values.get("href") or ""
        elif tag == "span" and "venue" in classes:
            self._in = "venue"
        elif tag == "span" and "venue-short" in classes:
            self._in = "badge"
        elif tag == "p" and "note" in classes:
            self._in = "note"

    def handle_endtag(self, tag: str) -> None:
        if tag in ("div", "a", "span", "p"):
            self._in = None if tag != "strong" else self._in

    def handle_data(self, data: str) -> None:
        if not self.cards or self._in is None:
            return
        card = self.cards[-1]
        if self._in == "authors":
            card["authors"] += data
        elif self._in == "link":
            card["links"][data.strip()] = self._href
        elif self._in == "venue":
            card["venue"] += data
        elif self._in == "badge":
            card["badges"].append(data.strip())
        elif self._in == "note":
            card["note"] += data


def cards_of(out: Path) -> list[dict]:
    reader = CardReader()
    reader.feed((out / "andre-calero-valdez" / "index.html").read_text(encoding="utf-8"))
    return reader.cards


def test_the_person_is_bold_on_every_card_whatever_form_of_the_name(built):
    out, _ = built
    cards = cards_of(out)
    assert len(cards) == ENTRIES
    assert all("<strong>" in card["authors"] for card in cards), [
        c["authors"] for c in cards if "<strong>" not in c["authors"]
    ]


def test_every_link_field_is_a_link_on_the_card(built):
    out, _ = built
    cards = {card["authors"]: card for card in cards_of(out)}
    relativity = next(card for card in cards_of(out) if "Einstein" in card["authors"])
    assert relativity["links"] == {
        "arXiv": "https://arxiv.org/abs/2001.01234",
        "PDF": "https://example.org/relativity.pdf",
        "Code": "https://github.com/example/relativity",
        "Slides": "https://example.org/relativity-slides.pdf",
        "Poster": "https://example.org/relativity-poster.pdf",
        "Video": "https://www.youtube.com/watch?v=example",
        "Website": "https://example.org/relativity",
        "Details": "../papers/the-meaning-of-relativity-for-accessibility-research/index.html",
    }
    assert relativity["badges"] == ["AJP"] and relativity["note"] == "Under review at Biometrics"
    hugo = next(card for card in cards_of(out) if "Jane Doe" in card["authors"])
    assert hugo["links"] == {
        "PDF": "https://example.org/conference.pdf",
        "Code": "https://github.com/example/conference",
        "Slides": "https://example.org/conference-slides",
        "Video": "https://vimeo.com/123",
        "Website": "https://example.org/project",
        "Dataset": "https://example.org/dataset",
        "Details": "../papers/an-example-conference-paper-from-a-hugo-blox-site/index.html",
    }
    assert cards  # the same person on every card (checked above)


def test_a_file_named_by_a_link_field_is_copied_and_linked_or_its_absence_said(built):
    """al-folio's pdf={name.pdf}: the file, kept under assets/pdf/ in the seeds folder, is copied
    into the site and linked; a file the seeds folder lacks gets no (broken) link, and a warning."""
    out, stderr = built
    local = by_title(out, "A paper whose PDF sits in the old site's assets")
    assert local["pdf"] == "files/assets/pdf/valdez2019local.pdf"
    assert (out / local["pdf"]).read_bytes() == (FIXTURES / "assets" / "pdf" / "valdez2019local.pdf").read_bytes()
    card = next(card for card in cards_of(out) if card["links"].get("PDF", "").endswith("valdez2019local.pdf"))
    assert card["links"]["PDF"] == "../files/assets/pdf/valdez2019local.pdf"  # from the profile page
    missing = by_title(out, "A paper whose PDF the old site had")
    assert missing["pdf"] is None and missing["links"] == []
    for field, line in (("valdez2018missing.pdf", 41), ("valdez2018missing-poster.pdf", 42)):
        assert f"papers.bib:{line}: warning: '{field}' (" in stderr and "no such file is in the seeds folder" in stderr


def test_the_venue_its_details_the_note_and_keywords_show(built):
    out, _ = built
    robots = next(card for card in cards_of(out) if "Brauner" in card["authors"] and "Nature" in card["venue"])
    assert robots["venue"] == "Nature, vol. 569, no. 7765, pp. 123–127"
    assert by_title(out, "Assistive robots")["tags"] == ["robots", "ageing", "technology acceptance"]
    chi = by_title(out, "Trust in automated decision aids")
    assert (chi["series"], chi["publisher"], chi["pages"]) == ("CHI '18", "ACM", "1–12")
    assert by_title(out, "The meaning of relativity")["selected"] is True


def test_biblatex_and_dblp_exports_give_their_venue_date_and_identifiers(built):
    out, _ = built
    zotero = by_title(out, "Trust in automated vehicles")
    assert (zotero["venue"], zotero["date"], zotero["doi"]) == (
        "Scientific Reports",
        "2022-02-14",
        "10.1038/s41598-022-00001-0",
    )
    assert zotero["pdf"] is None and zotero["tags"] == ["Human behaviour", "Psychology"]  # file = a path on their disk
    assert by_title(out, "Simulation of social media")["pages"] == "300–311"
    dblp = by_title(out, "Human Factors in the Age of Algorithms")
    assert dblp["doi"] == "10.1007/978-3-319-91485-5_27" and dblp["volume"] == "10914"
    assert (
        dblp["title"]
        == "Human Factors in the Age of Algorithms. Understanding the Human-in-the-loop Using Agent-Based Modeling"
    )
    corr = by_title(out, "Opinion Dynamics in Echo Chambers")
    assert (corr["arxiv"], corr["venue"]) == ("2101.00001", "")


def test_papers_bib_gives_the_users_own_entries(built):
    out, _ = built
    bib = (out / "andre-calero-valdez" / "papers.bib").read_text(encoding="utf-8")
    assert "@article{zhao2017ci,\n" in bib and "  doi = {10.1287/OPRE.41.3.100},\n" in bib  # as written
    assert "  volume = {41},\n  number = {3},\n" in bib
    assert "@article{Calero-Valdez2019,\n" in bib and "@article{Calero-Valdez2019b,\n" in bib  # both, told apart
    assert "mendeley-groups" not in bib and "file = " not in bib  # not their folders, no path on their disk
    relativity = bib[bib.index("@article{einstein1950meaning,") :].split("\n}\n")[0]
    for site_only in ("abbr", "selected", "bibtex_show", "preview", "pdf", "code", "html", "slides", "poster", "video"):
        assert f"\n  {site_only} = " not in relativity
    assert "  publisher = {American Physical Society,},\n" in relativity  # the @string, expanded
    assert "  eprint = {2001.01234},\n  archivePrefix = {arXiv}," in relativity  # added: the entry had none
    assert "@inproceedings{example1," in bib and "url_pdf" not in bib


def test_cite_in_the_browser_shows_the_users_entry(built):
    out, _ = built
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        page.goto((out / "andre-calero-valdez" / "index.html").as_uri())
        card = page.locator("article.card", has_text="Trust in automated decision aids")
        card.locator(".cite summary").click()
        text = card.locator("pre.bibtex").inner_text()
        assert text.startswith("@inproceedings{Brauner2018,\n")
        assert "series = {CHI '18}" in text and "isbn = {9781450356206}" in text
        link = page.locator("article.card", has_text="The meaning of relativity").get_by_role("link", name="Slides")
        assert link.get_attribute("href") == "https://example.org/relativity-slides.pdf"
        browser.close()


def test_the_users_entry_reads_back_to_the_same_paper(built, tmp_path):
    """papers.bib, read as a source again, gives the same titles, years and identifiers."""
    out, _ = built
    seeds = tmp_path / "again"
    seeds.mkdir()
    shutil.copy(out / "andre-calero-valdez" / "papers.bib", seeds / "papers.bib")
    result = run_cli("build", "--seeds", seeds, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    again = {(p["title"], (p["date"] or "")[:4], p["doi"], p["arxiv"]) for p in papers_of(tmp_path / "out")}
    first = {(p["title"], (p["date"] or "")[:4], p["doi"], p["arxiv"]) for p in papers_of(out)}
    assert again == first
