"""A profile page's context: the person, their facts and charts, their cards by year, their
BibTeX, and the page's JSON-LD.
"""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from generator.config.links import LINK_KINDS
from generator.model import Metric, Paper, Profile, Site, Version
from generator.render.bibtex import bibliography, bibtex_entries
from generator.render.cards import CardView, card_view
from generator.render.charts import category_counts, coauthors, column_chart, papers_per_year, row_chart, years_active
from generator.render.kinds import TYPE_LABELS
from generator.render.site_pages import base_context, counted, page_url
from generator.text.categories import category_name
from generator.text.names import is_person, name_key, person_keys

TOP_COAUTHORS = 6


@dataclass(frozen=True)
class SiteLookups:
    """Site-wide tables every profile page consults, built once per build (not once per page)."""

    names: dict[str, str]  # profile slug → name
    people: dict[tuple[str, str], str]  # name key → profile slug
    versions: dict[str, list[Version]]  # paper id → its other versions

    @classmethod
    def of(cls, site: Site) -> SiteLookups:
        names = {profile.slug: profile.name for profile in site.profiles}
        return cls(names, site_people(site), site.versions)


def profile_context(site: Site, profile: Profile, lookups: SiteLookups, path: str = "") -> dict[str, Any]:
    """The context of ``profile``'s page at ``path`` (its own folder's ``index.html`` by default;
    the site's root on a one-person site, whose canonical address both pages share)."""
    entries = bibtex_entries(profile.papers, profile.name)
    path = path or f"{profile.slug}/index.html"
    own = "" if path == f"{profile.slug}/index.html" else f"{profile.slug}/"  # the profile's folder, from here
    root = "../" * path.count("/")
    home = site.personal
    description = (site.description if home else "") or profile_description(profile)
    title = site.title if home and path == "index.html" else f"{profile.name} · {site.title}"
    canonical = page_url(site, "index.html" if home else path)
    cards = [
        card_view(paper, profile, lookups.names, entries[paper.id], lookups.versions.get(paper.id, []), root)
        for paper in profile.papers
    ]
    types, ranges = type_counts(cards), year_ranges(cards)
    photo_url = page_url(site, profile.photo) if profile.photo else ""  # "" without site_url
    return base_context(site, path, title, description, "profile") | {
        "canonical": canonical,
        "og_image": photo_url,
        "json_ld": person_json_ld(profile, canonical, photo_url),
        "feed": {"href": f"{own}feed.xml", "title": f"{profile.name}: newest papers"},
        "bib_href": f"{own}papers.bib",
        "photo_href": f"{own}{profile.photo.rpartition('/')[2]}" if profile.photo else "",
        "profile": {
            "name": profile.name,
            "slug": profile.slug,
            "affiliations": profile.affiliations,
            "primary_category": profile.primary_category,
            "primary_category_name": category_name(profile.primary_category),
            "metrics": [metric_view(metric) for metric in profile.metrics],
            "paper_count": len(profile.papers),
            "bio_html": Markup(profile.bio_html),  # sanitised by generator.bios
            "links": [{"kind": kind, "label": LINK_KINDS[kind], "url": url} for kind, url in profile.links],
        },
        "chips": [
            {"code": code, "name": category_name(code) if code else "No category", "count": count}
            for code, count in category_counts(profile.papers)
        ],
        "groups": year_groups(cards),
        "card_count": len(profile.papers),
        "types": types,
        "year_ranges": ranges,
        "selected": [card for card in cards if card.selected],
        "controls": {  # a control shows only when some paper gives it something to act on
            "categories": any(paper.category for paper in profile.papers),
            "code": any(paper.code or paper.code_url for paper in profile.papers),
            "score": any(paper.score is not None for paper in profile.papers),
            "types": len(types) > 1,
            "years": len(ranges) > 1,
            "selected": any(card.selected for card in cards),
        },
        "stats": profile_stats(profile, lookups),
        "bibliography": bibliography(profile.papers, entries),
    }


def type_counts(cards: list[CardView]) -> list[dict[str, Any]]:
    """The publication types of the cards, in their fixed order, with how many of each."""
    counts = Counter(card.type for card in cards)
    return [
        {"code": kind, "label": label, "count": counts[kind]} for kind, label in TYPE_LABELS.items() if counts[kind]
    ]


YEAR_CHIPS = 8  # up to this many years get a chip each; more are spanned in fives


def year_ranges(cards: list[CardView]) -> list[dict[str, Any]]:
    """Year chips, newest first: one per year, or per five years (``2015–2019``) when there are
    many; each with its first and last year and how many dated cards it holds."""
    counts = Counter(int(card.year) for card in cards if card.year)
    if not counts:
        return []
    span = 1 if len(counts) <= YEAR_CHIPS else 5
    ranges: Counter[int] = Counter()
    for year, count in counts.items():
        ranges[year - year % span] += count
    return [
        {
            "first": start,
            "last": start + span - 1,
            "label": str(start) if span == 1 else f"{start}–{start + span - 1}",
            "count": count,
        }
        for start, count in sorted(ranges.items(), reverse=True)
    ]


def year_groups(cards: list[CardView]) -> list[dict[str, Any]]:
    """Consecutive cards of one year under one heading (cards come newest first, undated last)."""
    groups: list[dict[str, Any]] = []
    for card in cards:
        label = card.year or "Undated"
        if not groups or groups[-1]["year"] != label:
            groups.append({"year": label, "cards": []})
        groups[-1]["cards"].append(card)
    return groups


def profile_stats(profile: Profile, lookups: SiteLookups) -> dict[str, Any]:
    """Computed facts and charts for the profile header."""
    span = years_active(profile.papers)
    person = person_keys(profile.name, profile.aliases)
    named = coauthors(profile.papers, functools.partial(is_person, keys=person))  # the rule cards bold by
    on_site = lookups.people
    return {
        "years": "" if span is None else (str(span[0]) if span[0] == span[1] else f"{span[0]}–{span[1]}"),
        "coauthor_count": len(named),
        "top_coauthors": [
            {
                "name": name,
                "count": count,
                "slug": on_site.get(name_key(name), "") if name_key(name) not in person else "",
            }
            for name, count in named[:TOP_COAUTHORS]
        ],
        "year_chart": column_chart(papers_per_year(profile.papers)),
        "category_chart": row_chart([(code or "none", count) for code, count in category_counts(profile.papers)]),
    }


def profile_description(profile: Profile) -> str:
    """``Arthur Mensch (DMA, PARIETAL): 14 papers, mostly CL, CV.``"""
    where = f" ({', '.join(profile.affiliations)})" if profile.affiliations else ""
    categories = [code for code, _ in category_counts(profile.papers) if code][:3]
    topics = f", mostly {', '.join(categories)}" if categories else ""
    return f"{profile.name}{where}: {counted(len(profile.papers), 'paper')}{topics}."


def person_json_ld(profile: Profile, url: str, photo_url: str = "") -> dict[str, Any]:
    """schema.org ``Person`` with the person's papers as ``ScholarlyArticle`` works they authored."""
    person: dict[str, Any] = {"@context": "https://schema.org", "@type": "Person", "name": profile.name}
    if url:
        person["url"] = url
    if photo_url:
        person["image"] = photo_url
    if profile.affiliations:
        person["affiliation"] = [{"@type": "Organization", "name": name} for name in profile.affiliations]
    if profile.links:
        person["sameAs"] = [url for _, url in profile.links]
    person["@reverse"] = {"author": [scholarly_article(paper, url) for paper in profile.papers]}
    return person


def scholarly_article(paper: Paper, profile_url: str) -> dict[str, Any]:
    article: dict[str, Any] = {"@type": "ScholarlyArticle", "@id": f"{profile_url}#{paper.id}", "name": paper.title}
    if paper.date:
        article["datePublished"] = paper.date
    if paper.category:
        article["about"] = category_name(paper.category)
    if paper.authors:
        article["author"] = [{"@type": "Person", "name": name} for name in paper.authors]
    return article


def metric_view(metric: Metric) -> dict[str, Any]:
    value = f"{metric.value:,}" if isinstance(metric.value, int) else f"{metric.value:g}"
    suffix = "%" if "%" in metric.text else ""
    return {"label": metric.label, "value": value + suffix, "source": str(metric.location)}


def site_people(site: Site) -> dict[tuple[str, str], str]:
    """Name key → profile slug, for linking co-authors who have a profile on the site."""
    return {
        key: profile.slug for profile in reversed(site.profiles) for key in person_keys(profile.name, profile.aliases)
    }
