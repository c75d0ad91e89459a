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

import bisect
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import compress, count
from operator import attrgetter, is_not, itemgetter, not_
from pathlib import PurePosixPath
from typing import Any, TypeVar

from generator.config.site import RESERVED, SiteConfig
from generator.errors import Problem
from generator.incremental.memo import replaced_in_order
from generator.merge.overrides import Override, Resolution
from generator.model import Cluster, Entry, Location, Paper, Profile, Site, SourceDoc
from generator.sources.catalog import Catalog
from generator.text.identifiers import arxiv_month
from generator.text.normalize import (
    comparison_key,
    first_sentence,
    numbered_apart,
    numbered_copies,
    numbered_from,
    slug_base,
    slugify,
    unique_slugs,
)

DERIVED_TITLE_WORDS = 12
ID_LENGTH = 60
T = TypeVar("T")
_PAPER_ID = attrgetter("id")


@dataclass
class MergeMemo:
    """What the dev server keeps between builds: the paper merged from each cluster, keyed by the
    cluster's identity (dedupe hands back the very cluster object while its entries and the
    decisions joining them are as they were) and the overrides applied to it.  Papers change after
    merging only in their ``id``, so a kept paper is what merging its cluster again would give.
    A build that changed, added or removed a few papers updates the last build's id-ordered list,
    profile lists and untitled warning for those papers only (:func:`_assigned_again`,
    :func:`_shown_again`)."""

    plain: dict[int, tuple[Cluster, Paper]] = field(default_factory=dict)  # clusters without overrides
    overridden: dict[tuple[int, str], tuple[Cluster, Paper]] = field(default_factory=dict)  # by overrides too
    owners: dict[str, list[str]] = field(default_factory=dict)  # the files' profiles the papers were merged with
    fresh: int = 0
    resolution: Resolution | None = None  # the last build's clusters and overrides, the very object ...
    merged: list[Paper] = field(default_factory=list)  # ... and the papers merged from them, with their ids
    shown: _Shown | None = None  # what the site shows of them
    in_order: list[Paper] = field(default_factory=list)  # the papers in cluster order
    namesakes: dict[str, list[Paper]] = field(default_factory=dict)  # id base → its papers, in cluster order
    sorted: dict[str, tuple[tuple, list[Paper]]] = field(
        default_factory=dict
    )  # slug → its papers' identities, in order


@dataclass
class _Change:
    """The papers that left the last build's id-ordered list and those that came in (a paper given
    another id is in both)."""

    removed: list[Paper]
    added: list[Paper]


Change = _Change | None  # None: not known (every paper is looked at again)


def merge_site(
    config: SiteConfig,
    catalog: Catalog,
    docs: list[SourceDoc],
    resolution: Resolution,
    bios: dict[str, str],
    memo: MergeMemo | None = None,
) -> Site:
    """Build the site model: one paper per cluster (overrides applied), one profile per person."""
    people = _people(config, docs)
    owners = _owners(catalog, config, people)
    shown = _shown_papers(*_merged(resolution, owners, memo), memo)
    docs_of = {doc.path: doc for doc in docs}
    profiles = [
        _profile(
            person, [docs_of[file] for file in person.files if file in docs_of], shown.papers_of.get(person.slug, [])
        )
        for person in people
    ]
    for profile in profiles:
        profile.bio_html = bios.get(profile.slug, "")
    warnings = [note for doc in docs for note in doc.notes] + shown.untitled
    site = Site(config.title, config.base_url, config.site_url, shown.papers, profiles, warnings)
    site.hidden = shown.hidden
    site.joins = resolution.joins
    return site


@dataclass
class _Shown:
    """What the site shows of the merged papers: the papers not hidden, each profile's papers (newest
    first), the warning about untitled papers, and the hidden papers (kept by the dev server while
    the merged papers are the last build's, the very list)."""

    merged: list[Paper]
    papers: list[Paper]
    papers_of: dict[str, list[Paper]]
    untitled: list[Problem]
    hidden: list[Paper]
    untitled_papers: list[Paper]  # the papers the warning names, in source order


def _shown_papers(merged: list[Paper], change: Change, memo: MergeMemo | None) -> _Shown:
    last = memo.shown if memo is not None else None
    if last is not None and last.merged is merged:
        return last
    shown = None
    if memo is not None and last is not None and change is not None:
        shown = _shown_again(last, merged, change, memo.sorted)
    if shown is None:
        shown = _shown_anew(merged, memo)
    if memo is not None:
        memo.shown = shown
    return shown


def _shown_anew(merged: list[Paper], memo: MergeMemo | None) -> _Shown:
    papers = [paper for paper in merged if not paper.hidden]
    papers_of: dict[str, list[Paper]] = defaultdict(list)
    for paper in papers:
        for slug in paper.profiles:
            papers_of[slug].append(paper)
    kept = memo.sorted if memo is not None else None
    sorted_of = {slug: _sorted_papers(slug, own, kept) for slug, own in papers_of.items()}
    if kept is not None:
        for slug in kept.keys() - sorted_of.keys():
            del kept[slug]
    untitled = sorted((paper for paper in papers if paper.title_derived), key=_first_source)
    hidden = [paper for paper in merged if paper.hidden]
    return _Shown(merged, papers, sorted_of, _untitled_warning(untitled), hidden, untitled)


def _shown_again(
    last: _Shown, merged: list[Paper], change: _Change, sorted_by_identity: dict[str, Any]
) -> _Shown | None:
    """:func:`_shown_anew` from the last build's, where a few papers left the id-ordered list and a
    few came in; None when one of them is or was hidden (then every paper is looked at again).
    The profiles concerned are sorted anew (``sorted_by_identity`` forgets them)."""
    moved = change.removed + change.added
    if last.hidden or any(paper.hidden for paper in moved):
        return None
    papers_of, gone = dict(last.papers_of), set(map(id, change.removed))
    for slug in sorted({slug for paper in moved for slug in paper.profiles}):
        own = [paper for paper in papers_of.pop(slug, []) if id(paper) not in gone]
        own += [paper for paper in change.added if slug in paper.profiles]
        if own:
            papers_of[slug] = sort_papers(own)
        sorted_by_identity.pop(slug, None)
    untitled = _replaced_untitled(last.untitled_papers, change)
    warning = last.untitled if untitled is last.untitled_papers else _untitled_warning(untitled)
    return _Shown(merged, merged, papers_of, warning, [], untitled)  # none hidden: every paper is shown


def _replaced_untitled(untitled: list[Paper], change: _Change) -> list[Paper]:
    """The untitled papers (in source order) after the change; the very list when it touches none."""
    removed = [paper for paper in change.removed if paper.title_derived]
    added = [paper for paper in change.added if paper.title_derived]
    return replaced_in_order(untitled, removed, added, _first_source) if removed or added else untitled


def _sorted_papers(slug: str, papers: list[Paper], kept: dict[str, tuple[tuple, list[Paper]]] | None) -> list[Paper]:
    """:func:`sort_papers`; the dev server (``kept``) takes the order the last build found while a
    profile's papers are the objects they were, with the ids they had (an edit changes a few
    profiles' papers, not all; the sorted list holds them, keeping ids unique)."""
    if kept is None:
        return sort_papers(papers)
    key = (tuple(map(id, papers)), tuple(paper.id for paper in papers))
    last = kept.get(slug)
    if last is None or last[0] != key:
        last = kept[slug] = (key, sort_papers(papers))
    return last[1]


def _merged(resolution: Resolution, owners: dict[str, list[str]], memo: MergeMemo | None) -> tuple[list[Paper], Change]:
    """Every paper, with its id, sorted by id, and (the dev server) which papers left the last
    build's list and came in; the last papers when the resolution is the last build's, the very
    object (nothing changed the clusters or the overrides), for the same owners."""
    if memo is None:
        return assign_ids(_merge_papers(resolution, owners, memo)), None
    if memo.resolution is resolution and memo.owners == owners:
        return memo.merged, _Change([], [])
    merged, change = _assigned_again(_merge_papers(resolution, owners, memo), memo)
    memo.resolution, memo.merged = resolution, merged
    return merged, change


def _assigned_again(papers: list[Paper], memo: MergeMemo) -> tuple[list[Paper], Change]:
    """:func:`assign_ids` for the dev server.  Ids depend only on the papers' titles in source order
    (the order clusters come in): when the papers new since the last build stand where those they
    replace stood, with their titles (the same titles in the same order give the same ids, even
    where an entry moved a line), each takes the id and the place in id order of the one it
    replaces; when a few papers came, went or were retitled, only the papers sharing an id base
    with one of them are numbered again (:func:`_renamed`)."""
    changed = _changed_places(papers, memo.in_order)
    if changed == []:
        return memo.merged, _Change([], [])  # the same papers (decisions or overrides changed around them)
    if changed is None or any(papers[place].title != memo.in_order[place].title for place in changed):
        gone, new = _only_in(memo.in_order, papers), _only_in(papers, memo.in_order)
        if abs(len(papers) - len(memo.in_order)) + len(gone) > RENAMED_SHARE * len(papers):
            return _assigned_anew(papers, memo), None
        return _renamed(papers, (gone, new), memo)
    return _took_places(papers, changed, memo)


def _took_places(papers: list[Paper], changed: list[int], memo: MergeMemo) -> tuple[list[Paper], Change]:
    """Each paper at a ``changed`` place takes the id, the place in id order and the place among
    its namesakes of the last build's paper there (an edited abstract, score or author list; or
    an entry that moved a line, its paper now one place along among papers of the same title).
    All is looked up before any id changes: a kept paper may take the id of another."""
    olds = [memo.in_order[place] for place in changed]
    ids = [old.id for old in olds]
    ranks = [bisect.bisect_left(memo.merged, paper_id, key=_PAPER_ID) for paper_id in ids]
    spots = [_namesake_spot(memo.namesakes, old) for old in olds]
    merged, change = list(memo.merged), _Change([memo.merged[rank] for rank in ranks], [])
    for place, paper_id, rank, (own, index) in zip(changed, ids, ranks, spots, strict=True):
        paper = papers[place]
        paper.id, merged[rank], own[index] = paper_id, paper, paper
        change.added.append(paper)
    memo.in_order = papers
    return merged, change


def _namesake_spot(namesakes: dict[str, list[Paper]], paper: Paper) -> tuple[list[Paper], int]:
    """The list of the paper's namesakes (same id base) and its place there."""
    own = namesakes[slug_base(paper.title, ID_LENGTH)]
    return own, next(index for index, namesake in enumerate(own) if namesake is paper)


RENAMED_SHARE = 0.05  # above this share of papers new or gone, ids are given anew over every paper


def _renamed(
    papers: list[Paper], moved: tuple[list[Paper], list[Paper]], memo: MergeMemo
) -> tuple[list[Paper], Change]:
    """The papers that went and the new ones (``moved``; a retitled paper is a new one): the id
    bases they have, and those whose numbering their bases reserve or free (``orca`` for
    ``orca-2``), are numbered again; the papers that went or whose id changed leave the id-ordered
    list, the new and renamed ones go in."""
    gone, new = moved
    for paper in gone:
        _leave(memo.namesakes, paper)
    for paper in new:
        bisect.insort(memo.namesakes.setdefault(slug_base(paper.title, ID_LENGTH), []), paper, key=_first_source)
    entering = set(map(id, new))
    renamed = [(paper, slug) for paper, slug in _numbered_again(memo.namesakes, gone + new) if paper.id != slug]
    leaving = gone + [paper for paper, _ in renamed if id(paper) not in entering]
    merged = replaced_in_order(memo.merged, leaving, [], _PAPER_ID)  # found by the ids they had
    for paper, slug in renamed:
        paper.id = slug
    added = [paper for paper, _ in renamed]  # the new papers among them: a paper is merged without an id
    memo.in_order = papers
    return replaced_in_order(merged, [], added, _PAPER_ID), _Change(leaving, added)


def _only_in(papers: list[Paper], others: list[Paper]) -> list[Paper]:
    """The papers (objects) of ``papers`` that ``others`` does not hold, in order."""
    held = set(map(id, others))
    return list(compress(papers, map(not_, map(held.__contains__, map(id, papers)))))


def _leave(namesakes: dict[str, list[Paper]], paper: Paper) -> None:
    own, index = _namesake_spot(namesakes, paper)
    del own[index]
    if not own:
        del namesakes[slug_base(paper.title, ID_LENGTH)]


def _numbered_again(namesakes: dict[str, list[Paper]], changed: list[Paper]) -> list[tuple[Paper, str]]:
    """Each paper of the id bases ``changed`` papers had or have (and of the bases they number),
    with the id :func:`~generator.normalize.numbered_apart` gives it among all papers."""
    bases = {slug_base(paper.title, ID_LENGTH) for paper in changed}
    bases |= {stem for base in bases if (stem := numbered_from(base)) is not None}
    numbered = []
    for base in sorted(bases):
        if own := namesakes.get(base, []):
            numbered += zip(own, [base, *numbered_copies(base, len(own) - 1, namesakes.keys())], strict=True)
    return numbered


def _changed_places(papers: list[Paper], last: list[Paper]) -> list[int] | None:
    """The places where ``papers`` hold another object than ``last`` (None: not as many papers)."""
    if len(papers) != len(last):
        return None
    return list(compress(count(), map(is_not, papers, last)))


def _assigned_anew(papers: list[Paper], memo: MergeMemo) -> list[Paper]:
    merged = assign_ids(papers)
    memo.in_order, memo.namesakes = papers, {}
    for paper in sorted(papers, key=_first_source):
        memo.namesakes.setdefault(slug_base(paper.title, ID_LENGTH), []).append(paper)
    return merged


def _merge_papers(resolution: Resolution, owners: dict[str, list[str]], memo: MergeMemo | None) -> list[Paper]:
    """One paper per cluster, in cluster order; with a ``memo``, a cluster merged in the previous
    build (the same object, with the same overrides) keeps its paper."""
    clusters, overrides = resolution.clusters, resolution.overrides
    if memo is None:
        return [merge_paper(cluster, owners, overrides.get(index)) for index, cluster in enumerate(clusters)]
    same_owners = memo.owners == owners
    plain, overridden = (memo.plain, memo.overridden) if same_owners else ({}, {})
    identities = list(map(id, clusters))
    found = list(map(plain.get, identities))  # in C: most clusters are the last build's
    keys = {index: (identities[index], repr(given)) for index, given in overrides.items() if given}
    for index, key in keys.items():
        found[index] = overridden.get(key)
    fresh = list(compress(count(), map(not_, found)))
    for index in fresh:
        found[index] = (clusters[index], merge_paper(clusters[index], owners, overrides.get(index)))
    memo.plain, memo.owners, memo.fresh = dict(zip(identities, found, strict=True)), owners, len(fresh)
    memo.overridden = {key: memo.plain.pop(identities[index]) for index, key in keys.items()}
    return list(map(itemgetter(1), found))


def profile_slugs(config: SiteConfig, docs: list[SourceDoc]) -> list[str]:
    """The slugs of every profile the site will have."""
    return [person.slug for person in _people(config, docs)]


def configured_bios(config: SiteConfig, slugs: list[str]) -> dict[str, str]:
    """Slug → the ``bio:`` text site.yaml gives (empty when none) for every profile."""
    given = {profile.slug: profile.bio for profile in config.profiles}
    return {slug: given.get(slug, "") for slug in slugs}


def merge_paper(cluster: Cluster, owners: dict[str, list[str]], overrides: list[Override] | None = None) -> Paper:
    """Merge the entries of one cluster into a paper, then apply its papers.yaml overrides (id assigned later)."""
    paper = _from_sources(cluster, owners)
    for override in overrides or []:
        apply_override(paper, override)
    _check_arxiv_month(paper)
    return paper


def _check_arxiv_month(paper: Paper) -> None:
    """A new-style arXiv id tells the first version's month (2204.14198: April 2022); say when the date disagrees."""
    month = arxiv_month(paper.arxiv)
    if month and paper.date and len(paper.date) >= 7 and not paper.date.startswith(month):
        paper.disagreements.append(
            f"date: {paper.provenance.get('date')} gives {paper.date}, but arXiv id {paper.arxiv} "
            f"({paper.provenance.get('arxiv')}) was first posted in {month}"
        )


def cluster_title(cluster: Cluster) -> str:
    """The title a cluster's paper gets from its sources (titled entry, else derived)."""
    return _title(_first(cluster.entries, lambda e: bool(e.title)), _best_abstract(cluster.entries))


def _title(titled: Entry | None, best_abstract: Entry) -> str:
    """The first titled entry's title, else one derived from the best abstract."""
    return titled.title if titled else derive_title(best_abstract.abstract)


def _best_abstract(entries: list[Entry]) -> Entry:
    if len(entries) == 1:
        return entries[0]
    return min(entries, key=lambda e: (e.truncated, e.latex_residue, -len(e.abstract), e.location))


FIRST_GIVEN = ("score", "category", "affiliation", "venue", "arxiv", "doi", "url")  # the first source giving one wins
_FIRST_GIVEN_VALUES = attrgetter(*FIRST_GIVEN)
GIVEN_FIELDS = ("title", "code", *FIRST_GIVEN)  # the fields _first_given finds a source for
_GIVEN_VALUES = attrgetter(*GIVEN_FIELDS)


def _first_given(entries: list[Entry]) -> dict[str, Entry]:
    """For each field of :data:`GIVEN_FIELDS`, the first entry that gives it (a score of 0 counts),
    in one pass (each entry's values read at once)."""
    given: dict[str, Entry] = {}
    for entry in entries:
        for name, value in zip(GIVEN_FIELDS, _GIVEN_VALUES(entry), strict=True):
            if name not in given and _gives(value):
                given[name] = entry
    return given


def _gives(value: object) -> bool:
    return value is not None and value is not False and value != ""


def _from_sources(cluster: Cluster, owners: dict[str, list[str]]) -> Paper:
    entries = cluster.entries
    return _from_one(entries[0], owners) if len(entries) == 1 else _from_many(entries, owners)


def _from_many(entries: list[Entry], owners: dict[str, list[str]]) -> Paper:
    """A paper by the merge rules (see the module), each field from the entry its rule picks."""
    given = _first_given(entries)
    authors_entry = _most_authors(entries)
    dated = _by_date(entries)
    picks = {
        "title": given.get("title"),
        "abstract": _best_abstract(entries),
        "authors": authors_entry if authors_entry.authors else None,
        "date": dated[0] if dated else None,
        "code": given.get("code"),
    } | {name: given.get(name) for name in FIRST_GIVEN}
    return Paper(
        id="",
        title=_title(picks["title"], picks["abstract"]),
        title_derived=picks["title"] is None,
        abstract=picks["abstract"].abstract,
        authors=list(authors_entry.authors),
        authors_truncated=authors_entry.authors_truncated,
        affiliation=_value(picks["affiliation"], "affiliation", ""),
        date=_value(picks["date"], "date", None),
        category=_value(picks["category"], "category", ""),
        score=_value(picks["score"], "score", None),
        code=picks["code"] is not None,
        profiles=sorted({slug for e in entries for slug in owners.get(e.location.file, ())}),
        sources=[e.location for e in entries],
        provenance={name: entry.location for name, entry in picks.items() if entry is not None},
        venue=_value(picks["venue"], "venue", ""),
        arxiv=_value(picks["arxiv"], "arxiv", ""),
        doi=_value(picks["doi"], "doi", ""),
        url=_value(picks["url"], "url", ""),
    )


def _from_one(entry: Entry, owners: dict[str, list[str]]) -> Paper:
    """:func:`_from_sources` of a cluster of one entry (most papers): every field as the entry gives
    it, without weighing entries against each other."""
    location = entry.location
    given = ["title"] if entry.title else []
    given += ["abstract", "authors"] if entry.authors else ["abstract"]
    given += [name for name, value in zip(("date", "code"), (entry.date, entry.code), strict=True) if value]
    given += [name for name, value in zip(FIRST_GIVEN, _FIRST_GIVEN_VALUES(entry), strict=True) if _gives(value)]
    return Paper(
        id="",
        title=entry.title or derive_title(entry.abstract),
        title_derived=not entry.title,
        abstract=entry.abstract,
        authors=list(entry.authors),
        authors_truncated=entry.authors_truncated,
        affiliation=entry.affiliation,
        date=entry.date or None,
        category=entry.category,
        score=entry.score,
        code=entry.code,
        profiles=sorted(set(owners.get(location.file, ()))),
        sources=[location],
        provenance=dict.fromkeys(given, location),
        venue=entry.venue,
        arxiv=entry.arxiv,
        doi=entry.doi,
        url=entry.url,
    )


def apply_override(paper: Paper, override: Override) -> None:
    """Set the fields ``override`` gives, noting where they disagree with the sources."""
    for key, value in override.values.items():
        location = override.location(key)
        if key == "profiles":
            attached = set(paper.profiles) | {slug for slug, attach in value.items() if attach}
            paper.profiles = sorted(attached - {slug for slug, attach in value.items() if not attach})
        else:
            _note_disagreement(paper, key, value, location)
            setattr(paper, key, value)
        paper.provenance[key] = location
        if key == "title":
            paper.title_derived = False


def _note_disagreement(paper: Paper, key: str, value: object, location: Location) -> None:
    source = paper.provenance.get(key)
    if source is not None and source.file != location.file and _disagree(key, getattr(paper, key), value):
        paper.disagreements.append(
            f"{key}: {location} gives {_shown(value)}, {source} says {_shown(getattr(paper, key))}"
        )


def _disagree(key: str, source_value: object, override_value: object) -> bool:
    if key == "title":
        return comparison_key(str(source_value)) != comparison_key(str(override_value))
    if key == "date":
        return not (
            str(source_value).startswith(str(override_value)) or str(override_value).startswith(str(source_value))
        )
    return source_value != override_value


def _shown(value: object) -> str:
    return ", ".join(value) if isinstance(value, list) else repr(value)


def _by_date(entries: list[Entry]) -> list[Entry]:
    """Earliest date first; a more precise date of the same period (2022-04-29 for 2022) wins over a vaguer one."""
    if len(entries) == 1:
        return list(entries) if entries[0].date else []
    dated = sorted((e for e in entries if e.date), key=lambda e: (e.date, e.location))
    if not dated:
        return []
    earliest = dated[0].date or ""
    precise = [e for e in dated if (e.date or "").startswith(earliest)]
    return sorted(precise, key=lambda e: (-len(e.date or ""), e.location)) + dated


def _first(entries: list[Entry], has: Callable[[Entry], bool]) -> Entry | None:
    for entry in entries:
        if has(entry):
            return entry
    return None


def _most_authors(entries: list[Entry]) -> Entry:
    """The entry with the longest author list (a complete one first, then the earliest location:
    a cluster's entries are in location order, and ``max`` keeps the first of equals)."""
    if len(entries) == 1:
        return entries[0]
    return max(entries, key=lambda e: (len(e.authors), not e.authors_truncated))


def _value(entry: Entry | None, field: str, default: T) -> T:
    return getattr(entry, field) if entry is not None else default


def derive_title(abstract: str) -> str:
    """A display title from the abstract's first sentence, cut to a few words."""
    first = first_sentence(abstract).rstrip(".")
    words = first.split()
    if len(words) > DERIVED_TITLE_WORDS:
        return " ".join(words[:DERIVED_TITLE_WORDS]).rstrip(",;:") + "…"
    return first


def assign_ids(papers: list[Paper]) -> list[Paper]:
    """Give every paper a unique, stable id from its title (in source order); return them sorted by id."""
    in_order = sorted(papers, key=lambda p: p.sources[0])
    for paper, paper_id in zip(in_order, unique_slugs([p.title for p in in_order], ID_LENGTH), strict=True):
        paper.id = paper_id
    return sorted(papers, key=lambda p: p.id)


@dataclass
class _Person:
    slug: str
    name: str
    affiliations: list[str] | None
    files: list[str]
    links: list[tuple[str, str]] = field(default_factory=list)


def _people(config: SiteConfig, docs: list[SourceDoc]) -> list[_Person]:
    if config.declared:
        return [
            _Person(profile.slug, profile.name, profile.affiliations, [], profile.links) for profile in config.profiles
        ]
    names = [doc.person_name or PurePosixPath(doc.path).stem for doc in docs]
    slugs = numbered_apart([_profile_base(name) for name in names])
    return [_Person(slug, name, None, [doc.path]) for slug, name, doc in zip(slugs, names, docs, strict=True)]


def _profile_base(name: str) -> str:
    """A profile's slug before numbering: its name's, never a reserved name."""
    base = slugify(name) or "profile"
    return f"{base}-profile" if RESERVED.match(base) else base


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


def _profile(person: _Person, own_docs: list[SourceDoc], own_papers: list[Paper]) -> Profile:
    """A person's profile from their own source files and papers (sorted, newest first)."""
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
        links=person.links,
    )


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


def _first_source(paper: Paper) -> Location:
    return paper.sources[0]


def _untitled_warning(untitled: list[Paper]) -> list[Problem]:
    """The warning naming the papers no source gives a title (``untitled``, in source order)."""
    if not untitled:
        return []
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
