"""What dedupe knows of each entry, computed once: its signature (comparison keys of the title
and abstract, the numbered names of its opening, its identifiers) and, for large inputs, its
blocking keys.  Computed where the entries are parsed, on every core (:func:`prepare_each`).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import chain
from types import ModuleType
from typing import TYPE_CHECKING

from generator.dedupe import blocking
from generator.dedupe.glued import field_words, lacks_fields
from generator.dedupe.titles import TitleFacts, title_facts
from generator.executor import LOCAL, Executor, chunks
from generator.model import Entry
from generator.text.names import AuthorList, surnames
from generator.text.normalize import comparison_key, first_sentence
from generator.text.venues import Venue, venue_of

if TYPE_CHECKING:
    from generator.dedupe.gram_arrays import EntryGrams


LEAD_WORDS = 40


SIGNATURE_CHUNK = 4_000  # entries prepared per task when parsing did not; two tasks or more run on every core


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
        return has_word(self.abstract_key, word) or has_word(self.title_key, word)

    word_count: int = field(init=False)  # the abstract's
    year: int | None = field(init=False)

    def __post_init__(self) -> None:
        self.word_count = self.abstract_key.count(" ") + 1 if self.abstract_key else 0
        date = self.entry.date
        self.year = int(date[:4]) if date and date[:4].isdigit() else None

    # What the bibliographic evidence compares, computed when a pair first needs it (kept in the
    # instance's dictionary: functools.cached_property takes a lock on every first access).

    @property
    def title(self) -> TitleFacts:
        found = self.__dict__.get("_title")
        if found is None:
            found = self.__dict__["_title"] = title_facts(self.title_key)
        return found

    @property
    def authors(self) -> AuthorList:
        found = self.__dict__.get("_authors")
        if found is None:
            found = self.__dict__["_authors"] = surnames(self.entry.authors)
        return found

    @property
    def fields(self) -> frozenset[str]:
        """The words of the author names and venue, which scraped titles sometimes have glued on."""
        found = self.__dict__.get("_fields")
        if found is None:
            found = self.__dict__["_fields"] = field_words(self.entry)
        return found

    @property
    def lacking(self) -> bool:
        """Does the entry lack its authors or venue (which its title may then hold)?"""
        return lacks_fields(self.entry)

    @property
    def venue(self) -> Venue | None:
        return venue_of(self.entry.venue) if self.entry.venue else None

    @property
    def preprint(self) -> bool:
        """Not (yet) published anywhere, as far as this entry says: no venue, or an arXiv id."""
        return bool(self.entry.arxiv) or not self.entry.venue

    @property
    def source(self) -> str:
        return self.entry.location.file


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


def prepare_all(entries: list[Entry], executor: Executor = LOCAL) -> list[Prepared]:
    """Prepare entries not prepared while parsing; a large input is prepared on every core."""
    large = len(entries) >= blocking.ARRAYS_FROM
    return list(executor.map(_prepare_chunk, (entries, large), chunks(len(entries), SIGNATURE_CHUNK), 2))


def _prepare_chunk(state: tuple[list[Entry], bool], indexes: range) -> Prepared:
    entries, large = state
    return prepare(entries[indexes.start : indexes.stop], large)


def signatures_of(entries: list[Entry], parts: Sequence[Prepared]) -> list[Signature]:
    keys = chain.from_iterable(part.keys for part in parts)
    return [Signature(entry, *k) for entry, k in zip(entries, keys, strict=True)]


def grams_of(part: Prepared) -> EntryGrams:
    """A part's blocking keys, computed here when parsing did not (and kept for the next build)."""
    if part.grams is None:
        part.grams = _entry_grams(part.keys)
    return part.grams


def gram_arrays() -> ModuleType:
    """The NumPy side of blocking, loaded for large inputs only."""
    return importlib.import_module("generator.dedupe.gram_arrays")


def has_word(text: str, word: str) -> bool:
    """``word`` among the single-spaced words of ``text``."""
    return text == word or text.startswith(word + " ") or text.endswith(" " + word) or f" {word} " in text
