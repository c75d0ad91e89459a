"""The dev server's deduplication: what it keeps between builds, and how a build reuses it.

A source that did not change keeps its parsed ``Entry`` objects, so a decision between two entries
is kept by their identities.  What is kept by number (the blocking index, the last build's pairs
and groups) numbers entries by *slot*: each source owns a run of slots, in source order, with room
to spare after its entries (:class:`Layout`), so that a source gaining or losing a few entries
changes only its own slots (an entry appears in an empty slot, or leaves one) and nothing after it
is renumbered.  Slots keep the entries' order, so every rule that reads order (blocking's
neighbours in a large posting, the order pairs are judged and clustered in) sees what a full build
sees.  A build finds candidate pairs again only if some slot's blocking keys changed, and then
counts again only those slots' keys (:mod:`generator.incremental.blocking_index`, large sites).  Clustering is
decided within each connected group of compared entries alone, so after an edit only the groups
holding a changed slot, or a pair that came or went, are connected, judged and clustered again
(:func:`_regroup_around_changes`); when that is most of the site, every group is found again and the
unchanged ones are reused by key.  A source that outgrows its room, or a source added or removed,
lays the slots out anew (and blocking starts over).  The result is always
:func:`~generator.dedupe.deduplicate`'s, which tests check.
"""

from __future__ import annotations

import operator
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain, compress, count, repeat
from typing import TYPE_CHECKING

from generator.dedupe.clustering import Forest, cluster_all, decision_order
from generator.dedupe.scoring import judge_all
from generator.dedupe.signatures import Prepared, Signature, prepare_all, signatures_of
from generator.incremental.dedupe_pairs import Moved, Pairs, remembered_judgements, remembered_pairs
from generator.incremental.dedupe_state import DedupeMemo, Group, GroupClusters, LastBuild
from generator.incremental.kept_values import replaced_in_order
from generator.incremental.slots import Layout
from generator.model import Cluster, DedupeResult, Entry, Location, PairDecision

if TYPE_CHECKING:
    pass


REGROUP_SHARE = 0.25  # clusters are found again over all entries when an edit touches more of them


def deduplicate_again(entries: list[Entry], prepared: Sequence[Prepared] | None, memo: DedupeMemo) -> DedupeResult:
    """:func:`~generator.dedupe.deduplicate`, reusing (and updating) what ``memo`` kept of the last build."""
    if _same_entries(memo, entries):
        memo.blocking_reused, memo.fresh_pairs, memo.fresh_groups = True, 0, 0
        return memo.result
    parts = prepared if prepared is not None else prepare_all(entries)
    layout = _kept_layout(memo, parts)
    signed = _part_signatures(entries, parts, memo)
    signatures, in_slots = layout.spread([own for own, _ in signed]), layout.spread([own for _, own in signed])
    pairs, moved = remembered_pairs(signatures, parts, layout, memo)
    regrouped = _regroup_around_changes(in_slots, signatures, moved, memo, len(entries)) if memo.last else None
    if regrouped is None:
        regrouped = _remembered_clusters(in_slots, signatures, remembered_judgements(signatures, pairs, memo), memo)
    memo.entries, memo.result = entries, DedupeResult(*regrouped, len(pairs))
    return memo.result


def _kept_layout(memo: DedupeMemo, parts: Sequence[Prepared]) -> Layout:
    """The last build's layout, if these sources fit in it; else a new one, and then whatever was
    kept by slot is dropped (blocking and grouping start over; decisions and groups kept by
    identity are still reused)."""
    lengths = [len(part.keys) for part in parts]
    if memo.layout is not None and memo.layout.holds(lengths):
        return memo.layout
    memo.layout, memo.last, memo.blocking, memo.blocked_keys, memo.pairs = Layout.of(lengths), None, None, [], []
    return memo.layout


def _part_signatures(
    entries: list[Entry], parts: Sequence[Prepared], memo: DedupeMemo
) -> list[tuple[list[Signature], list[Entry]]]:
    """:func:`~generator.dedupe.signatures_of` of each source's entries, with the entries; a source
    prepared as before (the same part, the same entry objects) keeps its signatures."""
    kept, memo.signatures = memo.signatures, {}
    signatures: list[tuple[list[Signature], list[Entry]]] = []
    start = 0
    for part in parts:
        own = entries[start : start + len(part.keys)]
        old = kept.get(id(part))
        if old is None or old[0] is not part or not all(map(operator.is_, old[2], own)):
            old = (part, signatures_of(own, [part]), own)
        memo.signatures[id(part)] = old  # holding the part keeps its id unique
        signatures.append((old[1], own))
        start += len(own)
    return signatures


def _same_entries(memo: DedupeMemo, entries: list[Entry]) -> bool:
    """Are these the last build's entry objects, in order (no source changed any entry: the result
    is the last one, the very object, which later stages may take as "nothing changed")?"""
    same = len(memo.entries) == len(entries) and all(map(operator.is_, memo.entries, entries))
    return same and memo.last is not None


def _remembered_clusters(
    entries: list[Entry | None],
    signatures: list[Signature | None],
    judged: dict[tuple[int, int], PairDecision],
    memo: DedupeMemo,
) -> tuple[list[Cluster], list[PairDecision]]:
    """:func:`cluster_all`, group by connected group of compared entries (``entries`` and their
    ``signatures`` by slot); unchanged groups are reused.

    Every step of clustering (dropping ambiguous links, forbidding firm rejections, merging
    strongest first) looks only at pairs inside one group, and re-numbering a group's entries in
    order keeps the order of its pairs, so each group clusters alone as it does among all.
    """
    kept, memo.groups, memo.fresh_groups = memo.groups, {}, 0
    groups = [
        Group(members, pairs, _group_key(signatures, judged, members, pairs))
        for members, pairs in _groups_among(_filled(entries), list(judged))
    ]
    for group in groups:
        if group.key not in kept:
            kept[group.key] = _group_clusters(signatures, judged, group.members, group.pairs)
            memo.fresh_groups += 1
        memo.groups[group.key] = kept[group.key]
    clusters, near_misses = _assembled(memo, groups)
    numbered = dict(enumerate(groups))
    memo.last = LastBuild(
        entries, judged, numbered, _group_numbers(len(entries), numbered), clusters, near_misses, len(groups)
    )
    return clusters, near_misses


def _filled(entries: list[Entry | None]) -> list[int]:
    """The slots that hold an entry, in order."""
    return list(compress(count(), map(operator.is_not, entries, repeat(None))))


def _regroup_around_changes(
    entries: list[Entry | None], signatures: list[Signature | None], moved: Moved, memo: DedupeMemo, filled: int
) -> tuple[list[Cluster], list[PairDecision]] | None:
    """:func:`_remembered_clusters` from the last build (``memo.last``): only the pairs that are new
    or touch an entry parsed anew are judged, and only the groups holding such an entry (or the
    slot it left), or a pair that came or went, are found and clustered again (a group none of
    them touches is connected, judged and clustered as before).  None when that is most of the
    site (``filled``: the number of entries, the slots that hold one).  Nothing in the memo
    changes until all is computed; no step passes over every pair."""
    last = memo.last
    assert last is not None
    changes = _changes(entries, memo.pairs, moved, last)
    members = sorted(
        chain(
            (i for number in changes.groups for i in last.groups[number].members if entries[i] is not None),
            changes.added,
        )
    )
    if len(members) > REGROUP_SHARE * filled:
        return None
    regrouped = _regrouped(signatures, changes, members, memo)
    _keep_regrouped(memo, entries, signatures, changes, regrouped)
    return last.clusters, last.near_misses


@dataclass
class _Regrouped:
    """The touched groups found and clustered again: the pairs judged afresh, every decision now,
    the pairs no longer judged as before (gone or touching a changed entry), the new groups and
    their clusters (``kept``: those found unchanged in the memo)."""

    fresh: dict[tuple[int, int], PairDecision]
    judged: dict[tuple[int, int], PairDecision]
    forgotten: Pairs
    groups: list[Group]
    kept: list[GroupClusters | None]
    results: dict[tuple[int, ...], GroupClusters]


def _regrouped(signatures: list[Signature], changes: _Changes, members: list[int], memo: DedupeMemo) -> _Regrouped:
    last = memo.last
    assert last is not None
    old_pairs = [pair for number in changes.groups for pair in last.groups[number].pairs]
    redone = {pair for pair in old_pairs if pair[0] in changes.entries or pair[1] in changes.entries}
    fresh = judge_all(signatures, sorted(changes.came | (redone - changes.went)))
    judged = _judged_now(last.judged, changes.went, fresh)
    inside = sorted({pair for pair in old_pairs if pair not in changes.went} | changes.came)
    groups = [
        Group(group_members, group_pairs, _group_key(signatures, judged, group_members, group_pairs))
        for group_members, group_pairs in _groups_among(members, inside)
    ]
    kept = [memo.groups.get(group.key) for group in groups]
    earlier = _clusters_by_content(_last_results(memo, changes.groups))
    results = {
        group.key: result
        or _with_earlier_clusters(_group_clusters(signatures, judged, group.members, group.pairs), earlier)
        for group, result in zip(groups, kept, strict=True)
    }
    return _Regrouped(fresh, judged, changes.went | redone, groups, kept, results)


ClusterKey = tuple[tuple[int, ...], tuple[int, ...]]


def _cluster_key(cluster: Cluster) -> ClusterKey:
    return tuple(map(id, cluster.entries)), tuple(map(id, cluster.decisions))


def _clusters_by_content(groups: list[GroupClusters]) -> dict[ClusterKey, Cluster]:
    """The clusters of the groups an edit touched, by the identities of their entries and decisions."""
    return {_cluster_key(cluster): cluster for group in groups for cluster in group.clusters}


def _with_earlier_clusters(result: GroupClusters, earlier: dict[ClusterKey, Cluster]) -> GroupClusters:
    """A group clustered anew, each cluster that is one of the ``earlier`` ones (the same entries and
    decisions, the very objects) replaced by that object: an edit in a large group of look-alike
    papers changes the clusters it touches, and later stages keep what they made of the others
    by their identity."""
    result.clusters = [earlier.get(_cluster_key(cluster), cluster) for cluster in result.clusters]
    return result


def _keep_regrouped(
    memo: DedupeMemo,
    entries: list[Entry | None],
    signatures: list[Signature | None],
    changes: _Changes,
    regrouped: _Regrouped,
) -> None:
    """The memo and the last build take what :func:`_regrouped` found."""
    last = memo.last
    assert last is not None
    _replace_decisions(memo.decisions, (last.entries, regrouped.forgotten), signatures, regrouped.fresh)
    removed = _last_results(memo, changes.groups)
    _replace_groups(memo, changes.groups, regrouped.results, regrouped.groups)
    last.entries, last.judged = entries, regrouped.judged
    memo.fresh_pairs, memo.fresh_groups = len(regrouped.fresh), regrouped.kept.count(None)
    added = list(regrouped.results.values())
    last.clusters = replaced_in_order(last.clusters, _clusters_of(removed), _clusters_of(added), _first_location)
    last.near_misses = replaced_in_order(
        last.near_misses, _near_misses_of(removed), _near_misses_of(added), decision_order
    )


def _last_results(memo: DedupeMemo, numbers: list[int]) -> list[GroupClusters]:
    """The clusters of the last build's groups of these numbers."""
    assert memo.last is not None
    found = (memo.groups.get(memo.last.groups[number].key) for number in numbers)
    return [result for result in found if result is not None]


@dataclass
class _Changes:
    """What changed since the last build: the slots whose entry is not the object it was, the
    candidate pairs that came and went, the last build's groups (by number) holding any of them,
    and the slots that hold an entry where the last build had none."""

    entries: set[int]
    came: Pairs
    went: Pairs
    groups: list[int]
    added: list[int]


def _changes(entries: list[Entry | None], pairs: list[tuple[int, int]], moved: Moved, last: LastBuild) -> _Changes:
    changed = set(compress(count(), map(operator.is_not, entries, last.entries)))
    if moved is None:  # blocked anew: compare the pairs as sets (in C)
        now = set(pairs)
        moved = now - last.judged.keys(), last.judged.keys() - now
    came, went = moved
    touched = changed.union(*came, *went)
    groups = sorted({last.group_of[i] for i in touched if last.entries[i] is not None})
    return _Changes(changed, came, went, groups, sorted(i for i in changed if last.entries[i] is None))


def _judged_now(
    judged: dict[tuple[int, int], PairDecision], went: Pairs, fresh: dict[tuple[int, int], PairDecision]
) -> dict[tuple[int, int], PairDecision]:
    """The last build's decisions, less the pairs that went, with the ``fresh`` ones."""
    now = dict(judged)
    for pair in went:
        del now[pair]
    now.update(fresh)
    return now


def _clusters_of(groups: list[GroupClusters]) -> list[Cluster]:
    return [cluster for group in groups for cluster in group.clusters]


def _near_misses_of(groups: list[GroupClusters]) -> list[PairDecision]:
    return [decision for group in groups for decision in group.near_misses]


def _first_location(cluster: Cluster) -> Location:
    return cluster.entries[0].location


def _replace_groups(
    memo: DedupeMemo, touched: list[int], results: dict[tuple[int, ...], GroupClusters], groups: list[Group]
) -> None:
    """The last build's ``touched`` groups (by number) give way to ``groups``, clustered as ``results``."""
    last = memo.last
    assert last is not None
    for number in touched:
        memo.groups.pop(last.groups.pop(number).key, None)
    memo.groups.update(results)
    for group in groups:
        last.groups[last.next_group] = group
        for index in group.members:
            last.group_of[index] = last.next_group
        last.next_group += 1


def _replace_decisions(
    decisions: dict[tuple[int, int], tuple[Entry, Entry, PairDecision]],
    old: tuple[list[Entry], Pairs],
    signatures: list[Signature],
    fresh: dict[tuple[int, int], PairDecision],
) -> None:
    """Forget the decisions of the ``old`` entries' pairs that went (or must be judged again), and
    keep the ``fresh`` ones by the new entries' identities."""
    old_entries, gone = old
    for i, j in gone:
        del decisions[(id(old_entries[i]), id(old_entries[j]))]
    for (i, j), decision in fresh.items():
        left, right = signatures[i].entry, signatures[j].entry
        decisions[(id(left), id(right))] = (left, right, decision)


def _group_key(
    signatures: list[Signature],
    judged: dict[tuple[int, int], PairDecision],
    members: list[int],
    pairs: list[tuple[int, int]],
) -> tuple[int, ...]:
    """A group's identity: its entries' and decisions' (objects the memo holds, so never reused)."""
    return (*(id(signatures[i].entry) for i in members), *(id(judged[pair]) for pair in pairs))


def _group_numbers(count: int, groups: dict[int, Group]) -> list[int]:
    group_of = [-1] * count  # an empty slot belongs to no group
    for number, group in groups.items():
        for index in group.members:
            group_of[index] = number
    return group_of


def _assembled(memo: DedupeMemo, groups: list[Group]) -> tuple[list[Cluster], list[PairDecision]]:
    """All groups' clusters (in location order) and near misses (in decision order)."""
    results = [memo.groups[group.key] for group in groups]
    return sorted(_clusters_of(results), key=_first_location), sorted(_near_misses_of(results), key=decision_order)


def _groups_among(
    entries: Sequence[int], pairs: list[tuple[int, int]]
) -> list[tuple[list[int], list[tuple[int, int]]]]:
    """Connected groups of ``entries`` (slots, in order) linked by compared ``pairs`` between them:
    (members in order, their pairs in order)."""
    local = {index: position for position, index in enumerate(entries)}
    forest = Forest(len(entries))
    for i, j in pairs:
        forest.join(local[i], local[j])
    members: dict[int, list[int]] = defaultdict(list)
    for index in entries:
        members[forest.find(local[index])].append(index)
    grouped: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for pair in pairs:
        grouped[forest.find(local[pair[0]])].append(pair)
    return [(members[root], grouped[root]) for root in members]


def _group_clusters(
    signatures: list[Signature],
    judged: dict[tuple[int, int], PairDecision],
    members: list[int],
    pairs: list[tuple[int, int]],
) -> GroupClusters:
    if not pairs:  # an entry compared with none: a paper of its own
        entry = signatures[members[0]].entry
        return GroupClusters([entry], [], [Cluster([entry])], [])
    local = {index: position for position, index in enumerate(members)}
    group_judged = {(local[i], local[j]): judged[(i, j)] for i, j in pairs}
    clusters, near_misses = cluster_all([signatures[index] for index in members], group_judged)
    entries = [signatures[index].entry for index in members]
    return GroupClusters(entries, [judged[pair] for pair in pairs], clusters, near_misses)
