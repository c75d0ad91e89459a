"""Blocking kept up to date: what the dev server remembers so that an edit re-counts only its keys.

Every count of :mod:`generator.dedupe.blocking` is a sum over postings (the entries holding one key),
and a posting changes only when one of its entries gained or lost the key.  So after some
entries changed their keys (an edited abstract or title), the pairs are found again exactly by
taking away what the touched postings contributed before and adding what they contribute now:
shared grams are counted in NumPy (:func:`~generator.incremental.gram_updates.update_counts`), exact
keys (titles, identifiers) here, each pair with the number of postings that pair it.  Only the
pairs whose count changed, or that hold a changed entry (its number of keys changed), are
checked against the thresholds again.  The result is the full blocking's, which tests check.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from generator.dedupe.blocking import exact_keys_of, member_pairs, postings_of
from generator.dedupe.blocking_keys import Pair, title_id, title_variants, variant_posting_pairs
from generator.dedupe.gram_arrays import EntryGrams, GramCounts, TitleVariants, gram_counts
from generator.incremental.gram_updates import update_counts


@dataclass
class BlockingIndex:
    """Blocking's state over all entries: their exact keys and postings, how many exact postings
    pair each two entries, the shared-gram counts, and the pairs that pass (see the module)."""

    exact_keys: list[set[str]]
    postings: dict[Hashable, list[int]]
    exact_pairs: Counter[Pair]
    grams: GramCounts
    gram_pairs: set[Pair]
    exact_sizes: np.ndarray  # each entry's number of exact keys
    variants: TitleVariants  # every entry's title variants, sorted (their small postings pair entries too)

    @classmethod
    def of(cls, grams: EntryGrams, titles: Sequence[str], identifiers: Sequence[Iterable[str]]) -> BlockingIndex:
        """Blocking over every entry, remembered."""
        counts = gram_counts(grams)
        exact_keys = exact_keys_of(titles, identifiers)
        postings = postings_of(exact_keys)
        exact_pairs: Counter[Pair] = Counter()
        for members in postings.values():
            exact_pairs.update(member_pairs(members))
        variants = grams.variants.sorted()
        for members, member_titles in variants.shared_postings():
            exact_pairs.update(variant_posting_pairs(members, member_titles))
        sizes = _sizes(exact_keys)
        return cls(exact_keys, postings, exact_pairs, counts, counts.passing(sizes), sizes, variants)

    @property
    def updatable(self) -> bool:
        """Can :meth:`update` count again? (Not beyond 2**20 entries: see GramCounts.)"""
        return self.grams.rows is not None

    def pairs(self) -> set[Pair]:
        """The candidate pairs: sharing an exact key, or enough grams."""
        return set(self.exact_pairs) | self.gram_pairs

    def update(
        self,
        changed: list[int],
        old: Sequence[tuple[str, str]],
        new: Sequence[tuple[str, str]],
        identifiers: Sequence[Iterable[str]],
    ) -> None:
        """The entries ``changed`` (sorted indexes) had the ``old`` (abstract, title) comparison
        keys and now have the ``new`` ones, and these ``identifiers``."""
        self._update_exact(changed, exact_keys_of([title for _, title in new], identifiers))
        retitled = [(index, o[1], n[1]) for index, o, n in zip(changed, old, new, strict=True) if o[1] != n[1]]
        if retitled:
            self._update_variants(retitled)
        entries = np.array(changed, dtype=np.int64)
        touched = update_counts(self.grams, entries, _grams_of(entries, old), _grams_of(entries, new))
        count = self.grams.count
        rechecked = {(int(code) // count, int(code) % count) for code in touched}
        self.gram_pairs -= rechecked  # in place: an index that fails half-way is never used again
        self.gram_pairs |= self.grams.passing(self.exact_sizes, touched)

    def _update_exact(self, changed: list[int], new_keys: list[set[str]]) -> None:
        touched = {key for index in changed for key in self.exact_keys[index]} | set().union(*new_keys)
        before = [pair for key in sorted(touched) for pair in member_pairs(self.postings.get(key, []))]
        self.exact_pairs.subtract(before)
        for index, keys in zip(changed, new_keys, strict=True):
            for key in self.exact_keys[index]:
                self.postings[key].remove(index)
            for key in keys:
                self.postings[key].append(index)
            self.exact_keys[index] = keys
            self.exact_sizes[index] = len(keys)
        for key in sorted(touched):
            members = self.postings[key] = sorted(self.postings[key])
            self.exact_pairs.update(member_pairs(members))
            if not members:
                del self.postings[key]
        for pair in before:  # drop the pairs no posting holds any more
            if self.exact_pairs.get(pair, 1) <= 0:
                del self.exact_pairs[pair]

    def _update_variants(self, retitled: list[tuple[int, str, str]]) -> None:
        """Entries given new titles: their variants replaced, and the pairs of the variants they
        held or hold now counted again."""
        old = [(index, key) for index, title, _ in retitled for key in title_variants(title)]
        new = [(index, key, title_id(title)) for index, _, title in retitled for key in title_variants(title)]
        touched = np.array(sorted({key for _, key in old} | {key for _, key, _ in new}), dtype=np.int64)
        self.exact_pairs.subtract(self._variant_pairs(touched))
        gone = np.isin(self.variants.owners, [index for index, *_ in retitled]) & np.isin(self.variants.keys, touched)
        added = TitleVariants(
            np.array([index for index, _, _ in new], dtype=np.int32),
            np.array([key for _, key, _ in new], dtype=np.int64),
            np.array([title for _, _, title in new], dtype=np.int64),
        )
        kept = TitleVariants(self.variants.owners[~gone], self.variants.keys[~gone], self.variants.titles[~gone])
        self.variants = TitleVariants.join([kept, added], np.zeros(2, dtype=np.int64)).sorted()
        self.exact_pairs.update(self._variant_pairs(touched))
        for pair in [pair for pair, shared in self.exact_pairs.items() if shared <= 0]:
            del self.exact_pairs[pair]

    def _variant_pairs(self, keys: np.ndarray) -> list[Pair]:
        """The pairs the postings of these variant keys give (one per posting)."""
        postings = self.variants.shared_postings(keys)
        return [pair for members, titles in postings for pair in variant_posting_pairs(members, titles)]


def _grams_of(entries: np.ndarray, texts: Sequence[tuple[str, str]]) -> EntryGrams:
    """The blocking keys of ``entries`` from their (abstract, title) keys, owned by their indexes."""
    grams = EntryGrams.of([abstract for abstract, _ in texts], [title for _, title in texts])
    return EntryGrams(entries[grams.owners], grams.keys, grams.count)


def _sizes(exact_keys: list[set[str]]) -> np.ndarray:
    return np.fromiter((len(keys) for keys in exact_keys), dtype=np.int64, count=len(exact_keys))


def placed(grams: EntryGrams, slots: Sequence[int], count: int) -> EntryGrams:
    """These keys with entry ``i`` numbered ``slots[i]`` (increasing) among ``count``."""
    numbers = np.asarray(slots, dtype=np.int32)
    return EntryGrams(numbers[grams.owners], grams.keys, count, grams.variants.renumbered(numbers))
