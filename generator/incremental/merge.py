"""The dev server's merge: the paper of each cluster kept while dedupe hands back the very cluster,
ids given again only where papers came, went or were retitled, profiles sorted again only where
their papers changed.  Plugs into the merge stage as :class:`RememberedPapers`.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from itertools import compress, count
from operator import attrgetter, is_not, itemgetter, not_
from typing import Any

from generator.incremental.kept_values import replaced_in_order
from generator.merge import Papers, Shown, shown_papers, untitled_warning
from generator.merge.fields import merge_paper
from generator.merge.ids import ID_LENGTH, assign_ids
from generator.merge.overrides import Resolution
from generator.merge.profiles import first_source, sort_papers
from generator.model import Cluster, Paper
from generator.text.normalize import numbered_copies, numbered_from, slug_base

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
    shown: Shown | None = None  # what the site shows of them
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


class RememberedPapers(Papers):
    """The merge stage's :class:`~generator.merge.Papers`, remembering them in a :class:`MergeMemo`
    between the dev server's builds."""

    def __init__(self, memo: MergeMemo) -> None:
        self.memo = memo
        self.change: Change = None  # which papers the last call of merged() changed

    def merged(self, resolution: Resolution, owners: dict[str, list[str]]) -> list[Paper]:
        merged, self.change = _papers_with_ids(resolution, owners, self.memo)
        return merged

    def shown(self, merged: list[Paper]) -> Shown:
        memo, last = self.memo, self.memo.shown
        if last is not None and last.merged is merged:
            return last
        shown = _shown_again(last, merged, self.change, memo.sorted) if last is not None and self.change else None
        if shown is None:
            shown = shown_papers(merged, self)
            for slug in memo.sorted.keys() - shown.papers_of.keys():
                del memo.sorted[slug]
        memo.shown = shown
        return shown

    def sort(self, slug: str, papers: list[Paper]) -> list[Paper]:
        """:func:`sort_papers`, in the order the last build found while a profile's papers are the
        objects they were, with the ids they had (an edit changes a few profiles' papers, not all;
        the sorted list holds them, keeping ids unique)."""
        key = (tuple(map(id, papers)), tuple(paper.id for paper in papers))
        last = self.memo.sorted.get(slug)
        if last is None or last[0] != key:
            last = self.memo.sorted[slug] = (key, sort_papers(papers))
        return last[1]


def _shown_again(last: Shown, merged: list[Paper], change: _Change, sorted_by_identity: dict[str, Any]) -> Shown | None:
    """:func:`~generator.merge.shown_papers` from the last build's, where a few papers left the id-ordered list and a
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
    warning = last.untitled if untitled is last.untitled_papers else untitled_warning(untitled)
    return Shown(merged, merged, papers_of, warning, [], untitled)  # none hidden: every paper is shown


def _replaced_untitled(untitled: list[Paper], change: _Change) -> list[Paper]:
    """The untitled papers (in source order) after the change; the very list when it touches none."""
    removed = [paper for paper in change.removed if paper.title_derived]
    added = [paper for paper in change.added if paper.title_derived]
    return replaced_in_order(untitled, removed, added, first_source) if removed or added else untitled


def _papers_with_ids(
    resolution: Resolution, owners: dict[str, list[str]], memo: MergeMemo
) -> tuple[list[Paper], Change]:
    """Every paper, with its id, sorted by id, and which papers left the last build's list and came
    in; the last papers when the resolution is the last build's, the very object (nothing changed
    the clusters or the overrides), for the same owners."""
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
    return _keep_places(papers, changed, memo)


def _keep_places(papers: list[Paper], changed: list[int], memo: MergeMemo) -> tuple[list[Paper], Change]:
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
        bisect.insort(memo.namesakes.setdefault(slug_base(paper.title, ID_LENGTH), []), paper, key=first_source)
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
    with the id :func:`~generator.text.normalize.numbered_apart` gives it among all papers."""
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
    for paper in sorted(papers, key=first_source):
        memo.namesakes.setdefault(slug_base(paper.title, ID_LENGTH), []).append(paper)
    return merged


def _merge_papers(resolution: Resolution, owners: dict[str, list[str]], memo: MergeMemo) -> list[Paper]:
    """One paper per cluster, in cluster order; a cluster merged in the previous build (the same
    object, with the same overrides) keeps its paper."""
    clusters, overrides = resolution.clusters, resolution.overrides
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
