"""Shared-gram counts kept up to date: after some entries traded their blocking keys for others,
only the postings of the keys they had or have are counted again, before and after, and the
difference applied to the counts (see :mod:`generator.incremental.blocking_index`).
"""

from __future__ import annotations

import numpy as np

from generator.dedupe.gram_arrays import (
    OWNER_BITS,
    EntryGrams,
    GramCounts,
    added_counts,
    packed_rows,
    pair_counts,
    positions_in,
)

EXTRA_PAIRS = 20_000  # extra pairs kept apart from the counted codes, at least ...


EXTRA_SHARE = 64  # ... or this share of them


def _touching(codes: np.ndarray, count: int, entries: np.ndarray) -> np.ndarray:
    """The pair codes (of ``count`` entries) with one of ``entries`` at either end."""
    return codes[np.isin(codes // count, entries) | np.isin(codes % count, entries)]


def _ranges(starts: np.ndarray, stops: np.ndarray) -> np.ndarray:
    """The indexes ``start…stop-1`` of every range, concatenated."""
    lengths = stops - starts
    return np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths - starts, lengths)


def _posting_counts(rows: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
    """Pair codes and shared counts of the postings in ``rows`` (packed, sorted)."""
    owners = (rows & np.uint64((1 << OWNER_BITS) - 1)).astype(np.int64)
    return pair_counts(owners, rows >> np.uint64(OWNER_BITS), count)


def _negated(counted: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    return counted[0], -counted[1]


def _replaced(rows: np.ndarray, old: np.ndarray, new: np.ndarray) -> np.ndarray:
    """Sorted ``rows`` with the rows ``old`` (all among them) replaced by the rows ``new``."""
    gone, added = np.setdiff1d(old, new, assume_unique=True), np.setdiff1d(new, old, assume_unique=True)
    if len(gone):
        rows = delete_at(rows, np.searchsorted(rows, gone))
    if len(added):
        rows = insert_at(rows, np.searchsorted(rows, added), added)
    return rows


def insert_at(array: np.ndarray, positions: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``np.insert`` of ``values`` at sorted ``positions``, as one concatenation of slices (about
    twice as fast on the arrays of millions of rows an edit changes in a few places)."""
    if not len(positions):
        return array
    pieces: list[np.ndarray] = [values] * (2 * len(positions) + 1)
    pieces[::2] = np.split(array, positions)
    pieces[1::2] = np.split(values, np.arange(1, len(values)))
    return np.concatenate(pieces)


def delete_at(array: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """``np.delete`` of the rows at sorted, distinct ``positions``, as one concatenation of slices."""
    pieces = np.split(array, positions)
    return np.concatenate([pieces[0], *(piece[1:] for piece in pieces[1:])])


def update_counts(state: GramCounts, changed: np.ndarray, old: EntryGrams, new: EntryGrams) -> np.ndarray:
    """Count ``state`` again after the entries ``changed`` traded their ``old`` grams for ``new`` ones
    (owners: site-wide indexes); return the codes of the pairs whose count or whose entry's
    size changed.  Only the postings of the keys those entries had or have are counted, before
    and after.  Updated in place."""
    assert state.rows is not None
    shift, mask = np.uint64(OWNER_BITS), np.uint64((1 << OWNER_BITS) - 1)
    old_rows, new_rows = np.unique(packed_rows(old.owners, old.keys)), np.unique(packed_rows(new.owners, new.keys))
    keys = np.union1d(old_rows >> shift, new_rows >> shift)
    starts = np.searchsorted(state.rows, keys << shift)
    before = state.rows[_ranges(starts, np.searchsorted(state.rows, (keys << shift) | mask, side="right"))]
    after = np.sort(np.concatenate((before[~np.isin((before & mask).astype(np.int64), changed)], new_rows)))
    pairs_before, pairs_after = _posting_counts(before, state.count), _posting_counts(after, state.count)
    codes, counts = added_counts([pairs_after, _negated(pairs_before)])
    _apply(state, codes[counts != 0], counts[counts != 0])  # a large posting's pairs mostly stay as they were
    state.rows = _replaced(state.rows, old_rows, new_rows)
    state.sizes[changed] = 0
    np.add.at(state.sizes, (new_rows & mask).astype(np.int64), 1)
    with_changed = np.union1d(*(_touching(pairs[0], state.count, changed) for pairs in (pairs_before, pairs_after)))
    return np.union1d(codes[counts != 0], with_changed)


def _apply(state: GramCounts, delta_codes: np.ndarray, delta_counts: np.ndarray) -> None:
    """Add the (sorted) deltas to the counts: in place for the pairs among ``codes``, in the
    extra arrays for the others (merged into ``codes`` once they are many)."""
    position, present = positions_in(state.codes, delta_codes)
    state.counts[position[present]] += delta_counts[present]
    if present.all():
        return
    added = (delta_codes[~present], delta_counts[~present])
    codes, counts = added_counts([(state.extra_codes, state.extra_counts), added])
    state.extra_codes, state.extra_counts = codes[counts != 0], counts[counts != 0]
    if len(state.extra_codes) > max(EXTRA_PAIRS, len(state.codes) // EXTRA_SHARE):
        _merge_extra(state)


def _merge_extra(state: GramCounts) -> None:
    """Put the extra pairs among ``codes``, dropping the pairs that share nothing any more."""
    position = np.searchsorted(state.codes, state.extra_codes)
    codes = insert_at(state.codes, position, state.extra_codes)
    counts = insert_at(state.counts, position, state.extra_counts)
    shared = counts != 0
    state.codes, state.counts = codes[shared], counts[shared]
    state.extra_codes, state.extra_counts = state.extra_codes[:0], state.extra_counts[:0]
