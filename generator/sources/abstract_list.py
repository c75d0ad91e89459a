"""Parser for abstract lists: optional header lines, then ``Abstract:`` entries.

An entry starts at a line beginning with ``Abstract:`` (any case, with or
without a space after the colon) and runs until the next such line or a blank
line; hard-wrapped continuation lines are joined.  Header lines before the
first entry name the person's affiliations (``DMA, PARIETAL``).  Any other
text is an error at its line: nothing is silently dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.errors import Problem, fail_if_any
from generator.model import Entry, Location, SourceDoc
from generator.text.normalize import clean_text, strip_ellipsis

FORMAT = "abstract-list"
# "Abstract:" opens an entry, also behind a bullet or a number left by copying a list ("• Abstract:", "3. Abstract:").
ENTRY_START = re.compile(r"^\s*(?:[-•*·]\s*|\d{1,4}[.)]\s*)?abstract\s*:\s*(.*)$", re.IGNORECASE)
MAX_HEADER_LENGTH = 200


def is_entry_start(line: str) -> bool:
    """True for a line that opens an entry (``Abstract:…``)."""
    return ENTRY_START.match(line) is not None


def parse(lines: list[str], path: str) -> SourceDoc:
    """Parse an abstract list into a :class:`SourceDoc`."""
    doc = SourceDoc(path=path, format=FORMAT)
    problems: list[Problem] = []
    for start, chunk in _chunks(lines, doc, problems):
        entry = _entry(chunk, Location(path, start))
        if entry.abstract:
            doc.entries.append(entry)
        else:
            problems.append(Problem(path, start, "empty abstract", "write the abstract after 'Abstract:'"))
    fail_if_any(problems)
    return doc


def _chunks(lines: list[str], doc: SourceDoc, problems: list[Problem]) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(line number, [text lines])`` per entry; record header lines and strays."""
    start, chunk, seen_entry = 0, [], False
    for number, line in enumerate(lines, 1):
        match = ENTRY_START.match(line)
        if match:
            seen_entry = True
            if chunk:
                yield start, chunk
            start, chunk = number, [match.group(1)]
        elif not line.strip():
            if chunk:
                yield start, chunk
            start, chunk = 0, []
        elif chunk:
            chunk.append(line)
        else:
            _header_or_stray(line, number, seen_entry, doc, problems)
    if chunk:
        yield start, chunk


def _header_or_stray(line: str, number: int, seen_entry: bool, doc: SourceDoc, problems: list[Problem]) -> None:
    """Before the first entry a short line is a header (affiliations); elsewhere it is an error."""
    if not seen_entry and len(line.strip()) <= MAX_HEADER_LENGTH:
        doc.affiliations += [part.strip() for part in clean_text(line).text.split(",") if part.strip()]
        return
    problems.append(
        Problem(
            doc.path,
            number,
            "text outside any entry",
            (
                "start each entry with 'Abstract:'; an entry ends at a blank line, so join "
                "hard-wrapped lines to the entry above without a blank line between them"
            ),
        )
    )


def _entry(chunk: list[str], location: Location) -> Entry:
    cleaned = clean_text(" ".join(chunk))
    abstract, truncated = strip_ellipsis(cleaned.text)
    return Entry(location=location, abstract=abstract, truncated=truncated, latex_residue=cleaned.latex_residue)
