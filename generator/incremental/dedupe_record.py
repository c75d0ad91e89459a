"""A deduplication kept on disk: a result in plain values (entries by their places), and the
result it describes over the same entries, restored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.model import Cluster, DedupeResult, Entry, PairDecision

if TYPE_CHECKING:
    pass


PlainDecision = tuple[
    int, int, bool, str, dict[str, float], bool, dict[str, tuple[float, str]], bool
]  # entries by place


ResultState = tuple[list[tuple[str, int]], list[tuple[list[int], list[PlainDecision]]], list[PlainDecision], int]


def result_state(result: DedupeResult, entries: list[Entry]) -> ResultState:
    """``result`` in plain values, each entry by its place in ``entries``, what a later build over
    the same entries can restore: the entries' locations as plain tuples, each cluster's places and
    decisions, the near misses, the number of pairs compared.  (Plain values pickle several times
    faster than locations and decisions as objects.)"""
    place = {entry.location: index for index, entry in enumerate(entries)}

    def plain(decision: PairDecision) -> PlainDecision:
        left, right = place[decision.left], place[decision.right]
        return (
            left,
            right,
            decision.merged,
            decision.reason,
            decision.scores,
            decision.firm,
            decision.evidence,
            decision.related,
        )

    clusters = [
        ([place[e.location] for e in cluster.entries], list(map(plain, cluster.decisions)))
        for cluster in result.clusters
    ]
    return (
        [tuple(entry.location) for entry in entries],
        clusters,
        list(map(plain, result.near_misses)),
        result.compared_pairs,
    )


def restored_result(state: ResultState, entries: list[Entry]) -> DedupeResult | None:
    """The result :func:`result_state` described, over these ``entries``; None unless they are at
    the locations it was made from and its clusters cover each of them exactly once."""
    locations, clusters, near_misses, compared_pairs = state
    if locations != [entry.location for entry in entries]:  # a plain tuple equals a location of the same values
        return None
    places = [place for members, _ in clusters for place in members]
    if len(places) != len(entries) or set(places) != set(range(len(entries))):
        return None

    def decision(values: PlainDecision) -> PairDecision:
        left, right, *rest = values
        return PairDecision(entries[left].location, entries[right].location, *rest)

    restored = [
        Cluster([entries[place] for place in members], list(map(decision, decisions)))
        for members, decisions in clusters
    ]
    return DedupeResult(restored, list(map(decision, near_misses)), compared_pairs)
