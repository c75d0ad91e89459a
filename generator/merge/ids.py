"""Paper ids: a slug of the title, unique across the site, given in source order."""

from __future__ import annotations

from generator.model import Paper
from generator.text.normalize import unique_slugs

ID_LENGTH = 60


def assign_ids(papers: list[Paper]) -> list[Paper]:
    """Give every paper a unique, stable id from its title (in source order); return them sorted by id."""
    in_order = sorted(papers, key=lambda p: p.sources[0])
    for paper, paper_id in zip(in_order, unique_slugs([p.title for p in in_order], ID_LENGTH), strict=True):
        paper.id = paper_id
    return sorted(papers, key=lambda p: p.id)
