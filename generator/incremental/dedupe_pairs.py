"""The dev server's candidate pairs and their decisions: blocking done again only for the slots
whose keys changed (large sites: by updating the kept blocking index), the pairs that came and
went since the last build, and each pair's decision kept while its two entries are the very
entries judged.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from itertools import zip_longest
from typing import TYPE_CHECKING

from generator.dedupe import blocking
from generator.dedupe.candidates import blocking_abstracts, candidate_pairs_of
from generator.dedupe.scoring import judge_all
from generator.dedupe.signatures import Prepared, Signature, SignatureKeys
from generator.incremental.dedupe_state import NO_KEYS, DedupeMemo
from generator.incremental.kept_values import replaced_in_order
from generator.incremental.slots import Layout
from generator.model import PairDecision

if TYPE_CHECKING:
    pass


REPLACE_PAIRS_UP_TO = 1000  # pairs that came or went, put in the sorted list one by one (more: sorted anew)


Pairs = set[tuple[int, int]]


Moved = tuple[Pairs, Pairs] | None  # the candidate pairs that came and went since the last build, if known


def remembered_pairs(
    signatures: list[Signature | None], parts: Sequence[Prepared], layout: Layout, memo: DedupeMemo
) -> tuple[list[tuple[int, int]], Moved]:
    """:func:`candidate_pairs_of`, by slot, reused when every entry has the keys blocking read last
    time (an edit of scores, authors or dates): blocking reads only the keys, in order, so it
    would find the same.  Also the pairs that came and went, when known."""
    keys = [part.keys for part in parts]
    previous = memo.blocked_keys
    same = len(keys) == len(previous) and all(a is b or a == b for a, b in zip(keys, previous, strict=True))
    moved: Moved = (set(), set())
    if not same:
        memo.pairs, moved = _updated_pairs(signatures, parts, layout, _changed_slots(keys, previous, layout), memo)
    memo.blocked_keys, memo.blocking_reused = keys, same
    return memo.pairs, moved


KeyChange = tuple[int, SignatureKeys, SignatureKeys]  # a slot, its keys as last blocked, its keys now


def _changed_slots(
    keys: list[list[SignatureKeys]], previous: list[list[SignatureKeys]], layout: Layout
) -> list[KeyChange] | None:
    """The slots whose keys differ from the last build's (an empty slot's are :data:`NO_KEYS`), when
    the sources are the last build's (none added or removed)."""
    if len(keys) != len(previous):
        return None
    changed: list[KeyChange] = []
    for start, now, before in zip(layout.starts, keys, previous, strict=True):
        if now is not before and now != before:
            pairs = enumerate(zip_longest(before, now, fillvalue=NO_KEYS), start)
            changed += [(slot, old, new) for slot, (old, new) in pairs if old != new]
    return changed


def _updated_pairs(
    signatures: list[Signature | None],
    parts: Sequence[Prepared],
    layout: Layout,
    changed: list[KeyChange] | None,
    memo: DedupeMemo,
) -> tuple[list[tuple[int, int]], Moved]:
    """Blocking again, the dev server's way: when only some slots' keys changed (an edit, or a
    source that gained or lost entries), only their keys are counted again in the index kept from
    the last build (large inputs), which tells the pairs that came and went; otherwise blocking
    runs over all entries, and the index is made anew."""
    index, memo.blocking = memo.blocking, None  # kept only if all goes well
    memo.blocking_updated = index is not None and index.updatable and changed is not None
    if memo.blocking_updated:
        assert index is not None and changed is not None
        slots, old, new = [slot for slot, _, _ in changed], [keys for _, keys, _ in changed], [k for *_, k in changed]
        index.update(slots, [keys[:2] for keys in old], [keys[:2] for keys in new], [keys[3] for keys in new])
        memo.blocking = index
        return _pairs_moved(memo.pairs, index.pairs())
    in_order = layout.slots([len(part.keys) for part in parts])
    live = [signatures[slot] for slot in in_order]
    if len(live) < blocking.ARRAYS_FROM:  # a small site is blocked anew, plainly
        return [(in_order[i], in_order[j]) for i, j in candidate_pairs_of(live, parts)], None
    index_module = importlib.import_module("generator.incremental.blocking_index")  # NumPy: large sites only
    grams = index_module.placed(blocking_abstracts(live, parts), in_order, layout.size)
    titles = [sig.title_key if sig else "" for sig in signatures]
    identifiers = [sig.ids if sig else NO_KEYS[3] for sig in signatures]
    memo.blocking = index_module.BlockingIndex.of(grams, titles, identifiers)
    return sorted(memo.blocking.pairs()), None


def _pairs_moved(pairs: list[tuple[int, int]], now: Pairs) -> tuple[list[tuple[int, int]], Moved]:
    """The sorted ``pairs`` become the set ``now``: the new sorted list, the pairs that came and went."""
    before = set(pairs)
    came, went = now - before, before - now
    if len(came) + len(went) > REPLACE_PAIRS_UP_TO:
        return sorted(now), (came, went)
    return replaced_in_order(pairs, sorted(went), sorted(came), _pair_key), (came, went)


def _pair_key(pair: tuple[int, int]) -> tuple[int, int]:
    return pair


def remembered_judgements(
    signatures: list[Signature], pairs: list[tuple[int, int]], memo: DedupeMemo
) -> dict[tuple[int, int], PairDecision]:
    identities = {pair: (id(signatures[pair[0]].entry), id(signatures[pair[1]].entry)) for pair in pairs}
    fresh = [pair for pair in pairs if identities[pair] not in memo.decisions]
    judged = judge_all(signatures, fresh)
    judged |= {pair: memo.decisions[identities[pair]][2] for pair in pairs if pair not in judged}
    memo.decisions = {  # holding both entries keeps the identities of the key unique
        identities[(i, j)]: (signatures[i].entry, signatures[j].entry, judged[(i, j)]) for i, j in pairs
    }
    memo.fresh_pairs = len(fresh)
    return {pair: judged[pair] for pair in pairs}
