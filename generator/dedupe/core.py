"""Cluster entries from every source into papers, and record why.

Two steps, built to stay fast at 50,000 entries:

1. **Blocking** (:mod:`generator.blocking`).  Only entries that share an
   identifier, a title, or enough word 3-grams of their texts are compared;
   very common 3-grams only pair neighbours, so the work stays near-linear.
2. **Decision.**  Each candidate pair is judged by :func:`decide` (rapidfuzz
   similarities of titles and abstracts, truncation-aware, computed for many
   pairs at once by :func:`pair_scores`) and the merges are applied strongest
   first.  Two clusters never join when any pair across them was compared and
   judged distinct, and a truncated copy that fits two distinct papers equally
   well joins neither: those cases are reported.
"""

from __future__ import annotations

import importlib
import os
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import chain, combinations, pairwise
from types import ModuleType
from typing import TYPE_CHECKING, TypeAlias

from rapidfuzz import fuzz, process

from generator.dedupe import blocking
from generator.executor import chunks, fork_map
from generator.model import Cluster, Entry, Location, PairDecision
from generator.text.normalize import comparison_key, first_sentence

if TYPE_CHECKING:
    from generator.dedupe.gram_arrays import EntryGrams

MIN_PREFIX_WORDS = 20
MIN_ABSTRACT_WORDS = 6
LEAD_WORDS = 40
SIGNATURE_CHUNK = 4_000  # entries prepared per task when parsing did not; two tasks or more run on every core
PAIRWISE_FROM = 6_000  # texts compared (three per pair); fewer are scored one call each, without loading NumPy
SCORE_BATCH = 2_000  # candidate pairs scored at once (a thread scores the next batches while pairs are decided)

SAME_ABSTRACT = 85.0
EDITED_ABSTRACT = 70.0
EDITED_TOKEN_SET = 90.0
TRUNCATED_PREFIX = 85.0
UNMARKED_CUT_PREFIX = 96.0
SAME_TITLE = 92.0
DIFFERENT_TITLE = 70.0
RENAMED_ABSTRACT = 95.0
CONTAINED = 80.0
FIRM_TOKEN_SET = 80.0
NEAR_MISS = 60.0
AMBIGUITY_MARGIN = 5.0
DIGIT_TOKEN = re.compile(r"\b\w*\d\w*\b")


@dataclass
class Signature:
    """What dedupe knows about one entry, computed once."""

    entry: Entry
    abstract_key: str
    title_key: str
    lead_tokens: frozenset[str]
    ids: frozenset[str]

    def mentions(self, word: str) -> bool:
        """Is ``word`` one of the words of the title or abstract (no word set is built for this)?"""
        return _has_word(self.abstract_key, word) or _has_word(self.title_key, word)

    @property
    def word_count(self) -> int:
        return self.abstract_key.count(" ") + 1 if self.abstract_key else 0


@dataclass
class DedupeResult:
    """Clusters (one per paper) and the close calls that were left apart."""

    clusters: list[Cluster]
    near_misses: list[PairDecision] = field(default_factory=list)
    compared_pairs: int = 0


SignatureKeys = tuple[str, str, frozenset[str], frozenset[str]]


def signature_keys(entry: Entry) -> SignatureKeys:
    """Abstract key, title key, numbered names of the opening, identifiers."""
    abstract_key = comparison_key(entry.abstract)
    title_key = comparison_key(entry.title)
    lead_words = comparison_key(first_sentence(entry.abstract)).split()[:LEAD_WORDS]
    if entry.truncated and len(lead_words) == len(abstract_key.split(maxsplit=LEAD_WORDS)[:LEAD_WORDS]):
        lead_words = lead_words[:-1]  # a cut copy may end in half a word
    lead_tokens = frozenset(DIGIT_TOKEN.findall(f"{title_key} {' '.join(lead_words)}"))
    ids = frozenset(f"{kind}:{value}" for kind, value in (("arxiv", entry.arxiv), ("doi", entry.doi)) if value)
    return abstract_key, title_key, lead_tokens, ids


@dataclass(slots=True)
class Prepared:
    """What dedupe needs of some entries, computed where they are parsed (on every core): each
    entry's signature keys and, for large builds, their blocking keys (word 3-grams, hashed)."""

    keys: list[SignatureKeys]
    grams: EntryGrams | None = None


def prepare(entries: Sequence[Entry], with_grams: bool = False) -> Prepared:
    """Signature keys of ``entries`` (and their blocking keys, for the NumPy blocking)."""
    return prepare_each([entries], with_grams)[0]


def prepare_each(groups: Sequence[Sequence[Entry]], with_grams: bool = False) -> list[Prepared]:
    """:func:`prepare` each group of entries (each source's), the blocking keys of all of them computed at once."""
    keys = [[signature_keys(entry) for entry in entries] for entries in groups]
    if not with_grams:
        return [Prepared(group) for group in keys]
    return list(map(Prepared, keys, gram_arrays().EntryGrams.of_groups(list(map(_gram_texts, keys)))))


def _entry_grams(keys: list[SignatureKeys]) -> EntryGrams:
    return gram_arrays().EntryGrams.of(*_gram_texts(keys))


def _gram_texts(keys: list[SignatureKeys]) -> tuple[list[str], list[str]]:
    """The abstract keys and title keys that blocking's grams are made of."""
    return [key[0] for key in keys], [key[1] for key in keys]


PlainDecision = tuple[int, int, bool, str, dict[str, float], bool]  # the entries by their places
ResultState = tuple[list[tuple[str, int]], list[tuple[list[int], list[PlainDecision]]], list[PlainDecision], int]


def result_state(result: DedupeResult, entries: list[Entry]) -> ResultState:
    """``result`` in plain values, each entry by its place in ``entries``, what a later build over
    the same entries can restore: the entries' locations as plain tuples, each cluster's places and
    decisions, the near misses, the number of pairs compared.  (Plain values pickle several times
    faster than locations and decisions as objects.)"""
    place = {entry.location: index for index, entry in enumerate(entries)}

    def plain(decision: PairDecision) -> PlainDecision:
        left, right = place[decision.left], place[decision.right]
        return left, right, decision.merged, decision.reason, decision.scores, decision.firm

    clusters = [
        ([place[e.location] for e in cluster.entries], list(map(plain, cluster.decisions)))
        for cluster in result.clusters
    ]
    return (
        [tuple(entry.location) for entry in entries],
        clusters,
        list(map(plain, result.near_misses)),
        result.compared_pairs,
    )


def restored_result(state: ResultState, entries: list[Entry]) -> DedupeResult | None:
    """The result :func:`result_state` described, over these ``entries``; None unless they are at
    the locations it was made from and its clusters cover each of them exactly once."""
    locations, clusters, near_misses, compared_pairs = state
    if locations != [entry.location for entry in entries]:  # a plain tuple equals a location of the same values
        return None
    places = [place for members, _ in clusters for place in members]
    if len(places) != len(entries) or set(places) != set(range(len(entries))):
        return None

    def decision(values: PlainDecision) -> PairDecision:
        left, right, *rest = values
        return PairDecision(entries[left].location, entries[right].location, *rest)

    restored = [
        Cluster([entries[place] for place in members], list(map(decision, decisions)))
        for members, decisions in clusters
    ]
    return DedupeResult(restored, list(map(decision, near_misses)), compared_pairs)


def deduplicate(entries: list[Entry], prepared: Sequence[Prepared] | None = None) -> DedupeResult:
    """Group ``entries`` into clusters, one per distinct paper.

    ``prepared``: what :func:`prepare` made of consecutive runs of ``entries`` (computed here when
    not given).  The dev server's builds reuse earlier decisions instead: see
    :mod:`generator.dedupe_memo`.
    """
    parts = prepared if prepared is not None else prepare_all(entries)
    signatures = signatures_of(entries, parts)
    pairs = candidate_pairs_of(signatures, parts)
    clusters, near_misses = cluster_all(signatures, judge_all(signatures, pairs))
    return DedupeResult(clusters, sorted(near_misses, key=decision_order), len(pairs))


def cluster_all(
    signatures: list[Signature], judged: dict[tuple[int, int], PairDecision]
) -> tuple[list[Cluster], list[PairDecision]]:
    """Clusters (in location order) and near misses of ``signatures``, pairs indexing into them."""
    strengths = {pair: _strength(decision) for pair, decision in judged.items()}  # each reckoned once
    merges, near_misses = _drop_ambiguous(judged, strengths)
    return _cluster(signatures, merges, (judged, strengths), near_misses), near_misses


Abstracts: TypeAlias = "Sequence[str] | EntryGrams"  # comparison keys, or (large inputs) blocking keys


def prepare_all(entries: list[Entry]) -> list[Prepared]:
    """Prepare entries not prepared while parsing; a large input is prepared on every core."""
    large = len(entries) >= blocking.ARRAYS_FROM
    return fork_map(_prepare_chunk, (entries, large), chunks(len(entries), SIGNATURE_CHUNK), threshold=2)


def _prepare_chunk(state: tuple[list[Entry], bool], indexes: range) -> Prepared:
    entries, large = state
    return prepare(entries[indexes.start : indexes.stop], large)


def signatures_of(entries: list[Entry], parts: Sequence[Prepared]) -> list[Signature]:
    keys = chain.from_iterable(part.keys for part in parts)
    return [Signature(entry, *k) for entry, k in zip(entries, keys, strict=True)]


def candidate_pairs_of(signatures: list[Signature], parts: Sequence[Prepared]) -> list[tuple[int, int]]:
    """The pairs blocking finds worth comparing, in order."""
    titles, identifiers = [sig.title_key for sig in signatures], [sig.ids for sig in signatures]
    return sorted(blocking.candidate_pairs(blocking_abstracts(signatures, parts), titles, identifiers))


def blocking_abstracts(signatures: list[Signature], parts: Sequence[Prepared]) -> Abstracts:
    """Every entry's abstract as blocking reads it: its comparison key, or (large inputs) its grams."""
    if len(signatures) < blocking.ARRAYS_FROM:
        return [sig.abstract_key for sig in signatures]
    return gram_arrays().EntryGrams.join([grams_of(part) for part in parts])


def grams_of(part: Prepared) -> EntryGrams:
    """A part's blocking keys, computed here when parsing did not (and kept for the next build)."""
    if part.grams is None:
        part.grams = _entry_grams(part.keys)
    return part.grams


def gram_arrays() -> ModuleType:
    """The NumPy side of blocking, loaded for large inputs only."""
    return importlib.import_module("generator.dedupe.gram_arrays")


def judge_all(signatures: list[Signature], pairs: list[tuple[int, int]]) -> dict[tuple[int, int], PairDecision]:
    """Judge every candidate pair.  The similarities are computed in batches by rapidfuzz's
    pairwise scorer, in C++ threads outside the interpreter lock, while this thread decides the
    pairs of the batch before: both cores work without a forked worker (no memory pages copied,
    no decisions sent back through a pipe)."""
    batches = [pairs[part.start : part.stop] for part in chunks(len(pairs), SCORE_BATCH)]
    with ThreadPoolExecutor(1) as scorer:
        decided = [_decide_all(signatures, *scored) for scored in _scored_ahead(signatures, batches, scorer)]
    return dict(zip(pairs, chain.from_iterable(decided), strict=True))


Batch: TypeAlias = "list[tuple[int, int]]"


def _scored_ahead(
    signatures: list[Signature], batches: list[Batch], scorer: ThreadPoolExecutor
) -> Iterator[tuple[Batch, list[dict[str, float]]]]:
    """Each batch with its :func:`pair_scores`; the ``scorer`` computes the next batch's similarities
    while the caller works on this one (only the C++ scoring runs there: Python work in two
    threads would take turns)."""
    ahead: tuple[Batch, Future[Ratios]] | None = None
    for batch in batches:
        computing = scorer.submit(_ratios, *_compared_texts(signatures, batch))
        if ahead is not None:
            yield ahead[0], _scores(signatures, ahead[0], ahead[1].result())
        ahead = batch, computing
    if ahead is not None:
        yield ahead[0], _scores(signatures, ahead[0], ahead[1].result())


def _decide_all(
    signatures: list[Signature], pairs: list[tuple[int, int]], scores: list[dict[str, float]]
) -> list[PairDecision]:
    return [decide(signatures[i], signatures[j], each) for (i, j), each in zip(pairs, scores, strict=True)]


def decide(left: Signature, right: Signature, scores: dict[str, float]) -> PairDecision:
    """Decide whether two entries show the same paper, from their :func:`pair_scores`; say why,
    with the scores (the dict receives the ones the decision adds)."""
    merged, reason = _verdict(left, right, scores)
    firm = not merged and _firmly_distinct(reason, left, right, scores)
    return PairDecision(left.entry.location, right.entry.location, merged, reason, scores, firm)


FIRM_REASONS = ("different arXiv ids", "different names or numbers", "different titles", "same title but unrelated")


def _firmly_distinct(reason: str, left: Signature, right: Signature, scores: dict[str, float]) -> bool:
    """Distinct for sure (never joined through a third copy), or merely not shown to be the same?

    Two complete abstracts with different vocabularies are distinct papers; two copies that are cut or
    edited differently may just be too far apart to match each other directly.
    """
    if reason.startswith(FIRM_REASONS):
        return True
    complete = not left.entry.truncated and not right.entry.truncated
    return reason == "abstracts differ" and complete and scores.get("token_set", 100) < FIRM_TOKEN_SET


def pair_scores(signatures: list[Signature], pairs: list[tuple[int, int]]) -> list[dict[str, float]]:
    """The cheap similarities every decision looks at, of each pair: titles, abstracts, and the
    shorter abstract against the start of the longer.  ``token_set`` (word sets, five times
    dearer) is added by :func:`_abstract_verdict` only for the pairs whose decision needs it."""
    return _scores(signatures, pairs, _ratios(*_compared_texts(signatures, pairs)))


Ratios: TypeAlias = "list[float]"  # the pairs' title ratios, then their abstract ratios, then their prefix ratios


def _compared_texts(signatures: list[Signature], pairs: list[tuple[int, int]]) -> tuple[list[str], list[str]]:
    """What :func:`_ratios` compares, as two lists: each pair's titles, its shorter and longer
    abstract, its shorter abstract and the start of the longer one."""
    texts = [sorted((signatures[i].abstract_key, signatures[j].abstract_key), key=len) for i, j in pairs]
    shorts = [short for short, _ in texts]
    return (
        [signatures[i].title_key for i, _ in pairs] + shorts + shorts,
        [signatures[j].title_key for _, j in pairs]
        + [long for _, long in texts]
        + [long[: len(short)] for short, long in texts],
    )


def _scores(signatures: list[Signature], pairs: list[tuple[int, int]], ratios: Ratios) -> list[dict[str, float]]:
    lefts, rights, count = [signatures[i] for i, _ in pairs], [signatures[j] for _, j in pairs], len(pairs)
    return list(map(_scores_of, lefts, rights, ratios[:count], ratios[count : 2 * count], ratios[2 * count :]))


def _ratios(texts: list[str], others: list[str]) -> list[float]:
    """``fuzz.ratio`` of each text with its other; many at once by rapidfuzz's pairwise scorer (the
    same function, called from C++; it needs NumPy, which a small site need not load).  With more
    than one worker thread it releases the interpreter lock, also on one core."""
    if len(texts) < PAIRWISE_FROM:
        return list(map(fuzz.ratio, texts, others))
    numpy = importlib.import_module("numpy")
    workers = max(2, os.cpu_count() or 1)
    return process.cpdist(texts, others, scorer=fuzz.ratio, dtype=numpy.float64, workers=workers).tolist()


def _scores_of(left: Signature, right: Signature, title: float, abstract: float, prefix: float) -> dict[str, float]:
    """The scores that apply (both texts given), rounded by Python's ``round`` (NumPy rounds some
    halves the other way)."""
    scores: dict[str, float] = {}
    if left.title_key and right.title_key:
        scores["title"] = round(title, 1)
    if left.abstract_key and right.abstract_key:
        scores["abstract"] = round(abstract, 1)
        scores["prefix"] = round(prefix, 1)  # of equal lengths, the whole abstract: the same score
    return scores


def _verdict(left: Signature, right: Signature, scores: dict[str, float]) -> tuple[bool, str]:
    if shared := left.ids & right.ids:
        return True, f"same identifier ({min(shared).replace(':', ' ', 1)})"
    if left.entry.arxiv and right.entry.arxiv:
        return False, f"different arXiv ids ({left.entry.arxiv} vs {right.entry.arxiv})"
    title = scores.get("title")
    if title is not None and title >= SAME_TITLE and _same_numbers(left.title_key, right.title_key):
        return _title_verdict(scores)
    if conflict := _lead_conflict(left, right):
        return False, f"different names or numbers in the opening sentence ({conflict})"
    abstract_match = _abstract_verdict(left, right, scores)
    if title is not None and title < DIFFERENT_TITLE:
        if abstract_match[0] and scores.get("abstract", 0) >= RENAMED_ABSTRACT:
            return True, "title changed between versions, abstract the same"
        return False, "different titles"
    return abstract_match


def _title_verdict(scores: dict[str, float]) -> tuple[bool, str]:
    if max(scores.get("abstract", 100), scores.get("prefix", 100)) < NEAR_MISS - 20:
        return False, "same title but unrelated abstracts"
    return True, "same title"


def _abstract_verdict(left: Signature, right: Signature, scores: dict[str, float]) -> tuple[bool, str]:
    if "abstract" not in scores:
        return False, "nothing to compare"
    if min(left.word_count, right.word_count) < MIN_ABSTRACT_WORDS:
        return False, "abstract too short to tell papers apart"
    if scores["abstract"] >= SAME_ABSTRACT:
        return True, "same abstract"
    shorter = min(left, right, key=lambda sig: len(sig.abstract_key))
    if shorter.word_count >= MIN_PREFIX_WORDS:
        if shorter.entry.truncated and scores["prefix"] >= TRUNCATED_PREFIX:
            return True, "truncated copy matches the start of the full abstract"
        if scores["prefix"] >= UNMARKED_CUT_PREFIX:
            return True, "copy cut short (no ellipsis) matches the start of the full abstract"
    longer = right if shorter is left else left
    return _edited_verdict(shorter, longer, scores)


def _edited_verdict(shorter: Signature, longer: Signature, scores: dict[str, float]) -> tuple[bool, str]:
    """Abstracts too far apart to be copies: the same words in an edited text, or one inside the other?"""
    scores["token_set"] = round(fuzz.token_set_ratio(shorter.abstract_key, longer.abstract_key), 1)
    if scores["abstract"] >= EDITED_ABSTRACT and scores["token_set"] >= EDITED_TOKEN_SET:
        return True, "edited version of the same abstract"
    if scores["token_set"] >= EDITED_TOKEN_SET and shorter.word_count >= MIN_PREFIX_WORDS:
        scores["containment"] = containment(shorter.abstract_key, longer.abstract_key)
        if scores["containment"] >= CONTAINED:
            return True, "copy contained in the other (sentences edited, dropped or cut)"
    return False, "abstracts differ"


def containment(short: str, long: str) -> float:
    """Share of the shorter text's word 3-grams found in the longer text (0–100)."""
    short_grams = _grams(short)
    return round(100 * len(short_grams & _grams(long)) / max(1, len(short_grams)), 1)


def _grams(text: str) -> set[tuple[str, str, str]]:
    words = text.split()
    return set(zip(words, words[1:], words[2:], strict=False))


def _has_word(text: str, word: str) -> bool:
    """``word`` among the single-spaced words of ``text``."""
    return text == word or text.startswith(word + " ") or text.endswith(" " + word) or f" {word} " in text


def _same_numbers(left: str, right: str) -> bool:
    return set(DIGIT_TOKEN.findall(left)) == set(DIGIT_TOKEN.findall(right))


def _lead_conflict(left: Signature, right: Signature) -> str:
    """Numbered names (7b, 8x7b, v2) in one opening that the other text never mentions, both ways."""
    only_left = [token for token in left.lead_tokens if not right.mentions(token)]
    only_right = only_left and [token for token in right.lead_tokens if not left.mentions(token)]
    if only_right:
        return f"{', '.join(sorted(only_left)[:3])} vs {', '.join(sorted(only_right)[:3])}"
    return ""


def _drop_ambiguous(
    judged: dict[tuple[int, int], PairDecision], strengths: dict[tuple[int, int], float]
) -> tuple[list[tuple[int, int]], list[PairDecision]]:
    """Keep merges, except a copy's links to two papers judged distinct with similar scores."""
    partners: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for (i, j), decision in judged.items():
        if decision.merged:
            partners[i].append((strengths[(i, j)], j))
            partners[j].append((strengths[(i, j)], i))
    dropped: set[tuple[int, int]] = set()
    near_misses = [d for pair, d in judged.items() if not d.merged and strengths[pair] >= NEAR_MISS]
    for entry, links in partners.items():  # in any order: what is dropped depends on no order
        for (score_a, a), (score_b, b) in combinations(links, 2):
            rejected = judged.get((min(a, b), max(a, b)))
            if rejected is not None and rejected.firm and abs(score_a - score_b) < AMBIGUITY_MARGIN:
                dropped |= {(min(entry, a), max(entry, a)), (min(entry, b), max(entry, b))}
    for pair in sorted(dropped):
        near_misses.append(_relabel(judged[pair], "fits two distinct papers equally well: left apart"))
    merges = [pair for pair, decision in judged.items() if decision.merged and pair not in dropped]
    return merges, near_misses


def _strength(decision: PairDecision) -> float:
    return max(decision.scores.get("abstract", 0), decision.scores.get("prefix", 0), decision.scores.get("title", 0))


def _relabel(decision: PairDecision, reason: str) -> PairDecision:
    return PairDecision(decision.left, decision.right, False, reason, decision.scores, decision.firm)


def _cluster(
    signatures: list[Signature],
    merges: list[tuple[int, int]],
    judgements: tuple[dict[tuple[int, int], PairDecision], dict[tuple[int, int], float]],
    near_misses: list[PairDecision],
) -> list[Cluster]:
    """Apply merges strongest first, never joining clusters with a pair judged distinct
    (``judgements``: each pair's decision, and its strength)."""
    judged, strengths = judgements
    forest = Forest(len(signatures))
    for pair, decision in judged.items():
        if decision.firm:
            forest.forbid(*pair)
    accepted: dict[int, list[PairDecision]] = defaultdict(list)
    for _, (i, j) in sorted((-strengths[pair], pair) for pair in merges):  # strongest first, then by pair
        if forest.union(i, j):
            accepted[i].append(judged[(i, j)])
        elif forest.find(i) != forest.find(j):
            near_misses.append(_relabel(judged[(i, j)], "would join papers judged distinct: left apart"))
    return _collect(signatures, forest, accepted)


def _collect(signatures: list[Signature], forest: Forest, accepted: dict[int, list[PairDecision]]) -> list[Cluster]:
    """Clusters in location order, each with its entries in location order.  Entries usually come in
    location order already (sources in path order, entries in line order): then no sort is needed."""
    members: dict[int, list[Entry]] = defaultdict(list)
    decisions: dict[int, list[PairDecision]] = defaultdict(list)
    for position, sig in enumerate(signatures):
        root = forest.find(position)
        members[root].append(sig.entry)
        decisions[root] += accepted.get(position, ())
    in_order = all(a.entry.location < b.entry.location for a, b in pairwise(signatures))
    clusters = [
        Cluster(
            members[root] if in_order else sorted(members[root], key=_location),
            sorted(decisions[root], key=decision_order) if len(decisions[root]) > 1 else decisions[root],
        )
        for root in members
    ]
    return clusters if in_order else sorted(clusters, key=lambda cluster: cluster.entries[0].location)


def _location(entry: Entry) -> Location:
    return entry.location


def decision_order(decision: PairDecision) -> tuple:
    return (decision.left, decision.right)


class Forest:
    """Union-find that refuses unions across a forbidden pair."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))
        self.members: dict[int, list[int]] = {index: [index] for index in range(size)}
        self.forbidden: dict[int, set[int]] = defaultdict(set)

    def forbid(self, i: int, j: int) -> None:
        self.forbidden[i].add(j)
        self.forbidden[j].add(i)

    def find(self, index: int) -> int:
        while self.parent[index] != index:
            self.parent[index] = self.parent[self.parent[index]]
            index = self.parent[index]
        return index

    def join(self, i: int, j: int) -> None:
        """Join the clusters of ``i`` and ``j`` whatever is forbidden (for finding connected groups)."""
        root_i, root_j = self.find(i), self.find(j)
        if root_i != root_j:
            small, large = self._smaller_first(root_i, root_j)
            self.parent[small] = large
            self.members[large] += self.members.pop(small)

    def union(self, i: int, j: int) -> bool:
        """Join the clusters of ``i`` and ``j``; False when already joined or forbidden."""
        root_i, root_j = self.find(i), self.find(j)
        if root_i == root_j or self._forbidden_between(root_i, root_j):
            return False
        small, large = self._smaller_first(root_i, root_j)
        self.parent[small] = large
        self.members[large] += self.members.pop(small)
        return True

    def _forbidden_between(self, root_a: int, root_b: int) -> bool:
        small, large = self._smaller_first(root_a, root_b)
        forbidden = self.forbidden
        return any(self.find(other) == large for member in self.members[small] for other in forbidden.get(member, ()))

    def _smaller_first(self, root_a: int, root_b: int) -> tuple[int, int]:
        """The two roots, the one with fewer members first (``root_a`` first when equal)."""
        return (root_b, root_a) if len(self.members[root_b]) < len(self.members[root_a]) else (root_a, root_b)
