"""The NumPy side of blocking, for large inputs: shared word 3-grams counted over whole arrays.

At 65,000 entries and millions of grams, a Python loop per gram would dominate the build; here
words are 32-bit hashes (computed with the other signature keys, on every core), a gram is a 64-bit
mix of its three words, and postings are runs of a sorted key array.  The rule is the one
:mod:`generator.blocking` documents and implements plainly for small inputs; tests check that both
give the same pairs.  A hash collision can only add a candidate pair, never hide one.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

# NumPy asks Linux for transparent huge pages for large arrays; where the kernel then compacts
# memory on the spot (defrag "madvise", a common default), blocking's first pass over fresh arrays
# stalls in the kernel (0.5 s of 1.4 s at 65,000 entries).  Read once, when NumPy is imported;
# a value the user set wins.
os.environ.setdefault("NUMPY_MADVISE_HUGEPAGE", "0")

import numpy as np

from generator.dedupe.blocking import (
    DENSE_EVERY,
    DENSE_UNTIL,
    HASH_BASE,
    LEADING_GRAMS,
    MIN_SHARED,
    MIX_MULTIPLIERS,
    MIX_SHIFTS,
    NEIGHBOUR_WINDOW,
    SAMPLE_EVERY,
    SHARED_FRACTION,
    SMALL_POSTING,
    Pair,
    word_hash,
)
from generator.memory import give_back_freed_blocks, keep_freed_blocks


@dataclass
class HashedTexts:
    """Many texts as one array of word hashes (see :func:`word_hashes`) and each text's word count."""

    words: np.ndarray
    lengths: np.ndarray

    @classmethod
    def of(cls, texts: Sequence[str]) -> HashedTexts:
        """Hash comparison keys (lowercase words separated by single spaces), all in one pass."""
        lengths = np.fromiter((text.count(" ") + 1 if text else 0 for text in texts), dtype=np.int64, count=len(texts))
        return cls(word_hashes(" ".join(text for text in texts if text)), lengths)


@dataclass
class EntryGrams:
    """The blocking keys of some entries: one row per sampled abstract gram or title gram, with the
    entry it belongs to (counted from 0 within these entries).  Computed per source where it is
    parsed, on every core, and joined for the whole site."""

    owners: np.ndarray
    keys: np.ndarray
    count: int

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
        abstract_grams = _grams(HashedTexts.of([text for texts, _ in groups for text in texts]), sampled=True)
        title_grams = _grams(HashedTexts.of([text for _, texts in groups for text in texts]), sampled=False)
        abstract_keys, title_keys = _gram_keys(abstract_grams, 0), _gram_keys(title_grams, 1)
        starts = np.cumsum([0, *counts])  # each group's first entry; grams come in their entries' order
        abstract_cuts = np.searchsorted(abstract_grams.owners, starts)
        title_cuts = np.searchsorted(title_grams.owners, starts)
        return [
            cls(
                np.concatenate((abstract_grams.owners[a:b], title_grams.owners[c:d])) - np.int32(start),
                np.concatenate((abstract_keys[a:b], title_keys[c:d])),
                count,
            )
            for start, count, a, b, c, d in zip(
                starts.tolist(),
                counts,
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
        return cls(owners, np.concatenate([part.keys for part in parts]), sum(part.count for part in parts))

    def placed(self, slots: Sequence[int], count: int) -> EntryGrams:
        """These keys with entry ``i`` numbered ``slots[i]`` (increasing) among ``count``."""
        return EntryGrams(np.asarray(slots, dtype=np.int32)[self.owners], self.keys, count)


OWNER_BITS = 20  # up to a million entries, a gram key and its entry share one 64-bit integer


def shared_gram_pairs(grams: EntryGrams, exact_sizes: list[int]) -> set[Pair]:
    """Pairs sharing enough sampled abstract grams or title grams (see :mod:`generator.blocking`)."""
    return gram_counts(grams).passing(np.array(exact_sizes, dtype=np.int64))


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

    def update(self, changed: np.ndarray, old: EntryGrams, new: EntryGrams) -> np.ndarray:
        """Count again after the entries ``changed`` traded their ``old`` grams for ``new`` ones
        (owners: site-wide indexes); return the codes of the pairs whose count or whose entry's
        size changed.  Only the postings of the keys those entries had or have are counted, before
        and after.  Updated in place."""
        assert self.rows is not None
        shift, mask = np.uint64(OWNER_BITS), np.uint64((1 << OWNER_BITS) - 1)
        old_rows, new_rows = np.unique(_packed(old.owners, old.keys)), np.unique(_packed(new.owners, new.keys))
        keys = np.union1d(old_rows >> shift, new_rows >> shift)
        starts = np.searchsorted(self.rows, keys << shift)
        before = self.rows[_ranges(starts, np.searchsorted(self.rows, (keys << shift) | mask, side="right"))]
        after = np.sort(np.concatenate((before[~np.isin((before & mask).astype(np.int64), changed)], new_rows)))
        pairs_before, pairs_after = _posting_counts(before, self.count), _posting_counts(after, self.count)
        codes, counts = _added_counts([pairs_after, _negated(pairs_before)])
        self._apply(codes[counts != 0], counts[counts != 0])  # a large posting's pairs mostly stay as they were
        self.rows = _replaced(self.rows, old_rows, new_rows)
        self.sizes[changed] = 0
        np.add.at(self.sizes, (new_rows & mask).astype(np.int64), 1)
        with_changed = np.union1d(*(_touching(pairs[0], self.count, changed) for pairs in (pairs_before, pairs_after)))
        return np.union1d(codes[counts != 0], with_changed)

    def _apply(self, delta_codes: np.ndarray, delta_counts: np.ndarray) -> None:
        """Add the (sorted) deltas to the counts: in place for the pairs among ``codes``, in the
        extra arrays for the others (merged into ``codes`` once they are many)."""
        position, present = _positions(self.codes, delta_codes)
        self.counts[position[present]] += delta_counts[present]
        if present.all():
            return
        added = (delta_codes[~present], delta_counts[~present])
        codes, counts = _added_counts([(self.extra_codes, self.extra_counts), added])
        self.extra_codes, self.extra_counts = codes[counts != 0], counts[counts != 0]
        if len(self.extra_codes) > max(EXTRA_PAIRS, len(self.codes) // EXTRA_SHARE):
            self._merge_extra()

    def _merge_extra(self) -> None:
        """Put the extra pairs among ``codes``, dropping the pairs that share nothing any more."""
        position = np.searchsorted(self.codes, self.extra_codes)
        codes = _inserted(self.codes, position, self.extra_codes)
        counts = _inserted(self.counts, position, self.extra_counts)
        shared = counts != 0
        self.codes, self.counts = codes[shared], counts[shared]
        self.extra_codes, self.extra_counts = self.extra_codes[:0], self.extra_counts[:0]


EXTRA_PAIRS = 20_000  # extra pairs kept apart from the counted codes, at least ...
EXTRA_SHARE = 64  # ... or this share of them


def _positions(keys: np.ndarray, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each of ``codes`` is or would go in the sorted ``keys``, and whether it is there."""
    position = np.searchsorted(keys, codes)
    present = position < len(keys)
    present[present] = keys[position[present]] == codes[present]
    return position, present


def _looked_up(keys: np.ndarray, values: np.ndarray, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which of ``codes`` the sorted ``keys`` hold, and their values."""
    position, present = _positions(keys, codes)
    return present, values[position[present]]


def gram_counts(grams: EntryGrams) -> GramCounts:
    """Count shared grams.  The keys are cut into slices by their top bits, and each slice's pairs
    are counted in its own thread (NumPy's sorts and array operations release the GIL, so the
    slices use every core); the slices' counts are then added up.  Equal keys always fall in the
    same slice, and slices in order hold keys in order.
    """
    keep_freed_blocks()  # the threads' temporary arrays reuse each other's memory ...
    slices = _key_slices(grams, SLICES)
    with ThreadPoolExecutor(len(slices)) as pool:
        counted = list(pool.map(functools.partial(_slice_pair_counts, grams.count), slices))
    give_back_freed_blocks()  # ... which then goes back to the system
    codes, counts = _added_counts([(codes, counts) for codes, counts, *_ in counted])
    sizes = sum(keys_per_entry for _, _, keys_per_entry, _ in counted)
    rows = None if any(rows is None for *_, rows in counted) else np.concatenate([rows for *_, rows in counted])
    return GramCounts(rows, codes, counts, np.asarray(sizes, dtype=np.int64), grams.count)


def _touching(codes: np.ndarray, count: int, entries: np.ndarray) -> np.ndarray:
    """The pair codes (of ``count`` entries) with one of ``entries`` at either end."""
    return codes[np.isin(codes // count, entries) | np.isin(codes % count, entries)]


def _packed(owners: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Key (its top 44 bits) above owner, one 64-bit integer per gram."""
    shift = np.uint64(OWNER_BITS)
    return (keys.view(np.uint64) >> shift << shift) | owners.astype(np.uint64)


def _ranges(starts: np.ndarray, stops: np.ndarray) -> np.ndarray:
    """The indexes ``start…stop-1`` of every range, concatenated."""
    lengths = stops - starts
    return np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths - starts, lengths)


def _posting_counts(rows: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
    """Pair codes and shared counts of the postings in ``rows`` (packed, sorted)."""
    owners = (rows & np.uint64((1 << OWNER_BITS) - 1)).astype(np.int64)
    return _pair_counts(owners, rows >> np.uint64(OWNER_BITS), count)


def _pair_counts(owners: np.ndarray, keys: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
    """Pair codes (``left * count + right``, sorted) of (owner, key) rows sorted by key, and how
    many keys each pair shares."""
    left, right = _gram_posting_pairs(owners, keys)
    return _counted(left.astype(np.int64) * count + right)


def _negated(counted: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    return counted[0], -counted[1]


def _replaced(rows: np.ndarray, old: np.ndarray, new: np.ndarray) -> np.ndarray:
    """Sorted ``rows`` with the rows ``old`` (all among them) replaced by the rows ``new``."""
    gone, added = np.setdiff1d(old, new, assume_unique=True), np.setdiff1d(new, old, assume_unique=True)
    if len(gone):
        rows = _deleted(rows, np.searchsorted(rows, gone))
    if len(added):
        rows = _inserted(rows, np.searchsorted(rows, added), added)
    return rows


def _inserted(array: np.ndarray, positions: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``np.insert`` of ``values`` at sorted ``positions``, as one concatenation of slices (about
    twice as fast on the arrays of millions of rows an edit changes in a few places)."""
    if not len(positions):
        return array
    pieces: list[np.ndarray] = [values] * (2 * len(positions) + 1)
    pieces[::2] = np.split(array, positions)
    pieces[1::2] = np.split(values, np.arange(1, len(values)))
    return np.concatenate(pieces)


def _deleted(array: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """``np.delete`` of the rows at sorted, distinct ``positions``, as one concatenation of slices."""
    pieces = np.split(array, positions)
    return np.concatenate([pieces[0], *(piece[1:] for piece in pieces[1:])])


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
    codes, counts = _pair_counts(owners, keys, entry_count)
    return codes, counts, np.bincount(owners, minlength=entry_count), packed


def _added_counts(parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
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


def word_hashes(text: str) -> np.ndarray:
    """:func:`~generator.blocking.word_hash` of each word of a comparison key (words separated by
    single spaces), all at once: the polynomial of a word is the difference of two running sums
    of the text's bytes, divided by a power of the base (a multiplication: the base is odd)."""
    data = text.encode()
    if not data:
        return np.zeros(0, dtype=np.uint32)
    return np.concatenate([_piece_hashes(piece) for piece in _pieces(data)])


PIECE_BYTES = 1 << 16  # a long text is hashed in pieces of about this size, cut between words
SPACE = ord(" ")


def _pieces(data: bytes) -> Iterator[bytes]:
    start = 0
    while (cut := data.find(b" ", start + PIECE_BYTES)) >= 0:
        yield data[start:cut]
        start = cut + 1
    yield data[start:]


def _piece_hashes(piece: bytes) -> np.ndarray:
    powers, inverse_powers = _power_tables()
    if len(piece) > len(powers):  # a piece holding a giant word: hashed word by word
        return np.array([word_hash(word) for word in piece.decode().split(" ")], dtype=np.uint32)
    codes = np.frombuffer(piece, dtype=np.uint8)
    running = np.zeros(len(codes) + 1, dtype=np.uint64)  # running[k]: the sum of the first k terms
    np.multiply(codes.astype(np.uint64), powers[: len(codes)], out=running[1:])  # one type: NumPy's fast loop
    np.cumsum(running[1:], out=running[1:])
    spaces = np.flatnonzero(codes == SPACE)
    starts = np.concatenate(([0], spaces + 1))
    ends = np.concatenate((spaces, [len(codes)]))
    return _mixed((running[ends] - running[starts]) * inverse_powers[starts])


@functools.cache
def _power_tables() -> tuple[np.ndarray, np.ndarray]:
    """Powers 0, 1, 2… of the hash base and of its inverse modulo 2**64 (NumPy's integers wrap)."""
    count = 4 * PIECE_BYTES
    return _powers(HASH_BASE, count), _powers(pow(HASH_BASE, -1, 1 << 64), count)


def _powers(base: int, count: int) -> np.ndarray:
    factors = np.full(count, base, dtype=np.uint64)
    factors[0] = 1
    return np.cumprod(factors, dtype=np.uint64)


def _mixed(values: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser of each value (see :func:`~generator.blocking.mix64`), top 32 bits."""
    for shift, multiplier in zip(MIX_SHIFTS, MIX_MULTIPLIERS, strict=False):
        values ^= values >> np.uint64(shift)
        values *= np.uint64(multiplier)
    values ^= values >> np.uint64(MIX_SHIFTS[-1])
    return (values >> np.uint64(32)).astype(np.uint32)


@dataclass
class _Grams:
    """Word 3-grams of many texts: the ids of their three words and the text each belongs to."""

    owners: np.ndarray
    first: np.ndarray
    middle: np.ndarray
    last: np.ndarray


def _grams(texts: HashedTexts, sampled: bool) -> _Grams:
    """All 3-grams of ``texts``; with ``sampled``, only the blocking sample of them."""
    words, lengths = texts.words, texts.lengths
    positions = np.arange(len(words), dtype=np.int32) - np.repeat(
        (np.cumsum(lengths) - lengths).astype(np.int32), lengths
    )
    keep = positions < np.repeat(lengths.astype(np.int32) - 2, lengths)  # a gram needs two more words of its text
    if sampled:
        keep &= _sample_mask(words, positions)
    del positions
    index = np.flatnonzero(keep)
    del keep
    owners = np.repeat(np.arange(len(lengths), dtype=np.int32), lengths)[index]
    return _Grams(owners, words[index], words[index + 1], words[index + 2])


def _sample_mask(words: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """Which grams (by their first word's place) the blocking sample keeps: the leading ones, then
    those whose middle word's hash falls in the sampled part (a third, then an eighth)."""
    middle = np.zeros_like(words)
    middle[:-1] = words[1:]
    return (
        (positions < LEADING_GRAMS)
        | ((positions < DENSE_UNTIL) & (middle % DENSE_EVERY == 0))
        | ((positions >= DENSE_UNTIL) & (middle % SAMPLE_EVERY == 0))
    )


def _gram_keys(grams: _Grams, kind: int) -> np.ndarray:
    """One 64-bit key per gram, equal for equal grams of the same ``kind`` (0: abstract, 1: title)."""
    first_two = (grams.first.astype(np.uint64) << np.uint64(32)) | grams.middle.astype(np.uint64)
    last = grams.last.astype(np.uint64) * np.uint64(2) + np.uint64(kind)
    mixed = first_two * np.uint64(0x9E3779B97F4A7C15) ^ last * np.uint64(0xC2B2AE3D27D4EB4F)
    return mixed.view(np.int64)


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
    packed, _ = _counted(_packed(owners, keys))
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
