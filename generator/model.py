"""The plain data passed between pipeline stages.

Sources yield :class:`Entry` objects inside a :class:`SourceDoc`; dedupe groups
entries into clusters; merge turns each cluster into a :class:`Paper` and each
configured person into a :class:`Profile`.  Nothing here does any work.

Entries and pair decisions cross between processes by the tens of thousands (parse and dedupe run
on every core), so they pickle as their plain field values (``__reduce__``): a constructor call
each instead of a per-object state dictionary.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from operator import attrgetter
from pathlib import Path
from typing import NamedTuple

from generator.errors import Problem


class Location(NamedTuple):
    """Where a piece of input lies: a path relative to the seeds folder and a 1-based line.

    A named tuple: immutable, hashable, and ordered by file then line with tuple comparisons in C
    (dedupe and merge sort tens of thousands of locations).
    """

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True, slots=True)
class Citation:
    """A paper's BibTeX entry as its source wrote it: the type, the citation key, and each field
    with its value written as in a ``.bib`` file (``{…}`` or a bare number)."""

    type: str
    key: str
    fields: tuple[tuple[str, str], ...]


@dataclass(slots=True)
class Entry:
    """One paper as one source shows it, text already normalised for display."""

    location: Location
    abstract: str = ""
    title: str = ""
    authors: list[str] = field(default_factory=list)
    authors_truncated: bool = False
    affiliation: str = ""
    date: str | None = None
    category: str = ""
    score: float | None = None
    code: bool = False
    truncated: bool = False
    latex_residue: int = 0
    venue: str = ""
    arxiv: str = ""
    doi: str = ""
    url: str = ""
    pdf: str = ""
    code_url: str = ""
    links: tuple[tuple[str, str], ...] = ()  # other links: (kind, address), e.g. ("slides", "https://…")
    note: str = ""
    volume: str = ""
    number: str = ""
    pages: str = ""
    publisher: str = ""
    series: str = ""
    tags: tuple[str, ...] = ()
    selected: bool = False
    venue_short: str = ""  # the venue's abbreviation (al-folio's abbr)
    citation: Citation | None = None  # the BibTeX entry it came from
    attachments: tuple[tuple[str, str, int], ...] = ()  # link fields naming files: (kind, name, line)

    def __reduce__(self) -> tuple[type, tuple]:
        return Entry, _ENTRY_VALUES(self)


_ENTRY_VALUES = attrgetter(*(item.name for item in fields(Entry)))


@dataclass
class Metric:
    """A number a source page states about a person (``h-index10``)."""

    key: str
    label: str
    value: float
    text: str
    location: Location


@dataclass
class SourceDoc:
    """Everything parsed from one source file."""

    path: str
    format: str
    entries: list[Entry] = field(default_factory=list)
    person_name: str = ""
    affiliations: list[str] = field(default_factory=list)
    primary_category: str = ""
    metrics: list[Metric] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)  # warnings
    errors: list[Problem] = field(default_factory=list)  # parts that could not be read, and were left out


@dataclass(frozen=True, slots=True)
class PairDecision:
    """Why two entries were (or were not) taken for the same paper."""

    left: Location
    right: Location
    merged: bool
    reason: str
    scores: dict[str, float]
    firm: bool = False  # judged distinct with confidence: the two may never share a cluster
    evidence: dict[str, tuple[float, str]] = field(default_factory=dict)  # field → (points, what was found)
    related: bool = False  # two versions of one work (a conference paper and its journal version)

    def __reduce__(self) -> tuple[type, tuple]:
        return PairDecision, _DECISION_VALUES(self)


_DECISION_VALUES = attrgetter(*(item.name for item in fields(PairDecision)))


@dataclass
class Cluster:
    """Entries that dedupe took for one paper (in location order), with the decisions that joined them."""

    entries: list[Entry]
    decisions: list[PairDecision] = field(default_factory=list)


@dataclass
class DedupeResult:
    """What the dedupe stage gives: clusters (one per paper) and the close calls left apart."""

    clusters: list[Cluster]
    near_misses: list[PairDecision] = field(default_factory=list)
    compared_pairs: int = 0

    @property
    def related(self) -> list[PairDecision]:
        """The pairs judged two versions of one work (kept apart; among the near misses)."""
        return [decision for decision in self.near_misses if decision.related]


class Version(NamedTuple):
    """Another version of a paper (a conference paper's journal version): its id, where it
    appeared (venue and year, or its title) and the profiles whose pages show it."""

    id: str
    label: str
    profiles: tuple[str, ...]


@dataclass(slots=True)
class Paper:
    """One deduplicated paper, merged from every entry that shows it."""

    id: str
    title: str
    title_derived: bool
    abstract: str
    authors: list[str]
    authors_truncated: bool
    affiliation: str
    date: str | None
    category: str
    score: float | None
    code: bool
    profiles: list[str]
    sources: list[Location]
    provenance: dict[str, Location]
    venue: str = ""
    arxiv: str = ""
    doi: str = ""
    url: str = ""
    pdf: str = ""
    code_url: str = ""
    tags: list[str] = field(default_factory=list)
    checked: str = ""
    hidden: bool = False
    disagreements: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # other links than PDF and code: (kind, address)
    note: str = ""
    volume: str = ""
    number: str = ""
    pages: str = ""
    publisher: str = ""
    series: str = ""
    selected: bool = False
    venue_short: str = ""
    citation: Citation | None = None  # the BibTeX entry a source gave, as written
    attachments: list[tuple[str, str, Location]] = field(default_factory=list)  # files to link: (kind, name, where)

    @property
    def unverified(self) -> bool:
        """The curated values were marked as not checked against public records."""
        return self.checked.lower().startswith("unverified")


@dataclass
class Profile:
    """One person's page: who they are and which papers are theirs."""

    slug: str
    name: str
    affiliations: list[str]
    primary_category: str
    metrics: list[Metric]
    papers: list[Paper]
    source_files: list[str]
    bio_html: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)  # other forms of the person's name, to know them among authors
    photo: str = ""  # the output path of the person's picture, if site.yaml gives one


@dataclass
class Site:
    """Everything render needs: the papers, the profiles and what went wrong on the way."""

    title: str
    base_url: str
    site_url: str
    papers: list[Paper]
    profiles: list[Profile]
    warnings: list[Problem]
    hidden: list[Paper] = field(default_factory=list)
    joins: list[str] = field(default_factory=list)
    versions: dict[str, list[Version]] = field(default_factory=dict)  # paper id → its other versions
    files: dict[str, Path] = field(default_factory=dict)  # files copied from the seeds folder: output path → file
    photos: dict[str, Path] = field(default_factory=dict)  # profile photos, sized when written: output path → file
    description: str = ""  # the home page's meta description (site.yaml)
    footer: str = ""  # the footer's text (site.yaml; empty: the default)
    report_linked: bool = True  # is the build report linked from the footer?

    @property
    def personal(self) -> bool:
        """One person's site (a single profile): its root is their page, with no directory."""
        return len(self.profiles) == 1

    @property
    def paged_papers(self) -> list[Paper]:
        """The papers that get a page of their own and feed entries: those some profile shows."""
        return [paper for paper in self.papers if paper.profiles and not paper.hidden]
