"""The merge rules: which entry of a cluster gives each field of its paper.

For every field of a :class:`~generator.model.Paper` one rule says which entry wins, and the
winner is recorded in ``provenance``: the title of a titled source; the most complete abstract
(not truncated, least LaTeX residue, longest); score, category, affiliation, arXiv id and URL
from the first source that has them; the longest author list; Code if any source says so.  The
fields of one version (venue, volume, number, pages, publisher, series, abbreviation) all come
from the *version of record*, the first entry published at a venue that is not a preprint
server, when there is one, and its DOI, BibTeX entry and date when it gives them, so that a
bioRxiv preprint and its Nature version show Nature, its year and its pages, never a mix;
otherwise each comes from the first source that has it, and the date is the earliest.  Papers
without a title anywhere get one derived from the abstract (marked as derived).  Then the
paper's ``papers.yaml`` overrides are applied, noting where they disagree with the sources.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import TypeVar

from generator.merge.overrides import Override
from generator.model import Cluster, Entry, Location, Paper
from generator.text.identifiers import arxiv_month, is_preprint_doi
from generator.text.normalize import comparison_key, first_sentence
from generator.text.venues import is_preprint_server

DERIVED_TITLE_WORDS = 12


T = TypeVar("T")


def merge_paper(cluster: Cluster, owners: dict[str, list[str]], overrides: list[Override] | None = None) -> Paper:
    """Merge the entries of one cluster into a paper, then apply its papers.yaml overrides (id assigned later)."""
    paper = _from_sources(cluster, owners)
    for override in overrides or []:
        apply_override(paper, override)
    _check_arxiv_month(paper)
    return paper


def _check_arxiv_month(paper: Paper) -> None:
    """A new-style arXiv id tells the first version's month (2204.14198: April 2022); say when the
    date disagrees (unless the paper was published at a venue: its date is then the publication's)."""
    if paper.venue:
        return
    month = arxiv_month(paper.arxiv)
    if month and paper.date and len(paper.date) >= 7 and not paper.date.startswith(month):
        paper.disagreements.append(
            f"date: {paper.provenance.get('date')} gives {paper.date}, but arXiv id {paper.arxiv} "
            f"({paper.provenance.get('arxiv')}) was first posted in {month}"
        )


def cluster_title(cluster: Cluster) -> str:
    """The title a cluster's paper gets from its sources (titled entry, else derived)."""
    return _title(_first(cluster.entries, lambda e: bool(e.title)), _best_abstract(cluster.entries))


def _title(titled: Entry | None, best_abstract: Entry) -> str:
    """The first titled entry's title, else one derived from the best abstract."""
    return titled.title if titled else derive_title(best_abstract.abstract)


def _best_abstract(entries: list[Entry]) -> Entry:
    if len(entries) == 1:
        return entries[0]
    return min(entries, key=lambda e: (e.truncated, e.latex_residue, -len(e.abstract), e.location))


FIRST_GIVEN = (  # the first source giving one wins
    "score",
    "category",
    "affiliation",
    "venue",
    "arxiv",
    "doi",
    "url",
    "pdf",
    "code_url",
    "note",
    "volume",
    "number",
    "pages",
    "publisher",
    "series",
    "venue_short",
    "selected",
    "citation",
)
EXTRA_FIELDS = FIRST_GIVEN[7:]  # given to the paper as the entry gives them
VERSION_FIELDS = ("venue", "volume", "number", "pages", "publisher", "series", "venue_short")
RECORD_FIRST = ("doi", "citation")  # the version of record's when it has one, else the first given


_FIRST_GIVEN_VALUES = attrgetter(*FIRST_GIVEN)


GIVEN_FIELDS = ("title", "code", *FIRST_GIVEN)  # the fields _first_given finds a source for


_GIVEN_VALUES = attrgetter(*GIVEN_FIELDS)


def _first_given(entries: list[Entry]) -> dict[str, Entry]:
    """For each field of :data:`GIVEN_FIELDS`, the first entry that gives it (a score of 0 counts),
    in one pass (each entry's values read at once)."""
    given: dict[str, Entry] = {}
    for entry in entries:
        for name, value in zip(GIVEN_FIELDS, _GIVEN_VALUES(entry), strict=True):
            if name not in given and _gives(value):
                given[name] = entry
    return given


def _version_of_record(entries: list[Entry]) -> Entry | None:
    """The first entry published at a venue that is not a preprint server, if there is one."""
    return _first(entries, lambda entry: bool(entry.venue) and not _is_preprint(entry))


def _with_record_fields(given: dict[str, Entry], record: Entry | None) -> dict[str, Entry]:
    """``given``, with the fields of one version (:data:`VERSION_FIELDS`) all from the version of
    ``record`` (a field it lacks stays empty: another version's would not describe it), and its DOI
    and BibTeX entry when it has them."""
    if record is None:
        return given
    chosen = {name: entry for name, entry in given.items() if name not in VERSION_FIELDS}
    return chosen | {name: record for name in VERSION_FIELDS + RECORD_FIRST if _gives(getattr(record, name))}


def _same_period(entries: list[Entry], record: Entry | None) -> list[Entry]:
    """The entries dated within the version of record's date (all of them when it has none): its
    date is the paper's, not the preprint's a year before."""
    if record is None or not record.date:
        return entries
    return [entry for entry in entries if entry.date and entry.date.startswith(record.date)]


def _is_preprint(entry: Entry) -> bool:
    return is_preprint_server(entry.venue) or is_preprint_doi(entry.doi)


def _gives(value: object) -> bool:
    return value is not None and value is not False and value != ""


def _from_sources(cluster: Cluster, owners: dict[str, list[str]]) -> Paper:
    entries = cluster.entries
    return _from_one(entries[0], owners) if len(entries) == 1 else _from_many(entries, owners)


def _from_many(entries: list[Entry], owners: dict[str, list[str]]) -> Paper:
    """A paper by the merge rules (see the module), each field from the entry its rule picks."""
    record = _version_of_record(entries)
    given = _with_record_fields(_first_given(entries), record)
    authors_entry = _most_authors(entries)
    dated = _by_date(_same_period(entries, record))
    picks = {
        "title": given.get("title"),
        "abstract": _best_abstract(entries),
        "authors": authors_entry if authors_entry.authors else None,
        "date": dated[0] if dated else None,
        "code": given.get("code"),
    } | {name: given.get(name) for name in FIRST_GIVEN}
    return Paper(
        id="",
        title=_title(picks["title"], picks["abstract"]),
        title_derived=picks["title"] is None,
        abstract=picks["abstract"].abstract,
        authors=list(authors_entry.authors),
        authors_truncated=authors_entry.authors_truncated,
        affiliation=_value(picks["affiliation"], "affiliation", ""),
        date=_value(picks["date"], "date", None),
        category=_value(picks["category"], "category", ""),
        score=_value(picks["score"], "score", None),
        code=picks["code"] is not None,
        profiles=sorted({slug for e in entries for slug in owners.get(e.location.file, ())}),
        sources=[e.location for e in entries],
        provenance={name: entry.location for name, entry in picks.items() if entry is not None},
        venue=_value(picks["venue"], "venue", ""),
        arxiv=_value(picks["arxiv"], "arxiv", ""),
        doi=_value(picks["doi"], "doi", ""),
        url=_value(picks["url"], "url", ""),
        links=_links(entries),
        tags=list(dict.fromkeys(tag for entry in entries for tag in entry.tags)),
        attachments=_attachments(entries),
        **{name: getattr(picks[name], name) for name in EXTRA_FIELDS if picks[name] is not None},
    )


def _attachments(entries: list[Entry]) -> list[tuple[str, str, Location]]:
    """The files the entries' link fields name (the first of each kind), with where each is named."""
    found: dict[str, tuple[str, str, Location]] = {}
    for entry in entries:
        for kind, name, line in entry.attachments:
            found.setdefault(kind, (kind, name, Location(entry.location.file, line)))
    return list(found.values())


def _links(entries: list[Entry]) -> list[tuple[str, str]]:
    """Every kind of link any entry gives, each from the first entry giving it."""
    links: dict[str, str] = {}
    for entry in entries:
        for kind, address in entry.links:
            links.setdefault(kind, address)
    return list(links.items())


def _from_one(entry: Entry, owners: dict[str, list[str]]) -> Paper:
    """:func:`_from_sources` of a cluster of one entry (most papers): every field as the entry gives
    it, without weighing entries against each other."""
    location = entry.location
    given = ["title"] if entry.title else []
    given += ["abstract", "authors"] if entry.authors else ["abstract"]
    given += [name for name, value in zip(("date", "code"), (entry.date, entry.code), strict=True) if value]
    given += [name for name, value in zip(FIRST_GIVEN, _FIRST_GIVEN_VALUES(entry), strict=True) if _gives(value)]
    return Paper(
        id="",
        title=entry.title or derive_title(entry.abstract),
        title_derived=not entry.title,
        abstract=entry.abstract,
        authors=list(entry.authors),
        authors_truncated=entry.authors_truncated,
        affiliation=entry.affiliation,
        date=entry.date or None,
        category=entry.category,
        score=entry.score,
        code=entry.code,
        profiles=sorted(set(owners.get(location.file, ()))),
        sources=[location],
        provenance=dict.fromkeys(given, location),
        venue=entry.venue,
        arxiv=entry.arxiv,
        doi=entry.doi,
        url=entry.url,
        links=list(entry.links),
        tags=list(entry.tags),
        attachments=_attachments([entry]),
        **{name: getattr(entry, name) for name in EXTRA_FIELDS},
    )


def apply_override(paper: Paper, override: Override) -> None:
    """Set the fields ``override`` gives, noting where they disagree with the sources."""
    for key, value in override.values.items():
        location = override.location(key)
        if key == "profiles":
            attached = set(paper.profiles) | {slug for slug, attach in value.items() if attach}
            paper.profiles = sorted(attached - {slug for slug, attach in value.items() if not attach})
        else:
            _note_disagreement(paper, key, value, location)
            setattr(paper, key, value)
        paper.provenance[key] = location
        if key == "title":
            paper.title_derived = False


def _note_disagreement(paper: Paper, key: str, value: object, location: Location) -> None:
    source = paper.provenance.get(key)
    if source is not None and source.file != location.file and _disagree(key, getattr(paper, key), value):
        paper.disagreements.append(
            f"{key}: {location} gives {_as_text(value)}, {source} says {_as_text(getattr(paper, key))}"
        )


def _disagree(key: str, source_value: object, override_value: object) -> bool:
    if key == "title":
        return comparison_key(str(source_value)) != comparison_key(str(override_value))
    if key == "date":
        return not (
            str(source_value).startswith(str(override_value)) or str(override_value).startswith(str(source_value))
        )
    return source_value != override_value


def _as_text(value: object) -> str:
    return ", ".join(value) if isinstance(value, list) else repr(value)


def _by_date(entries: list[Entry]) -> list[Entry]:
    """Earliest date first; a more precise date of the same period (2022-04-29 for 2022) wins over a vaguer one."""
    if len(entries) == 1:
        return list(entries) if entries[0].date else []
    dated = sorted((e for e in entries if e.date), key=lambda e: (e.date, e.location))
    if not dated:
        return []
    earliest = dated[0].date or ""
    precise = [e for e in dated if (e.date or "").startswith(earliest)]
    return sorted(precise, key=lambda e: (-len(e.date or ""), e.location)) + dated


def _first(entries: list[Entry], has: Callable[[Entry], bool]) -> Entry | None:
    for entry in entries:
        if has(entry):
            return entry
    return None


def _most_authors(entries: list[Entry]) -> Entry:
    """The entry with the longest author list (a complete one first, then the earliest location:
    a cluster's entries are in location order, and ``max`` keeps the first of equals)."""
    if len(entries) == 1:
        return entries[0]
    return max(entries, key=lambda e: (len(e.authors), not e.authors_truncated))


def _value(entry: Entry | None, field: str, default: T) -> T:
    return getattr(entry, field) if entry is not None else default


def derive_title(abstract: str) -> str:
    """A display title from the abstract's first sentence, cut to a few words."""
    first = first_sentence(abstract).rstrip(".")
    words = first.split()
    if len(words) > DERIVED_TITLE_WORDS:
        return " ".join(words[:DERIVED_TITLE_WORDS]).rstrip(",;:") + "…"
    return first
