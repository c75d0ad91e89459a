"""``same:`` and ``distinct:`` in papers.yaml: the user's word on what dedupe decided.

``- same: [a, b, …]`` makes the papers named one paper; ``- distinct: [a, b, …]`` keeps the copies
named apart, splitting the paper dedupe made of them.  Each name is a source location
(``scholar.bib:120``: that entry), a paper's id (all its copies) or a phrase of a title or an
abstract (the copies holding it, which must all be in one paper).  Names are looked up among the
papers dedupe made, before these overrides apply.  A split paper's other copies stay with the side
they were joined to most strongly (a shared identifier first); papers kept distinct are never joined again, not even by a shared
DOI.  Every problem is an error at its line (see docs/configuration.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from generator.config.yamlfile import Located
from generator.dedupe.clustering import Forest, decision_strength
from generator.errors import Problem
from generator.model import Cluster, Entry, Location, PairDecision

OVERRIDES_FILE = "papers.yaml"
LOCATION = re.compile(r"^(?P<file>.+):(?P<line>\d+)$")
KINDS = ("same", "distinct")


@dataclass
class Constraint:
    """One ``same:`` or ``distinct:`` item: its kind, line, and the names it lists with their lines."""

    kind: str
    line: int
    names: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class Applied:
    """Clusters after the constraints, what each did (for the report), and the pairs of clusters
    (by index into ``clusters``) that must stay apart."""

    clusters: list[Cluster]
    notes: list[str]
    apart: set[tuple[int, int]]


Finder = Callable[[str], list[int]]  # a match phrase → the clusters whose titles or abstracts hold it


def apply_constraints(
    constraints: list[Constraint], clusters: list[Cluster], ids: list[str], find: Finder, problems: list[Problem]
) -> Applied:
    """``clusters`` with the ``distinct:`` splits and then the ``same:`` joins done (``ids``: the
    clusters' plain ids; ``find``: how match phrases find clusters).  Problems go to ``problems``."""
    named = [(constraint, _entry_groups(constraint, clusters, ids, find, problems)) for constraint in constraints]
    named = [(constraint, groups) for constraint, groups in named if groups is not None]
    splits = [(c, groups) for c, groups in named if c.kind == "distinct"]
    clusters, notes = _split(clusters, splits, problems)
    return _join(clusters, [(c, groups) for c, groups in named if c.kind == "same"], splits, notes, problems)


def parse_constraint(item: Located, fields: dict[str, Any], problems: list[Problem]) -> Constraint | None:
    """A ``same:`` or ``distinct:`` item: one of them, naming two papers or copies or more."""
    kinds = [kind for kind in KINDS if kind in item.value]
    others = sorted(set(item.value) - {*KINDS, "checked"})
    if len(kinds) > 1 or others:
        problems.append(
            Problem(
                OVERRIDES_FILE,
                item.line,
                f"'{kinds[0]}' stands alone: {', '.join(repr(key) for key in kinds[1:] + others)} cannot go with it",
                "write each same: or distinct: as an item of its own",
            )
        )
        return None
    kind = kinds[0]
    names = item.value[kind].value if isinstance(item.value[kind].value, list) else []
    found = [(str(name.value).strip(), name.line) for name in names if isinstance(name.value, (str, int))]
    if kind not in fields or len(found) != len(names) or len(found) < 2 or not all(text for text, _ in found):
        problems.append(
            Problem(
                OVERRIDES_FILE,
                item.value[kind].line,
                f"'{kind}' must list two papers or copies or more",
                'e.g. [scholar.bib:120, "a phrase of the other paper", its-id]',
            )
        )
        return None
    return Constraint(kind, item.line, found)


EntryGroup = list[Entry]


def _entry_groups(
    constraint: Constraint, clusters: list[Cluster], ids: list[str], find: Finder, problems: list[Problem]
) -> list[EntryGroup] | None:
    """The entries each name of ``constraint`` names (None when a name names none, or too many)."""
    groups: list[EntryGroup] = []
    for name, line in constraint.names:
        found = _named_entries(name, clusters, ids, find)
        if isinstance(found, str):
            problems.append(Problem(OVERRIDES_FILE, line, f"{constraint.kind}: '{name}' {found}", _HINT))
        else:
            groups.append(found)
    return groups if len(groups) == len(constraint.names) else None


_HINT = "name a copy by its source and line (file.bib:12), a paper by its id in papers.json, or quote a phrase of it"


def _named_entries(name: str, clusters: list[Cluster], ids: list[str], find: Finder) -> list[Entry] | str:
    """The entries ``name`` names, or what is wrong with it."""
    if (where := LOCATION.match(name)) is not None:
        location = Location(where["file"], int(where["line"]))
        found = [entry for cluster in clusters for entry in cluster.entries if entry.location == location]
        return found or "is no entry's place (its first line)"
    if name in ids:
        return list(clusters[ids.index(name)].entries)
    holders = find(name)
    if len(holders) > 1:
        return f"is found in {len(holders)} papers ({', '.join(ids[index] for index in holders[:4])})"
    if not holders:
        return "finds no paper"
    return list(clusters[holders[0]].entries)


def _split(
    clusters: list[Cluster], splits: list[tuple[Constraint, list[EntryGroup]]], problems: list[Problem]
) -> tuple[list[Cluster], list[str]]:
    """Each cluster holding entries that a ``distinct:`` keeps apart, clustered again from its own
    decisions without the joins between them (strongest first, as dedupe did)."""
    apart: dict[int, list[tuple[int, int]]] = {}
    holder = {id(entry): index for index, cluster in enumerate(clusters) for entry in cluster.entries}
    notes: list[str] = []
    for constraint, groups in splits:
        for first, second in combinations(groups, 2):
            if {id(entry) for entry in first} & {id(entry) for entry in second}:
                problems.append(
                    Problem(OVERRIDES_FILE, constraint.line, "distinct: two names name the same copy", _HINT)
                )
                continue
            for left in first:
                for right in second:
                    if holder[id(left)] == holder[id(right)]:
                        apart.setdefault(holder[id(left)], []).append((id(left), id(right)))
        notes.append(f"{OVERRIDES_FILE}:{constraint.line} keeps apart {', '.join(str(g[0].location) for g in groups)}")
    result = []
    for index, cluster in enumerate(clusters):
        result += _reclustered(cluster, apart[index]) if index in apart else [cluster]
    return result, notes


def _reclustered(cluster: Cluster, apart: list[tuple[int, int]]) -> list[Cluster]:
    """A cluster's entries clustered again, never joining the pairs ``apart``: first those sharing
    an arXiv id or DOI, then along the decisions that joined the cluster, strongest first."""
    place = {id(entry): number for number, entry in enumerate(cluster.entries)}
    forest = Forest(len(cluster.entries))
    for left, right in apart:
        forest.forbid(place[left], place[right])
    holders: dict[str, int] = {}
    for number, entry in enumerate(cluster.entries):
        for identifier in filter(None, (entry.arxiv and f"arxiv:{entry.arxiv}", entry.doi and f"doi:{entry.doi}")):
            forest.union(holders.setdefault(identifier, number), number)
    at = {entry.location: number for number, entry in enumerate(cluster.entries)}
    kept: dict[int, list] = {}
    for decision in sorted(cluster.decisions, key=_join_order):
        if forest.union(at[decision.left], at[decision.right]):
            kept.setdefault(at[decision.left], []).append(decision)
    parts: dict[int, Cluster] = {}
    for number, entry in enumerate(cluster.entries):
        parts.setdefault(forest.find(number), Cluster([], [])).entries.append(entry)
    for number, decisions in kept.items():
        parts[forest.find(number)].decisions += decisions
    return sorted(parts.values(), key=lambda part: part.entries[0].location)


def _join_order(decision: PairDecision) -> tuple:
    """A shared identifier first, then the strongest similarity (as dedupe joined them)."""
    return (
        not decision.reason.startswith("same identifier"),
        -decision_strength(decision),
        decision.left,
        decision.right,
    )


def _join(
    clusters: list[Cluster],
    joins: list[tuple[Constraint, list[EntryGroup]]],
    splits: list[tuple[Constraint, list[EntryGroup]]],
    notes: list[str],
    problems: list[Problem],
) -> Applied:
    """The clusters holding the entries each ``same:`` names, made one (unless a ``distinct:``
    keeps two of them apart: an error)."""
    holder = {id(entry): index for index, cluster in enumerate(clusters) for entry in cluster.entries}
    apart = {
        tuple(sorted((holder[id(a[0])], holder[id(b[0])])))
        for _, groups in splits
        for a, b in combinations(groups, 2)
        if holder[id(a[0])] != holder[id(b[0])]
    }
    forest = Forest(len(clusters))
    for left, right in apart:
        forest.forbid(left, right)
    for constraint, groups in joins:
        targets = sorted({holder[id(entry)] for group in groups for entry in group})
        if not all(
            forest.union(targets[0], other) or forest.find(other) == forest.find(targets[0]) for other in targets
        ):
            problems.append(
                Problem(OVERRIDES_FILE, constraint.line, "same: names papers a 'distinct:' keeps apart", _HINT)
            )
        notes.append(
            f"{OVERRIDES_FILE}:{constraint.line} makes one paper of {', '.join(str(g[0].location) for g in groups)}"
        )
    result, after = union_clusters(clusters, forest)
    apart_after = {(min(after[left], after[right]), max(after[left], after[right])) for left, right in apart}
    return Applied(result, notes, apart_after)


def union_clusters(clusters: list[Cluster], forest: Forest) -> tuple[list[Cluster], list[int]]:
    """The clusters each tree of ``forest`` joins, made one (entries and decisions together; the
    clusters, and the entries in each, in source order), and each given cluster's new index."""
    merged: dict[int, Cluster] = {}
    for index, cluster in enumerate(clusters):
        target = merged.setdefault(forest.find(index), Cluster([], []))
        target.entries += cluster.entries
        target.decisions += cluster.decisions
    roots = sorted(merged, key=lambda root: min(entry.location for entry in merged[root].entries))
    for root in roots:
        merged[root].entries.sort(key=lambda entry: entry.location)
    place = {root: number for number, root in enumerate(roots)}
    return [merged[root] for root in roots], [place[forest.find(index)] for index in range(len(clusters))]
