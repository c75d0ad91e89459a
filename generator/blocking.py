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

The gram counting runs in NumPy over whole arrays: at 65,000 entries and
millions of grams, a Python loop per gram would dominate the build.
"""

from __future__ import annotations

import itertools
import zlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

LEADING_GRAMS = 16
DENSE_UNTIL = 64
DENSE_EVERY = 3
SAMPLE_EVERY = 8
MIN_SHARED = 3
SHARED_FRACTION = 0.15
SMALL_POSTING = 40
NEIGHBOUR_WINDOW = 4
EXACT_VOCABULARY = 1 << 20  # below this many distinct words, a gram's key is exact (no hashing)

Pair = tuple[int, int]


def candidate_pairs(abstracts: Sequence[str], titles: Sequence[str], identifiers: Sequence[Iterable[str]]) -> set[Pair]:
    """Index pairs ``(i, j)``, ``i < j``, of entries worth comparing.

    ``abstracts`` and ``titles`` are comparison keys (lowercase words separated by single spaces).
    """
    exact_keys = _exact_keys(titles, identifiers)
    vocabulary = _Vocabulary()
    abstract_grams = _grams(vocabulary, abstracts, sampled=True)
    title_grams = _grams(vocabulary, titles, sampled=False)
    owners, keys = _unique_keys(vocabulary, abstract_grams, title_grams)
    sizes = np.bincount(owners, minlength=len(abstracts)) + np.array([len(k) for k in exact_keys], dtype=np.int64)
    pairs = _posting_pairs_of(_exact_postings(exact_keys))
    return pairs | _shared_gram_pairs(owners, keys, sizes)


def _exact_keys(titles: Sequence[str], identifiers: Sequence[Iterable[str]]) -> list[set[str]]:
    """Each entry's title and identifier keys."""
    return [
        ({"title:" + title} if title else set()) | {"id:" + identifier for identifier in ids}
        for title, ids in zip(titles, identifiers, strict=True)
    ]


def _exact_postings(exact_keys: list[set[str]]) -> list[list[int]]:
    postings: dict[str, list[int]] = defaultdict(list)
    for index, keys in enumerate(exact_keys):
        for key in keys:
            postings[key].append(index)
    return [members for members in postings.values() if len(members) > 1]


def _posting_pairs_of(postings: list[list[int]]) -> set[Pair]:
    """All pairs of a small posting; only near neighbours of a large one."""
    pairs: set[Pair] = set()
    for members in postings:
        if len(members) <= SMALL_POSTING:
            pairs.update(itertools.combinations(members, 2))
        else:
            pairs.update(
                (members[i], members[j])
                for i in range(len(members))
                for j in range(i + 1, min(i + 1 + NEIGHBOUR_WINDOW, len(members)))
            )
    return pairs


class _Vocabulary:
    """Word → dense integer id, in first-seen order (deterministic for the same input)."""

    BATCH = 2048  # texts split at once: big enough to stay in C, small enough not to hold every word

    def __init__(self) -> None:
        self.ids: defaultdict[str, int] = defaultdict(itertools.count().__next__)

    def encode(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Every word's id, flat, and each text's word count (texts are single-spaced words)."""
        lengths = np.array([text.count(" ") + 1 if text else 0 for text in texts], dtype=np.int64)
        words = np.empty(int(lengths.sum()), dtype=np.int32)
        done = 0
        for batch in range(0, len(texts), self.BATCH):
            batch_words = " ".join(text for text in texts[batch : batch + self.BATCH] if text).split()
            words[done : done + len(batch_words)] = np.fromiter(
                map(self.ids.__getitem__, batch_words), dtype=np.int32, count=len(batch_words)
            )
            done += len(batch_words)
        return words, lengths

    def sampled(self, every: int) -> np.ndarray:
        """Per word id: does the word fall in the sampled ``1/every`` of the vocabulary?"""
        words = sorted(self.ids, key=self.ids.__getitem__)
        return np.array([zlib.crc32(word.encode()) % every == 0 for word in words], dtype=bool)


@dataclass
class _Grams:
    """Word 3-grams of many texts: the ids of their three words and the text each belongs to."""

    owners: np.ndarray
    first: np.ndarray
    middle: np.ndarray
    last: np.ndarray


def _grams(vocabulary: _Vocabulary, texts: Sequence[str], sampled: bool) -> _Grams:
    """All 3-grams of ``texts``; with ``sampled``, only the blocking sample of them."""
    words, lengths = vocabulary.encode(texts)
    positions = np.arange(len(words), dtype=np.int32) - np.repeat(
        (np.cumsum(lengths) - lengths).astype(np.int32), lengths
    )
    keep = positions < np.repeat(lengths.astype(np.int32) - 2, lengths)  # a gram needs two more words of its text
    if sampled:
        keep &= _sample_mask(vocabulary, words, positions)
    del positions
    index = np.flatnonzero(keep)
    del keep
    owners = np.repeat(np.arange(len(texts), dtype=np.int32), lengths)[index]
    return _Grams(owners, words[index], words[index + 1], words[index + 2])


def _sample_mask(vocabulary: _Vocabulary, words: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """Which grams (by their first word's place) the blocking sample keeps."""
    middle = np.zeros_like(words)
    middle[:-1] = words[1:]
    dense, sparse = vocabulary.sampled(DENSE_EVERY), vocabulary.sampled(SAMPLE_EVERY)
    return (
        (positions < LEADING_GRAMS)
        | ((positions < DENSE_UNTIL) & dense[middle])
        | ((positions >= DENSE_UNTIL) & sparse[middle])
    )


def _gram_keys(vocabulary: _Vocabulary, grams: _Grams, kind: int) -> np.ndarray:
    """One int64 per gram, equal for equal grams of the same ``kind`` (0: abstract, 1: title)."""
    size = len(vocabulary.ids)
    first, middle, last = (words.astype(np.int64) for words in (grams.first, grams.middle, grams.last))
    if size < EXACT_VOCABULARY:
        return ((first * size + middle) * size + last) * 2 + kind
    mixed = (
        first.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
        ^ middle.astype(np.uint64) * np.uint64(0xC2B2AE3D27D4EB4F)
        ^ (last.astype(np.uint64) * np.uint64(2) + np.uint64(kind)) * np.uint64(0x165667B19E3779F9)
    )
    return mixed.view(np.int64)


def _unique_keys(vocabulary: _Vocabulary, abstract_grams: _Grams, title_grams: _Grams) -> tuple[np.ndarray, np.ndarray]:
    """(owner, key) arrays with each entry's keys counted once, sorted by key then owner."""
    owners = np.concatenate((abstract_grams.owners, title_grams.owners))
    keys = np.concatenate((_gram_keys(vocabulary, abstract_grams, 0), _gram_keys(vocabulary, title_grams, 1)))
    order = np.lexsort((owners, keys))
    owners, keys = owners[order], keys[order]
    first = np.ones(len(keys), dtype=bool)
    first[1:] = (keys[1:] != keys[:-1]) | (owners[1:] != owners[:-1])
    return owners[first], keys[first]


def _shared_gram_pairs(owners: np.ndarray, keys: np.ndarray, sizes: np.ndarray) -> set[Pair]:
    """Pairs sharing at least :data:`MIN_SHARED` grams and :data:`SHARED_FRACTION` of the smaller's keys."""
    left, right = _gram_posting_pairs(owners, keys)
    codes, counts = np.unique(left.astype(np.int64) * len(sizes) + right, return_counts=True)
    left, right = codes // len(sizes), codes % len(sizes)
    enough = (counts >= MIN_SHARED) & (counts >= SHARED_FRACTION * np.minimum(sizes[left], sizes[right]))
    return set(zip(left[enough].tolist(), right[enough].tolist(), strict=True))


def _gram_posting_pairs(owners: np.ndarray, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For every key shared by several entries, its pairs (one row per pair and shared key)."""
    run_starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    run_lengths = np.diff(np.r_[run_starts, len(keys)])
    lengths = np.repeat(run_lengths, run_lengths)
    shared = np.flatnonzero(lengths > 1)
    owners, lengths = owners[shared], lengths[shared]
    offsets = shared - np.repeat(run_starts, run_lengths)[shared]  # position inside its posting
    lefts, rights = [], []
    reaching = np.arange(len(owners))
    for distance in range(1, SMALL_POSTING):
        within = offsets[reaching] + distance < lengths[reaching]
        if distance > NEIGHBOUR_WINDOW:
            within &= lengths[reaching] <= SMALL_POSTING
        reaching = reaching[within]  # a member that cannot reach this far cannot reach farther
        if not len(reaching):
            break
        lefts.append(owners[reaching])
        rights.append(owners[reaching + distance])
    if not lefts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(lefts), np.concatenate(rights)
