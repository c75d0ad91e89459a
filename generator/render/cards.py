"""A paper card: what one paper shows on one profile's page (:func:`card_view`).  To show another
field of a paper on its card, add it to :class:`CardView` and :func:`card_view`, and to
``templates/_card.html``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from generator.model import Paper, Profile, Version
from generator.render.kinds import TYPE_LABELS, TYPE_RANKS, publication_type
from generator.render.site_pages import paper_path
from generator.text.categories import category_name
from generator.text.dates import MONTH_NAMES
from generator.text.identifiers import arxiv_url, doi_url
from generator.text.names import is_person, person_keys

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
    """Another profile of the site that shows the same paper: its page, and the person's name."""

    href: str
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
    details: str  # where in the venue: volume, number, pages, publisher, series
    note: str
    venue_short: str
    versions: list[VersionLink]
    page: str  # the paper's own page
    type: str  # the publication type (generator.render.kinds)
    type_label: str
    type_rank: int  # its place when papers are grouped by type
    selected: bool


class VersionLink(NamedTuple):
    """A link from a card to another version of its paper."""

    href: str
    label: str


def fold_authors(authors: list[AuthorView]) -> tuple[list[AuthorView], list[AuthorView]]:
    """Long author lists show the first few (and the person, wherever they are); the rest fold away."""
    if len(authors) <= AUTHORS_SHOWN:
        return authors, []
    shown = authors[:AUTHORS_BEFORE_FOLD] + [a for a in authors[AUTHORS_BEFORE_FOLD:] if a.is_person]
    return shown, [a for a in authors[AUTHORS_BEFORE_FOLD:] if not a.is_person]


def paper_links(paper: Paper, root: str = "../") -> list[CardLink]:
    """The card's outgoing links: arXiv, DOI, PDF, code and the others (an unverified identifier
    says so); a file of the site's own (``files/…``) is linked relative to the page (``root``)."""
    note = " (unverified)" if paper.unverified else ""
    links = []
    if paper.arxiv:
        links.append(CardLink(f"arXiv{note}", arxiv_url(paper.arxiv), "arxiv"))
    if paper.doi:
        links.append(CardLink(f"DOI{note}", doi_url(paper.doi), "doi"))
    if paper.pdf:
        links.append(CardLink("PDF", _from(root, paper.pdf), "pdf"))
    if paper.code_url:
        links.append(CardLink("Code", _from(root, paper.code_url), "code"))
    links += [
        CardLink(LINK_LABELS.get(kind, kind.title()), _from(root, address), kind) for kind, address in paper.links
    ]
    return links


def _from(root: str, address: str) -> str:
    """A link to ``address`` from a page ``root`` below the site's root (web addresses as they are)."""
    return address if "://" in address else root + address


LINK_LABELS = {
    "slides": "Slides",
    "poster": "Poster",
    "video": "Video",
    "website": "Website",
    "blog": "Blog",
    "supplement": "Supplement",
    "dataset": "Dataset",
    "source": "Source",
}


def title_link(paper: Paper) -> str:
    """Where the card title points: the paper's URL, else its arXiv or DOI page unless the id is unverified."""
    if paper.url:
        return paper.url
    if paper.unverified:
        return ""
    return arxiv_url(paper.arxiv) if paper.arxiv else doi_url(paper.doi) if paper.doi else ""


def card_view(
    paper: Paper,
    profile: Profile,
    names: dict[str, str],
    bibtex: str,
    versions: list[Version] | None = None,
    root: str = "../",
) -> CardView:
    """What one paper card shows on ``profile``'s page (``versions``: the paper's other versions;
    ``root``: the way from the page to the site's root)."""
    person = person_keys(profile.name, profile.aliases)
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
        also_on=[
            OtherProfile(f"{root}{slug}/index.html", names[slug]) for slug in paper.profiles if slug != profile.slug
        ],
        url=title_link(paper),
        links=paper_links(paper, root),
        venue=paper.venue,
        tags=paper.tags,
        bibtex=bibtex,
        unverified=paper.unverified,
        checked=paper.checked,
        score_value="" if paper.score is None else repr(paper.score),
        details=venue_details(paper),
        note=paper.note,
        venue_short=paper.venue_short,
        versions=[_version_link(version, profile.slug, root) for version in versions or ()],
        page=root + paper_path(paper.id),
        type=(kind := publication_type(paper)),
        type_label=TYPE_LABELS[kind],
        type_rank=TYPE_RANKS[kind],
        selected=paper.selected,
    )


def _version_link(version: Version, slug: str, root: str) -> VersionLink:
    """Another version's card: on this page, or on the first page that shows it."""
    if slug in version.profiles:
        return VersionLink(f"#{version.id}", version.label)
    return VersionLink(f"{root}{version.profiles[0]}/index.html#{version.id}", version.label)


def venue_details(paper: Paper) -> str:
    """``vol. 35, no. 2, pp. 23716–23736, Springer`` (what the paper's sources say of it)."""
    pages = paper.pages.replace("--", "–")
    parts = [
        f"vol. {paper.volume}" if paper.volume else "",
        f"no. {paper.number}" if paper.number else "",
        (f"pp. {pages}" if "–" in pages or "-" in pages else f"p. {pages}") if pages else "",
        paper.series,
        paper.publisher,
    ]
    return ", ".join(part for part in parts if part)


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
