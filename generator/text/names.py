"""People's names as keys: is this author the person a profile is about?

A name's key is its family name and its first initial, accents and case ignored
(``Arthur Mensch`` and ``A. Mensch`` → ``("mensch", "a")``).  The family name is the last word,
a hyphen or space inside it not mattering (``Calero-Valdez``, ``Calero Valdez``); ``Last, First``
is turned around first (``Calero Valdez, André``); suffixes such as ``Jr.`` or ``III`` are not
the family name.  A profile may list other forms of its person's name (``aliases:`` in
site.yaml): an author is the person when their key is the key of any of them.

Dedupe compares author lists by :func:`surnames` (:func:`shared_authors`): how many authors of the
shorter list the other has too.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import NamedTuple

from rapidfuzz import fuzz

from generator.text.normalize import ascii_fold

SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
NAME_SEPARATORS = re.compile(r"[\s.\-‐‑–]+")
LETTER = re.compile("[a-z]")
ASCII_SEPARATORS = str.maketrans(".-", "  ")


@functools.lru_cache(maxsize=65536)
def name_key(name: str) -> tuple[str, str]:
    """(family name, first initial), folded; ``("", "")`` for a name without letters."""
    words = name_words(name)
    return (words[-1], words[0][0]) if words else ("", "")


def name_words(name: str) -> list[str]:
    """A name's folded words, given names first, suffixes and numbers dropped (``Calero Valdez,
    André`` → ``andre calero valdez``; dblp's ``Wei Wang 0001`` → ``wei wang``)."""
    if name.isascii() and "," not in name:  # most names: no regular expression needed
        words = name.lower().translate(ASCII_SEPARATORS).split()
        while len(words) > 1 and (words[-1] in SUFFIXES or words[-1].isdigit()):
            words.pop()
        return words
    folded = ascii_fold(name).lower()
    family, comma, given = folded.partition(",")
    if comma and given.strip() and given.strip().rstrip(".") not in SUFFIXES:
        folded = f"{given} {family}"
    words = [word for word in NAME_SEPARATORS.split(folded.replace(",", " ")) if word and not word.isdigit()]
    while len(words) > 1 and words[-1] in SUFFIXES:
        words.pop()
    return words


def person_keys(name: str, aliases: list[str] | tuple[str, ...] = ()) -> frozenset[tuple[str, str]]:
    """The keys by which a profile's person is recognised among authors."""
    return frozenset(key for key in map(name_key, (name, *aliases)) if key[0])


def is_person(author: str, keys: frozenset[tuple[str, str]]) -> bool:
    """Is ``author`` the person whose :func:`person_keys` are ``keys``?"""
    return name_key(author) in keys


class Surname(NamedTuple):
    """An author as dedupe compares authors: the family name and the name's other words (a
    double surname, ``Camps Paré``, may be cut to its first part by another source)."""

    family: str
    words: frozenset[str]


NO_WORDS: frozenset[str] = frozenset()


@functools.lru_cache(maxsize=65536)
def surname(name: str) -> Surname | None:
    """The :class:`Surname` of an author's name; None for a name with no letter (``?``)."""
    words = name_words(name)
    if not words or not LETTER.search(words[-1]):
        return None
    return Surname(words[-1], frozenset(word for word in words[1:-1] if len(word) > 2) if len(words) > 2 else NO_WORDS)


@dataclass(frozen=True, slots=True)
class AuthorList:
    """An author list as dedupe compares it: each author's :class:`Surname`, and the family names."""

    names: tuple[Surname, ...]
    families: frozenset[str]


def surnames(authors: list[str] | tuple[str, ...]) -> AuthorList:
    """The surnames of an author list, names without letters left out."""
    names = tuple(found for found in map(surname, authors) if found is not None)
    return AuthorList(names, frozenset(name.family for name in names))


def shared_authors(left: AuthorList, right: AuthorList) -> int:
    """How many authors of the shorter list the longer one has too (family names compared
    without accents; a ``?`` that a lost accent left stands for any letter; a misspelt long name,
    or a family name that is another word of the other's name, counts)."""
    short, long = sorted((left, right), key=lambda authors: len(authors.names))
    common = short.families & long.families
    unmatched = [name for name in short.names if name.family not in common]
    if not unmatched:
        return len(short.names)
    others = [name for name in long.names if name.family not in common]
    return len(short.names) - len(unmatched) + sum(any(_same_person(a, b) for b in others) for a in unmatched)


FUZZY_NAME = 85.0  # two family names of five letters or more this alike are one name misspelt


def _same_person(left: Surname, right: Surname) -> bool:
    """Two authors whose family names differ as written: one a word of the other's name (a double
    surname cut), or one family name spelt differently (an accent lost as ``?``, a typo)."""
    return left.family in right.words or right.family in left.words or _same_family(left.family, right.family)


def _same_family(left: str, right: str) -> bool:
    if "?" in left or "?" in right:
        return len(left) == len(right) and all(a == b or "?" in (a, b) for a, b in zip(left, right, strict=True))
    return left[0] == right[0] and min(len(left), len(right)) >= 5 and fuzz.ratio(left, right) >= FUZZY_NAME
