"""The blocking rule's parameters and its word hash, shared by the plain index
(:mod:`generator.dedupe.blocking`) and the NumPy one (:mod:`generator.dedupe.gram_arrays`).

Each entry is indexed under a few keys: its exact title, its identifiers, variants of its title
(:func:`title_variants`), word 3-grams of its title, and a stable sample of word 3-grams of its abstract (the first :data:`LEADING_GRAMS`,
which a truncated copy keeps too; then the grams whose middle word falls in a fixed part of the
vocabulary: a third of it up to word :data:`DENSE_UNTIL`, an eighth after, so that two copies
sample alike).  Entries sharing a title or an identifier are always paired; otherwise they must
share at least :data:`MIN_SHARED` grams and :data:`SHARED_FRACTION` of the smaller one's keys.  A
key held by more than :data:`SMALL_POSTING` entries (boilerplate such as "in this paper we") only
pairs near neighbours, so no key makes the work quadratic.  A title variant pairs entries of
different titles (each with the first entry of every other title holding it), and only when at
most :data:`VARIANT_TITLES` titles hold it: a variant many titles share (``a study of``) tells
nothing.  Words are sampled by a 32-bit hash
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


VARIANT_TITLES = 4  # different titles; a variant more titles share ("a study of") pairs none of them


VARIANT_EDGE = 3  # words: a title's first and last three words are variants of it


VARIANT_DELETIONS_UP_TO = 6  # words: a title this short is also keyed with each word left out in turn


SPACELESS = 0x5A17E55  # mixed into the hash of the title written without spaces


def title_variants(title: str) -> set[int]:
    """The variant keys of a title (its comparison key), so that blocking finds copies whose title
    a typo, a joined or split word, a tag, a cut subtitle or glued-on names changed: the title, the
    title without spaces, its first and last :data:`VARIANT_EDGE` words, and (titles of
    :data:`VARIANT_EDGE` to :data:`VARIANT_DELETIONS_UP_TO` words) the title with each word left
    out.  A key is :func:`sequence_key` of the words' hashes (:mod:`generator.dedupe.hashed_grams`
    computes the same keys for many titles at once)."""
    if not title:
        return set()
    words = [WORD_HASHES[word] for word in title.split()]
    keys = {sequence_key(words), spaceless_key(title)}
    if len(words) > VARIANT_EDGE:
        keys.update((sequence_key(words[:VARIANT_EDGE]), sequence_key(words[-VARIANT_EDGE:])))
    if VARIANT_EDGE <= len(words) <= VARIANT_DELETIONS_UP_TO:
        keys.update(sequence_key(words[:left_out] + words[left_out + 1 :]) for left_out in range(len(words)))
    return keys


VARIANT_BASE = 0x9E3779B97F4A7C15  # odd: its powers modulo 2**64 are invertible


LENGTH_STEP = 0xD6E8FEB86659FD93


def sequence_key(hashes: list[int]) -> int:
    """A 64-bit key (signed, as NumPy keeps it) of a sequence of word hashes: the polynomial
    ``sum(hash_k * VARIANT_BASE**k)`` plus the length times :data:`LENGTH_STEP`, mixed."""
    total, power = 0, 1
    for value in hashes:
        total = (total + value * power) & MASK64
        power = (power * VARIANT_BASE) & MASK64
    return signed64(mix64((total + len(hashes) * LENGTH_STEP) & MASK64))


def spaceless_key(title: str) -> int:
    """The key of a title written without spaces (``semi structured`` and ``semistructured``)."""
    return signed64(mix64(word_hash(title.replace(" ", "")) ^ SPACELESS))


def signed64(value: int) -> int:
    return value - (1 << 64) if value >= 1 << 63 else value


def title_id(title: str) -> int:
    """A number naming a title (its comparison key): its variant that is the whole title."""
    return sequence_key([WORD_HASHES[word] for word in title.split()])


def variant_posting_pairs(members: list[int], titles: list) -> list[Pair]:
    """The pairs a title variant gives, held by ``members`` (in order) of these ``titles`` (any
    values equal for equal titles): each member with the first member of every other title, when
    2 to :data:`VARIANT_TITLES` titles hold it (entries of one title pair by their exact title)."""
    first: dict = {}
    for member, title in zip(members, titles, strict=True):
        first.setdefault(title, member)
    if not 1 < len(first) <= VARIANT_TITLES:
        return []
    return sorted(
        {
            (min(member, other), max(member, other))
            for member, title in zip(members, titles, strict=True)
            for other_title, other in first.items()
            if other_title != title
        }
    )


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
