"""Render the site model to HTML with Jinja: one context builder per page kind.

The environment autoescapes everything, fails on undefined names
(``StrictUndefined``) and compiles every template when the renderer starts,
so a broken template fails the build before any page is written.  Links are
relative to the page, so the site works from ``file://`` and under any prefix.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from generator.categories import category_name
from generator.model import Metric, Paper, Profile, Site
from generator.normalize import ascii_fold

MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


class Renderer:
    """A Jinja environment with every template compiled up front."""

    def __init__(self, templates_dir: Path) -> None:
        self.environment = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(templates_dir)),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.templates = {
            name: self.environment.get_template(name) for name in self.environment.list_templates(extensions=["html"])
        }

    def render(self, name: str, context: dict[str, Any]) -> str:
        """Render one page template with ``context``."""
        return self.templates[name].render(context)


def render_pages(site: Site, report: dict[str, Any], renderer: Renderer) -> dict[str, str]:
    """Every HTML page of the site, keyed by its path in the output folder."""
    pages = {"index.html": renderer.render("index.html", index_context(site))}
    for profile in site.profiles:
        pages[f"{profile.slug}/index.html"] = renderer.render("profile.html", profile_context(site, profile))
    pages["report.html"] = renderer.render("report.html", report_context(site, report))
    return pages


def base_context(site: Site, root: str, page_title: str) -> dict[str, Any]:
    """What every page needs: site title, link prefix to the site root, page title."""
    return {"site_title": site.title, "root": root, "page_title": page_title}


def index_context(site: Site) -> dict[str, Any]:
    profiles = [
        {
            "slug": p.slug,
            "name": p.name,
            "affiliations": p.affiliations,
            "paper_count": len(p.papers),
            "top_categories": category_counts(p.papers)[:3],
        }
        for p in site.profiles
    ]
    return base_context(site, "", site.title) | {"profiles": profiles, "paper_count": len(site.papers)}


def profile_context(site: Site, profile: Profile) -> dict[str, Any]:
    names = {p.slug: p.name for p in site.profiles}
    return base_context(site, "../", f"{profile.name} · {site.title}") | {
        "profile": {
            "name": profile.name,
            "slug": profile.slug,
            "affiliations": profile.affiliations,
            "primary_category": profile.primary_category,
            "primary_category_name": category_name(profile.primary_category),
            "metrics": [metric_view(metric) for metric in profile.metrics],
            "paper_count": len(profile.papers),
        },
        "chips": [
            {"code": code, "name": category_name(code) if code else "No category", "count": count}
            for code, count in category_counts(profile.papers)
        ],
        "cards": [card_view(paper, profile, names) for paper in profile.papers],
    }


def category_counts(papers: list[Paper]) -> list[tuple[str, int]]:
    """Categories present, most frequent first (ties by code); uncategorised last."""
    counts = Counter(paper.category for paper in papers)
    return sorted(counts.items(), key=lambda item: (item[0] == "", -item[1], item[0]))


def metric_view(metric: Metric) -> dict[str, Any]:
    value = f"{metric.value:,}" if isinstance(metric.value, int) else f"{metric.value:g}"
    suffix = "%" if "%" in metric.text else ""
    return {"label": metric.label, "value": value + suffix, "source": str(metric.location)}


@dataclass(frozen=True, slots=True)
class AuthorView:
    """One name in a card's author line."""

    name: str
    is_person: bool


@dataclass(frozen=True, slots=True)
class CardView:
    """What one paper card shows on one profile's page (attributes: fast in Jinja)."""

    id: str
    title: str
    title_derived: bool
    authors: list[AuthorView]
    authors_truncated: bool
    affiliation: str
    date: str
    date_text: str
    year: str
    category: str
    category_name: str
    score: str
    score_source: str
    code: bool
    abstract: str
    also_on: list[dict[str, str]]


def card_view(paper: Paper, profile: Profile, names: dict[str, str]) -> CardView:
    """What one paper card shows on ``profile``'s page."""
    return CardView(
        id=paper.id,
        title=paper.title,
        title_derived=paper.title_derived,
        authors=[AuthorView(author, names_match(author, profile.name)) for author in paper.authors],
        authors_truncated=paper.authors_truncated,
        affiliation=paper.affiliation,
        date=paper.date or "",
        date_text=format_date(paper.date),
        year=paper.date[:4] if paper.date else "",
        category=paper.category,
        category_name=category_name(paper.category),
        score=_score_text(paper.score),
        score_source=str(paper.provenance.get("score", "")),
        code=paper.code,
        abstract=paper.abstract,
        also_on=[{"slug": slug, "name": names[slug]} for slug in paper.profiles if slug != profile.slug],
    )


def _score_text(score: float | None) -> str:
    return "" if score is None else f"{score:g}"


def format_date(iso_date: str | None) -> str:
    """``2022-04-29`` → ``29 Apr 2022``."""
    if not iso_date:
        return ""
    year, month, day = iso_date.split("-")
    return f"{int(day)} {MONTH_NAMES[int(month) - 1]} {year}"


def names_match(author: str, person: str) -> bool:
    """Same person: same family name and same first initial, accents and case ignored."""
    author_words, person_words = ascii_fold(author).replace(".", " ").split(), ascii_fold(person).split()
    if not author_words or not person_words:
        return False
    return author_words[-1] == person_words[-1] and author_words[0][0] == person_words[0][0]


def report_context(site: Site, report: dict[str, Any]) -> dict[str, Any]:
    return base_context(site, "", f"Build report · {site.title}") | {"report": report}
