"""The decision rules: are two entries the same paper?

Identifiers decide first (one arXiv id or DOI: one paper; two different ones: two papers).  Then
every field gives points (:mod:`generator.dedupe.evidence`): the title and the abstract, graded
by the similarities :mod:`generator.dedupe.scoring` computed, and the authors, year and venue;
from :data:`~generator.dedupe.evidence.MERGE_AT` points the two are one paper.  A no is *firm*
(the two may never share a cluster) when a field rules them apart or the points are low.
:func:`decide` says yes or no, why, and each field's points; the report shows them.
"""

from __future__ import annotations

from dataclasses import replace

from rapidfuzz import fuzz

from generator.dedupe.evidence import (
    ABSTRACT_COPY,
    ABSTRACT_DIFFER,
    ABSTRACT_DIFFER_FIRM,
    ABSTRACT_SAME_TEXT,
    ABSTRACT_UNRELATED,
    BIBLIOGRAPHIC_MAX,
    FIRM_AT,
    FIRM_TITLE_LEVELS,
    GENERIC_TITLE_MAX,
    MERGE_AT,
    TITLE_POINTS,
    Evidence,
    author_points,
    title_points,
    total,
    venue_points,
    year_points,
)
from generator.dedupe.glued import Glue, Unglued, may_be_glued, unglue
from generator.dedupe.signatures import Signature, has_word
from generator.dedupe.titles import TitleLevel, title_level
from generator.model import PairDecision
from generator.text.identifiers import is_preprint_doi

MIN_PREFIX_WORDS = 20


MIN_ABSTRACT_WORDS = 6


SAME_ABSTRACT = 85.0


EDITED_ABSTRACT = 70.0


EDITED_TOKEN_SET = 90.0


TRUNCATED_PREFIX = 85.0


UNMARKED_CUT_PREFIX = 96.0


RENAMED_ABSTRACT = 95.0


RETITLED_ABSTRACT, RETITLED_TOKEN_SET = 80.0, 93.0  # an edited abstract under a new title


CONTAINED = 80.0


FIRM_TOKEN_SET = 80.0


NEAR_MISS = 60.0


def decide(left: Signature, right: Signature, scores: dict[str, float]) -> PairDecision:
    """Decide whether two entries show the same paper, from their :func:`pair_scores`; say why,
    with the scores (the dict receives the ones the decision adds) and each field's points."""
    if (ruled := _ruled(left, right)) is not None:
        merged, reason = ruled
        return PairDecision(left.entry.location, right.entry.location, merged, reason, scores, not merged)
    evidence: Evidence = {}
    by_abstract = _abstracts_decide(left, right, scores)
    title, unglued = _graded_titles(left, right, scores, by_abstract) if "title" in scores else (None, None)
    text_reason, text_firm = _text_evidence(left, right, scores, (title, by_abstract), evidence)
    text_points = total(evidence)
    if text_firm and text_points + BIBLIOGRAPHIC_MAX < MERGE_AT:  # nothing else could join them
        return PairDecision(left.entry.location, right.entry.location, False, text_reason, scores, True, evidence)
    points = text_points + _bibliographic_evidence(left, right, evidence, unglued)
    merged = points >= MERGE_AT
    firm = not merged and (text_firm or points <= FIRM_AT)
    reason = _reason(merged, text_reason, text_points, evidence)
    related = not merged and not text_firm and _versions(left, right, title, evidence)
    return PairDecision(left.entry.location, right.entry.location, merged, reason, scores, firm, evidence, related)


def _ruled(left: Signature, right: Signature) -> tuple[bool, str] | None:
    """A decision no other evidence can change: identifiers, a title naming a relation to the
    other (an erratum, a comment), a generic title repeated in one source (a column's issues)."""
    if shared := left.ids & right.ids:
        return True, f"same identifier ({min(shared).replace(':', ' ', 1)})"
    if left.entry.arxiv and right.entry.arxiv:
        return False, f"different arXiv ids ({left.entry.arxiv} vs {right.entry.arxiv})"
    if (left_doi := _publisher_doi(left)) and (right_doi := _publisher_doi(right)):
        return False, f"different DOIs ({left_doi} vs {right_doi})"
    if not left.title_key or not right.title_key:
        return None
    if left.title.relation != right.title.relation:
        marked = sorted(left.title.relation ^ right.title.relation)[0]
        return False, f"one is an {marked} of the other" if marked[0] in "aeiou" else f"one is a {marked} of the other"
    if left.source == right.source and (left.title.generic or right.title.generic):
        return False, "a generic title repeated in one source: separate items"
    return None


UNGLUE_LEVELS = frozenset({"near", "contained", "similar", "unlike", "numbered apart", "different numbers"})


def _graded_titles(
    left: Signature, right: Signature, scores: dict[str, float], by_abstract: bool
) -> tuple[TitleLevel, Unglued | None]:
    """How alike the titles are; when not alike as written, graded again once the names, venue or
    year glued to them are taken off (:mod:`generator.dedupe.glued`), with what was taken off."""
    level = title_level(left.title, right.title, scores["title"])
    if level.name not in UNGLUE_LEVELS or (by_abstract and level.name != "unlike"):
        return level, None  # the abstracts decide what the titles leave open
    if not may_be_glued(left.title_key, right.title_key, (left.fields, right.fields)):
        return level, None
    unglued = unglue(left.title_key, right.title_key, Glue(left.fields | right.fields, (left.lacking, right.lacking)))
    if unglued is None:
        return level, None
    ratio = round(fuzz.ratio(unglued.left.key, unglued.right.key), 1)
    again = title_level(unglued.left, unglued.right, ratio)
    if again.name not in ("same", "near") or TITLE_POINTS[again.name] <= TITLE_POINTS[level.name]:
        return level, None
    scores["title_unglued"] = ratio
    generic = unglued.left.generic or unglued.right.generic
    return replace(again, generic=generic, unglued=True), unglued


def _abstracts_decide(left: Signature, right: Signature, scores: dict[str, float]) -> bool:
    return "abstract" in scores and min(left.word_count, right.word_count) >= MIN_ABSTRACT_WORDS


def _text_evidence(
    left: Signature,
    right: Signature,
    scores: dict[str, float],
    graded: tuple[TitleLevel | None, bool],
    evidence: Evidence,
) -> tuple[str, bool]:
    """The title's and the abstract's points (into ``evidence``); the reason they give, and
    whether they rule the two apart for sure (``graded``: the titles' level, and whether both
    abstracts are long enough to compare)."""
    title, by_abstract = graded
    if title is not None:
        evidence["title"] = title_points(title, title.generic)
    title_reason = _title_reason(title)
    title_firm = title is not None and title.name in FIRM_TITLE_LEVELS
    if not by_abstract:
        if "abstract" in scores and title is None:
            return "abstract too short to tell papers apart", False
        return title_reason, title_firm
    if title is not None and title.name == "same":
        return _beside_same_title(left, right, scores, evidence)
    if conflict := _lead_conflict(left, right):
        evidence["abstract"] = (ABSTRACT_UNRELATED, f"numbered names differ ({conflict})")
        return f"different names or numbers in the opening sentence ({conflict})", True
    matched, reason = _abstract_verdict(left, right, scores)
    if matched:
        retitled = title is not None and title.name == "unlike" and _retitled(left, right, scores)
        same_text = scores["abstract"] >= RENAMED_ABSTRACT or retitled
        evidence["abstract"] = (ABSTRACT_SAME_TEXT if same_text else ABSTRACT_COPY, reason)
        if title is not None and title.name == "unlike":
            return ("title changed between versions, abstract the same", False) if same_text else (title_reason, True)
        return reason, False
    complete = not left.entry.truncated and not right.entry.truncated
    firm = complete and scores.get("token_set", 100) < FIRM_TOKEN_SET
    evidence["abstract"] = (ABSTRACT_DIFFER_FIRM if firm else ABSTRACT_DIFFER, reason)
    return (title_reason, True) if title_firm else (reason, firm)


def _retitled(left: Signature, right: Signature, scores: dict[str, float]) -> bool:
    """A paper retitled between versions, its abstract edited: nearly every word shared, and each
    title naming what the other's abstract is about (half its distinctive words in it)."""
    if min(left.word_count, right.word_count) < MIN_PREFIX_WORDS or scores["abstract"] < RETITLED_ABSTRACT:
        return False
    if "token_set" not in scores:
        scores["token_set"] = round(fuzz.token_set_ratio(left.abstract_key, right.abstract_key), 1)
    if scores["token_set"] < RETITLED_TOKEN_SET:
        return False
    return _describes(left.title.distinctive, right) and _describes(right.title.distinctive, left)


def _describes(title_words: frozenset[str], other: Signature) -> bool:
    found = sum(1 for word in title_words if _in_abstract(other, word))
    return bool(title_words) and 2 * found >= len(title_words)


def _in_abstract(signature: Signature, word: str) -> bool:
    """``word`` in the abstract, or its plural or singular (``model``, ``models``)."""
    variants = (word, word + "s", word[:-1]) if word.endswith("s") else (word, word + "s")
    return any(has_word(signature.abstract_key, variant) for variant in variants)


def _beside_same_title(
    left: Signature, right: Signature, scores: dict[str, float], evidence: Evidence
) -> tuple[str, bool]:
    """Abstracts of two entries with the same title: unrelated ones keep them apart; a copy adds
    to the title; any other difference counts for nothing (abstracts get rewritten)."""
    if max(scores["abstract"], scores["prefix"]) < NEAR_MISS - 20:
        evidence["abstract"] = (ABSTRACT_UNRELATED, "unrelated")
        return "same title but unrelated abstracts", True
    matched, reason = _copy_verdict(left, right, scores)
    if matched:
        evidence["abstract"] = (ABSTRACT_SAME_TEXT if scores["abstract"] >= RENAMED_ABSTRACT else ABSTRACT_COPY, reason)
    else:
        evidence["abstract"] = (0.0, "not a copy (beside the same title: rewritten between versions?)")
    return "same title", False


TITLE_REASONS = {
    "same": "same title",
    "near": "titles a typo or a tag apart",
    "contained": "one title contains the other",
    "similar": "similar titles",
    "unlike": "different titles",
    "numbered apart": "titles numbered apart (a sequel or another part)",
    "different numbers": "different numbers in the titles",
}


def _title_reason(title: TitleLevel | None) -> str:
    if title is None:
        return "nothing to compare"
    return TITLE_REASONS[title.name] + (GLUED_NOTE if title.unglued else "")


GLUED_NOTE = " once the names, venue or year glued to it are taken off"


def _bibliographic_evidence(left: Signature, right: Signature, evidence: Evidence, unglued: Unglued | None) -> float:
    """The authors', venue's and year's points (into ``evidence``, where both entries give them;
    a year glued to a title stands for a missing one, and an entry with fields glued to its title
    is no preprint for lacking a venue; and their sum)."""
    points, level = 0.0, None
    if left.entry.authors and right.entry.authors and (authors := author_points(left.authors, right.authors)):
        evidence["authors"] = authors
        points += authors[0]
    if left.entry.venue and right.entry.venue:
        level, venue = venue_points(left.venue, right.venue)
        if venue is not None:
            evidence["venue"] = venue
            points += venue[0]
    glued_years, glued = (unglued.years, unglued.glued) if unglued else ((None, None), (False, False))
    left_year, right_year = left.year or glued_years[0], right.year or glued_years[1]
    if left_year and right_year:
        preprint = (left.preprint and not glued[0]) or (right.preprint and not glued[1])
        years = year_points((left_year, right_year), preprint, (level, left.venue))
        if years is not None:
            evidence["year"] = years
            points += years[0]
    return points


def _reason(merged: bool, text_reason: str, text_points: float, evidence: Evidence) -> str:
    """The text's reason, and the other fields that turned the decision, if they did."""
    if merged == (text_points >= MERGE_AT):
        return text_reason
    fields = [
        f"{name} {found}"
        for name, (points, found) in evidence.items()
        if name in BIBLIOGRAPHIC and (points > 0) == merged and points
    ]
    return f"{text_reason}, {'with' if merged else 'but'} {', '.join(fields)}" if fields else text_reason


BIBLIOGRAPHIC = ("authors", "year", "venue")


def _versions(left: Signature, right: Signature, title: TitleLevel | None, evidence: Evidence) -> bool:
    """Two versions of one work (a conference paper and its journal version): nearly the same
    title, the same authors, another year or venue."""
    if title is None or title.name not in ("same", "near", "contained") or title.generic:
        return False
    authors, year, venue = (evidence.get(name, (0.0, ""))[0] for name in BIBLIOGRAPHIC)
    return authors >= 2 and (year < 0 or venue < 0)


def _abstract_verdict(left: Signature, right: Signature, scores: dict[str, float]) -> tuple[bool, str]:
    """Are two abstracts (both long enough) copies of one: the same, cut, edited or contained?"""
    matched, reason = _copy_verdict(left, right, scores)
    if matched:
        return matched, reason
    shorter, longer = sorted((left, right), key=lambda sig: len(sig.abstract_key))
    return _edited_verdict(shorter, longer, scores)


def _copy_verdict(left: Signature, right: Signature, scores: dict[str, float]) -> tuple[bool, str]:
    """The cheap half of :func:`_abstract_verdict`: the same text, or one cut from the other."""
    if scores["abstract"] >= SAME_ABSTRACT:
        return True, "same abstract"
    shorter = min(left, right, key=lambda sig: len(sig.abstract_key))
    if shorter.word_count >= MIN_PREFIX_WORDS:
        if shorter.entry.truncated and scores["prefix"] >= TRUNCATED_PREFIX:
            return True, "truncated copy matches the start of the full abstract"
        if scores["prefix"] >= UNMARKED_CUT_PREFIX:
            return True, "copy cut short (no ellipsis) matches the start of the full abstract"
    return False, "abstracts differ"


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


def _publisher_doi(signature: Signature) -> str:
    """The entry's DOI, unless it is a preprint server's DOI for the preprint (arXiv's, bioRxiv's…:
    a preprint and the paper it became have different DOIs and are one paper)."""
    doi = signature.entry.doi
    return "" if is_preprint_doi(doi) else doi


def containment(short: str, long: str) -> float:
    """Share of the shorter text's word 3-grams found in the longer text (0–100)."""
    short_grams = _word_trigrams(short)
    return round(100 * len(short_grams & _word_trigrams(long)) / max(1, len(short_grams)), 1)


def _word_trigrams(text: str) -> set[tuple[str, str, str]]:
    words = text.split()
    return set(zip(words, words[1:], words[2:], strict=False))


def _lead_conflict(left: Signature, right: Signature) -> str:
    """Numbered names (7b, 8x7b, v2) in one opening that the other text never mentions, both ways."""
    only_left = [token for token in left.lead_tokens if not right.mentions(token)]
    only_right = only_left and [token for token in right.lead_tokens if not left.mentions(token)]
    if only_right:
        return f"{', '.join(sorted(only_left)[:3])} vs {', '.join(sorted(only_right)[:3])}"
    return ""


def recurring_title_decision(decision: PairDecision, same_source: bool) -> PairDecision:
    """``decision`` again for entries whose title recurs in the input (a column's, an editorial's):
    the title counts as a generic title does, and in one source such entries are separate items."""
    if "title" not in decision.evidence or decision.evidence["title"][0] <= GENERIC_TITLE_MAX:
        return decision
    if same_source:
        return replace(decision, merged=False, firm=True, related=False, reason=RECURRING_IN_ONE_SOURCE)
    evidence = decision.evidence | {
        "title": (GENERIC_TITLE_MAX, f"{decision.evidence['title'][1]}, but a recurring title")
    }
    points = total(evidence)
    merged = points >= MERGE_AT
    reason = decision.reason if merged else f"{decision.reason}, but the title recurs in the input"
    firm = decision.firm or (not merged and points <= FIRM_AT)
    return replace(decision, merged=merged, reason=reason, firm=firm, evidence=evidence, related=False)


RECURRING_IN_ONE_SOURCE = "a title recurring in one source: separate items"
