"""The dedupe stage: group the entries of every source into papers, and say why.

1. **Signatures** (:mod:`.signatures`): comparison keys of each entry, computed where it is parsed.
2. **Candidate pairs** (:mod:`.candidates`, :mod:`.blocking`): only entries that share an
   identifier, a title, or enough word 3-grams of their texts are compared; very common 3-grams
   only pair neighbours, so the work stays near-linear.
3. **Decisions** (:mod:`.scoring`, :mod:`.rules`): each candidate pair is judged from the
   similarities of its titles and abstracts.
4. **Clusters** (:mod:`.clustering`): merges applied strongest first; two clusters never join
   across a pair judged firmly distinct.

:func:`deduplicate` is the stage; the dev server's incremental version reuses the same steps.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from generator.dedupe.candidates import candidate_pairs_of
from generator.dedupe.clustering import cluster_all, decision_order
from generator.dedupe.scoring import judge_all
from generator.dedupe.signatures import Prepared, prepare_all, signatures_of
from generator.executor import LOCAL, Executor
from generator.model import DedupeResult, Entry

# NumPy asks Linux for transparent huge pages for large arrays; where the kernel then compacts
# memory on the spot (defrag "madvise", a common default), blocking's first pass over fresh arrays
# stalls in the kernel (0.5 s of 1.4 s at 65,000 entries).  Read once, when NumPy is imported (the
# modules that import it are in this package, or import from it, so this runs first);
# a value the user set wins.
os.environ.setdefault("NUMPY_MADVISE_HUGEPAGE", "0")


def deduplicate(
    entries: list[Entry], prepared: Sequence[Prepared] | None = None, executor: Executor = LOCAL
) -> DedupeResult:
    """Group ``entries`` into clusters, one per distinct paper.

    ``prepared``: what :func:`~generator.dedupe.signatures.prepare` made of consecutive runs of
    ``entries`` (computed here when not given).
    """
    parts = prepared if prepared is not None else prepare_all(entries, executor)
    signatures = signatures_of(entries, parts)
    pairs = candidate_pairs_of(signatures, parts, executor)
    clusters, near_misses = cluster_all(signatures, judge_all(signatures, pairs))
    return DedupeResult(clusters, sorted(near_misses, key=decision_order), len(pairs))
