"""Text clean-up: what copy-pasting and scraping did to the sources, undone.

Two views of a text are produced here:

* :func:`clean_text` is for display: HTML entities decoded, formatting markup read as text
  (see :mod:`generator.text.markup`), Unicode NFKC,
  LaTeX converted (see :mod:`generator.text.latex`), whitespace collapsed.
* :func:`comparison_key` is for matching: the clean text further folded to
  lowercase ASCII words, with ligatures, accents, typographic quotes and dashes
  unified, so that two copies of a paper compare equal whatever their typography.
"""

from __future__ import annotations

import functools
import html
import html.entities
import re
import unicodedata
from collections import defaultdict
from collections.abc import Container
from dataclasses import dataclass

from generator.text.latex import latex_to_text
from generator.text.markup import formatting_to_text

ELLIPSIS_END = re.compile(r"\s*(?:\.\.\.+|…|\[\s*(?:\.\.\.|…)\s*\])\s*$")
TYPOGRAPHY = {
    "‘": "'",
    "’": "'",
    "‚": "'",
    "‛": "'",
    "′": "'",
    "“": '"',
    "”": '"',
    "„": '"',
    "″": '"',
    "‐": "-",
    "‑": "-",
    "‒": "-",
    "–": "-",
    "—": "-",
    "―": "-",
    "−": "-",
    "×": "x",
    "…": "...",
    "\u00a0": " ",
    "ß": "ss",
    "æ": "ae",
    "œ": "oe",
    "ø": "o",
    "ł": "l",
    "ı": "i",
}
TYPOGRAPHIC = re.compile("[" + "".join(TYPOGRAPHY) + "]")
NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")
# Matching keys keep ASCII letters and digits; every other byte (and any non-ASCII character
# left after folding, encoded as "?") becomes a space.
KEY_BYTES = bytes(byte if chr(byte) in "0123456789abcdefghijklmnopqrstuvwxyz" else 32 for byte in range(256))
SPACE_RUN = re.compile(rb"  +")
NOT_WORD = re.compile(r"[^0-9a-z]+")
# A character UTF-8 puts first in a two- or three-byte sequence, read as Latin-1 or Windows-1252,
# followed by one its continuation bytes become: the mark of mojibake (ftfy then decides).
MOJIBAKE = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u2122]"
)
SPLIT_ENTITY = re.compile(r"&\s*(#)?\s*(x?[0-9a-fA-F]+|[a-zA-Z]+)\s*;")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“(])")


@dataclass(slots=True)
class CleanText:
    """Display text plus how much LaTeX could not be converted."""

    text: str
    latex_residue: int = 0


def clean_text(raw: str) -> CleanText:
    """Decode entities, read formatting markup as text, apply NFKC, convert LaTeX and collapse whitespace."""
    if not needs_cleaning(raw):
        return CleanText(raw)  # plain single-spaced ASCII (most names and many lines) is already clean
    text = _unescape_html(formatting_to_text(raw))  # markup first: an entity (&lt;b&gt;) is text
    if not text.isascii() and MOJIBAKE.search(text):
        text = _fixed_encoding(text)
    text = unicodedata.normalize("NFKC", text)
    converted = latex_to_text(text)
    return CleanText(collapse_whitespace(converted.text), converted.residue)


def needs_cleaning(raw: str) -> bool:
    """Would :func:`clean_text` change ``raw``: non-printable or non-ASCII characters, entities, LaTeX,
    dashes to convert, spaces to collapse?  (Substring tests in C: faster than one regex.)"""
    if not (raw.isascii() and raw.isprintable()) or raw.startswith(" ") or raw.endswith(" "):
        return True
    return "&" in raw or "\\" in raw or "$" in raw or "{" in raw or "--" in raw or "  " in raw or "<" in raw


def _fixed_encoding(text: str) -> str:
    """UTF-8 read as Latin-1 or Windows-1252 (``JÃ¶rg``) read again as UTF-8 (``Jörg``), where
    that is what happened: ftfy tells mojibake from text that merely looks odd."""
    import ftfy  # only for the rare text that looks like mojibake

    return ftfy.fix_encoding(text)


def _unescape_html(text: str) -> str:
    """Decode HTML entities, also when a scraper escaped them twice (``&amp;amp;``) or split one
    with spaces (``J&ouml; rg``, ``& #246;``)."""
    if "&" in text and SPLIT_ENTITY.search(text):
        text = SPLIT_ENTITY.sub(_joined_entity, text)
    for _ in range(3):
        decoded = html.unescape(text)
        if decoded == text:
            break
        text = decoded
    return text


def _joined_entity(match: re.Match[str]) -> str:
    """An entity with spaces inside, written without them (left as it was if it names none)."""
    number, name = match.group(1) or "", match.group(2)
    if number or f"{name};" in html.entities.html5:
        return f"&{number}{name};"
    return match.group(0)


def collapse_whitespace(text: str) -> str:
    """Turn every run of whitespace (including NBSP and zero-width marks) into one space; control
    characters go (see :func:`without_controls`)."""
    text = text.replace("\u200b", "").replace("\u00ad", "").replace("\ufeff", "")
    return " ".join(without_controls(text).split())


# Characters neither HTML nor XML may carry (a PDF's form feed, a terminal's escape, U+FFFE…): page
# breaks and separators become spaces, the rest go; tab, line feed and carriage return stay.
CONTROLS = dict.fromkeys([*range(0x09), *range(0x0E, 0x1C), 0x7F, *range(0x80, 0xA0), 0xFFFE, 0xFFFF])
CONTROLS |= dict.fromkeys(range(0xFDD0, 0xFDF0)) | dict.fromkeys([0x0B, 0x0C, *range(0x1C, 0x20)], " ")


def without_controls(text: str) -> str:
    """``text`` without the characters :data:`CONTROLS` lists (the same text when it has none)."""
    return text if text.isprintable() or not any(ord(char) in CONTROLS for char in text) else text.translate(CONTROLS)


def strip_ellipsis(text: str) -> tuple[str, bool]:
    """Remove a trailing ``...`` / ``…`` and say whether the text was cut short."""
    if not text.rstrip().endswith(("...", "…", "]")):
        return text, False  # the regular expression below is slow on long texts that do not end so
    stripped = ELLIPSIS_END.sub("", text)
    return stripped, stripped != text


def ascii_fold(text: str) -> str:
    """Lowercase, unify typography and drop accents: ``Zoë – “x”`` → ``zoe - "x"``."""
    if text.isascii():
        return text.lower()
    text = TYPOGRAPHIC.sub(_typography, unicodedata.normalize("NFKC", text).casefold())
    decomposed = unicodedata.normalize("NFKD", text)
    return NON_ASCII_RUN.sub(_without_marks, decomposed)


def _typography(match: re.Match[str]) -> str:
    return TYPOGRAPHY[match.group()]


def _without_marks(match: re.Match[str]) -> str:
    return _drop_combining(match.group())


@functools.lru_cache(maxsize=65_536)
def _drop_combining(run: str) -> str:
    return "".join(char for char in run if not unicodedata.combining(char))


def comparison_key(text: str) -> str:
    """Fold ``text`` to lowercase ASCII words separated by single spaces."""
    spaced = ascii_fold(text).encode("ascii", "replace").translate(KEY_BYTES)
    return SPACE_RUN.sub(b" ", spaced).strip().decode("ascii")


@functools.lru_cache(maxsize=1 << 17)
def slugify(text: str, max_length: int = 80) -> str:
    """ASCII, lowercase, hyphen-separated slug, cut at a word boundary (remembered: every paper
    title is slugified twice per build, and the dev server sees the same titles again)."""
    slug = NOT_WORD.sub("-", ascii_fold(text)).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0]
    return slug


def unique_slugs(texts: list[str], max_length: int = 60, fallback: str = "paper") -> list[str]:
    """Slugs of ``texts`` in order, made unique (see :func:`numbered_apart`; empty slugs become ``fallback``)."""
    return numbered_apart([slug_base(text, max_length, fallback) for text in texts])


def slug_base(text: str, max_length: int = 60, fallback: str = "paper") -> str:
    """The slug :func:`unique_slugs` gives the first text it sees with this slug."""
    return slugify(text, max_length) or fallback


NUMBERED = re.compile(r"(.+)-[0-9]+")


def numbered_from(slug: str) -> str | None:
    """The base whose copies a slug of the form ``base-N`` could number, if it has that form."""
    match = NUMBERED.fullmatch(slug)
    return match.group(1) if match else None


def numbered_apart(bases: list[str]) -> list[str]:
    """The ``bases`` in order, each later copy of one numbered ``-2``, ``-3``…, skipping a number
    that would give a slug some base is itself (``Orca``, ``Orca``, ``Orca 2`` → ``orca``,
    ``orca-3``, ``orca-2``): every slug differs from every other, and a text's own slug goes to
    its first copy, whatever else the list holds."""
    places: dict[str, list[int]] = defaultdict(list)
    for place, base in enumerate(bases):
        places[base].append(place)
    reserved = places.keys()
    slugs = list(bases)
    for base, own in places.items():
        if len(own) > 1:
            for place, slug in zip(own[1:], numbered_copies(base, len(own) - 1, reserved), strict=True):
                slugs[place] = slug
    return slugs


def numbered_copies(base: str, count: int, reserved: Container[str]) -> list[str]:
    """The slugs of ``count`` later copies of ``base``: ``base-2``, ``base-3``…, skipping any slug
    that is ``reserved`` (a base some text has).  A numbered slug is never another base's numbered
    slug (``a-2-3`` can only number ``a-2``), so each base is numbered on its own."""
    slugs: list[str] = []
    number = 2
    while len(slugs) < count:
        if (slug := f"{base}-{number}") not in reserved:
            slugs.append(slug)
        number += 1
    return slugs


def first_sentence(text: str) -> str:
    """The text up to the first sentence end (the whole text when there is none)."""
    match = SENTENCE_END.search(text)
    return text[: match.start()] if match else text


def word_set(words: str) -> frozenset[str]:
    """The words of a whitespace-separated list (how word lists are written in this package)."""
    return frozenset(words.split())
