"""Titles as evidence: how alike two titles are once the ways sources edit a title are allowed
for, and what a title says by itself.

Sources add and move tags (``(Extended Abstract)``, ``Tutorial:``, ``- Book Review``, ``(panel
session)``), cut subtitles or glue names and venues to the front, join or split words
(``semi-structured``, ``semistructured``) and make typos.  :func:`title_level` compares two
titles as written, without spaces, without tag words, and as one title's words inside the
other's, and grades the best of these.  Numbers count: ``Part I`` and ``Part II``, ``SQL 3`` and
``SQL3`` (the same number), ``Orca`` and ``Orca 2`` (a sequel).

A *generic* title (``Editorial``, ``Book reviews``, ``Guest Editor's Introduction``, ``Keynote
Address``…) names a kind of item, not a paper: all its words are such words.  A title naming a
*relation* to another (``Erratum to``, ``Addendum to``, ``Comments on``, ``Reply to``) is never
that other.  The word lists are plain English, the same for every site.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from itertools import pairwise

from rapidfuzz import fuzz

from generator.text.normalize import word_set

STOP_WORDS = word_set("a an the of on in for and to with by at from as is are via its or")
TAG_WORDS = word_set("""tutorial tutorials panel session abstract extended book review reviews invited talk keynote
    demo demonstration poster experience paper short position industrial vision announcement""")
GENERIC_WORDS = word_set("""editorial editorials editor editors guest introduction introductions foreword forewords preface
    prefaces book books review reviews column columns note notes message messages letter letters
    keynote keynotes address addresses invited talk talks panel panels report reports news
    announcement announcements call calls paper papers erratum errata corrigendum corrigenda
    obituary memoriam acknowledgment acknowledgments acknowledgement acknowledgements reviewer
    reviewers referee referees index contents table title chair chairs welcome president treasurer
    secretary special issue issues section sections minutes abstracts session sessions tutorial
    tutorials discussion comments reply response remarks opening closing summary overview interview
    front matter back cover correction corrections retraction new year s from""")
RELATION_WORDS = word_set(
    "addendum erratum errata corrigendum corrigenda correction corrections comment comments reply rejoinder retraction"
)
ROMAN = {
    "i": 1,
    "ii": 2,
    "iii": 3,
    "iv": 4,
    "v": 5,
    "vi": 6,
    "vii": 7,
    "viii": 8,
    "ix": 9,
    "x": 10,
    "xi": 11,
    "xii": 12,
}
PART_WORDS = word_set("part parts volume vol chapter section book no number episode")
DIGITS = re.compile(r"\d+")

SAME, NEAR, CONTAINED, SIMILAR, UNLIKE = 92.0, 88.0, 100.0, 70.0, 0.0  # the levels' lower bounds
CONTAINED_MIN_WORDS = 3  # a contained title says little with fewer distinctive words
FUZZY_WORD = 80.0  # two words of at least four letters this alike are one word misspelt
MISSPELT_WORDS = 1  # words of the shorter title that may be misspelt in the longer


@dataclass(frozen=True, slots=True)
class TitleFacts:
    """What comparing a title needs, computed once per title."""

    key: str
    spaceless: str
    core: str
    distinctive: frozenset[str]
    numbers: frozenset[int]
    parts: frozenset[int]
    generic: bool
    relation: frozenset[str]


@functools.lru_cache(maxsize=65_536)
def title_facts(key: str) -> TitleFacts:
    """The facts of a title given by its comparison key (lowercase words, single spaces)."""
    words = key.split()
    found = frozenset(words)
    meaningful = {word for word in found if len(word) > 1} - STOP_WORDS
    tagged = not TAG_WORDS.isdisjoint(found)
    numbered = DIGITS.search(key) is not None or not ROMAN_WORDS.isdisjoint(found)
    return TitleFacts(
        key,
        key.replace(" ", ""),
        " ".join(word for word in words if word not in TAG_WORDS) if tagged else key,
        frozenset(meaningful - TAG_WORDS) if tagged else frozenset(meaningful),
        _numbers(words) if numbered else NONE,
        _parts(words) if numbered and not PART_WORDS.isdisjoint(found) else NONE,
        meaningful <= GENERIC_WORDS,
        found & RELATION_WORDS,
    )


NONE: frozenset[int] = frozenset()
ROMAN_WORDS = frozenset(ROMAN)


def _numbers(words: list[str]) -> frozenset[int]:
    """Numbers a title names: digit runs (``SQL3`` and ``SQL 3`` alike), Roman numerals of two
    letters or more, and a one-letter numeral after ``Part``, ``Volume``…"""
    found = {int(run) for run in DIGITS.findall(" ".join(words)) if len(run) < 10}
    found.update(ROMAN[w] for w in words if w in ROMAN and len(w) > 1)
    return frozenset(found | _parts(words))


def _parts(words: list[str]) -> frozenset[int]:
    """The numbers that follow ``Part``, ``Volume``, ``Chapter``… (Arabic or Roman)."""
    return frozenset(
        int(word) if word.isdigit() else ROMAN[word]
        for before, word in pairwise(words)
        if before in PART_WORDS and (word in ROMAN or (word.isdigit() and len(word) < 4))
    )


@dataclass(frozen=True, slots=True)
class TitleLevel:
    """How alike two titles are: a level name and the similarity it rests on (0–100)."""

    name: str
    similarity: float
    generic: bool = False  # either title names a kind of item only
    unglued: bool = False  # graded once names, venue or year glued to a title were taken off


def title_level(left: TitleFacts, right: TitleFacts, ratio: float) -> TitleLevel:
    """Grade two titles (``ratio``: their keys' similarity, already computed).  Levels, strongest
    first: ``same``, ``near`` (a typo, words joined or split, tags added), ``contained`` (one
    title's distinctive words all in the other: a subtitle cut, tags or names added), ``similar``,
    ``unlike``; and, whatever the words, ``different numbers`` (each names a number the other does
    not), ``numbered apart`` (the same words, a number added: a sequel or another part) and
    ``related`` (an erratum, addendum, comment or reply to the other)."""
    generic = left.generic or right.generic
    if left.relation != right.relation:
        return TitleLevel("related", ratio, generic)
    if (left.numbers - right.numbers) and (right.numbers - left.numbers):
        return TitleLevel("different numbers", ratio, generic)
    best = ratio if ratio >= SAME else max(ratio, _spaceless_ratio(left, right), _core_ratio(left, right))
    if left.numbers != right.numbers and (left.parts != right.parts or _same_without_numbers(left, right)):
        return TitleLevel("numbered apart", best, generic)
    if best >= SAME:
        return TitleLevel("same", best, generic)
    if best >= NEAR:
        return TitleLevel("near", best, generic)
    if _contained(left.distinctive, right.distinctive):
        return TitleLevel("contained", best, generic)
    return TitleLevel("similar" if best >= SIMILAR else "unlike", best, generic)


def _spaceless_ratio(left: TitleFacts, right: TitleFacts) -> float:
    return round(fuzz.ratio(left.spaceless, right.spaceless), 1)


def _core_ratio(left: TitleFacts, right: TitleFacts) -> float:
    if not left.core or not right.core:
        return 0.0
    return round(fuzz.ratio(left.core, right.core), 1)


def _same_without_numbers(left: TitleFacts, right: TitleFacts) -> bool:
    """``Orca`` and ``Orca 2``: the titles are one once numbers are taken out."""
    return DIGITS.sub("", left.spaceless) == DIGITS.sub("", right.spaceless)


def _contained(left: frozenset[str], right: frozenset[str]) -> bool:
    """Are the distinctive words of the title with fewer of them (at least
    :data:`CONTAINED_MIN_WORDS`) all among the other's, :data:`MISSPELT_WORDS` misspelt word allowed for?"""
    short, long = sorted((left, right), key=len)
    if len(short) < CONTAINED_MIN_WORDS:
        return False
    missing = short - long
    if len(missing) > MISSPELT_WORDS:
        return False
    return all(
        len(word) >= 4 and any(fuzz.ratio(word, other) >= FUZZY_WORD for other in long - short) for word in missing
    )
