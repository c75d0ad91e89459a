"""People and their profiles: who has a page (site.yaml, or one per source file), which files and
papers are theirs, newest first.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from generator.config.site import RESERVED, SiteConfig
from generator.model import Location, Paper, Profile, SourceDoc
from generator.sources.catalog import Catalog
from generator.text.names import name_key, name_words
from generator.text.normalize import numbered_apart, slugify


def profile_slugs(config: SiteConfig, docs: list[SourceDoc]) -> list[str]:
    """The slugs of every profile the site will have."""
    return [person.slug for person in people_of(config, docs)]


def configured_bios(config: SiteConfig, slugs: list[str]) -> dict[str, str]:
    """Slug → the ``bio:`` text site.yaml gives (empty when none) for every profile."""
    given = {profile.slug: profile.bio for profile in config.profiles}
    return {slug: given.get(slug, "") for slug in slugs}


@dataclass
class Person:
    slug: str
    name: str
    affiliations: list[str] | None
    files: list[str]
    links: list[tuple[str, str]] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)


def people_of(config: SiteConfig, docs: list[SourceDoc]) -> list[Person]:
    if config.declared:
        return [
            Person(profile.slug, profile.name, profile.affiliations, [], profile.links, profile.aliases)
            for profile in config.profiles
        ]
    names = [doc.person_name or PurePosixPath(doc.path).stem for doc in docs]
    slugs = numbered_apart([_profile_base(name) for name in names])
    return [Person(slug, name, None, [doc.path]) for slug, name, doc in zip(slugs, names, docs, strict=True)]


def _profile_base(name: str) -> str:
    """A profile's slug before numbering: its name's, never a reserved name."""
    base = slugify(name) or "profile"
    return f"{base}-profile" if RESERVED.match(base) else base


def owners_of(catalog: Catalog, config: SiteConfig, people: list[Person]) -> dict[str, list[str]]:
    """File → profile slugs, and each person's files."""
    owners = {person.files[0]: [person.slug] for person in people} if not config.declared else catalog.owners
    files_of: dict[str, list[str]] = {person.slug: [] for person in people}
    for file, slugs in sorted(owners.items()):
        for slug in slugs:
            files_of[slug].append(file)
    for person in people:
        person.files = files_of[person.slug]
    return owners


def make_profile(person: Person, own_docs: list[SourceDoc], own_papers: list[Paper]) -> Profile:
    """A person's profile from their own source files and papers (sorted, newest first)."""
    affiliations = person.affiliations
    if affiliations is None:
        affiliations = _header_affiliations(person, own_docs)
    category = next((doc.primary_category for doc in own_docs if doc.primary_category), "")
    return Profile(
        slug=person.slug,
        name=person.name,
        affiliations=affiliations,
        primary_category=category or _most_common_category(own_papers),
        metrics=[metric for doc in own_docs for metric in doc.metrics],
        papers=own_papers,
        source_files=person.files,
        links=person.links,
        aliases=person.aliases,
    )


def _header_affiliations(person: Person, own_docs: list[SourceDoc]) -> list[str]:
    """The affiliations the person's sources name in their headers, each once; a header line that
    is the person's own name (``Ann Lee``, ``A. Lee``: scraped lists often start with it) is not one."""
    own_names = {name_key(name) for name in [person.name, *person.aliases]}
    named = dict.fromkeys(part for doc in own_docs for part in doc.affiliations)
    return [part for part in named if len(name_words(part)) < 2 or name_key(part) not in own_names]


def sort_papers(papers: list[Paper]) -> list[Paper]:
    """Newest first (a vaguer date of the same period, ``2022``, before ``2022-04``); undated papers
    last; then by title.  Three stable sorts, cheaper than one composite key built per paper."""
    by_title = sorted(papers, key=lambda p: (p.title.casefold(), p.id))
    newest_first = sorted(by_title, key=lambda p: (p.date or "") + LAST_CHARACTER, reverse=True)
    return sorted(newest_first, key=lambda p: p.date is None)


LAST_CHARACTER = "\U0010ffff"  # after a date's own characters: a shorter date sorts as the later one


def _most_common_category(papers: list[Paper]) -> str:
    counts = Counter(paper.category for paper in papers if paper.category)
    return min(counts, key=lambda category: (-counts[category], category)) if counts else ""


def first_source(paper: Paper) -> Location:
    return paper.sources[0]
