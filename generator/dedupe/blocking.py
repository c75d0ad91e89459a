"""Blocking for deduplication: which pairs of entries are worth comparing (never all pairs).

Each entry is indexed under a few keys: its exact title, its identifiers, word
3-grams of its title, and a stable sample of word 3-grams of its abstract (the
first :data:`LEADING_GRAMS`, which a truncated copy keeps too; then the grams
whose middle word falls in a fixed part of the vocabulary: a third of it up to
word :data:`DENSE_UNTIL`, an eighth after, so that two copies sample alike).

Entries sharing a title or an identifier are always paired; otherwise they
must share at least :data:`MIN_SHARED` grams and :data:`SHARED_FRACTION` of
the smaller one's keys.  A key held by more than :data:`SMALL_POSTING`
entries (boilerplate such as "in this paper we") only pairs near neighbours,
so no key makes the work quadratic.

Words are sampled by a 32-bit hash (:func:`word_hash`).  Small inputs are indexed here, plainly;
from :data:`ARRAYS_FROM` entries on, :mod:`generator.gram_arrays` counts the
same rule over NumPy arrays (imported only then: a small site need not pay
for loading NumPy).
"""

from __future__ import annotations

import itertools
import operator
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.dedupe.gram_arrays import EntryGrams

LEADING_GRAMS = 16
DENSE_UNTIL = 64
DENSE_EVERY = 3
SAMPLE_EVERY = 8
MIN_SHARED = 3
SHARED_FRACTION = 0.15
SMALL_POSTING = 40
NEIGHBOUR_WINDOW = 4
ARRAYS_FROM = 3_000  # entries; below this the plain Python index is faster than loading NumPy

Pair = tuple[int, int]


def candidate_pairs(
    abstracts: EntryGrams | Sequence[str], titles: Sequence[str], identifiers: Sequence[Iterable[str]]
) -> set[Pair]:
    """Index pairs ``(i, j)``, ``i < j``, of entries worth comparing.

    ``abstracts`` are comparison keys (lowercase words separated by single spaces), or (large
    inputs) the entries' gram keys already computed, on every core, with the other signature keys;
    ``titles`` are comparison keys.
    """
    exact_keys = exact_keys_of(titles, identifiers)
    pairs = _posting_pairs_of(_exact_postings(exact_keys))
    if isinstance(abstracts, Sequence) and len(titles) < ARRAYS_FROM:
        return pairs | _plain_gram_pairs(abstracts, titles, exact_keys)
    from generator.dedupe.gram_arrays import EntryGrams, shared_gram_pairs

    grams = abstracts if isinstance(abstracts, EntryGrams) else EntryGrams.of(abstracts, titles)
    return pairs | shared_gram_pairs(grams, [len(keys) for keys in exact_keys])


def exact_keys_of(titles: Sequence[str], identifiers: Sequence[Iterable[str]]) -> list[set[str]]:
    """Each entry's title and identifier keys."""
    return [
        ({"title:" + title} if title else set()) | {"id:" + identifier for identifier in ids}
        for title, ids in zip(titles, identifiers, strict=True)
    ]


def postings_of(keys_of_entries: Iterable[Iterable[Hashable]]) -> dict[Hashable, list[int]]:
    """Key → the indexes of the entries holding it, in order."""
    postings: dict[Hashable, list[int]] = defaultdict(list)
    for index, keys in enumerate(keys_of_entries):
        for key in keys:
            postings[key].append(index)
    return postings


def _exact_postings(exact_keys: list[set[str]]) -> list[list[int]]:
    return [members for members in postings_of(exact_keys).values() if len(members) > 1]


def _posting_pairs_of(postings: Iterable[list[int]]) -> set[Pair]:
    pairs: set[Pair] = set()
    for members in postings:
        pairs.update(member_pairs(members))
    return pairs


def member_pairs(members: list[int]) -> Iterable[Pair]:
    """All pairs of a small posting; only near neighbours of a large one."""
    if len(members) <= SMALL_POSTING:
        return itertools.combinations(members, 2)
    return (
        (members[i], members[j])
        for i in range(len(members))
        for j in range(i + 1, min(i + 1 + NEIGHBOUR_WINDOW, len(members)))
    )


def _plain_gram_pairs(abstracts: Sequence[str], titles: Sequence[str], exact_keys: list[set[str]]) -> set[Pair]:
    """Pairs sharing enough grams, with a dictionary of postings (the rule, for small inputs)."""
    keys = [_abstract_grams(abstract) | _title_grams(title) for abstract, title in zip(abstracts, titles, strict=True)]
    shared: Counter[Pair] = Counter()
    for members in postings_of(keys).values():
        if len(members) > 1:
            shared.update(member_pairs(members))
    sizes = [len(entry_keys) + len(exact) for entry_keys, exact in zip(keys, exact_keys, strict=True)]
    return {
        (i, j)
        for (i, j), count in shared.items()
        if count >= MIN_SHARED and count >= SHARED_FRACTION * min(sizes[i], sizes[j])
    }


def _abstract_grams(text: str) -> set[tuple]:
    words = [WORD_HASHES[word] for word in text.split()]
    return {("a", *gram) for position, gram in enumerate(_triples(words)) if _sampled(position, gram[1])}


def _title_grams(text: str) -> set[tuple]:
    return {("t", *gram) for gram in _triples(text.split())}


def _triples(words: list) -> Iterable[tuple]:
    return zip(words, words[1:], words[2:], strict=False)


def _sampled(position: int, middle_hash: int) -> bool:
    """The blocking sample: every leading gram, then a third, then an eighth (by middle word)."""
    if position < LEADING_GRAMS:
        return True
    return middle_hash % (DENSE_EVERY if position < DENSE_UNTIL else SAMPLE_EVERY) == 0


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
