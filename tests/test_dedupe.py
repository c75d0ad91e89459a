"""Dedup decisions: copies that must merge, look-alikes that must stay apart."""

from __future__ import annotations

import dataclasses
import random
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from generator.dedupe import blocking, deduplicate, scoring
from generator.dedupe.scoring import pair_scores
from generator.dedupe.signatures import prepare, signatures_of
from generator.incremental import dedupe_memo, slots
from generator.incremental.dedupe_memo import DedupeMemo, deduplicate_again
from generator.incremental.dedupe_record import restored_result, result_state
from generator.model import Entry, Location
from generator.sources import abstract_list
from generator.text.normalize import clean_text, strip_ellipsis

FLAMINGO_V1 = (
    "Building models that can be rapidly adapted to numerous tasks using only a handful of annotated examples "
    "is an open challenge for multimodal machine learning research. We introduce Flamingo, a family of Visual "
    "Language Models (VLM) with this ability. Flamingo models include key architectural innovations to bridge "
    "powerful pretrained vision-only and language-only models and handle sequences of arbitrarily interleaved "
    "visual and textual data. We perform a thorough evaluation of the proposed models, exploring and measuring "
    "their ability to rapidly adapt to a variety of image and video understanding benchmarks. For tasks lying "
    "anywhere on this spectrum, we demonstrate that a single model can achieve a new state of the art."
)
FLAMINGO_V2 = (
    "Building models that can be rapidly adapted to novel tasks using only a handful of annotated examples "
    "is an open challenge for multimodal machine learning research. We introduce Flamingo, a family of Visual "
    "Language Models (VLM) with this ability. We propose key architectural innovations to: (i) bridge powerful "
    "pretrained vision-only and language-only models, (ii) handle sequences of arbitrarily interleaved visual "
    "and textual data, and (iii) seamlessly ingest images or videos as inputs. We perform a thorough evaluation "
    "of our models, exploring and measuring their ability to rapidly adapt to a variety of image and video "
    "tasks. For tasks lying anywhere on this spectrum, a single Flamingo model can achieve a new state of the "
    "art with few-shot learning, simply by prompting the model with task-specific examples."
)
TEMPLATE = (
    "We introduce Orca-{size}B, a {size}-billion-parameter language model engineered for efficiency. "
    "Orca-{size}B outperforms larger open models on every benchmark we evaluated, including reasoning, "
    "mathematics and code generation. The model leverages grouped-query attention for faster inference and "
    "sliding window attention to handle long sequences at a reduced cost. We also provide a model fine-tuned "
    "to follow instructions that surpasses comparable chat models on human and automated benchmarks. "
    "The models are released under the Apache 2.0 license."
)
MOTIVATION = (
    "Large language models have achieved remarkable success across a wide range of natural language tasks. "
    "However, their deployment remains costly because inference requires large amounts of memory and compute. "
)
MOTIVATED_A = MOTIVATION + (
    "In this work we study post-training quantization of the weights to three bits, and show that a careful "
    "choice of rounding and a small calibration set preserve accuracy on standard benchmarks. Our method "
    "runs on a single GPU in a few hours and is compatible with existing inference kernels."
)
MOTIVATED_B = MOTIVATION + (
    "We propose speculative decoding with a small draft model trained by distillation, which proposes several "
    "tokens that the large model verifies in parallel. This doubles throughput without changing the output "
    "distribution, and we analyse when the acceptance rate degrades on long generations."
)


def entry(text: str, file: str = "a.txt", line: int = 1, title: str = "") -> Entry:
    cleaned = clean_text(text)
    abstract, truncated = strip_ellipsis(cleaned.text)
    return Entry(
        location=Location(file, line),
        abstract=abstract,
        truncated=truncated,
        title=clean_text(title).text,
        latex_residue=cleaned.latex_residue,
    )


def groups(*entries: Entry) -> list[list[str]]:
    """Cluster and return each cluster as a list of 'file:line'."""
    result = deduplicate(list(entries))
    return [[str(e.location) for e in cluster.entries] for cluster in result.clusters]


def cut(text: str, fraction: float, ending: str = "...") -> str:
    words = text.split()
    return " ".join(words[: int(len(words) * fraction)]) + ending


# ---- copies that must merge ------------------------------------------------------------------


def test_arxiv_versions_with_reworded_added_and_removed_sentences_merge():
    assert groups(entry(FLAMINGO_V1, "a.txt"), entry(FLAMINGO_V2, "b.txt")) == [["a.txt:1", "b.txt:1"]]


def test_latex_and_plain_text_copies_merge():
    latex = (
        r"We train a 12--billion parameter model on $2$ trillion tokens with $4\times$ less compute \& memory, "
        r"reaching 67.5\% on MMLU. The \chinchilla{} model uniformly outperforms \Gopher (280B) on a large "
        r"range of downstream evaluation tasks, which greatly facilitates downstream usage of the model."
    )
    plain = (
        "We train a 12–billion parameter model on 2 trillion tokens with 4× less compute & memory, reaching "
        "67.5% on MMLU. The Chinchilla model uniformly outperforms Gopher (280B) on a large range of downstream "
        "evaluation tasks, which greatly facilitates downstream usage of the model."
    )
    assert len(groups(entry(latex, "a.txt"), entry(plain, "b.txt"))) == 1


def test_html_entities_and_unicode_typography_merge():
    html = FLAMINGO_V2.replace("(VLM)", "(VLM) &amp; more").replace("few-shot", "few&#8209;shot")
    fancy = (
        FLAMINGO_V2.replace("(VLM)", "(VLM) & more")
        .replace("fi", "\ufb01")
        .replace(" a single", "\u00a0a single")
        .replace("an open", "an \u201copen\u201d")
    )
    assert len(groups(entry(html, "a.txt"), entry(fancy, "b.txt"))) == 1


def test_hard_wrapped_copy_merges_with_the_single_line_copy():
    wrapped = "Abstract: " + "\n".join(FLAMINGO_V2[i : i + 70] for i in range(0, len(FLAMINGO_V2), 70))
    # wrapping at arbitrary characters splits words; a line break is read as a space
    wrapped_doc = abstract_list.parse(wrapped.splitlines(), "wrapped.txt")
    single = entry(FLAMINGO_V2, "single.txt")
    result = deduplicate([*wrapped_doc.entries, single])
    assert len(result.clusters) == 1


@pytest.mark.parametrize("ending", ["...", "…", " …"])
@pytest.mark.parametrize("fraction", [0.3, 0.6, 0.9])
def test_truncated_copies_merge_with_the_full_abstract(ending, fraction):
    assert len(groups(entry(FLAMINGO_V2, "full.txt"), entry(cut(FLAMINGO_V2, fraction, ending), "cut.txt"))) == 1


def test_truncated_copy_of_an_earlier_version_merges():
    assert len(groups(entry(FLAMINGO_V2, "v2.txt"), entry(cut(FLAMINGO_V1, 0.5), "v1.txt"))) == 1


def test_titles_differing_in_case_and_punctuation_merge():
    first = entry(FLAMINGO_V2, "a.txt", title="Flamingo: a Visual Language Model for Few-Shot Learning")
    second = entry(cut(FLAMINGO_V1, 0.4), "b.txt", title="FLAMINGO - A visual language model for few shot learning.")
    assert len(groups(first, second)) == 1


def test_every_copy_of_a_paper_lands_in_one_cluster_with_its_decisions():
    copies = [entry(FLAMINGO_V2, f"{name}.txt") for name in "abcdef"] + [entry(cut(FLAMINGO_V2, 0.5), "g.txt")]
    result = deduplicate(copies)
    [cluster] = result.clusters
    assert len(cluster.entries) == 7
    assert len(cluster.decisions) == 6
    assert all(decision.merged and decision.reason for decision in cluster.decisions)


def test_word_set_similarity_is_computed_only_for_decisions_that_need_it():
    same = deduplicate([entry(FLAMINGO_V2, "a.txt"), entry(FLAMINGO_V2, "b.txt")]).clusters[0].decisions[0]
    assert same.reason == "same abstract" and "token_set" not in same.scores
    [apart] = deduplicate([entry(MOTIVATED_A, "a.txt"), entry(MOTIVATED_B, "b.txt")]).near_misses
    assert apart.reason == "abstracts differ" and 0 < apart.scores["token_set"] < 100


def _scores_by_definition(left, right) -> dict[str, float]:
    """Each pair's similarities as the decisions define them, one ``fuzz.ratio`` call at a time."""
    scores = {}
    if left.title_key and right.title_key:
        scores["title"] = round(fuzz.ratio(left.title_key, right.title_key), 1)
    if left.abstract_key and right.abstract_key:
        short, long = sorted((left.abstract_key, right.abstract_key), key=len)
        scores["abstract"] = round(fuzz.ratio(short, long), 1)
        scores["prefix"] = round(fuzz.ratio(short, long[: len(short)]), 1)
    return scores


@pytest.mark.parametrize("pairwise_from", [1, 10_000], ids=["pairwise scorer", "one call per pair"])
def test_pair_scores_score_every_pair_as_defined_in_batches_or_one_by_one(monkeypatch, pairwise_from):
    monkeypatch.setattr(scoring, "PAIRWISE_FROM", pairwise_from)
    entries = [
        entry(FLAMINGO_V1, "a.txt", title="Flamingo: a Visual Language Model"),
        entry(FLAMINGO_V2, "b.txt", title="Flamingo: a visual language model for few-shot learning"),
        entry(cut(FLAMINGO_V2, 0.4), "c.txt"),
        entry("", "d.txt", title="A title and no abstract"),
        entry(MOTIVATED_A, "e.txt", title="Three-bit quantization"),
        entry(MOTIVATED_B, "f.txt", title="Speculative decoding"),
        entry(MOTIVATED_B.replace("doubles", "triples"), "g.txt"),  # the same length as f.txt's
    ]
    signatures = signatures_of(entries, [prepare(entries)])
    pairs = list(combinations(range(len(entries)), 2))
    scores = pair_scores(signatures, pairs)
    assert scores == [_scores_by_definition(signatures[i], signatures[j]) for i, j in pairs]
    assert {key for each in scores for key in each} == {"title", "abstract", "prefix"}
    assert any(each["prefix"] > each["abstract"] for each in scores)  # a cut copy against a whole abstract


def test_clusters_and_their_entries_come_in_location_order_whatever_the_input_order():
    shuffled = [entry(MOTIVATED_B, "c.txt"), entry(FLAMINGO_V2, "b.txt"), entry(FLAMINGO_V2, "a.txt", line=9)]
    assert [[str(e.location) for e in c.entries] for c in deduplicate(shuffled).clusters] == [
        ["a.txt:9", "b.txt:1"],
        ["c.txt:1"],
    ]


# ---- look-alikes that must stay apart ----------------------------------------------------------


def test_model_family_papers_from_one_template_stay_apart():
    seven, three = TEMPLATE.format(size=7), TEMPLATE.format(size=3)
    result = deduplicate([entry(seven, "a.txt"), entry(three, "b.txt")])
    assert len(result.clusters) == 2
    [miss] = result.near_misses
    assert "3b" in miss.reason and "7b" in miss.reason


def test_model_family_cards_with_titles_stay_apart():
    seven = entry(TEMPLATE.format(size=7), "a.txt", title="Orca 7B")
    three = entry(TEMPLATE.format(size=3), "b.txt", title="Orca 3B")
    assert len(groups(seven, three)) == 2


def test_papers_sharing_opening_sentences_stay_apart():
    assert len(groups(entry(MOTIVATED_A, "a.txt"), entry(MOTIVATED_B, "b.txt"))) == 2


def test_truncated_copy_that_fits_two_papers_joins_neither():
    ambiguous = entry(cut(MOTIVATION, 1.0), "cut.txt")
    result = deduplicate([entry(MOTIVATED_A, "a.txt"), entry(MOTIVATED_B, "b.txt"), ambiguous])
    assert len(result.clusters) == 3
    assert any("two distinct papers" in miss.reason for miss in result.near_misses)


def test_truncated_copy_that_goes_past_the_shared_opening_joins_the_right_paper():
    specific = entry(cut(MOTIVATED_B, 0.7), "cut.txt")
    found = groups(entry(MOTIVATED_A, "a.txt"), entry(MOTIVATED_B, "b.txt"), specific)
    assert sorted(found) == [["a.txt:1"], ["b.txt:1", "cut.txt:1"]]


def test_different_titles_keep_edited_looking_abstracts_apart():
    edited = MOTIVATED_A.replace("a single GPU in a few hours", "commodity hardware within one day").replace(
        "three bits", "four bits with outlier channels kept in sixteen bits"
    )
    first = entry(MOTIVATED_A, "a.txt", title="Three-bit quantization that works")
    second = entry(edited, "b.txt", title="Outlier-aware four-bit quantization")
    assert len(groups(first, second)) == 2
    assert len(groups(entry(MOTIVATED_A, "a.txt"), entry(edited, "b.txt"))) == 1  # without titles: one paper


def test_no_transitive_chain_across_papers_judged_distinct():
    seven, three = TEMPLATE.format(size=7), TEMPLATE.format(size=3)
    bridge = entry(cut(seven.replace("Orca-7B", "Orca"), 0.95), "bridge.txt")
    result = deduplicate([entry(seven, "a.txt"), entry(three, "b.txt"), bridge])
    files = [sorted(e.location.file for e in c.entries) for c in result.clusters]
    assert not any({"a.txt", "b.txt"} <= set(group) for group in files)


def test_placeholder_abstracts_do_not_merge_distinct_papers():
    assert len(groups(entry("No abstract available.", "a.txt"), entry("No abstract available.", "b.txt"))) == 2
    titled = [entry("No abstract available.", f"{n}.txt", title=f"Paper number {n}") for n in ("one", "two")]
    assert len(groups(*titled)) == 2


# ---- scale -----------------------------------------------------------------------------------


def test_blocking_compares_far_fewer_pairs_than_all_pairs():
    rng = random.Random(7)
    vocabulary = [f"w{index}" for index in range(3000)]
    boilerplate = "In this paper we propose a novel method and show that it outperforms the state of the art."
    entries = [
        entry(boilerplate + " " + " ".join(rng.choice(vocabulary) for _ in range(120)), f"{i:04}.txt")
        for i in range(1500)
    ]
    entries += [entry(e.abstract[:400] + "...", f"copy{i:04}.txt") for i, e in enumerate(entries[:50])]
    result = deduplicate(entries)
    all_pairs = len(entries) * (len(entries) - 1) // 2
    assert result.compared_pairs < all_pairs / 100
    assert len(result.clusters) == 1500


def test_same_identifier_merges_whatever_the_text_and_different_arxiv_ids_never_merge():
    first = entry(FLAMINGO_V2, "a.txt")
    first.arxiv = "2204.14198"
    other = entry(MOTIVATED_A, "b.txt", title="Something else entirely")
    other.arxiv = "2204.14198"
    assert len(groups(first, other)) == 1
    twin = entry(FLAMINGO_V2, "c.txt")
    twin.arxiv = "2301.00001"
    doi_a, doi_b = entry(MOTIVATED_A, "d.txt"), entry(MOTIVATED_B, "e.txt")
    doi_a.doi = doi_b.doi = "10.1000/same"
    result = groups(first, twin, doi_a, doi_b)
    assert sorted(result) == [["a.txt:1"], ["c.txt:1"], ["d.txt:1", "e.txt:1"]]


def _outcome(result) -> tuple:
    clusters = [([str(e.location) for e in c.entries], c.decisions) for c in result.clusters]
    return clusters, result.near_misses, result.compared_pairs


def test_the_dev_servers_group_by_group_clustering_equals_clustering_all_at_once():
    seven, three = TEMPLATE.format(size=7), TEMPLATE.format(size=3)
    entries = [
        entry(MOTIVATED_A, "a.txt"),
        entry(seven, "b.txt"),
        entry(FLAMINGO_V1, "c.txt"),
        entry(MOTIVATED_B, "d.txt"),
        entry(cut(MOTIVATION, 1.0), "e.txt"),  # fits two papers: joins neither
        entry(three, "f.txt"),
        entry(cut(seven.replace("Orca-7B", "Orca"), 0.95), "g.txt"),  # would chain 7B and 3B
        entry(FLAMINGO_V2, "h.txt"),
        entry(cut(MOTIVATED_B, 0.7), "i.txt"),
        entry("No abstract available.", "j.txt"),
    ]
    expected = _outcome(deduplicate(list(entries)))
    memo = DedupeMemo()
    assert _outcome(deduplicate_again(list(entries), None, memo)) == expected
    assert memo.fresh_groups == len(memo.groups) > 1
    assert _outcome(deduplicate_again(list(entries), None, memo)) == expected
    assert memo.fresh_groups == 0, "unchanged groups are not clustered again"
    entries[7] = entry(FLAMINGO_V2.replace("few-shot", "few shot"), "h.txt")
    assert _outcome(deduplicate_again(list(entries), None, memo)) == _outcome(deduplicate(list(entries)))
    assert memo.fresh_groups == 1, "only the changed entry's group is clustered again"


def test_the_dev_server_blocks_again_only_when_a_blocking_key_changed():
    entries = [entry(MOTIVATED_A, "a.txt"), entry(MOTIVATED_B, "b.txt"), entry(FLAMINGO_V1, "c.txt")]
    memo = DedupeMemo()
    deduplicate_again(list(entries), None, memo)
    assert not memo.blocking_reused
    entries[2] = dataclasses.replace(entries[2], venue="Elsewhere", score=9.5)  # a new object, the same keys
    assert _outcome(deduplicate_again(list(entries), None, memo)) == _outcome(deduplicate(list(entries)))
    assert memo.blocking_reused
    entries[2] = entry(MOTIVATED_A.replace("study", "survey"), "c.txt")  # now it resembles the first
    result = deduplicate_again(list(entries), None, memo)
    assert not memo.blocking_reused
    assert _outcome(result) == _outcome(deduplicate(list(entries)))
    assert result.compared_pairs == deduplicate(list(entries)).compared_pairs > 1


def test_over_the_same_pairs_only_the_changed_entries_pairs_are_judged_again():
    seven, three = TEMPLATE.format(size=7), TEMPLATE.format(size=3)
    entries = [
        entry(MOTIVATED_A, "a.txt"),
        entry(seven, "b.txt"),
        entry(MOTIVATED_B, "c.txt"),
        entry(three, "d.txt"),
        entry(cut(MOTIVATED_B, 0.7), "e.txt"),
        entry(FLAMINGO_V1, "f.txt"),
    ]
    memo = DedupeMemo()
    deduplicate_again(list(entries), None, memo)
    for round_number, index in enumerate([4, 4, 0, 5], 1):
        entries[index] = dataclasses.replace(entries[index], score=float(round_number))  # new object, same keys
        result = deduplicate_again(list(entries), None, memo)
        assert memo.blocking_reused
        assert _outcome(result) == _outcome(deduplicate(list(entries)))
        touching = [pair for pair in memo.pairs if index in pair]
        assert memo.fresh_pairs == len(touching), "only the pairs touching the new entry are judged"
        assert memo.fresh_groups == 1
        assert len(memo.decisions) == len(memo.pairs), "the decisions are kept by the new entry's identity"
    entries[2] = entry(MOTIVATED_A.replace("study", "survey"), "c.txt")  # a key changes: blocked again
    result = deduplicate_again(list(entries), None, memo)
    assert not memo.blocking_reused
    assert _outcome(result) == _outcome(deduplicate(list(entries)))
    entries[1] = dataclasses.replace(entries[1], venue="Elsewhere")
    assert _outcome(deduplicate_again(list(entries), None, memo)) == _outcome(deduplicate(list(entries)))
    assert memo.blocking_reused and memo.fresh_groups == 1


def test_a_kept_result_is_restored_only_over_the_entries_it_was_made_from():
    entries = [entry(MOTIVATED_A, "a.txt"), entry(MOTIVATED_B, "b.txt"), entry(FLAMINGO_V1, "c.txt")]
    result = deduplicate(list(entries))
    state = result_state(result, entries)
    copies = [dataclasses.replace(item) for item in entries]  # the same entries, parsed again
    restored = restored_result(state, copies)
    assert restored is not None and _outcome(restored) == _outcome(result)
    assert all(item in copies for cluster in restored.clusters for item in cluster.entries)
    assert restored_result(state, copies[:2]) is None, "an entry is missing"
    assert restored_result(state, [*copies, entry(FLAMINGO_V2, "d.txt")]) is None, "an entry is new"
    assert restored_result(state, [copies[0], copies[2], copies[1]]) is None, "the entries come in another order"
    locations, _, near_misses, compared = state
    twice = [([0, 1], []), ([1, 2], [])]
    assert restored_result((locations, twice, near_misses, compared), copies) is None, "an entry in two clusters"


POOL = [
    MOTIVATED_A,
    MOTIVATED_B,
    cut(MOTIVATED_B, 0.7),
    cut(MOTIVATION, 1.0),
    FLAMINGO_V1,
    FLAMINGO_V2,
    TEMPLATE.format(size=7),
    TEMPLATE.format(size=3),
    cut(TEMPLATE.format(size=7).replace("Orca-7B", "Orca"), 0.95),
    MOTIVATED_A.replace("study", "survey"),
    "No abstract available.",
]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(range(len(POOL))), min_size=2, max_size=12),
    st.lists(st.tuples(st.integers(0, 11), st.sampled_from(range(len(POOL)))), min_size=1, max_size=6),
    st.booleans(),
    st.sampled_from([0.0, 1.0]),
)
def test_the_dev_servers_dedupe_after_any_edits_equals_deduplicating_anew(start, edits, numpy_blocking, share):
    """Whatever changes (texts, hence pairs; or only objects), the memo's result is the full one,
    whether the changed groups alone are clustered again (share 1.0) or all of them (0.0)."""
    original = blocking.ARRAYS_FROM, dedupe_memo.REGROUP_SHARE
    blocking.ARRAYS_FROM, dedupe_memo.REGROUP_SHARE = (1 if numpy_blocking else 10**9), share
    try:
        entries = [entry(POOL[text], f"{n:02}.txt") for n, text in enumerate(start)]
        parts = [prepare([item], numpy_blocking) for item in entries]  # one source per entry
        memo = DedupeMemo()
        assert _outcome(deduplicate_again(list(entries), parts, memo)) == _outcome(deduplicate(list(entries)))
        for position, text in edits:
            position %= len(entries)
            entries[position] = entry(POOL[text], f"{position:02}.txt")  # a new object, maybe new keys
            parts[position] = prepare([entries[position]], numpy_blocking)  # the other sources kept as they were
            assert _outcome(deduplicate_again(list(entries), parts, memo)) == _outcome(deduplicate(list(entries)))
            assert len(memo.decisions) == len(memo.pairs)
            again = memo.result
            assert deduplicate_again(list(entries), list(parts), memo) is again, "nothing changed: the last result"
    finally:
        blocking.ARRAYS_FROM, dedupe_memo.REGROUP_SHARE = original


@settings(max_examples=120, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(range(len(POOL))), min_size=1, max_size=3), min_size=2, max_size=5),
    st.lists(
        st.tuples(st.sampled_from(["add", "remove", "replace"]), st.integers(0, 30), st.sampled_from(range(len(POOL)))),
        min_size=1,
        max_size=6,
    ),
    st.booleans(),
    st.sampled_from([0, 1, 16]),
)
def test_the_dev_servers_dedupe_after_entries_are_added_or_removed_equals_deduplicating_anew(
    sources, edits, numpy_blocking, headroom
):
    """Sources that gain or lose entries (later entries of the file move down or up a line): the
    entries fill or leave their source's slots, or (no room left) the slots are laid out anew;
    the memo's result is the full one."""
    original = blocking.ARRAYS_FROM, dedupe_memo.REGROUP_SHARE, slots.HEADROOM
    blocking.ARRAYS_FROM, dedupe_memo.REGROUP_SHARE = (1 if numpy_blocking else 10**9), 1.0
    slots.HEADROOM = headroom
    try:
        texts = [list(source) for source in sources]
        memo = DedupeMemo()
        entries, parts = _sources_of(texts, numpy_blocking)
        deduplicate_again(list(entries), parts, memo)
        for operation, place, text in edits:
            source = texts[place % len(texts)]
            if operation == "add":
                source.insert(place % (len(source) + 1), text)
            elif operation == "remove" and len(source) > 1:
                del source[place % len(source)]
            else:
                source[place % len(source)] = text
            changed = place % len(texts)
            entries, parts = _sources_of(texts, numpy_blocking, (entries, parts), changed)
            assert _outcome(deduplicate_again(list(entries), parts, memo)) == _outcome(deduplicate(list(entries)))
            assert len(memo.decisions) == len(memo.pairs)
    finally:
        blocking.ARRAYS_FROM, dedupe_memo.REGROUP_SHARE, slots.HEADROOM = original


def _sources_of(texts, numpy_blocking, last=None, changed=None):
    """Entries and prepared parts of the sources (one part per source); with the ``last`` ones, only
    the ``changed`` source is parsed again (the others keep their entry objects and part)."""
    entries, parts, start = [], [], 0
    for number, source in enumerate(texts):
        if last is not None and number != changed:
            part = last[1][number]
            entries += last[0][start : start + len(part.keys)]
            parts.append(part)
        else:
            own = [
                entry(POOL[text], f"{number:02}.txt", line, ["", "Flamingo", "Orca"][text % 3])
                for line, text in enumerate(source, 1)
            ]
            entries += own
            parts.append(prepare(own, numpy_blocking))
        start += len(last[1][number].keys) if last is not None else 0
    return entries, parts


def test_the_dev_servers_blocking_index_follows_a_shrinking_source_and_is_dropped_when_sources_come(monkeypatch):
    """Kept from a large build, the index counts again only what changed when a source loses
    entries (their slots are emptied); when a source is added, the slots are laid out anew and
    the index, counted over the old ones, is dropped: a small site is then blocked plainly."""
    entries = [entry(POOL[n % len(POOL)], f"{n:02}.txt") for n in range(8)]
    memo = DedupeMemo()
    monkeypatch.setattr(blocking, "ARRAYS_FROM", 1)
    deduplicate_again(list(entries), [prepare(entries, True)], memo)
    assert memo.blocking is not None
    entries = [*entries[:3], entry(MOTIVATED_B.replace("speculative", "lookahead"), "99.txt")]
    assert _outcome(deduplicate_again(list(entries), [prepare(entries, True)], memo)) == _outcome(
        deduplicate(list(entries))
    )
    assert memo.blocking is not None and memo.blocking_updated
    monkeypatch.setattr(blocking, "ARRAYS_FROM", 10**9)
    entries.append(entry(MOTIVATED_A, "zz.txt"))
    parts = [prepare(entries[:4], True), prepare(entries[4:])]
    assert _outcome(deduplicate_again(list(entries), parts, memo)) == _outcome(deduplicate(list(entries)))
    assert memo.blocking is None and not memo.blocking_updated
