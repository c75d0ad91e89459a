"""What a profile's papers say about the person: years active, co-authors, chart geometry.

Everything here is computed at build time; templates draw the charts as
inline SVG from the geometry (no chart library in the browser).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from operator import attrgetter

from generator.model import Paper
from generator.text.names import name_key
from generator.text.normalize import ascii_fold


@dataclass(frozen=True)
class Bar:
    """One bar of a chart, in SVG user units."""

    label: str
    value: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Chart:
    """Bars plus the box they fit in."""

    bars: list[Bar]
    width: int
    height: int
    maximum: int


def years_active(papers: list[Paper]) -> tuple[int, int] | None:
    years = [int(paper.date[:4]) for paper in papers if paper.date]
    return (min(years), max(years)) if years else None


def papers_per_year(papers: list[Paper]) -> list[tuple[str, int]]:
    """Every year from the first to the last paper (empty years count 0)."""
    span = years_active(papers)
    if span is None:
        return []
    counts = Counter(int(paper.date[:4]) for paper in papers if paper.date)
    return [(str(year), counts.get(year, 0)) for year in range(span[0], span[1] + 1)]


def coauthors(papers: list[Paper], is_person) -> list[tuple[str, int]]:
    """Co-authors named on the papers (the person excluded), most frequent first; the forms of one
    name (``G Rigaill``, ``Guillem Rigaill``: one family name and first initial) count as one
    person, shown in their fullest form."""
    counts: Counter[tuple[str, str]] = Counter()
    spelling: dict[tuple[str, str], str] = {}
    for paper in papers:
        keys = {}
        for author in paper.authors:
            if not is_person(author) and (key := name_key(author))[0]:
                keys[key] = author
        for key, author in keys.items():
            counts[key] += 1
            if len(author) > len(spelling.get(key, "")):
                spelling[key] = author
    ranked = sorted(counts.items(), key=lambda item: (-item[1], ascii_fold(spelling[item[0]])))
    return [(spelling[key], count) for key, count in ranked]


def column_chart(counts: list[tuple[str, int]], height: int = 96, column: int = 28, gap: int = 6) -> Chart:
    """Vertical bars, one per label, scaled to the largest value."""
    maximum = max((value for _, value in counts), default=0) or 1
    bars = []
    for index, (label, value) in enumerate(counts):
        bar_height = round(value / maximum * height, 1)
        bars.append(Bar(label, value, index * (column + gap), height - bar_height, column, bar_height))
    return Chart(bars, max(len(counts) * (column + gap) - gap, column), height, maximum)


def row_chart(counts: list[tuple[str, int]], width: int = 220, row: int = 18, gap: int = 6) -> Chart:
    """Horizontal bars, one row per label, scaled to the largest value."""
    maximum = max((value for _, value in counts), default=0) or 1
    bars = [
        Bar(label, value, 0, index * (row + gap), round(value / maximum * width, 1), row)
        for index, (label, value) in enumerate(counts)
    ]
    return Chart(bars, width, max(len(counts) * (row + gap) - gap, row), maximum)


CATEGORY = attrgetter("category")


def category_counts(papers: list[Paper]) -> list[tuple[str, int]]:
    """Categories present, most frequent first (ties by code); uncategorised last."""
    counts = Counter(map(CATEGORY, papers))  # counted in C
    return sorted(counts.items(), key=lambda item: (item[0] == "", -item[1], item[0]))
