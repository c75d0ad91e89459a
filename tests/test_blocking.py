"""Blocking: both implementations (plain Python for small inputs, NumPy for large ones) give the
candidate pairs of a plain reading of the documented rule."""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.dedupe import blocking, blocking_keys, gram_arrays, hashed_grams
from generator.dedupe.gram_arrays import EntryGrams
from generator.incremental import gram_updates

# blocking.ARRAYS_FROM and gram_arrays.SLICES for each implementation: plain Python, NumPy in one
# thread, NumPy with the keys cut in four slices counted in four threads
PATHS = {"plain": (10**9, 1), "arrays": (0, 1), "arrays-sliced": (0, 4)}


def candidate_pairs(abstracts, titles, identifiers, path=None):
    """All implementations must agree; return their common answer."""
    answers = {}
    for name, (threshold, slices) in PATHS.items():
        if path is None or name.startswith(path):
            original = blocking.ARRAYS_FROM, gram_arrays.SLICES
            blocking.ARRAYS_FROM, gram_arrays.SLICES = threshold, slices
            try:
                answers[name] = blocking.candidate_pairs(abstracts, titles, identifiers)
            finally:
                blocking.ARRAYS_FROM, gram_arrays.SLICES = original
    assert len({frozenset(answer) for answer in answers.values()}) == 1, answers
    return next(iter(answers.values()))


def _reference_word_hash(word: str) -> int:
    """The documented word hash, written out: a polynomial over the bytes modulo 2**64, then
    SplitMix64's finaliser, top 32 bits."""
    modulus = 1 << 64
    value = sum(code * pow(blocking_keys.HASH_BASE, k, modulus) for k, code in enumerate(word.encode())) % modulus
    value = ((value ^ (value >> 30)) * 0xBF58476D1CE4E5B9) % modulus
    value = ((value ^ (value >> 27)) * 0x94D049BB133111EB) % modulus
    return (value ^ (value >> 31)) >> 32


def _reference_keys(abstract: str, title: str, ids: list[str]) -> set:
    """An entry's blocking keys, written out the slow and obvious way."""
    words = abstract.split()
    keys: set = set()
    for position, gram in enumerate(zip(words, words[1:], words[2:], strict=False)):
        every = 1 if position < blocking_keys.LEADING_GRAMS else 3 if position < blocking_keys.DENSE_UNTIL else 8
        if _reference_word_hash(gram[1]) % every == 0:
            keys.add(("abstract", *gram))
    title_words = title.split()
    keys |= {("title", *gram) for gram in zip(title_words, title_words[1:], title_words[2:], strict=False)}
    if title:
        keys.add("title:" + title)
    return keys | {"id:" + identifier for identifier in ids}


def _reference_pairs(abstracts: list[str], titles: list[str], ids: list[list[str]]) -> set[tuple[int, int]]:
    keys = [_reference_keys(*fields) for fields in zip(abstracts, titles, ids, strict=True)]
    postings: dict = defaultdict(list)
    for index, entry_keys in enumerate(keys):
        for key in entry_keys:
            postings[key].append(index)
    pairs: set[tuple[int, int]] = set()
    shared: Counter = Counter()
    for key, members in postings.items():
        if len(members) <= blocking_keys.SMALL_POSTING:
            member_pairs = list(itertools.combinations(members, 2))
        else:
            member_pairs = [
                (a, b) for n, a in enumerate(members) for b in members[n + 1 : n + 1 + blocking_keys.NEIGHBOUR_WINDOW]
            ]
        if isinstance(key, str):
            pairs.update(member_pairs)
        else:
            shared.update(member_pairs)
    smallest = {pair: min(len(keys[pair[0]]), len(keys[pair[1]])) for pair in shared}
    return (
        pairs
        | _reference_variant_pairs(titles)
        | {
            pair
            for pair, count in shared.items()
            if count >= blocking_keys.MIN_SHARED and count >= blocking_keys.SHARED_FRACTION * smallest[pair]
        }
    )


def _reference_variants(title: str) -> set[tuple]:
    """A title's variants as word tuples: whole, without spaces, first and last three words, and
    (three to six words) each word left out."""
    words = tuple(title.split())
    if not words:
        return set()
    found = {words, ("<spaceless>", "".join(words))}
    if len(words) > 3:
        found |= {words[:3], words[-3:]}
    if 3 <= len(words) <= 6:
        found |= {words[:n] + words[n + 1 :] for n in range(len(words))}
    return found


def _reference_variant_pairs(titles: list[str]) -> set[tuple[int, int]]:
    """Entries of different titles sharing a variant that at most four titles share; each is paired
    with the first entry of every other title."""
    postings: dict = defaultdict(list)
    for index, title in enumerate(titles):
        for variant in _reference_variants(title):
            postings[variant].append(index)
    pairs = set()
    for members in postings.values():
        first = {}
        for member in members:
            first.setdefault(titles[member], member)
        if 2 <= len(first) <= 4:
            pairs |= {tuple(sorted((m, o))) for m in members for t, o in first.items() if t != titles[m]}
    return pairs


WORDS = st.sampled_from(
    [
        "we",
        "study",
        "the",
        "model",
        "of",
        "large",
        "graphs",
        "with",
        "noise",
        "and",
        "show",
        "a",
        "bound",
        "on",
        "error",
        "in",
        "time",
    ]
)
TEXTS = st.lists(WORDS, max_size=90).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(TEXTS, st.lists(WORDS, max_size=6).map(" ".join), st.lists(st.sampled_from(["doi:1", "arxiv:2"]))),
        max_size=60,
    )
)
def test_candidate_pairs_follow_the_rule(entries):
    abstracts, titles, ids = (list(column) for column in zip(*entries, strict=True)) if entries else ([], [], [])
    assert candidate_pairs(abstracts, titles, ids) == _reference_pairs(abstracts, titles, ids)


def test_copies_pair_and_unrelated_texts_do_not():
    base = " ".join(f"w{n}" for n in range(120))
    edited = base.replace("w50", "changed")
    unrelated = " ".join(f"x{n}" for n in range(120))
    assert candidate_pairs([base, edited, unrelated], ["", "", ""], [[], [], []]) == {(0, 1)}


def test_boilerplate_shared_by_many_only_pairs_neighbours():
    abstracts = [f"in this paper we study topic{n} alone" for n in range(200)]
    pairs = candidate_pairs(abstracts, [""] * 200, [[]] * 200)
    assert pairs, "neighbours sharing the opening are still compared"
    assert all(j - i <= blocking_keys.NEIGHBOUR_WINDOW for i, j in pairs)
    assert len(pairs) < 200 * blocking_keys.NEIGHBOUR_WINDOW


def test_same_title_or_identifier_always_pairs():
    pairs = candidate_pairs(
        ["a b c d", "x y z w", "p q r s"], ["same title", "same title", ""], [[], ["doi:9"], ["doi:9"]]
    )
    assert pairs == {(0, 1), (1, 2)}


def test_precomputed_blocking_keys_give_the_same_pairs_whole_or_joined_from_parts():
    base = " ".join(f"w{n}" for n in range(80))
    abstracts = [base, "other words here entirely and more", base.replace("w40", "x"), "t u v w"]
    titles, ids = ["", "", "", "a shared title here"], [[], [], [], []]
    whole = EntryGrams.of(abstracts, titles)
    parts = EntryGrams.join([EntryGrams.of(abstracts[:1], titles[:1]), EntryGrams.of(abstracts[1:], titles[1:])])
    expected = candidate_pairs(abstracts, titles, ids)
    assert expected == {(0, 2)}
    assert candidate_pairs(whole, titles, ids, "arrays") == candidate_pairs(parts, titles, ids, "arrays") == expected


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.tuples(TEXTS, st.lists(WORDS, max_size=6).map(" ".join)), max_size=8), max_size=6))
def test_blocking_keys_of_several_sources_at_once_are_each_sources_own(groups):
    texts = [([abstract for abstract, _ in group], [title for _, title in group]) for group in groups]
    together = EntryGrams.of_groups(texts)
    assert len(together) == len(groups)
    for grams, (abstracts, titles) in zip(together, texts, strict=True):
        alone = EntryGrams.of(abstracts, titles)
        assert grams.count == alone.count == len(titles)
        assert grams.owners.dtype == alone.owners.dtype == np.int32
        assert grams.owners.tolist() == alone.owners.tolist() and grams.keys.tolist() == alone.keys.tolist()


def test_threshold_of_shared_grams():
    five = "a b c d e"  # three grams, all leading (always sampled)
    long_y = five + " " + " ".join(f"y{n}" for n in range(40))
    long_z = five + " " + " ".join(f"z{n}" for n in range(40))
    pairs = candidate_pairs([five, five + " f", "a b c d", long_y, long_z], [""] * 5, [[]] * 5)
    assert (0, 1) in pairs, "three shared grams are enough between short texts"
    assert (0, 2) not in pairs, "two shared grams are not"
    assert (0, 3) in pairs, "the share is measured against the smaller text's keys"
    assert (3, 4) not in pairs, "three grams are too small a share of two long texts' keys"


def test_many_entries_fall_back_to_a_two_key_sort(monkeypatch):

    monkeypatch.setattr(gram_arrays, "OWNER_BITS", 2)  # as if there were over a million entries
    base = " ".join(f"w{n}" for n in range(90))
    abstracts = [base, "x " + base, base.replace("w7", "y"), "unrelated words only here now", base + " z"]
    assert candidate_pairs(abstracts, [""] * 5, [[]] * 5) == {(0, 1), (0, 2), (0, 4), (1, 2), (1, 4), (2, 4)}


@given(
    st.lists(
        st.text(alphabet=st.characters(blacklist_characters=" ", blacklist_categories=("Cs",)), min_size=1), max_size=40
    )
)
@settings(max_examples=200)
def test_word_hashes_of_a_text_are_each_words_hash(words):
    text = " ".join(words)
    assert hashed_grams.word_hashes(text).tolist() == [_reference_word_hash(word) for word in words]
    assert [blocking_keys.word_hash(word) for word in words] == [_reference_word_hash(word) for word in words]


def test_a_long_text_is_hashed_in_pieces_and_a_giant_word_whole(monkeypatch):
    monkeypatch.setattr(hashed_grams, "PIECE_BYTES", 64)
    hashed_grams._power_tables.cache_clear()
    try:
        words = [f"w{n}" for n in range(500)] + ["x" * 1000] + ["last"]
        assert hashed_grams.word_hashes(" ".join(words)).tolist() == [_reference_word_hash(word) for word in words]
    finally:
        hashed_grams._power_tables.cache_clear()


ENTRIES = st.lists(
    st.tuples(TEXTS, st.lists(WORDS, max_size=6).map(" ".join), st.lists(st.sampled_from(["doi:1", "arxiv:2"]))),
    min_size=1,
    max_size=60,
)


@settings(max_examples=120, deadline=None)
@given(
    ENTRIES,
    st.lists(st.tuples(st.integers(0, 10**6), ENTRIES), max_size=4),
    st.integers(1, 4),
    st.sampled_from([0, 20_000]),
)
def test_blocking_kept_up_to_date_after_edits_equals_blocking_anew(entries, edits, part_count, extra_pairs):
    """The dev server's index, updated edit after edit, gives the pairs blocking finds from scratch,
    whether the pairs an edit adds are merged into the counts at once (0) or kept apart."""
    from generator.incremental.blocking_index import BlockingIndex

    kept_apart, gram_updates.EXTRA_PAIRS = gram_updates.EXTRA_PAIRS, extra_pairs
    try:
        _check_updated_blocking(BlockingIndex, entries, edits, part_count)
    finally:
        gram_updates.EXTRA_PAIRS = kept_apart


def _check_updated_blocking(BlockingIndex, entries, edits, part_count):
    abstracts, titles, ids = (list(column) for column in zip(*entries, strict=True))
    size = max(1, len(abstracts) // part_count)
    cuts = list(range(0, len(abstracts), size))

    def parts() -> list[EntryGrams]:
        return [EntryGrams.of(abstracts[start : start + size], titles[start : start + size]) for start in cuts]

    index = BlockingIndex.of(EntryGrams.join(parts()), titles, ids)
    assert index is not None
    assert index.pairs() == candidate_pairs(abstracts, titles, ids)
    for seed, replacements in edits:
        changed = sorted({(seed * (n + 1)) % len(abstracts) for n in range(len(replacements))})
        old = [(abstracts[i], titles[i]) for i in changed]
        for position, (abstract, title, identifiers) in zip(changed, replacements, strict=False):
            abstracts[position], titles[position], ids[position] = abstract, title, identifiers
        index.update(changed, old, [(abstracts[i], titles[i]) for i in changed], [ids[i] for i in changed])
        assert index.pairs() == candidate_pairs(abstracts, titles, ids)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 50), max_size=30), st.lists(st.tuples(st.integers(0, 30), st.integers()), max_size=8))
def test_inserting_and_deleting_rows_by_slices_equals_numpys_own(rows, inserts):
    array = np.array(sorted(rows), dtype=np.int64)
    positions = np.array(sorted(min(place, len(array)) for place, _ in inserts), dtype=np.int64)
    values = np.array([value % 1000 for _, value in inserts], dtype=np.int64)
    assert np.array_equal(gram_updates.insert_at(array, positions, values), np.insert(array, positions, values))
    gone = np.unique(positions[positions < len(array)])
    assert np.array_equal(gram_updates.delete_at(array, gone), np.delete(array, gone))


@pytest.mark.parametrize("extra_pairs", [0, 20_000], ids=["merged-at-once", "kept-apart"])
def test_a_pair_an_edit_adds_is_found_and_one_it_removes_is_gone(monkeypatch, extra_pairs):
    from generator.incremental.blocking_index import BlockingIndex

    monkeypatch.setattr(gram_updates, "EXTRA_PAIRS", extra_pairs)
    copy = "we study sparse attention for long documents and show that a small model matches a large one"
    other = "a survey of graph colouring heuristics with new bounds on greedy orderings for planar maps"
    abstracts, titles, ids = [copy, other, "an unrelated note on tea"], ["", "", ""], [[], [], []]
    index = BlockingIndex.of(EntryGrams.of(abstracts, titles), titles, ids)
    assert (0, 1) not in index.pairs()
    for text, paired in [(copy + " again", True), (other, False), (copy, True)]:
        old = [(abstracts[1], titles[1])]
        abstracts[1] = text
        index.update([1], old, [(text, "")], [[]])
        assert ((0, 1) in index.pairs()) is paired
        assert index.pairs() == candidate_pairs(abstracts, titles, ids)
