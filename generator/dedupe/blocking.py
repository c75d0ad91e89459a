"""Blocking: which pairs of entries are worth comparing (never all pairs), by the rule
:mod:`generator.dedupe.blocking_keys` states.

Small inputs are indexed here, plainly; from :data:`ARRAYS_FROM`
entries on, :mod:`generator.dedupe.gram_arrays` counts the same rule over NumPy arrays (imported
only then: a small site need not pay for loading NumPy).
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from typing import TYPE_CHECKING

from generator.dedupe.blocking_keys import (
    DENSE_EVERY,
    DENSE_UNTIL,
    LEADING_GRAMS,
    MIN_SHARED,
    NEIGHBOUR_WINDOW,
    SAMPLE_EVERY,
    SHARED_FRACTION,
    SMALL_POSTING,
    WORD_HASHES,
    Pair,
    title_variants,
    variant_posting_pairs,
)
from generator.executor import LOCAL, Executor

if TYPE_CHECKING:
    from generator.dedupe.gram_arrays import EntryGrams

ARRAYS_FROM = 3_000  # entries; below this the plain Python index is faster than loading NumPy


def candidate_pairs(
    abstracts: EntryGrams | Sequence[str],
    titles: Sequence[str],
    identifiers: Sequence[Iterable[str]],
    executor: Executor = LOCAL,
) -> set[Pair]:
    """Index pairs ``(i, j)``, ``i < j``, of entries worth comparing.

    ``abstracts`` are comparison keys (lowercase words separated by single spaces), or (large
    inputs) the entries' gram keys already computed, on every core, with the other signature keys;
    ``titles`` are comparison keys.
    """
    exact_keys = exact_keys_of(titles, identifiers)
    pairs = _posting_pairs_of(_exact_postings(exact_keys))
    if isinstance(abstracts, Sequence) and len(titles) < ARRAYS_FROM:
        variants = variant_pairs(postings_of(map(title_variants, titles)).values(), titles)
        return pairs | variants | _plain_gram_pairs(abstracts, titles, exact_keys)
    from generator.dedupe.gram_arrays import EntryGrams, shared_gram_pairs

    grams = abstracts if isinstance(abstracts, EntryGrams) else EntryGrams.of(abstracts, titles)
    return pairs | grams.variant_pairs() | shared_gram_pairs(grams, [len(keys) for keys in exact_keys], executor)


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


def variant_pairs(postings: Iterable[list[int]], titles: Sequence[str]) -> set[Pair]:
    """The pairs the title variants give (:func:`~generator.dedupe.blocking_keys.variant_posting_pairs`)."""
    pairs: set[Pair] = set()
    for members in postings:
        if len(members) > 1:
            pairs.update(variant_posting_pairs(members, [titles[member] for member in members]))
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
