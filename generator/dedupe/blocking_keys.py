"""The blocking rule's parameters and its word hash, shared by the plain index
(:mod:`generator.dedupe.blocking`) and the NumPy one (:mod:`generator.dedupe.gram_arrays`).

Each entry is indexed under a few keys: its exact title, its identifiers, word 3-grams of its
title, and a stable sample of word 3-grams of its abstract (the first :data:`LEADING_GRAMS`,
which a truncated copy keeps too; then the grams whose middle word falls in a fixed part of the
vocabulary: a third of it up to word :data:`DENSE_UNTIL`, an eighth after, so that two copies
sample alike).  Entries sharing a title or an identifier are always paired; otherwise they must
share at least :data:`MIN_SHARED` grams and :data:`SHARED_FRACTION` of the smaller one's keys.  A
key held by more than :data:`SMALL_POSTING` entries (boilerplate such as "in this paper we") only
pairs near neighbours, so no key makes the work quadratic.  Words are sampled by a 32-bit hash
(:func:`word_hash`).
"""

from __future__ import annotations

import operator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass


LEADING_GRAMS = 16


DENSE_UNTIL = 64


DENSE_EVERY = 3


SAMPLE_EVERY = 8


MIN_SHARED = 3


SHARED_FRACTION = 0.15


SMALL_POSTING = 40


NEIGHBOUR_WINDOW = 4


Pair = tuple[int, int]


# The word hash: a polynomial over the word's UTF-8 bytes modulo 2**64, then SplitMix64's finaliser
# (so that every bit, the low ones used for sampling too, depends on every byte).  A polynomial
# lets NumPy hash every word of a long text at once, from one running sum (gram_arrays).
HASH_BASE = 0x100000001B3


MIX_SHIFTS = (30, 27, 31)


MIX_MULTIPLIERS = (0xBF58476D1CE4E5B9, 0x94D049BB133111EB)


MASK64 = (1 << 64) - 1


def word_hash(word: str) -> int:
    """A word's 32-bit hash: deterministic, the same in every process and in both implementations."""
    data = word.encode()
    if len(data) <= len(_POWERS):
        total = sum(map(operator.mul, data, _POWERS)) & MASK64  # the sum of byte k times HASH_BASE**k
    else:
        total = 0
        for code in reversed(data):  # Horner's rule, for a word longer than the table
            total = (total * HASH_BASE + code) & MASK64
    return mix64(total) >> 32


_POWERS = [pow(HASH_BASE, k, 1 << 64) for k in range(64)]


def mix64(value: int) -> int:
    """SplitMix64's finaliser of a 64-bit integer."""
    value = ((value ^ (value >> MIX_SHIFTS[0])) * MIX_MULTIPLIERS[0]) & MASK64
    value = ((value ^ (value >> MIX_SHIFTS[1])) * MIX_MULTIPLIERS[1]) & MASK64
    return value ^ (value >> MIX_SHIFTS[2])


class _WordHashes(dict[str, int]):
    """Word → :func:`word_hash`, computed on first sight (a dictionary lookup in C afterwards)."""

    def __missing__(self, word: str) -> int:
        value = self[word] = word_hash(word)
        return value


WORD_HASHES = _WordHashes()  # grows with the corpus vocabulary (tens of thousands of words)
