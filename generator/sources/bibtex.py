"""Parser for BibTeX files (``*.bib``), via bibtexparser 2.

bibtexparser 2 is chosen over pybtex because it reports the line of every
entry and of every block it could not parse, which our ``path:line``
provenance and errors need; it also resolves ``@string`` macros.  Field values
are cleaned like every other source (LaTeX accents, braces, entities), names
written ``Last, First`` are turned around, and arXiv ids are found in
``eprint``, arXiv DOIs, arxiv.org URLs and Google Scholar's
``journal={arXiv preprint arXiv:…}``.
"""

from __future__ import annotations

import importlib
import logging
import re
from typing import TYPE_CHECKING

from generator.errors import Problem, fail_if_any
from generator.model import Entry, Location, SourceDoc
from generator.text.dates import month_number
from generator.text.identifiers import arxiv_from_doi, arxiv_in_text, normalize_arxiv, normalize_category, normalize_doi
from generator.text.normalize import clean_text, strip_ellipsis

if TYPE_CHECKING:
    import bibtexparser
    from bibtexparser.model import ParsingFailedBlock

FORMAT = "bibtex"
ARXIV_VENUES = re.compile(r"^(?:arxiv\b.*|corr|computing research repository)$", re.IGNORECASE)
TOP_LEVEL_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)


def parse(lines: list[str], path: str) -> SourceDoc:
    """Parse a BibTeX file into a :class:`SourceDoc`; a malformed entry is an error at its line."""
    library = importlib.import_module("bibtexparser").parse_string("\n".join(lines))  # loaded for BibTeX only
    doc = SourceDoc(path=path, format=FORMAT)
    problems = [_failure(block, path) for block in library.failed_blocks]
    for problem in problems:
        if problem.message.startswith("duplicate"):
            doc.notes.append(problem)
    fail_if_any([problem for problem in problems if not problem.message.startswith("duplicate")])
    doc.entries = [_entry(raw, path) for raw in library.entries]
    return doc


def _failure(block: ParsingFailedBlock, path: str) -> Problem:
    line = block.start_line + 1
    if isinstance(block, importlib.import_module("bibtexparser.model").DuplicateBlockKeyBlock):
        return Problem(path, line, f"duplicate citation key '{block.key}'", "both entries are read; rename one key")
    error = str(getattr(block, "error", "")).split("\n")[0] or "syntax error"
    return Problem(
        path,
        line,
        f"malformed BibTeX entry: {error}",
        "check the braces, quotes and commas of this entry (each field is name = {value},)",
    )


def _entry(raw: bibtexparser.model.Entry, path: str) -> Entry:
    fields = {field.key.lower(): str(field.value) for field in raw.fields}
    abstract = clean_text(fields.get("abstract", ""))
    text, truncated = strip_ellipsis(abstract.text)
    authors, cut = parse_authors(fields.get("author", ""))
    entry = Entry(
        location=Location(path, raw.start_line + 1),
        title=clean_text(fields.get("title", "")).text,
        abstract=text,
        truncated=truncated,
        latex_residue=abstract.latex_residue,
        authors=authors,
        authors_truncated=cut,
        date=bib_date(fields),
        category=normalize_category(fields.get("primaryclass", "")),
        doi=normalize_doi(fields.get("doi", "")) or "",
        url=_url(fields.get("url", "")),
        venue=_venue(fields),
    )
    entry.arxiv = _arxiv(fields, entry.doi)
    return entry


def parse_authors(value: str) -> tuple[list[str], bool]:
    """``Hoffmann, Jordan and M{\\"u}ller, K. and others`` → ``(["Jordan Hoffmann", "K. Müller"], True)``."""
    names, truncated = [], False
    for part in _split_top_level(value):
        name = clean_text(part).text
        if name.lower() in ("others", "et al.", "et al"):
            truncated = True
        elif name:
            names.append(_first_last(name))
    return names, truncated


def _split_top_level(value: str) -> list[str]:
    """Split on ``and`` outside braces (``{Barnes and Noble}`` stays one name)."""
    parts, depth, start, index = [], 0, 0, 0
    while index < len(value):
        char = value[index]
        if char in "{}":
            depth += 1 if char == "{" else -1
        elif depth == 0 and (match := TOP_LEVEL_AND.match(value, index)):
            parts.append(value[start:index])
            start = index = match.end()
            continue
        index += 1
    parts.append(value[start:])
    return [part.strip() for part in parts if part.strip()]


def _first_last(name: str) -> str:
    pieces = [piece.strip() for piece in name.split(",")]
    if len(pieces) == 2 and pieces[1]:
        return f"{pieces[1]} {pieces[0]}"
    if len(pieces) == 3:  # von Last, Jr, First
        return f"{pieces[2]} {pieces[0]}, {pieces[1]}"
    return name


def bib_date(fields: dict[str, str]) -> str | None:
    """``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` from year, month and day (or a ``date`` field)."""
    if re.match(r"^\d{4}(-\d{2}(-\d{2})?)?$", fields.get("date", "").strip()):
        return fields["date"].strip()
    year = re.search(r"\d{4}", fields.get("year", ""))
    if year is None:
        return None
    month = _month(fields.get("month", ""))
    if month is None:
        return year.group(0)
    day = fields.get("day", "").strip()
    return f"{year.group(0)}-{month:02d}" + (f"-{int(day):02d}" if day.isdigit() and 1 <= int(day) <= 31 else "")


def _month(value: str) -> int | None:
    return month_number(value)


def _arxiv(fields: dict[str, str], doi: str) -> str:
    prefix = (fields.get("archiveprefix", "") or fields.get("eprinttype", "")).lower()
    eprint = fields.get("eprint", "")
    if eprint and (prefix in ("", "arxiv")) and (found := normalize_arxiv(eprint)):
        return found
    for candidate in (
        arxiv_from_doi(doi) if doi else None,
        arxiv_in_text(fields.get("journal", "")),
        arxiv_in_text(fields.get("url", "")),
        arxiv_in_text(fields.get("volume", "")),
    ):
        if candidate:
            return candidate
    return ""


def _venue(fields: dict[str, str]) -> str:
    venue = clean_text(fields.get("booktitle", "") or fields.get("journal", "")).text
    return "" if ARXIV_VENUES.match(venue) else venue


def _url(value: str) -> str:
    value = value.strip()
    return value if re.match(r"^https?://\S+$", value) else ""
