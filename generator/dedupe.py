"""Cluster entries from every source into papers, and record why.

Two steps, built to stay fast at 50,000 entries:

1. **Blocking** (:mod:`generator.blocking`).  Only entries that share an
   identifier, a title, or enough word 3-grams of their texts are compared;
   very common 3-grams only pair neighbours, so the work stays near-linear.
2. **Decision.**  Each candidate pair is judged by :func:`judge` (rapidfuzz
   similarities of titles and abstracts, truncation-aware) and the merges are
   applied strongest first.  Two clusters never join when any pair across
   them was compared and judged distinct, and a truncated copy that fits two
   distinct papers equally well joins neither: those cases are reported.
"""

from __future__ import annotations

import importlib
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import chain, combinations, pairwise
from types import ModuleType
from typing import TYPE_CHECKING, TypeAlias

from rapidfuzz import fuzz

from generator import blocking
from generator.model import Cluster, Entry, Location, PairDecision
from generator.normalize import comparison_key, first_sentence
from generator.parallel import chunks, fork_map

if TYPE_CHECKING:
    from generator.blocking_index import BlockingIndex
    from generator.gram_arrays import EntryGrams

MIN_PREFIX_WORDS = 20
MIN_ABSTRACT_WORDS = 6
LEAD_WORDS = 40
SIGNATURE_CHUNK = 4_000  # entries prepared per task when parsing did not; two tasks or more run on every core
JUDGE_CHUNK = 2_000  # candidate pairs judged per task
REGROUP_SHARE = 0.25  # the dev server clusters all entries again when an edit touches more of them

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
class _Signature:
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
    keys = [signature_keys(entry) for entry in entries]
    return Prepared(keys, _entry_grams(keys) if with_grams else None)


def _entry_grams(keys: list[SignatureKeys]) -> EntryGrams:
    return gram_arrays().EntryGrams.of([key[0] for key in keys], [key[1] for key in keys])


@dataclass
class DedupeMemo:
    """What a long-running process (the dev server) keeps between builds: the decisions between
    entries, keyed by entry identity (a source that did not change keeps its parsed ``Entry``
    objects).  Candidate pairs are found again over all entries (a new entry can change which
    pairs are compared) unless every entry has the keys blocking last read.  Clustering is decided
    within each connected group of compared entries alone, so a group whose entries and decisions
    did not change keeps its clusters; over the same pairs, only the groups holding an entry parsed
    anew are looked at (see :class:`_LastBuild`)."""

    decisions: dict[tuple[int, int], tuple[Entry, Entry, PairDecision]] = field(default_factory=dict)
    groups: dict[tuple[int, ...], _GroupClusters] = field(default_factory=dict)
    fresh_pairs: int = 0
    fresh_groups: int = 0
    blocked_keys: list[list[SignatureKeys]] = field(default_factory=list)  # each part's keys, as last blocked
    pairs: list[tuple[int, int]] = field(default_factory=list)  # the candidate pairs found in them
    blocking_reused: bool = False
    blocking: BlockingIndex | None = None  # the counts behind them (large inputs), to update after an edit
    blocking_updated: bool = False  # did the last build count again only the changed entries' keys?
    last: _LastBuild | None = None


@dataclass
class _GroupClusters:
    """The clusters and near misses of one connected group of entries (holding its entries and
    decisions keeps the identities its memo key is made of)."""

    entries: list[Entry]
    decisions: list[PairDecision]
    clusters: list[Cluster]
    near_misses: list[PairDecision]


@dataclass
class _Group:
    """A connected group of compared entries, by index, and its key in :attr:`DedupeMemo.groups`."""

    members: list[int]
    pairs: list[tuple[int, int]]
    key: tuple[int, ...]


@dataclass
class _LastBuild:
    """The last build by entry index, over its candidate ``pairs`` (the very list): a build over
    the same pairs has the same groups, and needs to judge and cluster again only the groups
    holding an entry that is not the object it was (its source was parsed anew)."""

    pairs: list[tuple[int, int]]
    entries: list[Entry]
    judged: dict[tuple[int, int], PairDecision]
    groups: list[_Group]
    group_of: list[int]  # entry index → its group's place in ``groups``


ResultState = tuple[list[tuple[list[Location], list[PairDecision]]], list[PairDecision], int]


def result_state(result: DedupeResult) -> ResultState:
    """``result`` in plain values, each entry by its location: what a later build can restore."""
    clusters = [([entry.location for entry in cluster.entries], cluster.decisions) for cluster in result.clusters]
    return clusters, result.near_misses, result.compared_pairs


def restored_result(state: ResultState, entries: list[Entry]) -> DedupeResult | None:
    """The result :func:`result_state` described, over these ``entries``; None unless it covers
    each of them exactly once (it was made from other entries)."""
    by_location = {entry.location: entry for entry in entries}
    clustered = [location for locations, _ in state[0] for location in locations]
    if len(clustered) != len(by_location) or set(clustered) != by_location.keys():
        return None
    clusters = [
        Cluster([by_location[location] for location in locations], decisions) for locations, decisions in state[0]
    ]
    return DedupeResult(clusters, state[1], state[2])


def deduplicate(
    entries: list[Entry], prepared: Sequence[Prepared] | None = None, memo: DedupeMemo | None = None
) -> DedupeResult:
    """Group ``entries`` into clusters, one per distinct paper.

    ``prepared``: what :func:`prepare` made of consecutive runs of ``entries`` (computed here when
    not given); ``memo``: decisions of earlier builds to reuse.
    """
    parts = prepared if prepared is not None else _prepare_all(entries)
    signatures = _signatures(entries, parts)
    pairs = _candidate_pairs(signatures, parts) if memo is None else _remembered_pairs(signatures, parts, memo)
    if memo is None:
        clusters, near_misses = _clusters(signatures, _judge_all(signatures, pairs))
    elif (
        memo.last is not None
        and len(memo.last.entries) == len(signatures)
        and (regrouped := _regrouped_changes(signatures, pairs, memo))
    ):
        clusters, near_misses = regrouped
    else:
        clusters, near_misses = _remembered_clusters(signatures, _remembered_judgements(signatures, pairs, memo), memo)
    return DedupeResult(clusters, sorted(near_misses, key=_decision_order), len(pairs))


def _clusters(
    signatures: list[_Signature], judged: dict[tuple[int, int], PairDecision]
) -> tuple[list[Cluster], list[PairDecision]]:
    """Clusters (in location order) and near misses of ``signatures``, pairs indexing into them."""
    merges, near_misses = _drop_ambiguous(judged)
    return _cluster(signatures, merges, judged, near_misses), near_misses


def _remembered_clusters(
    signatures: list[_Signature], judged: dict[tuple[int, int], PairDecision], memo: DedupeMemo
) -> tuple[list[Cluster], list[PairDecision]]:
    """:func:`_clusters`, group by connected group of compared entries; unchanged groups are reused.

    Every step of clustering (dropping ambiguous links, forbidding firm rejections, merging
    strongest first) looks only at pairs inside one group, and re-numbering a group's entries in
    order keeps the order of its pairs, so each group clusters alone as it does among all.
    """
    kept, memo.groups, memo.fresh_groups = memo.groups, {}, 0
    groups = [
        _Group(members, pairs, _group_key(signatures, judged, members, pairs))
        for members, pairs in _groups(len(signatures), judged)
    ]
    for group in groups:
        if group.key not in kept:
            kept[group.key] = _group_clusters(signatures, judged, group.members, group.pairs)
            memo.fresh_groups += 1
        memo.groups[group.key] = kept[group.key]
    entries = [sig.entry for sig in signatures]
    memo.last = _LastBuild(memo.pairs, entries, judged, groups, _group_numbers(len(entries), groups))
    return _assembled(memo, groups)


def _regrouped_changes(
    signatures: list[_Signature], pairs: list[tuple[int, int]], memo: DedupeMemo
) -> tuple[list[Cluster], list[PairDecision]] | None:
    """:func:`_remembered_clusters` from the last build (``memo.last``, over as many entries): only
    the pairs that are new or touch an entry parsed anew are judged, and only the groups holding
    such an entry, or a pair that came or went, are found and clustered again (a group none of
    them touches is connected, judged and clustered as before).  None when that is most of the
    site.  Nothing in the memo changes until all is computed."""
    last = memo.last
    assert last is not None
    changed = {i for i, (sig, entry) in enumerate(zip(signatures, last.entries, strict=True)) if sig.entry is not entry}
    now = set(pairs)
    moved = [pair for pair in pairs if pair not in last.judged] + [pair for pair in last.judged if pair not in now]
    touched = sorted({last.group_of[i] for i in changed.union(*moved)})
    members = sorted(i for number in touched for i in last.groups[number].members)
    if len(members) > REGROUP_SHARE * len(signatures):
        return None
    fresh = [pair for pair in pairs if pair not in last.judged or not changed.isdisjoint(pair)]
    judged = _judge_all(signatures, fresh)
    judged = {pair: judged[pair] if pair in judged else last.judged[pair] for pair in pairs}
    inside = set(members)
    groups = [
        _Group(group_members, group_pairs, _group_key(signatures, judged, group_members, group_pairs))
        for group_members, group_pairs in _groups_among(members, [pair for pair in pairs if pair[0] in inside])
    ]
    kept = [memo.groups.get(group.key) for group in groups]
    results = [
        result or _group_clusters(signatures, judged, *_ends(group)) for group, result in zip(groups, kept, strict=True)
    ]
    gone = [pair for pair in last.judged if pair not in now or not changed.isdisjoint(pair)]
    _replace_decisions(memo.decisions, (last.entries, gone), signatures, {pair: judged[pair] for pair in fresh})
    _replace_groups(memo, touched, dict(zip((group.key for group in groups), results, strict=True)), groups)
    last.pairs, last.entries, last.judged = pairs, [sig.entry for sig in signatures], judged
    memo.fresh_pairs, memo.fresh_groups = len(fresh), kept.count(None)
    return _assembled(memo, last.groups)


def _replace_groups(
    memo: DedupeMemo, touched: list[int], results: dict[tuple[int, ...], _GroupClusters], groups: list[_Group]
) -> None:
    """The last build's ``touched`` groups (by number) give way to ``groups``, clustered as ``results``."""
    assert memo.last is not None
    for number in touched:
        del memo.groups[memo.last.groups[number].key]
    memo.groups.update(results)
    dropped = set(touched)
    memo.last.groups = [group for number, group in enumerate(memo.last.groups) if number not in dropped] + groups
    memo.last.group_of = _group_numbers(len(memo.last.group_of), memo.last.groups)


def _ends(group: _Group) -> tuple[list[int], list[tuple[int, int]]]:
    return group.members, group.pairs


def _replace_decisions(
    decisions: dict[tuple[int, int], tuple[Entry, Entry, PairDecision]],
    old: tuple[list[Entry], list[tuple[int, int]]],
    signatures: list[_Signature],
    fresh: dict[tuple[int, int], PairDecision],
) -> None:
    """Forget the decisions of the ``old`` entries' pairs that went (or must be judged again), and
    keep the ``fresh`` ones by the new entries' identities."""
    old_entries, gone = old
    for i, j in gone:
        del decisions[(id(old_entries[i]), id(old_entries[j]))]
    for (i, j), decision in fresh.items():
        left, right = signatures[i].entry, signatures[j].entry
        decisions[(id(left), id(right))] = (left, right, decision)


def _group_key(
    signatures: list[_Signature],
    judged: dict[tuple[int, int], PairDecision],
    members: list[int],
    pairs: list[tuple[int, int]],
) -> tuple[int, ...]:
    """A group's identity: its entries' and decisions' (objects the memo holds, so never reused)."""
    return (*(id(signatures[i].entry) for i in members), *(id(judged[pair]) for pair in pairs))


def _group_numbers(count: int, groups: list[_Group]) -> list[int]:
    group_of = [0] * count
    for number, group in enumerate(groups):
        for index in group.members:
            group_of[index] = number
    return group_of


def _assembled(memo: DedupeMemo, groups: list[_Group]) -> tuple[list[Cluster], list[PairDecision]]:
    """All groups' clusters (in location order) and near misses (in group order)."""
    results = [memo.groups[group.key] for group in groups]
    clusters = sorted(
        (cluster for result in results for cluster in result.clusters), key=lambda cluster: cluster.entries[0].location
    )
    return clusters, [decision for result in results for decision in result.near_misses]


def _groups(count: int, judged: dict[tuple[int, int], PairDecision]) -> list[tuple[list[int], list[tuple[int, int]]]]:
    """Connected groups of entries linked by compared pairs: (members in order, their pairs in order)."""
    return _groups_among(range(count), list(judged))


def _groups_among(
    entries: Sequence[int], pairs: list[tuple[int, int]]
) -> list[tuple[list[int], list[tuple[int, int]]]]:
    """:func:`_groups` of some ``entries`` (in order), linked by ``pairs`` between them."""
    local = {index: position for position, index in enumerate(entries)}
    forest = _Forest(len(entries))
    for i, j in pairs:
        forest.join(local[i], local[j])
    members: dict[int, list[int]] = defaultdict(list)
    for index in entries:
        members[forest.find(local[index])].append(index)
    grouped: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for pair in pairs:
        grouped[forest.find(local[pair[0]])].append(pair)
    return [(members[root], grouped[root]) for root in members]


def _group_clusters(
    signatures: list[_Signature],
    judged: dict[tuple[int, int], PairDecision],
    members: list[int],
    pairs: list[tuple[int, int]],
) -> _GroupClusters:
    if not pairs:  # an entry compared with none: a paper of its own
        entry = signatures[members[0]].entry
        return _GroupClusters([entry], [], [Cluster([entry])], [])
    local = {index: position for position, index in enumerate(members)}
    group_judged = {(local[i], local[j]): judged[(i, j)] for i, j in pairs}
    clusters, near_misses = _clusters([signatures[index] for index in members], group_judged)
    entries = [signatures[index].entry for index in members]
    return _GroupClusters(entries, [judged[pair] for pair in pairs], clusters, near_misses)


Abstracts: TypeAlias = "Sequence[str] | EntryGrams"  # comparison keys, or (large inputs) blocking keys


def _prepare_all(entries: list[Entry]) -> list[Prepared]:
    """Prepare entries not prepared while parsing; a large input is prepared on every core."""
    large = len(entries) >= blocking.ARRAYS_FROM
    return fork_map(_prepare_chunk, (entries, large), chunks(len(entries), SIGNATURE_CHUNK), threshold=2)


def _prepare_chunk(state: tuple[list[Entry], bool], indexes: range) -> Prepared:
    entries, large = state
    return prepare(entries[indexes.start : indexes.stop], large)


def _signatures(entries: list[Entry], parts: Sequence[Prepared]) -> list[_Signature]:
    keys = chain.from_iterable(part.keys for part in parts)
    return [_Signature(entry, *k) for entry, k in zip(entries, keys, strict=True)]


def _candidate_pairs(signatures: list[_Signature], parts: Sequence[Prepared]) -> list[tuple[int, int]]:
    """The pairs blocking finds worth comparing, in order."""
    titles, identifiers = [sig.title_key for sig in signatures], [sig.ids for sig in signatures]
    return sorted(blocking.candidate_pairs(_blocking_abstracts(signatures, parts), titles, identifiers))


def _blocking_abstracts(signatures: list[_Signature], parts: Sequence[Prepared]) -> Abstracts:
    """Every entry's abstract as blocking reads it: its comparison key, or (large inputs) its grams."""
    if len(signatures) < blocking.ARRAYS_FROM:
        return [sig.abstract_key for sig in signatures]
    return gram_arrays().EntryGrams.join([_grams_of(part) for part in parts])


def _remembered_pairs(
    signatures: list[_Signature], parts: Sequence[Prepared], memo: DedupeMemo
) -> list[tuple[int, int]]:
    """:func:`_candidate_pairs`, reused when every entry has the keys blocking read last time (an edit
    of scores, authors or dates): blocking reads only the keys, in order, so it would find the same."""
    keys = [part.keys for part in parts]
    previous = memo.blocked_keys
    same = len(keys) == len(previous) and all(a is b or a == b for a, b in zip(keys, previous, strict=True))
    if not same:
        memo.pairs = _updated_pairs(signatures, parts, _changed_entries(keys, previous), memo)
    memo.blocked_keys, memo.blocking_reused = keys, same
    return memo.pairs


def _updated_pairs(
    signatures: list[_Signature], parts: Sequence[Prepared], changed: list[int] | None, memo: DedupeMemo
) -> list[tuple[int, int]]:
    """Blocking again, the dev server's way: when only some entries' keys changed (same sources,
    as many entries each), only their keys are counted again in the index kept from the last
    build (large inputs); otherwise blocking runs over all entries, and the index is made anew."""
    index, memo.blocking = memo.blocking, None  # kept only if all goes well
    memo.blocking_updated = index is not None and changed is not None
    if index is not None and changed is not None:
        before = list(chain.from_iterable(memo.blocked_keys))
        old = [before[i][:2] for i in changed]
        new = [(signatures[i].abstract_key, signatures[i].title_key) for i in changed]
        index.update(changed, old, new, [signatures[i].ids for i in changed])
    elif len(signatures) >= blocking.ARRAYS_FROM:
        grams = _blocking_abstracts(signatures, parts)
        titles, identifiers = [sig.title_key for sig in signatures], [sig.ids for sig in signatures]
        index = importlib.import_module("generator.blocking_index").BlockingIndex.of(grams, titles, identifiers)
    if index is None:
        return _candidate_pairs(signatures, parts)
    memo.blocking = index
    return sorted(index.pairs())


def _changed_entries(keys: list[list[SignatureKeys]], previous: list[list[SignatureKeys]]) -> list[int] | None:
    """The entries whose signature keys differ from the last build's, if the parts have the same sizes."""
    if len(keys) != len(previous) or any(len(now) != len(before) for now, before in zip(keys, previous, strict=True)):
        return None
    changed, offset = [], 0
    for now, before in zip(keys, previous, strict=True):
        if now is not before and now != before:
            changed += [offset + i for i, (key, old) in enumerate(zip(now, before, strict=True)) if key != old]
        offset += len(now)
    return changed


def _grams_of(part: Prepared) -> EntryGrams:
    """A part's blocking keys, computed here when parsing did not (and kept for the next build)."""
    if part.grams is None:
        part.grams = _entry_grams(part.keys)
    return part.grams


def gram_arrays() -> ModuleType:
    """The NumPy side of blocking, loaded for large inputs only."""
    return importlib.import_module("generator.gram_arrays")


def _remembered_judgements(
    signatures: list[_Signature], pairs: list[tuple[int, int]], memo: DedupeMemo
) -> dict[tuple[int, int], PairDecision]:
    identities = {pair: (id(signatures[pair[0]].entry), id(signatures[pair[1]].entry)) for pair in pairs}
    fresh = [pair for pair in pairs if identities[pair] not in memo.decisions]
    judged = _judge_all(signatures, fresh)
    judged |= {pair: memo.decisions[identities[pair]][2] for pair in pairs if pair not in judged}
    memo.decisions = {  # holding both entries keeps the identities of the key unique
        identities[(i, j)]: (signatures[i].entry, signatures[j].entry, judged[(i, j)]) for i, j in pairs
    }
    memo.fresh_pairs = len(fresh)
    return {pair: judged[pair] for pair in pairs}


def _judge_all(signatures: list[_Signature], pairs: list[tuple[int, int]]) -> dict[tuple[int, int], PairDecision]:
    """Judge every candidate pair; many pairs are judged on every core."""
    parts = [pairs[part.start : part.stop] for part in chunks(len(pairs), JUDGE_CHUNK)]
    decisions = fork_map(_judge_chunk, signatures, parts, threshold=2)
    return dict(zip(pairs, chain(*decisions), strict=True))


def _judge_chunk(signatures: list[_Signature], pairs: list[tuple[int, int]]) -> list[PairDecision]:
    return [judge(signatures[i], signatures[j]) for i, j in pairs]


def judge(left: _Signature, right: _Signature) -> PairDecision:
    """Decide whether two entries show the same paper; say why, with the scores."""
    scores = _scores(left, right)
    merged, reason = _verdict(left, right, scores)
    firm = not merged and _firmly_distinct(reason, left, right, scores)
    return PairDecision(left.entry.location, right.entry.location, merged, reason, scores, firm)


FIRM_REASONS = ("different arXiv ids", "different names or numbers", "different titles", "same title but unrelated")


def _firmly_distinct(reason: str, left: _Signature, right: _Signature, scores: dict[str, float]) -> bool:
    """Distinct for sure (never joined through a third copy), or merely not shown to be the same?

    Two complete abstracts with different vocabularies are distinct papers; two copies that are cut or
    edited differently may just be too far apart to match each other directly.
    """
    if reason.startswith(FIRM_REASONS):
        return True
    complete = not left.entry.truncated and not right.entry.truncated
    return reason == "abstracts differ" and complete and scores.get("token_set", 100) < FIRM_TOKEN_SET


def _scores(left: _Signature, right: _Signature) -> dict[str, float]:
    """The cheap similarities every decision looks at; ``token_set`` (word sets, five times dearer)
    is added by :func:`_abstract_verdict` only for the pairs whose decision needs it."""
    scores: dict[str, float] = {}
    if left.title_key and right.title_key:
        scores["title"] = round(fuzz.ratio(left.title_key, right.title_key), 1)
    if left.abstract_key and right.abstract_key:
        short, long = sorted((left.abstract_key, right.abstract_key), key=len)
        scores["abstract"] = round(fuzz.ratio(short, long), 1)
        scores["prefix"] = (
            round(fuzz.ratio(short, long[: len(short)]), 1) if len(short) < len(long) else scores["abstract"]
        )
    return scores


def _verdict(left: _Signature, right: _Signature, scores: dict[str, float]) -> tuple[bool, str]:
    if shared := sorted(left.ids & right.ids):
        return True, f"same identifier ({shared[0].replace(':', ' ', 1)})"
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


def _abstract_verdict(left: _Signature, right: _Signature, scores: dict[str, float]) -> tuple[bool, str]:
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


def _edited_verdict(shorter: _Signature, longer: _Signature, scores: dict[str, float]) -> tuple[bool, str]:
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


def _lead_conflict(left: _Signature, right: _Signature) -> str:
    """Numbered names (7b, 8x7b, v2) in one opening that the other text never mentions, both ways."""
    only_left = sorted(token for token in left.lead_tokens if not right.mentions(token))
    only_right = sorted(token for token in right.lead_tokens if not left.mentions(token))
    if only_left and only_right:
        return f"{', '.join(only_left[:3])} vs {', '.join(only_right[:3])}"
    return ""


def _drop_ambiguous(judged: dict[tuple[int, int], PairDecision]) -> tuple[list[tuple[int, int]], list[PairDecision]]:
    """Keep merges, except a copy's links to two papers judged distinct with similar scores."""
    partners: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for (i, j), decision in judged.items():
        if decision.merged:
            partners[i].append((_strength(decision), j))
            partners[j].append((_strength(decision), i))
    dropped: set[tuple[int, int]] = set()
    near_misses = [d for d in judged.values() if not d.merged and _strength(d) >= NEAR_MISS]
    for entry, links in sorted(partners.items()):
        for (score_a, a), (score_b, b) in combinations(sorted(links, reverse=True), 2):
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
    signatures: list[_Signature],
    merges: list[tuple[int, int]],
    judged: dict[tuple[int, int], PairDecision],
    near_misses: list[PairDecision],
) -> list[Cluster]:
    """Apply merges strongest first, never joining clusters with a pair judged distinct."""
    forest = _Forest(len(signatures))
    for pair, decision in judged.items():
        if decision.firm:
            forest.forbid(*pair)
    accepted: dict[int, list[PairDecision]] = defaultdict(list)
    for i, j in sorted(merges, key=lambda pair: (-_strength(judged[pair]), pair)):
        if forest.union(i, j):
            accepted[i].append(judged[(i, j)])
        elif forest.find(i) != forest.find(j):
            near_misses.append(_relabel(judged[(i, j)], "would join papers judged distinct: left apart"))
    return _collect(signatures, forest, accepted)


def _collect(signatures: list[_Signature], forest: _Forest, accepted: dict[int, list[PairDecision]]) -> list[Cluster]:
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
            sorted(decisions[root], key=_decision_order) if len(decisions[root]) > 1 else decisions[root],
        )
        for root in members
    ]
    return clusters if in_order else sorted(clusters, key=lambda cluster: cluster.entries[0].location)


def _location(entry: Entry) -> Location:
    return entry.location


def _decision_order(decision: PairDecision) -> tuple:
    return (decision.left, decision.right)


class _Forest:
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
        return any(self.find(other) == large for member in self.members[small] for other in self.forbidden[member])

    def _smaller_first(self, root_a: int, root_b: int) -> tuple[int, int]:
        """The two roots, the one with fewer members first (``root_a`` first when equal)."""
        return (root_b, root_a) if len(self.members[root_b]) < len(self.members[root_a]) else (root_a, root_b)
