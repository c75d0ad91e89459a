"""Atom feeds (RFC 4287): one per profile (``<slug>/feed.xml``) and one for the site
(``feed.xml``), the newest :data:`FEED_ENTRIES` dated papers first, each entry linking its paper's
page.  Deterministic: every date comes from the papers (the feed's ``updated`` is its newest
paper's), never the build's time; an undated paper is left out rather than given a date.
"""

from __future__ import annotations

from typing import Any

from generator.model import Paper, Profile, Site
from generator.render.site_pages import page_url, paper_path

FEED_ENTRIES = 50  # the newest papers a feed lists
EPOCH = "1970-01-01T00:00:00Z"  # a feed's date when it has no paper


def feed_context(site: Site, profile: Profile | None) -> dict[str, Any]:
    """The context of ``feed.xml``: the site's (``profile`` None) or one profile's."""
    path = f"{profile.slug}/feed.xml" if profile else "feed.xml"
    papers = profile.papers if profile else site.paged_papers
    dated = [paper for paper in papers if paper.date]  # a feed entry needs a date; none is invented
    newest = sorted(dated, key=lambda paper: (paper.date, paper.id), reverse=True)[:FEED_ENTRIES]
    root = "../" if profile else ""
    return {
        "title": f"{profile.name} · {site.title}" if profile else site.title,
        "id": _feed_id(site, path),
        "self_url": page_url(site, path),
        "page": "index.html",  # the page the feed sits beside
        "author": profile.name if profile else site.title,
        "updated": atom_date(newest[0].date) if newest else EPOCH,
        "entries": [_entry(site, paper, root) for paper in newest],
    }


def _entry(site: Site, paper: Paper, root: str) -> dict[str, Any]:
    path = paper_path(paper.id)
    return {
        "title": paper.title,
        "id": _feed_id(site, path),
        "link": root + path,
        "updated": atom_date(paper.date),
        "authors": paper.authors,
        "summary": paper.abstract,
        "venue": paper.venue,
    }


def _feed_id(site: Site, path: str) -> str:
    """A permanent id: the address when the site's is known, else a tag URI of the path."""
    return page_url(site, path) or f"tag:research-profile-site,2024:{path.removesuffix('index.html')}"


def atom_date(date: str | None) -> str:
    """``2023-08`` → ``2023-08-01T00:00:00Z`` (RFC 3339, as Atom requires)."""
    if not date:
        return EPOCH
    year, month, day = [*date.split("-"), "01", "01"][:3]
    return f"{year}-{month}-{day}T00:00:00Z"
