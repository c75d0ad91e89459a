"""What the dev server's dedupe keeps between builds (:class:`DedupeMemo`): the last build's entries,
slots, candidate pairs, decisions and connected groups with their clusters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from generator.dedupe.signatures import Prepared, Signature, SignatureKeys
from generator.incremental.slots import Layout
from generator.model import Cluster, DedupeResult, Entry, PairDecision

if TYPE_CHECKING:
    from generator.incremental.blocking_index import BlockingIndex


@dataclass
class DedupeMemo:
    """What a long-running process (the dev server) keeps between builds (see the module): the
    decisions between entries, keyed by entry identity; each connected group's clusters, keyed by
    its entries' and decisions' identities; the slots' layout; the keys blocking read, the pairs
    it found (by slot) and its counts; and the last build by slot."""

    decisions: dict[tuple[int, int], tuple[Entry, Entry, PairDecision]] = field(default_factory=dict)
    groups: dict[tuple[int, ...], GroupClusters] = field(default_factory=dict)
    fresh_pairs: int = 0
    fresh_groups: int = 0
    layout: Layout | None = None
    blocked_keys: list[list[SignatureKeys]] = field(default_factory=list)  # each part's keys, as last blocked
    pairs: list[tuple[int, int]] = field(default_factory=list)  # the candidate pairs found in them, by slot
    blocking_reused: bool = False
    blocking: BlockingIndex | None = None  # the counts behind them (large inputs), to update after an edit
    blocking_updated: bool = False  # did the last build count again only the changed slots' keys?
    last: LastBuild | None = None
    entries: list[Entry] = field(default_factory=list)  # the last build's, in entry order
    result: DedupeResult = field(default_factory=lambda: DedupeResult([]))  # the last build's
    signatures: dict[int, tuple[Prepared, list[Signature], list[Entry]]] = field(default_factory=dict)  # by part


@dataclass
class GroupClusters:
    """The clusters and near misses of one connected group of entries (holding its entries and
    decisions keeps the identities its memo key is made of)."""

    entries: list[Entry]
    decisions: list[PairDecision]
    clusters: list[Cluster]
    near_misses: list[PairDecision]


@dataclass
class Group:
    """A connected group of compared entries, by index, and its key in :attr:`DedupeMemo.groups`."""

    members: list[int]
    pairs: list[tuple[int, int]]
    key: tuple[int, ...]


@dataclass
class LastBuild:
    """The last build by slot: a build compares its entries and pairs with these to find the groups
    it must look at again (:func:`_regrouped_changes`)."""

    entries: list[Entry | None]  # None: an empty slot
    judged: dict[tuple[int, int], PairDecision]
    groups: dict[int, Group]  # by number, numbers never given twice
    group_of: list[int]  # an entry's slot → its group's number
    clusters: list[Cluster]  # every group's, in location order
    near_misses: list[PairDecision]  # every group's, in decision order
    next_group: int  # the number the next new group gets


NO_KEYS: SignatureKeys = ("", "", frozenset(), frozenset())  # an empty slot's
