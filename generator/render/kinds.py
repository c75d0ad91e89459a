"""A paper's publication type, for the type chips and the grouping by type: journal,
conference, preprint, chapter, thesis, software or other; read from the BibTeX type a source
gave (a "journal" that is a preprint server is a preprint), else from the venue's words and the
arXiv id.
"""

from __future__ import annotations

from generator.model import Paper
from generator.text.venues import MEETING, PERIODICAL, is_preprint_server, venue_of

TYPE_LABELS = {
    "journal": "Journal",
    "conference": "Conference",
    "preprint": "Preprint",
    "chapter": "Book or chapter",
    "thesis": "Thesis",
    "software": "Software",
    "other": "Other",
}
TYPE_RANKS = {kind: rank for rank, kind in enumerate(TYPE_LABELS)}
BIBTEX_TYPES = {
    "article": "journal",
    "inproceedings": "conference",
    "conference": "conference",
    "proceedings": "conference",
    "incollection": "chapter",
    "inbook": "chapter",
    "book": "chapter",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
    "software": "software",
    "techreport": "other",
    "report": "other",
}


def publication_type(paper: Paper) -> str:
    """One of :data:`TYPE_LABELS`' keys."""
    given = BIBTEX_TYPES.get(paper.citation.type.lower(), "") if paper.citation else ""
    if given == "journal" and not paper.venue and paper.arxiv:
        return "preprint"  # an arXiv preprint exported as @article with no journal
    if given in ("journal", "") and paper.venue and is_preprint_server(paper.venue):
        return "preprint"  # Google Scholar's @article{…, journal={bioRxiv}}
    if given:
        return given
    venue = venue_of(paper.venue) if paper.venue else None
    if venue is not None and venue.kind == PERIODICAL:
        return "journal"
    if venue is not None and venue.kind == MEETING:
        return "conference"
    return "preprint" if paper.arxiv and venue is None else "other"
