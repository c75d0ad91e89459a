"""Turn clusters into papers and configured people into profiles.

For every field of a :class:`~generator.model.Paper` one rule says which
entry wins, and the winner is recorded in ``provenance``: the title of a
titled source; the most complete abstract (not truncated, least LaTeX
residue, longest); the earliest date; score, category and affiliation from
the first source that has them; the longest author list; Code if any source
says so.  Papers without a title anywhere get one derived from the abstract
(marked as derived) and the build warns about them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TypeVar

from generator.catalog import Catalog
from generator.config import SiteConfig
from generator.errors import Problem
from generator.model import Cluster, Entry, Location, Paper, Profile, Site, SourceDoc
from generator.normalize import sentences, slugify

DERIVED_TITLE_WORDS = 12
ID_LENGTH = 60
T = TypeVar("T")


def merge_site(config: SiteConfig, catalog: Catalog, docs: list[SourceDoc], clusters: list[Cluster]) -> Site:
    """Build the site model: one paper per cluster, one profile per person."""
    people = _people(config, docs)
    owners = _owners(catalog, config, people)
    papers = assign_ids([merge_paper(cluster, owners) for cluster in clusters])
    papers_of: dict[str, list[Paper]] = {person.slug: [] for person in people}
    for paper in papers:
        for slug in paper.profiles:
            papers_of[slug].append(paper)
    docs_of = {doc.path: doc for doc in docs}
    profiles = [_profile(person, [docs_of[file] for file in person.files], papers_of[person.slug]) for person in people]
    warnings = [note for doc in docs for note in doc.notes] + _untitled_warning(papers)
    return Site(config.title, config.base_url, config.site_url, papers, profiles, warnings)


def merge_paper(cluster: Cluster, owners: dict[str, list[str]]) -> Paper:
    """Merge the entries of one cluster into a paper (its id is assigned later)."""
    entries = cluster.entries
    title_entry = _first(entries, lambda e: bool(e.title))
    abstract_entry = min(entries, key=lambda e: (e.truncated, e.latex_residue, -len(e.abstract), e.location))
    authors_entry = max(entries, key=lambda e: (len(e.authors), not e.authors_truncated, _reverse(e.location)))
    dated = sorted((e for e in entries if e.date), key=lambda e: (e.date, e.location))
    picks = {
        "title": title_entry,
        "abstract": abstract_entry,
        "authors": authors_entry if authors_entry.authors else None,
        "date": dated[0] if dated else None,
        "score": _first(entries, lambda e: e.score is not None),
        "category": _first(entries, lambda e: bool(e.category)),
        "code": _first(entries, lambda e: e.code),
        "affiliation": _first(entries, lambda e: bool(e.affiliation)),
    }
    provenance = {field: entry.location for field, entry in picks.items() if entry is not None}
    title = title_entry.title if title_entry else derive_title(abstract_entry.abstract)
    return Paper(
        id="",
        title=title,
        title_derived=title_entry is None,
        abstract=abstract_entry.abstract,
        authors=list(authors_entry.authors),
        authors_truncated=authors_entry.authors_truncated,
        affiliation=_value(picks["affiliation"], "affiliation", ""),
        date=_value(picks["date"], "date", None),
        category=_value(picks["category"], "category", ""),
        score=_value(picks["score"], "score", None),
        code=picks["code"] is not None,
        profiles=sorted({slug for e in entries for slug in owners.get(e.location.file, [])}),
        sources=[e.location for e in entries],
        provenance=provenance,
    )


def _first(entries: list[Entry], has: Callable[[Entry], bool]) -> Entry | None:
    return next((entry for entry in entries if has(entry)), None)


def _value(entry: Entry | None, field: str, default: T) -> T:
    return getattr(entry, field) if entry is not None else default


def _reverse(location: Location) -> tuple[str, int]:
    """Sort key that makes the earliest location win a ``max``."""
    return tuple(-ord(char) for char in location.file), -location.line  # type: ignore[return-value]


def derive_title(abstract: str) -> str:
    """A display title from the abstract's first sentence, cut to a few words."""
    first = (sentences(abstract) or [abstract])[0].rstrip(".")
    words = first.split()
    if len(words) > DERIVED_TITLE_WORDS:
        return " ".join(words[:DERIVED_TITLE_WORDS]).rstrip(",;:") + "…"
    return first


def assign_ids(papers: list[Paper]) -> list[Paper]:
    """Give every paper a unique, stable id from its title; return them sorted by id."""
    used: Counter[str] = Counter()
    for paper in sorted(papers, key=lambda p: p.sources[0]):
        base = slugify(paper.title, ID_LENGTH) or "paper"
        used[base] += 1
        paper.id = base if used[base] == 1 else f"{base}-{used[base]}"
    return sorted(papers, key=lambda p: p.id)


@dataclass
class _Person:
    slug: str
    name: str
    affiliations: list[str] | None
    files: list[str]


def _people(config: SiteConfig, docs: list[SourceDoc]) -> list[_Person]:
    if config.declared:
        return [_Person(profile.slug, profile.name, profile.affiliations, []) for profile in config.profiles]
    people: list[_Person] = []
    taken: Counter[str] = Counter()
    for doc in docs:
        name = doc.person_name or PurePosixPath(doc.path).stem
        base = slugify(name) or "profile"
        taken[base] += 1
        slug = base if taken[base] == 1 else f"{base}-{taken[base]}"
        people.append(_Person(slug, name, None, [doc.path]))
    return people


def _owners(catalog: Catalog, config: SiteConfig, people: list[_Person]) -> dict[str, list[str]]:
    """File → profile slugs, and each person's files."""
    owners = {person.files[0]: [person.slug] for person in people} if not config.declared else catalog.owners
    files_of: dict[str, list[str]] = {person.slug: [] for person in people}
    for file, slugs in sorted(owners.items()):
        for slug in slugs:
            files_of[slug].append(file)
    for person in people:
        person.files = files_of[person.slug]
    return owners


def _profile(person: _Person, own_docs: list[SourceDoc], papers: list[Paper]) -> Profile:
    """A person's profile from their own source files and papers."""
    own_papers = sort_papers(papers)
    affiliations = person.affiliations
    if affiliations is None:
        affiliations = list(dict.fromkeys(a for doc in own_docs for a in doc.affiliations))
    category = next((doc.primary_category for doc in own_docs if doc.primary_category), "")
    return Profile(
        slug=person.slug,
        name=person.name,
        affiliations=affiliations,
        primary_category=category or _most_common_category(own_papers),
        metrics=[metric for doc in own_docs for metric in doc.metrics],
        papers=own_papers,
        source_files=person.files,
    )


def sort_papers(papers: list[Paper]) -> list[Paper]:
    """Newest first; undated papers last; then by title."""
    return sorted(papers, key=lambda p: (p.date is None, _negated_date(p.date), p.title.casefold(), p.id))


def _negated_date(date: str | None) -> str:
    return "".join(chr(0x10FFFF - ord(char)) for char in date) if date else ""


def _most_common_category(papers: list[Paper]) -> str:
    counts = Counter(paper.category for paper in papers if paper.category)
    return min(counts, key=lambda category: (-counts[category], category)) if counts else ""


def _untitled_warning(papers: list[Paper]) -> list[Problem]:
    untitled = [paper for paper in papers if paper.title_derived]
    if not untitled:
        return []
    untitled.sort(key=lambda paper: paper.sources[0])
    first = untitled[0].sources[0]
    return [
        Problem(
            first.file,
            first.line,
            f"{len(untitled)} paper(s) have no title in any source; their cards show a title derived from the abstract",
            "a titled source for the same paper (a rich profile card) supplies the real title",
            tuple(f"{paper.sources[0]}: {paper.title}" for paper in untitled),
        )
    ]
