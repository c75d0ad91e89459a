"""The page of one paper (``papers/<id>/index.html``): everything the site knows of it, the
Highwire Press ``citation_*`` tags and ``ScholarlyArticle`` JSON-LD that Google Scholar and
other indexers read, and "All N versions": each source entry merged into it, how its text
differed and which rule joined it.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from generator.model import DedupeResult, Entry, Location, Paper, Site
from generator.render.bibtex import bibtex_entries
from generator.render.cards import format_date, paper_links, title_link, venue_details
from generator.render.profile_page import SiteLookups
from generator.render.site_pages import base_context, page_url, paper_path
from generator.text.identifiers import arxiv_url
from generator.text.names import name_key
from generator.text.venues import MEETING, venue_of


class VersionRow(NamedTuple):
    """One source entry merged into a paper, as "All N versions" lists it."""

    source: str  # file:line
    title: str
    differences: str
    joined: str  # why it was joined to the others


class EntryFacts(NamedTuple):
    """What the versions table needs from the dedupe stage: each entry, and why it was joined."""

    entries: dict[Location, Entry]
    reasons: dict[Location, str]

    @classmethod
    def of(cls, dedupe: DedupeResult) -> EntryFacts:
        entries = {entry.location: entry for cluster in dedupe.clusters for entry in cluster.entries}
        reasons: dict[Location, str] = {}
        for cluster in dedupe.clusters:
            for decision in cluster.decisions:
                reasons.setdefault(decision.right, f"{decision.reason} (with {decision.left})")
        return cls(entries, reasons)


def version_rows(paper: Paper, facts: EntryFacts) -> list[VersionRow]:
    """Every source entry of ``paper``, how it differs from the paper shown, and why it joined."""
    rows = []
    for index, location in enumerate(paper.sources):
        entry = facts.entries.get(location)
        joined = "first entry" if index == 0 else facts.reasons.get(location, JOINED_OTHERWISE)
        if entry is None:
            rows.append(VersionRow(str(location), paper.title, "", joined))
            continue
        rows.append(VersionRow(str(location), entry.title or "(no title)", _differences(entry, paper), joined))
    return rows


JOINED_OTHERWISE = "a shared identifier or papers.yaml (see the build report)"


def _differences(entry: Entry, paper: Paper) -> str:
    """How an entry's text differs from the paper as shown."""
    found = []
    if entry.title and entry.title != paper.title:
        found.append("title written differently")
    if not entry.abstract:
        found.append("no abstract" if paper.abstract else "")
    elif entry.truncated:
        found.append("abstract cut short")
    elif entry.abstract != paper.abstract:
        found.append("abstract edited")
    if entry.authors and entry.authors != paper.authors:
        found.append(f"{len(entry.authors)} authors" + (" (cut)" if entry.authors_truncated else ""))
    if entry.venue and entry.venue != paper.venue:
        found.append(f"venue: {entry.venue}")
    if entry.date and entry.date != paper.date:
        found.append(f"date: {entry.date}")
    return "; ".join(part for part in found if part) or "as shown"


def paper_context(site: Site, paper: Paper, lookups: SiteLookups, rows: list[VersionRow]) -> dict[str, Any]:
    """The context of a paper's page (``lookups``: the site's names and people, built once per
    build; ``rows``: its versions)."""
    path = paper_path(paper.id)
    url = page_url(site, path)
    root = "../../"
    names, people = lookups.names, lookups.people
    description = _description(paper)
    return base_context(site, path, f"{paper.title} · {site.title}", description, "article") | {
        "json_ld": article_json_ld(paper, url),
        "citation_meta": citation_meta(site, paper, url),
        "paper": {
            "id": paper.id,
            "title": paper.title,
            "url": title_link(paper),
            "authors": [
                {
                    "name": author,
                    "href": f"{root}{people[key]}/index.html" if (key := name_key(author)) in people else "",
                }
                for author in paper.authors
            ],
            "authors_truncated": paper.authors_truncated,
            "date": paper.date or "",
            "date_text": format_date(paper.date),
            "venue": paper.venue,
            "details": venue_details(paper),
            "abstract": paper.abstract,
            "note": paper.note,
            "tags": paper.tags,
            "links": paper_links(paper, root),
            "bibtex": bibtex_entries([paper], _first_profile_name(paper, names))[paper.id],
            "profiles": [{"slug": slug, "name": names[slug]} for slug in paper.profiles if slug in names],
            "versions": rows,
            "other_versions": [
                {"href": f"../{version.id}/index.html", "label": version.label}
                for version in site.versions.get(paper.id, [])
            ],
        },
    }


def _first_profile_name(paper: Paper, names: dict[str, str]) -> str:
    return next((names[slug] for slug in paper.profiles if slug in names), "")


def _description(paper: Paper) -> str:
    """The meta description: the abstract's start, else who and where."""
    if paper.abstract:
        text = paper.abstract
        return text if len(text) <= DESCRIPTION_LENGTH else text[:DESCRIPTION_LENGTH].rsplit(" ", 1)[0] + "…"
    parts = [
        ", ".join(paper.authors[:3]) + (" et al." if len(paper.authors) > 3 else ""),
        paper.venue,
        paper.date or "",
    ]
    return ". ".join(part for part in parts if part) or paper.title


DESCRIPTION_LENGTH = 200


def citation_meta(site: Site, paper: Paper, url: str) -> list[tuple[str, str]]:
    """The Highwire Press tags Google Scholar reads: (name, content), in its documented order."""
    tags = [("citation_title", paper.title)]
    tags += [("citation_author", author) for author in paper.authors]
    if paper.date:
        tags.append(("citation_publication_date", paper.date.replace("-", "/")))
    if paper.venue:
        kind = venue_of(paper.venue)
        meeting = kind is not None and kind.kind == MEETING
        tags.append(("citation_conference_title" if meeting else "citation_journal_title", paper.venue))
    tags += _issue_tags(paper)
    if paper.pdf:
        tags.append(("citation_pdf_url", _absolute(site, paper.pdf)))
    if paper.doi:
        tags.append(("citation_doi", paper.doi))
    if paper.arxiv:
        tags.append(("citation_arxiv_id", paper.arxiv))
    if url:
        tags.append(("citation_abstract_html_url", url))
    return tags


def _issue_tags(paper: Paper) -> list[tuple[str, str]]:
    tags = [
        ("citation_volume", paper.volume),
        ("citation_issue", paper.number),
        ("citation_publisher", paper.publisher),
    ]
    first, _, last = paper.pages.replace("–", "-").replace("--", "-").partition("-")
    tags += [("citation_firstpage", first.strip()), ("citation_lastpage", last.strip())]
    return [(name, value) for name, value in tags if value]


def _absolute(site: Site, address: str) -> str:
    """A link as an indexer needs it: absolute when the site's address is known."""
    if "://" in address:
        return address
    return site.site_url + address if site.site_url else f"../../{address}"


def article_json_ld(paper: Paper, url: str) -> dict[str, Any]:
    """schema.org ``ScholarlyArticle`` of the paper."""
    article: dict[str, Any] = {"@context": "https://schema.org", "@type": "ScholarlyArticle", "headline": paper.title}
    if url:
        article["url"] = url
    if paper.authors:
        article["author"] = [{"@type": "Person", "name": name} for name in paper.authors]
    if paper.date:
        article["datePublished"] = paper.date
    if paper.venue:
        article["isPartOf"] = {"@type": "Periodical", "name": paper.venue}
    if paper.abstract:
        article["abstract"] = paper.abstract
    same = [link for link in (title_link(paper), arxiv_url(paper.arxiv) if paper.arxiv else "") if link]
    if paper.doi:
        article["identifier"] = {"@type": "PropertyValue", "propertyID": "DOI", "value": paper.doi}
    if same:
        article["sameAs"] = sorted(set(same))
    return article
