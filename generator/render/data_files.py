"""``papers.json``, and how the site's JSON is written.

Plain dicts with a fixed key order and sorted lists, serialised the same way every time, so the
same sources give byte-identical files.  The text is made by orjson: the site's JSON is tens of
megabytes at a thousand profiles, and orjson writes it several times faster than the standard
library's encoder (same text, except that floats with an exponent are written ``1e-5``, not
``1e-05``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import orjson

from generator.model import Location, Paper, Site


def to_json(data: Any) -> str:
    """Deterministic compact JSON (UTF-8 text, final newline); compact keeps the C encoder fast."""
    return compact_json(data) + "\n"


def location_json(location: Location) -> dict[str, Any]:
    return {"file": location.file, "line": location.line}


def paper_json(paper: Paper) -> dict[str, Any]:
    return {
        "id": paper.id,
        "title": paper.title,
        "title_derived": paper.title_derived,
        "abstract": paper.abstract,
        "authors": paper.authors,
        "authors_truncated": paper.authors_truncated,
        "affiliation": paper.affiliation,
        "date": paper.date,
        "category": paper.category,
        "score": paper.score,
        "code": paper.code,
        "profiles": paper.profiles,
        "sources": [location_json(location) for location in paper.sources],
        "venue": paper.venue,
        "arxiv": paper.arxiv or None,
        "doi": paper.doi or None,
        "url": paper.url or None,
        "pdf": paper.pdf or None,
        "code_url": paper.code_url or None,
        "tags": paper.tags,
        "links": [{"kind": kind, "url": address} for kind, address in paper.links],
        "note": paper.note or None,
        "volume": paper.volume or None,
        "number": paper.number or None,
        "pages": paper.pages or None,
        "publisher": paper.publisher or None,
        "series": paper.series or None,
        "venue_short": paper.venue_short or None,
        "selected": paper.selected,
        "checked": paper.checked or None,
        "provenance": {field: str(location) for field, location in sorted(paper.provenance.items())},
    }


def papers_json_chunks(site: Site, parts: Iterable[bytes] | None = None) -> Iterator[bytes]:
    """``papers.json``: ``{"papers": [...], "profiles": [...]}`` as :func:`to_json` would write it,
    in UTF-8, produced a paper at a time (never the whole list or text in memory); or from
    ``parts``, the papers' JSON in runs of them (each :func:`papers_part`), as they are."""
    yield b'{"papers":['
    if parts is None:
        for index, paper in enumerate(site.papers):
            yield (b"," if index else b"") + paper_part(paper)
    else:
        for index, part in enumerate(parts):
            yield from (b",", part) if index else (part,)  # no joined copy: the parts are kept as they are
    yield b'],"profiles":' + orjson.dumps(profiles_json(site)) + b"}\n"


def papers_part(papers: list[Paper]) -> bytes:
    """The JSON of some consecutive papers, as papers.json holds them."""
    return b",".join(map(paper_part, papers))


def paper_part(paper: Paper) -> bytes:
    return orjson.dumps(paper_json(paper))


def compact_json(data: Any) -> str:
    """Compact JSON text of ``data`` (UTF-8 characters as they are, keys in insertion order)."""
    return orjson.dumps(data).decode("utf-8")


def profiles_json(site: Site) -> list[dict[str, Any]]:
    return [
        {
            "slug": profile.slug,
            "name": profile.name,
            "affiliations": profile.affiliations,
            "primary_category": profile.primary_category,
            "metrics": {
                metric.key: {"value": metric.value, "label": metric.label, "source": str(metric.location)}
                for metric in profile.metrics
            },
            "papers": [paper.id for paper in profile.papers],
        }
        for profile in site.profiles
    ]


def comma_separated(parts: list[bytes]) -> list[bytes]:
    """The parts with a comma between each two, as chunks."""
    chunks = [b","] * (2 * len(parts) - 1) if parts else []
    chunks[::2] = parts
    return chunks
