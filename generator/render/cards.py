"""A paper card: what one paper shows on one profile's page (:func:`card_view`).  To show another
field of a paper on its card, add it to :class:`CardView` and :func:`card_view`, and to
``templates/_card.html``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from generator.model import Paper, Profile
from generator.text.categories import category_name
from generator.text.dates import MONTH_NAMES
from generator.text.identifiers import arxiv_url, doi_url
from generator.text.normalize import ascii_fold

AUTHORS_SHOWN = 8


AUTHORS_BEFORE_FOLD = 6


@dataclass(slots=True)
class AuthorView:
    """One name in a card's author line."""

    name: str
    is_person: bool


@dataclass(slots=True)
class CardLink:
    """One of a card's outgoing links (arXiv, DOI, PDF, code)."""

    label: str
    href: str
    kind: str


@dataclass(slots=True)
class OtherProfile:
    """Another profile of the site that shows the same paper."""

    slug: str
    name: str


@dataclass(slots=True)
class CardView:
    """What one paper card shows on one profile's page."""

    id: str
    title: str
    title_derived: bool
    authors: list[AuthorView]
    authors_folded: list[AuthorView]
    authors_truncated: bool
    affiliation: str
    date: str
    date_text: str
    year: str
    category: str
    category_name: str
    score: str
    score_source: str
    code: bool
    abstract: str
    also_on: list[OtherProfile]
    url: str
    links: list[CardLink]
    venue: str
    tags: list[str]
    bibtex: str
    unverified: bool
    checked: str
    score_value: str


def fold_authors(authors: list[AuthorView]) -> tuple[list[AuthorView], list[AuthorView]]:
    """Long author lists show the first few (and the person, wherever they are); the rest fold away."""
    if len(authors) <= AUTHORS_SHOWN:
        return authors, []
    shown = authors[:AUTHORS_BEFORE_FOLD] + [a for a in authors[AUTHORS_BEFORE_FOLD:] if a.is_person]
    return shown, [a for a in authors[AUTHORS_BEFORE_FOLD:] if not a.is_person]


def paper_links(paper: Paper) -> list[CardLink]:
    """The card's outgoing links: arXiv, DOI, PDF, code (an unverified identifier says so)."""
    note = " (unverified)" if paper.unverified else ""
    links = []
    if paper.arxiv:
        links.append(CardLink(f"arXiv{note}", arxiv_url(paper.arxiv), "arxiv"))
    if paper.doi:
        links.append(CardLink(f"DOI{note}", doi_url(paper.doi), "doi"))
    if paper.pdf:
        links.append(CardLink("PDF", paper.pdf, "pdf"))
    if paper.code_url:
        links.append(CardLink("Code", paper.code_url, "code"))
    return links


def title_link(paper: Paper) -> str:
    """Where the card title points: the paper's URL, else its arXiv or DOI page unless the id is unverified."""
    if paper.url:
        return paper.url
    if paper.unverified:
        return ""
    return arxiv_url(paper.arxiv) if paper.arxiv else doi_url(paper.doi) if paper.doi else ""


def card_view(paper: Paper, profile: Profile, names: dict[str, str], bibtex: str) -> CardView:
    """What one paper card shows on ``profile``'s page."""
    person = name_key(profile.name)
    shown, folded = fold_authors([AuthorView(author, is_person(author, person)) for author in paper.authors])
    return CardView(
        id=paper.id,
        title=paper.title,
        title_derived=paper.title_derived,
        authors=shown,
        authors_folded=folded,
        authors_truncated=paper.authors_truncated,
        affiliation=paper.affiliation,
        date=paper.date or "",
        date_text=format_date(paper.date),
        year=paper.date[:4] if paper.date else "",
        category=paper.category,
        category_name=category_name(paper.category),
        score=_score_text(paper.score),
        score_source=str(paper.provenance.get("score", "")),
        code=paper.code or bool(paper.code_url),
        abstract=paper.abstract,
        also_on=[OtherProfile(slug, names[slug]) for slug in paper.profiles if slug != profile.slug],
        url=title_link(paper),
        links=paper_links(paper),
        venue=paper.venue,
        tags=paper.tags,
        bibtex=bibtex,
        unverified=paper.unverified,
        checked=paper.checked,
        score_value="" if paper.score is None else repr(paper.score),
    )


def _score_text(score: float | None) -> str:
    return "" if score is None else f"{score:g}"


def format_date(iso_date: str | None) -> str:
    """``2022-04-29`` → ``29 Apr 2022``; ``2022-04`` → ``Apr 2022``; ``2022`` stays."""
    if not iso_date:
        return ""
    parts = iso_date.split("-")
    words = [str(int(parts[2]))] if len(parts) == 3 else []
    words += [MONTH_NAMES[int(parts[1]) - 1]] if len(parts) >= 2 else []
    return " ".join([*words, parts[0]])


@functools.lru_cache(maxsize=65536)
def name_key(name: str) -> tuple[str, str]:
    """``Arthur Mensch`` and ``A. Mensch`` → ``("mensch", "a")``: family name and first initial, folded."""
    words = ascii_fold(name).replace(".", " ").split()
    return (words[-1], words[0][0]) if words else ("", "")


def is_person(author: str, person: tuple[str, str]) -> bool:
    """Is ``author`` the person whose :func:`name_key` is ``person``: same family name and same first
    initial, accents and case ignored?"""
    author_key = name_key(author)
    return bool(author_key[0]) and author_key == person
