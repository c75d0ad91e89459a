"""A page per paper (what Google Scholar indexes: the citation_* tags, JSON-LD, every version with
why it was joined) and the Atom feeds, through the command line and clicked in Chromium."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ElementTree
from html.parser import HTMLParser

import feedparser
import pytest
from conftest import run_cli, write_corpus

SITE = """title: Relativity lab
site_url: https://lab.example.org/
profiles:
  - name: Albert Einstein
    sources: [einstein.bib, scraped.txt]
  - name: Mileva Maric
    sources: [maric.bib]
"""
EINSTEIN = """@article{einstein1905,
  title = {On the Electrodynamics of Moving Bodies},
  author = {Einstein, Albert and Maric, Mileva},
  journal = {Annalen der Physik},
  volume = {17},
  number = {10},
  pages = {891--921},
  year = {1905},
  month = jun,
  doi = {10.1002/andp.19053221004},
  pdf = {https://example.org/electrodynamics.pdf},
}
@inproceedings{einstein1906,
  title = {A Conference Talk on Light Quanta},
  author = {Albert Einstein},
  booktitle = {Proceedings of the Solvay Conference},
  year = {1906},
}
"""
MARIC = """@article{maric1905,
  title = {On the electrodynamics of moving bodies},
  author = {A. Einstein and M. Maric},
  journal = {Ann. Phys.},
  year = {1905},
  doi = {10.1002/andp.19053221004},
}
"""
SCRAPED = """Albert Einstein
Abstract: We show that the laws of electrodynamics take the same form in every inertial frame, and derive the transformation of coordinates between frames moving uniformly relative to one another.
"""
PAPER = "on-the-electrodynamics-of-moving-bodies"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("papers")
    files = {"site.yaml": SITE, "einstein.bib": EINSTEIN, "maric.bib": MARIC, "scraped.txt": SCRAPED}
    seeds = write_corpus(root / "seeds", files)
    result = run_cli("build", "--seeds", seeds, "--out", root / "out")
    assert result.returncode == 0, result.stderr
    return root / "out"


class Head(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.meta: list[tuple[str, str]] = []
        self.links: dict[str, str] = {}
        self.json_ld: list[str] = []
        self._in_json = False

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "meta" and (values.get("name") or "").startswith("citation_"):
            self.meta.append((values["name"], values["content"]))
        if tag == "link":
            self.links[values.get("rel") + ":" + (values.get("type") or "")] = values["href"]
        self._in_json = tag == "script" and values.get("type") == "application/ld+json"

    def handle_data(self, data):
        if self._in_json:
            self.json_ld.append(data)
            self._in_json = False


def head_of(site, paper_id: str) -> Head:
    head = Head()
    head.feed((site / "papers" / paper_id / "index.html").read_text(encoding="utf-8"))
    return head


def test_every_paper_a_profile_shows_has_a_page(site):
    papers = json.loads((site / "papers.json").read_text(encoding="utf-8"))["papers"]
    assert len(papers) == 3
    assert all((site / "papers" / paper["id"] / "index.html").is_file() for paper in papers)


def test_the_page_carries_the_tags_google_scholar_reads(site):
    head = head_of(site, PAPER)
    meta = dict(head.meta)
    assert meta["citation_title"] == "On the Electrodynamics of Moving Bodies"
    assert [value for name, value in head.meta if name == "citation_author"] == ["Albert Einstein", "Mileva Maric"]
    assert meta["citation_publication_date"] == "1905/06"
    assert meta["citation_journal_title"] == "Annalen der Physik"
    assert (meta["citation_volume"], meta["citation_issue"]) == ("17", "10")
    assert (meta["citation_firstpage"], meta["citation_lastpage"]) == ("891", "921")
    assert meta["citation_doi"] == "10.1002/andp.19053221004"
    assert meta["citation_pdf_url"] == "https://example.org/electrodynamics.pdf"
    assert head.links["canonical:"] == f"https://lab.example.org/papers/{PAPER}/"
    [article] = [json.loads(text) for text in head.json_ld]
    assert article["@type"] == "ScholarlyArticle" and article["headline"] == meta["citation_title"]
    assert article["identifier"]["value"] == "10.1002/andp.19053221004"
    talk = dict(head_of(site, "a-conference-talk-on-light-quanta").meta)
    assert talk["citation_conference_title"] == "Proceedings of the Solvay Conference"
    assert "citation_journal_title" not in talk


def test_all_versions_lists_every_entry_merged_with_why(site):
    html = (site / "papers" / PAPER / "index.html").read_text(encoding="utf-8")
    assert "All 2 versions" in html
    assert "einstein.bib:1" in html and "maric.bib:1" in html
    assert "same identifier (doi 10.1002/andp.19053221004)" in html
    assert "venue: Ann. Phys." in html  # how the other entry differs


def test_cards_link_their_page_and_the_page_links_back(browser, site):
    page = browser.new_page()
    page.goto((site / "albert-einstein" / "index.html").as_uri())
    page.locator(f"article.card#{PAPER} a.action", has_text="Details").click()
    page.wait_for_load_state("load")
    assert page.url.endswith(f"papers/{PAPER}/index.html")
    assert page.locator("h1").inner_text() == "On the Electrodynamics of Moving Bodies"
    assert page.locator(".bibtex").inner_text().startswith("@article{")
    page.locator(".authors a", has_text="Mileva Maric").click()  # a co-author with a profile here
    page.wait_for_load_state("load")
    assert page.url.endswith("mileva-maric/index.html")
    page.close()


def test_feeds_are_valid_atom_newest_first_and_link_the_paper_pages(site):
    for path in ("feed.xml", "albert-einstein/feed.xml", "mileva-maric/feed.xml"):
        feed = feedparser.parse((site / path).read_bytes())
        assert not feed.bozo, (path, feed.get("bozo_exception"))
        assert feed.version == "atom10"
        _assert_atom_requirements(ElementTree.parse(site / path).getroot())
    feed = feedparser.parse((site / "albert-einstein" / "feed.xml").read_bytes())
    dates = [entry.updated for entry in feed.entries]
    assert dates == sorted(dates, reverse=True) and len(dates) == 2
    assert feed.entries[1].link == f"../papers/{PAPER}/index.html"
    assert feed.feed.updated == "1906-01-01T00:00:00Z"  # the newest paper's date, not the build's
    html = (site / "albert-einstein" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="alternate" type="application/atom+xml"' in html and 'href="feed.xml"' in html


ATOM = "{http://www.w3.org/2005/Atom}"


def _assert_atom_requirements(feed: ElementTree.Element) -> None:
    """RFC 4287's musts: a feed has one id, title and updated, an author (or every entry has one);
    every entry one id, title, updated and a link (it has no content)."""
    for element in (feed, *feed.findall(f"{ATOM}entry")):
        for name in ("id", "title", "updated"):
            assert len(element.findall(f"{ATOM}{name}")) == 1, name
    assert feed.findall(f"{ATOM}author") or all(e.findall(f"{ATOM}author") for e in feed.findall(f"{ATOM}entry"))
    assert all(entry.findall(f"{ATOM}link") for entry in feed.findall(f"{ATOM}entry"))


def test_the_same_sources_give_the_same_feeds(site, tmp_path):
    seeds = write_corpus(
        tmp_path / "seeds", {"site.yaml": SITE, "einstein.bib": EINSTEIN, "maric.bib": MARIC, "scraped.txt": SCRAPED}
    )
    assert run_cli("build", "--seeds", seeds, "--out", tmp_path / "again").returncode == 0
    for path in ("feed.xml", "albert-einstein/feed.xml", f"papers/{PAPER}/index.html"):
        assert (tmp_path / "again" / path).read_bytes() == (site / path).read_bytes()


def test_no_page_requests_a_missing_file_and_the_profile_stays_light(browser, shipped_site, http_root):
    """Over http, as a host serves the site: every request of the pages succeeds (a favicon
    ships), and the shipped profile page with its style and script weighs under 150 KB."""
    root, origin = http_root
    shutil.copytree(shipped_site, root / "site")
    for path in ("index.html", "arthur-mensch/index.html", "papers/pixtral-12b/index.html", "report.html"):
        page = browser.new_page()
        failed: list[str] = []
        page.on("response", lambda response, failed=failed: response.status >= 400 and failed.append(response.url))
        page.goto(f"{origin}/site/{path}")
        page.wait_for_load_state("networkidle")
        assert not failed, (path, failed)
        page.close()
    files = ("arthur-mensch/index.html", "static/style.css", "static/site.js")
    assert sum((shipped_site / name).stat().st_size for name in files) < 150_000
