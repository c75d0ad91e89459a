"""Candidate pairs of signed entries: blocking (:mod:`generator.dedupe.blocking`) over their
comparison keys, or, for large inputs, over the blocking keys computed with their signatures.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, TypeAlias

from generator.dedupe import blocking
from generator.dedupe.signatures import Prepared, Signature, gram_arrays, grams_of
from generator.executor import LOCAL, Executor

if TYPE_CHECKING:
    from generator.dedupe.gram_arrays import EntryGrams


Abstracts: TypeAlias = "Sequence[str] | EntryGrams"  # comparison keys, or (large inputs) blocking keys


def candidate_pairs_of(
    signatures: list[Signature], parts: Sequence[Prepared], executor: Executor = LOCAL
) -> list[tuple[int, int]]:
    """The pairs blocking finds worth comparing, in order."""
    titles, identifiers = [sig.title_key for sig in signatures], [sig.ids for sig in signatures]
    return sorted(blocking.candidate_pairs(blocking_abstracts(signatures, parts), titles, identifiers, executor))


def blocking_abstracts(signatures: list[Signature], parts: Sequence[Prepared]) -> Abstracts:
    """Every entry's abstract as blocking reads it: its comparison key, or (large inputs) its grams."""
    if len(signatures) < blocking.ARRAYS_FROM:
        return [sig.abstract_key for sig in signatures]
    return gram_arrays().EntryGrams.join([grams_of(part) for part in parts])
