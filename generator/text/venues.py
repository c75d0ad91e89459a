"""Venues as dedupe compares them: is ``ACM Trans. Database Syst.`` the ``ACM Transactions on
Database Systems (TODS)``, is ``VLDB`` the ``Very Large Data Bases``, and is ``VLDB`` the ``VLDB
Journal`` (no: a meeting and a journal)?

No table of venues is kept.  A venue's name is folded to words; its *kind* is read from the words
that name a kind of venue in English (``journal``, ``transactions``, ``letters``, ``record``… make
a periodical; ``conference``, ``proceedings``, ``symposium``, ``workshop``… a meeting).  Two names
*agree* when one is an acronym of the other (``VLDB``, ``TODS``, ``JMLR``) or when every
distinctive word of the shorter begins a word of the longer (abbreviations such as ``Trans.`` and
``Syst.``); they *differ* when one is a periodical and the other is not (a conference paper and
its journal version); otherwise nothing is known (``SIGMOD Conference`` and ``International
Conference on Management of Data`` share no word, yet are one venue).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from generator.text.normalize import comparison_key, word_set

PERIODICAL_WORDS = word_set(
    "journal j jour trans transactions letters lett magazine mag review rev record bulletin bull "
    "newsletter quarterly annals ann"
)
MEETING_WORDS = word_set("conference conf proceedings proc symposium symp workshop congress meeting colloquium")
PREPRINT_WORDS = word_set(  # the servers' names: a paper there is a preprint, whatever its BibTeX type
    "arxiv biorxiv medrxiv chemrxiv psyarxiv socarxiv engrxiv eartharxiv techrxiv edarxiv ssrn preprint preprints"
)
FILLER_WORDS = word_set("a an the of on in for and to at acm ieee international intl annual")
ACRONYM_MIN = 3  # letters; shorter tokens ("ml", "db") are not taken for acronyms

PERIODICAL, MEETING, UNKNOWN = "periodical", "meeting", ""
AGREE, DIFFER, OTHER = "agree", "differ", "other"


@dataclass(frozen=True, slots=True)
class Venue:
    """A venue name as compared: its words, kind, distinctive words and acronyms it spells."""

    words: tuple[str, ...]
    kind: str
    distinctive: tuple[str, ...]
    initials: frozenset[str]


@functools.lru_cache(maxsize=16_384)
def venue_of(name: str) -> Venue | None:
    """The comparable form of a venue name (None for no name)."""
    words = tuple(word for word in comparison_key(name).split() if not word.isdigit())
    if not words:
        return None
    found = set(words)
    kind = PERIODICAL if found & PERIODICAL_WORDS else MEETING if found & MEETING_WORDS else UNKNOWN
    distinctive = tuple(w for w in words if w not in FILLER_WORDS | PERIODICAL_WORDS | MEETING_WORDS)
    initials = frozenset(
        {
            "".join(word[0] for word in words),
            "".join(word[0] for word in words if word not in FILLER_WORDS),
            "".join(word[0] for word in words if word not in FILLER_WORDS | PERIODICAL_WORDS | MEETING_WORDS),
        }
    )
    return Venue(words, kind, distinctive, initials)


def compare_venues(left: Venue | None, right: Venue | None) -> str | None:
    """:data:`AGREE`, :data:`DIFFER` or :data:`OTHER` (nothing known); None when one is missing."""
    if left is None or right is None:
        return None
    if left.kind != right.kind and PERIODICAL in (left.kind, right.kind):
        periodical, other = (left, right) if left.kind == PERIODICAL else (right, left)
        return AGREE if _spells(other, periodical) else DIFFER  # JMLR is the Journal of ML Research
    if _spells(left, right) or _spells(right, left) or _abbreviates(left, right):
        return AGREE
    return OTHER


def _spells(acronym: Venue, name: Venue) -> bool:
    """Is a word of ``acronym`` the initials of ``name`` (``vldb``, ``very large data bases``)?"""
    return any(len(word) >= ACRONYM_MIN and word in name.initials for word in acronym.words)


def _abbreviates(left: Venue, right: Venue) -> bool:
    """Does every distinctive word of the shorter begin a distinctive word of the longer?"""
    short, long = sorted((left.distinctive, right.distinctive), key=lambda words: (len(words), sum(map(len, words))))
    return bool(short) and all(any(word.startswith(part) for word in long) for part in short)


def is_preprint_server(name: str) -> bool:
    """Does ``name`` name a preprint server (``bioRxiv``, ``medRxiv``, ``SSRN Electronic Journal``,
    ``Research Square``, ``OSF Preprints``…)?"""
    venue = venue_of(name)
    return venue is not None and (bool(set(venue.words) & PREPRINT_WORDS) or "research square" in " ".join(venue.words))
