"""Clustering judged pairs into papers: merges applied strongest first, never across a pair judged
firmly distinct, and a copy that fits two distinct papers about equally well joins neither.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from itertools import combinations, pairwise
from typing import TYPE_CHECKING

from generator.dedupe.rules import NEAR_MISS, recurring_title_decision
from generator.dedupe.signatures import Signature
from generator.model import Cluster, Entry, Location, PairDecision

if TYPE_CHECKING:
    pass


AMBIGUITY_MARGIN = 5.0


def cluster_all(
    signatures: list[Signature], judged: dict[tuple[int, int], PairDecision]
) -> tuple[list[Cluster], list[PairDecision]]:
    """Clusters (in location order) and near misses of ``signatures``, pairs indexing into them."""
    judged = _with_recurring_titles(signatures, judged)
    strengths = {pair: decision_strength(decision) for pair, decision in judged.items()}  # each reckoned once
    merges, near_misses = _drop_ambiguous(judged, strengths)
    return _cluster(signatures, merges, (judged, strengths), near_misses), near_misses


def _drop_ambiguous(
    judged: dict[tuple[int, int], PairDecision], strengths: dict[tuple[int, int], float]
) -> tuple[list[tuple[int, int]], list[PairDecision]]:
    """Keep merges, except a copy's links to two papers judged distinct with similar scores."""
    partners: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for (i, j), decision in judged.items():
        if decision.merged:
            partners[i].append((strengths[(i, j)], j))
            partners[j].append((strengths[(i, j)], i))
    dropped: set[tuple[int, int]] = set()
    near_misses = [d for pair, d in judged.items() if not d.merged and (strengths[pair] >= NEAR_MISS or d.related)]
    for entry, links in partners.items():  # in any order: what is dropped depends on no order
        for (score_a, a), (score_b, b) in combinations(links, 2):
            rejected = judged.get((min(a, b), max(a, b)))
            if rejected is not None and rejected.firm and abs(score_a - score_b) < AMBIGUITY_MARGIN:
                dropped |= {(min(entry, a), max(entry, a)), (min(entry, b), max(entry, b))}
    for pair in sorted(dropped):
        near_misses.append(_relabel(judged[pair], "fits two distinct papers equally well: left apart"))
    merges = [pair for pair, decision in judged.items() if decision.merged and pair not in dropped]
    return merges, near_misses


RECURRING_YEARS = 3  # a title given to entries of this many years names a series, not a paper


def _with_recurring_titles(
    signatures: list[Signature], judged: dict[tuple[int, int], PairDecision]
) -> dict[tuple[int, int], PairDecision]:
    """The decisions, those of entries whose title recurs judged again as for a generic title.

    A title recurs when entries of :data:`RECURRING_YEARS` different years carry it, or entries of
    one source in one venue in different years (a column: "Reminiscences on Influential Papers",
    "Treasurer's Message"); preprints are left out of the count (a preprint and its publication
    may be a year or two apart).  Entries with one title are always compared, so all of them are
    among the ``signatures`` of any group clustered alone."""
    recurring = _recurring_titles(signatures)
    if not recurring:
        return judged
    return {
        (i, j): recurring_title_decision(decision, signatures[i].source == signatures[j].source)
        if signatures[i].title_key in recurring or signatures[j].title_key in recurring
        else decision
        for (i, j), decision in judged.items()
    }


def _recurring_titles(signatures: list[Signature]) -> set[str]:
    years: dict[str, set[int]] = defaultdict(set)
    series: dict[tuple[str, str, str], set[int]] = defaultdict(set)
    for sig in signatures:
        if sig.title_key and not sig.preprint and (year := sig.year) is not None:
            years[sig.title_key].add(year)
            series[(sig.title_key, sig.source, sig.entry.venue)].add(year)
    found = {title for title, seen in years.items() if len(seen) >= RECURRING_YEARS}
    return found | {title for (title, _, _), seen in series.items() if len(seen) > 1}


def decision_strength(decision: PairDecision) -> float:
    """How strongly a decision joins its pair: its highest similarity (merges are applied strongest first)."""
    return max(decision.scores.get("abstract", 0), decision.scores.get("prefix", 0), decision.scores.get("title", 0))


def _relabel(decision: PairDecision, reason: str) -> PairDecision:
    return dataclasses.replace(decision, merged=False, reason=reason)


def _cluster(
    signatures: list[Signature],
    merges: list[tuple[int, int]],
    judgements: tuple[dict[tuple[int, int], PairDecision], dict[tuple[int, int], float]],
    near_misses: list[PairDecision],
) -> list[Cluster]:
    """Apply merges strongest first, never joining clusters with a pair judged distinct
    (``judgements``: each pair's decision, and its strength)."""
    judged, strengths = judgements
    forest = Forest(len(signatures))
    for pair, decision in judged.items():
        if decision.firm:
            forest.forbid(*pair)
    accepted: dict[int, list[PairDecision]] = defaultdict(list)
    for _, (i, j) in sorted((-strengths[pair], pair) for pair in merges):  # strongest first, then by pair
        if forest.union(i, j):
            accepted[i].append(judged[(i, j)])
        elif forest.find(i) != forest.find(j):
            near_misses.append(_relabel(judged[(i, j)], "would join papers judged distinct: left apart"))
    return _collect(signatures, forest, accepted)


def _collect(signatures: list[Signature], forest: Forest, accepted: dict[int, list[PairDecision]]) -> list[Cluster]:
    """Clusters in location order, each with its entries in location order.  Entries usually come in
    location order already (sources in path order, entries in line order): then no sort is needed."""
    members: dict[int, list[Entry]] = defaultdict(list)
    decisions: dict[int, list[PairDecision]] = defaultdict(list)
    for position, sig in enumerate(signatures):
        root = forest.find(position)
        members[root].append(sig.entry)
        decisions[root] += accepted.get(position, ())
    in_order = all(a.entry.location < b.entry.location for a, b in pairwise(signatures))
    clusters = [
        Cluster(
            members[root] if in_order else sorted(members[root], key=_location),
            sorted(decisions[root], key=decision_order) if len(decisions[root]) > 1 else decisions[root],
        )
        for root in members
    ]
    return clusters if in_order else sorted(clusters, key=lambda cluster: cluster.entries[0].location)


def _location(entry: Entry) -> Location:
    return entry.location


def decision_order(decision: PairDecision) -> tuple:
    return (decision.left, decision.right)


class Forest:
    """Union-find that refuses unions across a forbidden pair."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))
        self.members: dict[int, list[int]] = {index: [index] for index in range(size)}
        self.forbidden: dict[int, set[int]] = defaultdict(set)

    def forbid(self, i: int, j: int) -> None:
        self.forbidden[i].add(j)
        self.forbidden[j].add(i)

    def find(self, index: int) -> int:
        while self.parent[index] != index:
            self.parent[index] = self.parent[self.parent[index]]
            index = self.parent[index]
        return index

    def join(self, i: int, j: int) -> None:
        """Join the clusters of ``i`` and ``j`` whatever is forbidden (for finding connected groups)."""
        root_i, root_j = self.find(i), self.find(j)
        if root_i != root_j:
            small, large = self._smaller_first(root_i, root_j)
            self.parent[small] = large
            self.members[large] += self.members.pop(small)

    def union(self, i: int, j: int) -> bool:
        """Join the clusters of ``i`` and ``j``; False when already joined or forbidden."""
        root_i, root_j = self.find(i), self.find(j)
        if root_i == root_j or self._forbidden_between(root_i, root_j):
            return False
        small, large = self._smaller_first(root_i, root_j)
        self.parent[small] = large
        self.members[large] += self.members.pop(small)
        return True

    def _forbidden_between(self, root_a: int, root_b: int) -> bool:
        small, large = self._smaller_first(root_a, root_b)
        forbidden = self.forbidden
        return any(self.find(other) == large for member in self.members[small] for other in forbidden.get(member, ()))

    def _smaller_first(self, root_a: int, root_b: int) -> tuple[int, int]:
        """The two roots, the one with fewer members first (``root_a`` first when equal)."""
        return (root_b, root_a) if len(self.members[root_b]) < len(self.members[root_a]) else (root_a, root_b)
