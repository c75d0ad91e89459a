"""BibTeX out: one entry per paper, with stable citation keys unique within a file.

A paper that came from a BibTeX file is cited by the user's own entry: their type, their key,
their fields as they wrote them (without the fields a site keeps for itself, such as
``selected``, ``abbr`` or link fields), with what the merged paper knows added only where the
entry lacks it (a DOI, an arXiv id, a venue).  Other papers get an entry made here: keys follow
Google Scholar's habit, ``<first author's family name><year><first title word>``
(``hoffmann2022training``); without authors the profile's own name stands in.  Keys repeated
within a file get ``a``, ``b``… suffixes in paper order.  Values escape BibTeX's special
characters, and titles are double-braced so their capitals survive.  Our own BibTeX reader reads
these files back to the same titles, years and identifiers.
"""

from __future__ import annotations

import functools
import re
from collections import Counter

from generator.model import Paper
from generator.text.dates import MONTH_NAMES
from generator.text.normalize import ascii_fold

STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "on",
        "of",
        "for",
        "in",
        "to",
        "and",
        "with",
        "via",
        "towards",
        "toward",
        "from",
        "by",
        "at",
        "is",
        "are",
        "we",
        "our",
    ]
)
CONFERENCE = re.compile(
    r"\b(conference|proceedings|workshop|symposium|icml|iclr|neurips|nips|cvpr|iccv|eccv|acl|emnlp|naacl|"
    r"aaai|ijcai|kdd|colt|aistats|uai|interspeech|icassp)\b",
    re.IGNORECASE,
)
NOT_KEY_CHARACTER = re.compile(r"[^a-z0-9]")
SPECIAL = str.maketrans(
    {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_"}
)


def citation_keys(papers: list[Paper], fallback_author: str) -> dict[str, str]:
    """Paper id → citation key, unique among ``papers``: the user's own key where the paper has one
    (a key two papers share stays with the first, the others get ``b``, ``c``…), else one made
    here (a base several papers share gets ``a``, ``b``… suffixes in the given order)."""
    own = [paper.citation.key if paper.citation and paper.citation.key else "" for paper in papers]
    bases = [key or _key_base(paper, fallback_author) for key, paper in zip(own, papers, strict=True)]
    counts = Counter(base for key, base in zip(own, bases, strict=True) if not key)
    taken = set(bases)
    seen: Counter[str] = Counter()
    keys: dict[str, str] = {}
    given: set[str] = set()
    for paper, base, mine in zip(papers, bases, own, strict=True):
        key = base
        if mine:
            while key in given:
                seen[base] += 1
                key = base + _letters(seen[base])
        else:
            while counts[base] > 1 and (key == base or key in taken):
                key = base + _letters(seen[base])
                seen[base] += 1
        taken.add(key)
        given.add(key)
        keys[paper.id] = key
    return keys


def _letters(index: int) -> str:
    """0 → a, 25 → z, 26 → aa …"""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("a") + remainder) + letters
    return letters


def _key_base(paper: Paper, fallback_author: str) -> str:
    author = paper.authors[0] if paper.authors else fallback_author
    family = _word(author.split()[-1] if author.split() else "anon") or "anon"
    year = paper.date[:4] if paper.date else ""
    first = next((word for word in map(_word, paper.title.split()) if word and word not in STOP_WORDS), "")
    return f"{family}{year}{first}"


@functools.lru_cache(maxsize=65_536)
def _word(text: str) -> str:
    return NOT_KEY_CHARACTER.sub("", ascii_fold(text))


def escape(value: str) -> str:
    """Escape BibTeX's special characters in a field value."""
    return value.translate(SPECIAL)


def entry_type(paper: Paper) -> tuple[str, str]:
    """(entry type, venue field): conferences are ``inproceedings``, other venues ``article``, else ``misc``."""
    if not paper.venue:
        return "misc", ""
    return ("inproceedings", "booktitle") if CONFERENCE.search(paper.venue) else ("article", "journal")


def bibtex_entry(paper: Paper, key: str) -> str:
    """One entry: the user's own, completed; else one made here, fields in a fixed order."""
    if paper.citation is not None:
        return _own_entry(paper, key)
    kind, venue_field = entry_type(paper)
    fields: list[tuple[str, str]] = [("title", "{" + escape(paper.title) + "}")]
    if paper.authors:
        fields.append(
            (
                "author",
                escape(" and ".join(paper.authors)) + (" and others" if paper.authors_truncated else ""),
            )
        )
    if venue_field:
        fields.append((venue_field, escape(paper.venue)))
    if paper.date:
        fields.append(("year", paper.date[:4]))
    fields += [(name, escape(getattr(paper, name))) for name in DETAIL_FIELDS if getattr(paper, name)]
    fields += _identifier_fields(paper)
    lines = [f"@{kind}{{{key},"] + [f"  {name} = {{{value}}}," for name, value in fields]
    if paper.date and len(paper.date) >= 7:
        lines.append(f"  month = {MONTH_NAMES[int(paper.date[5:7]) - 1].lower()},")
    return "\n".join(lines) + "\n}\n"


DETAIL_FIELDS = ("volume", "number", "pages", "publisher", "series", "note")


def _own_entry(paper: Paper, key: str) -> str:
    """The user's entry as written, with the merged paper's values where it has none."""
    citation = paper.citation
    assert citation is not None
    written = {name for name, _ in citation.fields}
    lines = [f"@{citation.type}{{{key},"] + [f"  {name} = {value}," for name, value in citation.fields]
    lines += [f"  {name} = {{{value}}}," for name, value in _added_fields(paper, written)]
    return "\n".join(lines) + "\n}\n"


def _added_fields(paper: Paper, written: set[str]) -> list[tuple[str, str]]:
    """What the merged paper adds to a user's entry: each field the entry does not have."""
    added = []
    if "title" not in written:
        added.append(("title", "{" + escape(paper.title) + "}"))
    if "author" not in written and paper.authors:
        added.append(("author", escape(" and ".join(paper.authors))))
    if paper.venue and not written & {"journal", "booktitle", "school", "institution", "howpublished"}:
        added.append((entry_type(paper)[1], escape(paper.venue)))
    if paper.date and not written & {"year", "date"}:
        added.append(("year", paper.date[:4]))
    identifiers = [(name, value) for name, value in _identifier_fields(paper) if name != "note"]
    if "eprint" in written:  # the user's own arXiv fields stand
        identifiers = [
            (name, value) for name, value in identifiers if name not in ("eprint", "archivePrefix", "primaryClass")
        ]
    return added + [(name, value) for name, value in identifiers if name.lower() not in written]


def _identifier_fields(paper: Paper) -> list[tuple[str, str]]:
    fields = []
    if paper.arxiv:
        fields += [("eprint", paper.arxiv), ("archivePrefix", "arXiv")]
        if paper.category:
            fields.append(
                (
                    "primaryClass",
                    f"cs.{paper.category}" if re.fullmatch(r"[A-Z]{2}", paper.category) else paper.category,
                )
            )
    if paper.doi:
        fields.append(("doi", paper.doi))  # verbatim, like url
    if paper.url:
        fields.append(("url", paper.url))
    if paper.unverified and (paper.arxiv or paper.doi):
        fields.append(("note", "Identifier not verified against public records"))
    return fields


def bibtex_entries(papers: list[Paper], fallback_author: str) -> dict[str, str]:
    """Paper id → its BibTeX entry, with citation keys unique among ``papers``."""
    keys = citation_keys(papers, fallback_author)
    return {paper.id: bibtex_entry(paper, keys[paper.id]) for paper in papers}


def bibliography(papers: list[Paper], entries: dict[str, str]) -> str:
    """A whole ``.bib`` file for ``papers`` (in the given order) from their :func:`bibtex_entries`."""
    return "\n".join(entries[paper.id] for paper in papers)
