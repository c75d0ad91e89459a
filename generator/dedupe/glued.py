"""Fields glued to a title: scraped listings and careless exports often write a record's authors,
venue or year into its title (``Erik G. Hoel, Hanan Samet 1995 Benchmarking Spatial Join
Operations``), leaving the field itself empty.

Compared as written, such a title is only *contained* in its copy's, and a glued year reads as a
number of the title (``1995 X`` would be a sequel of ``X``).  :func:`unglue` finds the title both
records share once glued fields are taken off, with the years it found there; the decision rules
grade those titles when the titles as written were not alike enough.  Tried in turn:

* the words both titles end with (or begin with), when every word before (or after) them is
  accounted for: a word of either record's author names or venue (or the start of one: ``Don``
  for ``Donald``), a year, a kind-of-venue or filler word (``journal``, ``the``), a word of the
  other title's glued part, or one of a run of words whose initials spell such a word (``very
  large data bases``: ``vldb``).  A record that lacks its authors or its venue may have them
  glued to the front in any words: what precedes the shared end is accounted for whatever it
  says, when the shared title has :data:`MIN_SHARED_LACKING` distinctive words;
* each title without the runs of field words and years at its ends.

Whatever is taken off, :data:`MIN_LEFT` distinctive words must stay.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.dedupe.titles import STOP_WORDS, TitleFacts, title_facts
from generator.model import Entry
from generator.text.normalize import comparison_key
from generator.text.venues import FILLER_WORDS, MEETING_WORDS, PERIODICAL_WORDS

MIN_LEFT = 3  # distinctive words each title keeps once fields are taken off
MIN_SHARED_LACKING = 4  # distinctive words of the shared title when a glued part is unaccounted for
YEAR = re.compile(r"^(?:19|20)\d\d$")
CARRIED_WORDS = FILLER_WORDS | MEETING_WORDS | PERIODICAL_WORDS | STOP_WORDS  # taken off only beside a field word


def field_words(entry: Entry) -> frozenset[str]:
    """The words of an entry's author names and venue (as title keys write them)."""
    return frozenset(comparison_key(f"{' '.join(entry.authors)} {entry.venue}").split())


def lacks_fields(entry: Entry) -> bool:
    """Does the entry lack its authors or its venue (which its title may then hold)?"""
    return not entry.authors or not entry.venue


@dataclass(frozen=True, slots=True)
class Unglued:
    """Two titles once the fields glued to them are taken off, the years found there, and
    whether anything was taken off each."""

    left: TitleFacts
    right: TitleFacts
    years: tuple[int | None, int | None]
    glued: tuple[bool, bool]


@dataclass(frozen=True, slots=True)
class Glue:
    """What may be glued to a pair's titles: the words of either record's author names and
    venue, and whether each record lacks authors or venue."""

    fields: frozenset[str]
    lacking: tuple[bool, bool]


def unglue(left: str, right: str, glue: Glue) -> Unglued | None:
    """Two title keys without the fields glued to them (see the module's notes); None when
    neither has any, or when too little of a title would be left."""
    left_words, right_words = left.split(), right.split()
    for split in (_front_glued, _end_glued, _trimmed_both):
        found = split(left_words, right_words, glue)
        if found is not None:
            return found
    return None


def may_be_glued(left: str, right: str, fields: tuple[frozenset[str], frozenset[str]]) -> bool:
    """The cheap test before :func:`unglue`: do the title keys end alike or begin alike, or does
    one begin or end with a year or a word of either record's fields?"""
    left_first, left_last = _ends(left)
    right_first, right_last = _ends(right)
    if left_last == right_last or left_first == right_first:
        return True
    ends = (left_first, left_last, right_first, right_last)
    return any(YEAR.match(word) or word in fields[0] or word in fields[1] for word in ends)


def _ends(key: str) -> tuple[str, str]:
    first, _, rest = key.partition(" ")
    return first, rest.rpartition(" ")[2] or first


def _front_glued(left: list[str], right: list[str], glue: Glue) -> Unglued | None:
    """The words both titles end with, when what comes before them is fields glued on."""
    shared = _shared_run(left[::-1], right[::-1])
    while shared and _is_known(left[-shared], glue.fields):  # a year or venue glued on both sides
        shared -= 1
    return _core_of((left[: len(left) - shared], right[: len(right) - shared]), left[len(left) - shared :], glue)


def _end_glued(left: list[str], right: list[str], glue: Glue) -> Unglued | None:
    """The words both titles begin with, when what follows them is fields glued on."""
    shared = _shared_run(left, right)
    while shared and _is_known(left[shared - 1], glue.fields):
        shared -= 1
    return _core_of((left[shared:], right[shared:]), left[:shared], Glue(glue.fields, (False, False)))


def _core_of(rests: tuple[list[str], list[str]], core: list[str], glue: Glue) -> Unglued | None:
    """The shared title ``core``, when the rest of each title is accounted for."""
    left_rest, right_rest = rests
    if not (left_rest or right_rest) or not core:
        return None
    facts = title_facts(" ".join(core))
    if len(facts.distinctive) < MIN_LEFT:
        return None
    long_enough = len(facts.distinctive) >= MIN_SHARED_LACKING
    for rest, other, lacking in ((left_rest, right_rest, glue.lacking[0]), (right_rest, left_rest, glue.lacking[1])):
        known = _known(other, glue.fields)
        if rest and not (lacking and long_enough and _is_known(rest[-1], known)) and not _accounted_for(rest, known):
            return None
    return Unglued(facts, facts, (_year_in(left_rest), _year_in(right_rest)), (bool(left_rest), bool(right_rest)))


def _known(other_rest: list[str], fields: frozenset[str]) -> frozenset[str]:
    """The words a glued part may hold: fields, the other title's glued part and its acronyms."""
    return fields | frozenset(other_rest) | _acronyms(other_rest)


def _accounted_for(rest: list[str], known: frozenset[str]) -> bool:
    """Is every word of ``rest`` a glued field's (see the module's notes)?"""
    runs: list[list[str]] = [[]]
    for word in rest:
        if _is_known(word, known):
            runs.append([])
        else:
            runs[-1].append(word)
    return all(_spelled(run, known) for run in runs if run)


def _is_known(word: str, known: frozenset[str]) -> bool:
    return _is_field(word, known) or word in CARRIED_WORDS or _begins_field(word, known)


def _acronyms(words: list[str]) -> frozenset[str]:
    """The initials of each run of words between carried words (``very large data bases``: ``vldb``)."""
    found, run = set(), ""
    for word in [*words, "the"]:
        if word in CARRIED_WORDS:
            if len(run) >= 3:
                found.add(run)
            run = ""
        else:
            run += word[0]
    return frozenset(found)


def _begins_field(word: str, known: frozenset[str]) -> bool:
    return len(word) >= 2 and any(field.startswith(word) for field in known)


def _spelled(run: list[str], known: frozenset[str]) -> bool:
    """Do the initials of ``run`` spell a known word (an acronym of the venue)?"""
    initials = "".join(word[0] for word in run)
    return len(initials) >= 3 and initials in known


def _shared_run(left: list[str], right: list[str]) -> int:
    """How many words ``left`` and ``right`` begin with alike."""
    count = 0
    for left_word, right_word in zip(left, right, strict=False):
        if left_word != right_word:
            break
        count += 1
    return count


def _year_in(words: list[str]) -> int | None:
    return next((int(word) for word in words if YEAR.match(word)), None)


def _trimmed_both(left: list[str], right: list[str], glue: Glue) -> Unglued | None:
    """Each title without the runs of field words and years at its ends."""
    left_words, left_year = _trimmed(left, glue.fields)
    right_words, right_year = _trimmed(right, glue.fields)
    if left_words is None and right_words is None:
        return None
    facts = (
        title_facts(" ".join(left_words if left_words is not None else left)),
        title_facts(" ".join(right_words if right_words is not None else right)),
    )
    if min(len(fact.distinctive) for fact in facts) < MIN_LEFT:
        return None
    return Unglued(*facts, (left_year, right_year), (left_words is not None, right_words is not None))


def _is_field(word: str, fields: frozenset[str]) -> bool:
    return word in fields or YEAR.match(word) is not None


def _trimmed(words: list[str], fields: frozenset[str]) -> tuple[list[str] | None, int | None]:
    """``words`` without a field run at the front and at the end (None: nothing taken off), and a
    year among the words taken off."""
    start = _run_length(words, fields)
    end = len(words) - _run_length(words[start:][::-1], fields)
    if start == 0 and end == len(words):
        return None, None
    return words[start:end], _year_in(words[:start] + words[end:])


def _run_length(words: list[str], fields: frozenset[str]) -> int:
    """How many words at the start of ``words`` a glued field accounts for: the longest run of
    field words, years and carried words that ends in a field word or year."""
    length = 0
    for index, word in enumerate(words):
        if _is_field(word, fields):
            length = index + 1
        elif word not in CARRIED_WORDS:
            break
    return length
