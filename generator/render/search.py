"""``search-index.js``: titles, authors, venues and years of every paper, for the index page's
search (a script, so that it loads from ``file://``).
"""

from __future__ import annotations

from generator.model import Paper, Site
from generator.render.data_files import comma_separated, compact_json


def search_index(site: Site) -> list[bytes]:
    """``search-index.js`` (in UTF-8 chunks): titles, authors, venues and years of every paper, for the
    index page's search."""
    return search_index_of([search_entries(profile_names(site), site.papers)])


def profile_names(site: Site) -> dict[str, str]:
    """Profile slug → name."""
    return {profile.slug: profile.name for profile in site.profiles}


def search_index_of(parts: list[bytes]) -> list[bytes]:
    return [b"window.PAPER_INDEX = [", *comma_separated([part for part in parts if part]), b"];\n"]


def search_entries(names: dict[str, str], papers: list[Paper]) -> bytes:
    """The search entries of those ``papers`` that some profile shows, joined (UTF-8)."""
    listed = [paper for paper in papers if any(slug in names for slug in paper.profiles)]
    return ",".join(_search_entry(names, paper) for paper in listed).encode()


def _search_entry(names: dict[str, str], paper: Paper) -> str:
    entry = {
        "i": paper.id,
        "t": paper.title,
        "a": ", ".join(paper.authors),
        "v": paper.venue,
        "y": paper.date[:4] if paper.date else "",
        "p": [[slug, names[slug]] for slug in paper.profiles if slug in names],
    }
    data = compact_json(entry)
    return data.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
