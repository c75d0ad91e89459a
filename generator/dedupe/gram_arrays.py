"""The NumPy side of blocking, for large inputs: shared word 3-grams counted over whole arrays.

At 65,000 entries and millions of grams, a Python loop per gram would dominate the build; here
words are 32-bit hashes (computed with the other signature keys, on every core), a gram is a 64-bit
mix of its three words, and postings are runs of a sorted key array.  The rule is the one
:mod:`generator.dedupe.blocking_keys` states and :mod:`generator.dedupe.blocking` implements
plainly for small inputs; tests check that both give the same pairs.  A hash collision can only add
a candidate pair, never hide one.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from generator.dedupe.blocking_keys import (
    MIN_SHARED,
    NEIGHBOUR_WINDOW,
    SHARED_FRACTION,
    SMALL_POSTING,
    VARIANT_TITLES,
    Pair,
    variant_posting_pairs,
)
from generator.dedupe.hashed_grams import HashedTexts, gram_keys, sampled_grams, title_variant_rows
from generator.executor import LOCAL, Executor
from generator.memory import give_back_freed_blocks, keep_freed_blocks


@dataclass
class EntryGrams:
    """The blocking keys of some entries: one row per sampled abstract gram or title gram, with the
    entry it belongs to (counted from 0 within these entries).  Computed per source where it is
    parsed, on every core, and joined for the whole site."""

    owners: np.ndarray
    keys: np.ndarray
    count: int
    variants: TitleVariants = field(default_factory=lambda: TitleVariants.of([]))

    @classmethod
    def of(cls, abstracts: Sequence[str], titles: Sequence[str]) -> EntryGrams:
        """Keys of entries given by their abstracts' and titles' comparison keys."""
        return cls.of_groups([(abstracts, titles)])[0]

    @classmethod
    def of_groups(cls, groups: Sequence[tuple[Sequence[str], Sequence[str]]]) -> list[EntryGrams]:
        """:meth:`of` each group of entries (their abstracts and titles), computed for all of them at
        once (NumPy's fixed cost per call is paid once, not once per source) and then cut: the same
        keys in the same order as one group at a time."""
        counts = [len(titles) for _, titles in groups]
        abstract_grams = sampled_grams(HashedTexts.of([text for texts, _ in groups for text in texts]), sampled=True)
        title_grams = sampled_grams(HashedTexts.of([text for _, texts in groups for text in texts]), sampled=False)
        abstract_keys, title_keys = gram_keys(abstract_grams, 0), gram_keys(title_grams, 1)
        variants = [TitleVariants.of(titles) for _, titles in groups]
        starts = np.cumsum([0, *counts])  # each group's first entry; grams come in their entries' order
        abstract_cuts = np.searchsorted(abstract_grams.owners, starts)
        title_cuts = np.searchsorted(title_grams.owners, starts)
        return [
            cls(
                np.concatenate((abstract_grams.owners[a:b], title_grams.owners[c:d])) - np.int32(start),
                np.concatenate((abstract_keys[a:b], title_keys[c:d])),
                count,
                group_variants,
            )
            for start, count, group_variants, a, b, c, d in zip(
                starts.tolist(),
                counts,
                variants,
                abstract_cuts.tolist(),
                abstract_cuts[1:].tolist(),
                title_cuts.tolist(),
                title_cuts[1:].tolist(),
                strict=False,
            )
        ]

    @classmethod
    def join(cls, parts: Sequence[EntryGrams]) -> EntryGrams:
        """One set of keys for consecutive runs of entries (each part's owners shifted past the last)."""
        if not parts:
            return cls(np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int64), 0)
        offsets = np.cumsum([0] + [part.count for part in parts[:-1]], dtype=np.int64)
        owners = np.concatenate([part.owners + np.int32(offset) for part, offset in zip(parts, offsets, strict=True)])
        variants = TitleVariants.join([part.variants for part in parts], offsets)
        return cls(owners, np.concatenate([part.keys for part in parts]), sum(part.count for part in parts), variants)

    def variant_pairs(self) -> set[Pair]:
        """The pairs sharing a title variant that at most :data:`VARIANT_POSTING` entries hold."""
        return self.variants.pairs()


@dataclass
class TitleVariants:
    """The title variants (:func:`~generator.dedupe.blocking_keys.title_variants`) of some entries:
    one row per variant, with the entry it belongs to and the entry's title (its
    :func:`~generator.dedupe.blocking_keys.title_id`)."""

    owners: np.ndarray
    keys: np.ndarray
    titles: np.ndarray

    @classmethod
    def of(cls, titles: Sequence[str]) -> TitleVariants:
        rows = title_variant_rows(titles)
        return cls(rows.owners, rows.keys, rows.title_ids[rows.owners])

    @classmethod
    def join(cls, parts: Sequence[TitleVariants], offsets: np.ndarray) -> TitleVariants:
        owners = [part.owners + np.int32(offset) for part, offset in zip(parts, offsets, strict=True)]
        return cls(
            np.concatenate(owners), *(np.concatenate([getattr(p, name) for p in parts]) for name in ("keys", "titles"))
        )

    def renumbered(self, numbers: np.ndarray) -> TitleVariants:
        """The same variants, entry ``i`` numbered ``numbers[i]``."""
        return TitleVariants(numbers[self.owners].astype(np.int32), self.keys, self.titles)

    def sorted(self) -> TitleVariants:
        """The same rows, by key, then title, then entry."""
        order = np.lexsort((self.owners, self.titles, self.keys))
        return TitleVariants(self.owners[order], self.keys[order], self.titles[order])

    def pairs(self) -> set[Pair]:
        """The pairs the variants give (see :func:`~generator.dedupe.blocking_keys.variant_posting_pairs`)."""
        pairs: set[Pair] = set()
        for members, titles in self.sorted().shared_postings():
            pairs.update(variant_posting_pairs(members, titles))
        return pairs

    def shared_postings(self, keys: np.ndarray | None = None) -> list[tuple[list[int], list[int]]]:
        """(entries, their titles) of each variant (of ``keys``, else all) that 2 to
        :data:`~generator.dedupe.blocking_keys.VARIANT_TITLES` different titles hold (rows sorted)."""
        if keys is None:
            starts = np.flatnonzero(np.r_[True, self.keys[1:] != self.keys[:-1]]) if len(self.keys) else self.keys[:0]
            stops = np.r_[starts[1:], len(self.keys)].astype(np.int64)
        else:
            starts = np.searchsorted(self.keys, keys, side="left")
            stops = np.searchsorted(self.keys, keys, side="right")
        changes = np.zeros(len(self.titles), dtype=np.int64)
        changes[1:] = self.titles[1:] != self.titles[:-1]
        counted = np.r_[0, np.cumsum(changes)]  # counted[k]: title changes among the first k rows
        held = stops > starts
        titles_held = np.where(held, counted[stops] - counted[np.minimum(starts + 1, stops)] + 1, 0)
        chosen = (titles_held > 1) & (titles_held <= VARIANT_TITLES)
        return [
            (self.owners[start:stop].tolist(), self.titles[start:stop].tolist())
            for start, stop in zip(starts[chosen].tolist(), stops[chosen].tolist(), strict=True)
        ]


OWNER_BITS = 20  # up to a million entries, a gram key and its entry share one 64-bit integer


def shared_gram_pairs(grams: EntryGrams, exact_sizes: list[int], executor: Executor = LOCAL) -> set[Pair]:
    """Pairs sharing enough sampled abstract grams or title grams (see :mod:`generator.dedupe.blocking_keys`)."""
    return gram_counts(grams, executor).passing(np.array(exact_sizes, dtype=np.int64))


@dataclass
class GramCounts:
    """What blocking counted over the gram keys of ``count`` entries: each pair's code (``left *
    count + right``, sorted) and how many keys it shares by the posting rule, and each entry's
    number of distinct keys; ``rows``, every entry's keys once (key above owner, sorted), lets
    :meth:`update` count again only the keys an edit touched (None beyond 2**20 entries).  The
    pairs an update adds are counted in the small ``extra`` arrays (sorted, none of them among
    ``codes``) until there are enough of them to merge: adding a few to the millions of ``codes``
    would copy them all on every edit; a pair left sharing nothing keeps a count of 0 until then."""

    rows: np.ndarray | None
    codes: np.ndarray
    counts: np.ndarray
    sizes: np.ndarray
    count: int
    extra_codes: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    extra_counts: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    def passing(self, exact_sizes: np.ndarray, codes: np.ndarray | None = None) -> set[Pair]:
        """The pairs (among ``codes``, else all) that share enough grams, given each entry's exact keys."""
        sizes = self.sizes + exact_sizes
        if codes is None:
            return _enough_shared(self.codes, self.counts, sizes) | _enough_shared(
                self.extra_codes, self.extra_counts, sizes
            )
        found, counts = _looked_up(self.codes, self.counts, codes)
        found_extra, extra_counts = _looked_up(self.extra_codes, self.extra_counts, codes)
        return _enough_shared(codes[found], counts, sizes) | _enough_shared(codes[found_extra], extra_counts, sizes)


def positions_in(keys: np.ndarray, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each of ``codes`` is or would go in the sorted ``keys``, and whether it is there."""
    position = np.searchsorted(keys, codes)
    present = position < len(keys)
    present[present] = keys[position[present]] == codes[present]
    return position, present


def _looked_up(keys: np.ndarray, values: np.ndarray, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which of ``codes`` the sorted ``keys`` hold, and their values."""
    position, present = positions_in(keys, codes)
    return present, values[position[present]]


def gram_counts(grams: EntryGrams, executor: Executor = LOCAL) -> GramCounts:
    """Count shared grams.  The keys are cut into slices by their top bits, and each slice's pairs
    are counted in its own thread (NumPy's sorts and array operations release the GIL, so the
    slices use every core); the slices' counts are then added up.  Equal keys always fall in the
    same slice, and slices in order hold keys in order.
    """
    keep_freed_blocks()  # the threads' temporary arrays reuse each other's memory ...
    slices = _key_slices(grams, SLICES)
    counted = list(executor.map(_slice_pair_counts, grams.count, slices, 2, threads=True))
    give_back_freed_blocks()  # ... which then goes back to the system
    codes, counts = added_counts([(codes, counts) for codes, counts, *_ in counted])
    sizes = sum(keys_per_entry for _, _, keys_per_entry, _ in counted)
    rows = None if any(rows is None for *_, rows in counted) else np.concatenate([rows for *_, rows in counted])
    return GramCounts(rows, codes, counts, np.asarray(sizes, dtype=np.int64), grams.count)


def packed_rows(owners: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Key (its top 44 bits) above owner, one 64-bit integer per gram."""
    shift = np.uint64(OWNER_BITS)
    return (keys.view(np.uint64) >> shift << shift) | owners.astype(np.uint64)


def pair_counts(owners: np.ndarray, keys: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
    """Pair codes (``left * count + right``, sorted) of (owner, key) rows sorted by key, and how
    many keys each pair shares."""
    left, right = _gram_posting_pairs(owners, keys)
    return _counted(left.astype(np.int64) * count + right)


SLICES = min(os.cpu_count() or 1, 4)  # threads counting pairs; rounded down to a power of two


def _key_slices(grams: EntryGrams, wanted: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """(owners, keys) of the grams in each slice of the key space (a power of two, at most ``wanted``)."""
    bits = max(0, wanted.bit_length() - 1)
    if bits == 0:
        return [(grams.owners, grams.keys)]
    slice_of = grams.keys.view(np.uint64) >> np.uint64(64 - bits)
    return [(grams.owners[slice_of == index], grams.keys[slice_of == index]) for index in range(1 << bits)]


def _slice_pair_counts(
    entry_count: int, rows: tuple[np.ndarray, np.ndarray]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]:
    """One slice's pair codes (``left * entry_count + right``, sorted), how many keys each pair
    shares, how many distinct keys of the slice each entry has, and its packed rows (if packed)."""
    owners, keys, packed = _unique_keys(*rows)
    codes, counts = pair_counts(owners, keys, entry_count)
    return codes, counts, np.bincount(owners, minlength=entry_count), packed


def added_counts(parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """Sorted codes with counts, from several such arrays (a stable sort merges their sorted runs)."""
    if len(parts) == 1:
        return parts[0]
    codes = np.concatenate([codes for codes, _ in parts])
    counts = np.concatenate([counts for _, counts in parts])
    order = np.argsort(codes, kind="stable")
    codes, counts = codes[order], counts[order]
    if not len(codes):
        return codes, counts
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    return codes[starts], np.add.reduceat(counts, starts)


def _unique_keys(owners: np.ndarray, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """(owner, key) arrays with each entry's keys counted once, sorted by key then owner, and the
    same rows packed in one integer each (None when owners do not fit in :data:`OWNER_BITS`)."""
    if not len(owners) or owners.max() < 1 << OWNER_BITS:
        return _unique_packed(owners, keys)
    order = np.lexsort((owners, keys))
    owners, keys = owners[order], keys[order]
    first = np.ones(len(keys), dtype=bool)
    first[1:] = (keys[1:] != keys[:-1]) | (owners[1:] != owners[:-1])
    return owners[first], keys[first], None


def _unique_packed(owners: np.ndarray, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_unique_keys` by one sort of plain integers: the key's top bits above the owner's.

    Keeping 44 bits of a 64-bit key adds, at millions of grams, about one chance collision: at
    worst one extra shared gram for some pair (never a lost one).
    """
    shift = np.uint64(OWNER_BITS)
    packed, _ = _counted(packed_rows(owners, keys))
    return (packed & np.uint64((1 << OWNER_BITS) - 1)).astype(np.int32), (packed >> shift).view(np.int64), packed


def _enough_shared(codes: np.ndarray, counts: np.ndarray, sizes: np.ndarray) -> set[Pair]:
    """Pairs sharing at least :data:`MIN_SHARED` grams and :data:`SHARED_FRACTION` of the smaller's keys."""
    left, right = codes // len(sizes), codes % len(sizes)
    enough = (counts >= MIN_SHARED) & (counts >= SHARED_FRACTION * np.minimum(sizes[left], sizes[right]))
    return set(zip(left[enough].tolist(), right[enough].tolist(), strict=True))


def _counted(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct values (sorted) and how often each occurs; sort and run lengths beat ``np.unique`` here."""
    ordered = np.sort(values)
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]]) if len(ordered) else np.zeros(0, dtype=np.int64)
    return ordered[starts], np.diff(np.r_[starts, len(ordered)])


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
