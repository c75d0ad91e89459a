"""People's names as keys: is this author the person a profile is about?

A name's key is its family name and its first initial, accents and case ignored
(``Arthur Mensch`` and ``A. Mensch`` → ``("mensch", "a")``).  The family name is the last word,
a hyphen or space inside it not mattering (``Calero-Valdez``, ``Calero Valdez``); ``Last, First``
is turned around first (``Calero Valdez, André``); suffixes such as ``Jr.`` or ``III`` are not
the family name.  A profile may list other forms of its person's name (``aliases:`` in
site.yaml): an author is the person when their key is the key of any of them.
"""

from __future__ import annotations

import functools
import re

from generator.text.normalize import ascii_fold

SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
NAME_SEPARATORS = re.compile(r"[\s.\-‐‑–]+")


@functools.lru_cache(maxsize=65536)
def name_key(name: str) -> tuple[str, str]:
    """(family name, first initial), folded; ``("", "")`` for a name without letters."""
    folded = ascii_fold(name).lower()
    family, comma, given = folded.partition(",")
    if comma and given.strip() and given.strip().rstrip(".") not in SUFFIXES:
        folded = f"{given} {family}"
    words = [word for word in NAME_SEPARATORS.split(folded.replace(",", " ")) if word]
    while len(words) > 1 and words[-1] in SUFFIXES:
        words.pop()
    return (words[-1], words[0][0]) if words else ("", "")


def person_keys(name: str, aliases: list[str] | tuple[str, ...] = ()) -> frozenset[tuple[str, str]]:
    """The keys by which a profile's person is recognised among authors."""
    return frozenset(key for key in map(name_key, (name, *aliases)) if key[0])


def is_person(author: str, keys: frozenset[tuple[str, str]]) -> bool:
    """Is ``author`` the person whose :func:`person_keys` are ``keys``?"""
    return name_key(author) in keys
