"""The decision rules: are two entries the same paper?  Given the similarities of their titles and
abstracts (:mod:`generator.dedupe.scoring`), :func:`decide` says yes or no, why, and whether a no is
*firm* (the two may never share a cluster).  Every threshold is a constant here; the report shows
the scores behind every decision.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from generator.dedupe.signatures import DIGIT_TOKEN, Signature
from generator.model import PairDecision

if TYPE_CHECKING:
    pass


MIN_PREFIX_WORDS = 20


MIN_ABSTRACT_WORDS = 6


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


def decide(left: Signature, right: Signature, scores: dict[str, float]) -> PairDecision:
    """Decide whether two entries show the same paper, from their :func:`pair_scores`; say why,
    with the scores (the dict receives the ones the decision adds)."""
    merged, reason = _verdict(left, right, scores)
    firm = not merged and _firmly_distinct(reason, left, right, scores)
    return PairDecision(left.entry.location, right.entry.location, merged, reason, scores, firm)


FIRM_REASONS = (
    "different arXiv ids",
    "different DOIs",
    "different names or numbers",
    "different titles",
    "same title but unrelated",
)


def _firmly_distinct(reason: str, left: Signature, right: Signature, scores: dict[str, float]) -> bool:
    """Distinct for sure (never joined through a third copy), or merely not shown to be the same?

    Two complete abstracts with different vocabularies are distinct papers; two copies that are cut or
    edited differently may just be too far apart to match each other directly.
    """
    if reason.startswith(FIRM_REASONS):
        return True
    complete = not left.entry.truncated and not right.entry.truncated
    return reason == "abstracts differ" and complete and scores.get("token_set", 100) < FIRM_TOKEN_SET


def _verdict(left: Signature, right: Signature, scores: dict[str, float]) -> tuple[bool, str]:
    if shared := left.ids & right.ids:
        return True, f"same identifier ({min(shared).replace(':', ' ', 1)})"
    if left.entry.arxiv and right.entry.arxiv:
        return False, f"different arXiv ids ({left.entry.arxiv} vs {right.entry.arxiv})"
    if (left_doi := _publisher_doi(left)) and (right_doi := _publisher_doi(right)):
        return False, f"different DOIs ({left_doi} vs {right_doi})"
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


ARXIV_DOI_PREFIX = "10.48550/"  # arXiv's own DOIs name the preprint, not a publication


def _publisher_doi(signature: Signature) -> str:
    """The entry's DOI, unless it is arXiv's DOI for the preprint (a preprint and the paper it
    became have different DOIs and are one paper)."""
    doi = signature.entry.doi
    return "" if doi.startswith(ARXIV_DOI_PREFIX) else doi


def containment(short: str, long: str) -> float:
    """Share of the shorter text's word 3-grams found in the longer text (0–100)."""
    short_grams = _word_trigrams(short)
    return round(100 * len(short_grams & _word_trigrams(long)) / max(1, len(short_grams)), 1)


def _word_trigrams(text: str) -> set[tuple[str, str, str]]:
    words = text.split()
    return set(zip(words, words[1:], words[2:], strict=False))


def _same_numbers(left: str, right: str) -> bool:
    return set(DIGIT_TOKEN.findall(left)) == set(DIGIT_TOKEN.findall(right))


def _lead_conflict(left: Signature, right: Signature) -> str:
    """Numbered names (7b, 8x7b, v2) in one opening that the other text never mentions, both ways."""
    only_left = [token for token in left.lead_tokens if not right.mentions(token)]
    only_right = only_left and [token for token in right.lead_tokens if not left.mentions(token)]
    if only_right:
        return f"{', '.join(sorted(only_left)[:3])} vs {', '.join(sorted(only_right)[:3])}"
    return ""
