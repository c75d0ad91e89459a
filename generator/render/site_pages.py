"""The site's pages: which there are (:func:`page_jobs`), and the contexts of the site-wide ones
(index, report, 404, sitemap), with what every page shares (:func:`base_context`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from generator.model import Site
from generator.render.charts import category_counts

Job = tuple[str, str]  # (template, profile slug or paper id, or "" for a site-wide page)
PAPER_ROOT = "papers"  # paper pages are papers/<id>/index.html


def paper_path(paper_id: str) -> str:
    """The output path of a paper's page."""
    return f"{PAPER_ROOT}/{paper_id}/index.html"


NOT_IN_SITEMAP = ("404.html", "sitemap.xml")  # and the feeds


PAGE_DATA_FILES = {"report.html": "report.json"}  # page → data file built from the same data, by the same job


def page_jobs(site: Site) -> dict[str, Job]:
    """Output path → (template, profile slug or paper id): what to render, small enough to send to a
    worker, which builds the context itself.  A profile's job also writes its ``papers.bib`` (from the
    same citation keys as its Cite boxes).  Every paper a profile shows has a page."""
    home = ("home.html", site.profiles[0].slug) if site.personal else ("index.html", "")
    jobs: dict[str, Job] = {"index.html": home, "feed.xml": ("feed.xml", "")}  # one person's site opens on their page
    for profile in site.profiles:
        jobs[f"{profile.slug}/index.html"] = ("profile.html", profile.slug)
        jobs[f"{profile.slug}/feed.xml"] = ("feed.xml", profile.slug)
    for paper in site.paged_papers:
        jobs[paper_path(paper.id)] = ("paper.html", paper.id)
    jobs["report.html"] = ("report.html", "")
    jobs["404.html"] = ("404.html", "")
    if site.site_url:
        jobs["sitemap.xml"] = ("sitemap.xml", "")
    return jobs


def site_context(
    site: Site, template: str, report: Callable[[], dict[str, Any]], blocks: Callable[[], ReportBlocks]
) -> dict[str, Any]:
    """The context of the site-wide page ``template`` (``report`` and ``blocks`` make the report
    and its block renderer, for the report page only)."""
    if template == "index.html":
        return index_context(site)
    if template == "report.html":
        return report_context(site, report(), blocks())
    if template == "404.html":
        return not_found_context(site)
    unlisted = NOT_IN_SITEMAP if site.report_linked else (*NOT_IN_SITEMAP, "report.html")
    pages = [path for path in page_jobs(site) if path not in unlisted and not path.endswith("feed.xml")]
    return {"urls": [page_url(site, path) for path in pages]}


ReportBlocks = Callable[[str, "list[dict[str, Any]] | list[bytes]"], list[Markup]]


def deployment_files(site: Site) -> dict[str, str]:
    """Files for static hosts: ``.nojekyll`` always; ``robots.txt`` when the site's address is known."""
    files = {".nojekyll": ""}
    if site.site_url:
        files["robots.txt"] = f"User-agent: *\nAllow: /\n\nSitemap: {site.site_url}sitemap.xml\n"
    return files


def page_url(site: Site, path: str) -> str:
    """The absolute address of an output file (``x/index.html`` → ``…/x/``); empty without ``site_url``."""
    if not site.site_url:
        return ""
    return site.site_url + path.removesuffix("index.html")


def base_context(
    site: Site, path: str, page_title: str, description: str, og_type: str = "website", root: str | None = None
) -> dict[str, Any]:
    """What every page needs: titles, description, link prefix to the site root (``root``: when not
    the way up from ``path``), address for sharing."""
    root = "../" * path.count("/") if root is None else root
    return {
        "site_title": site.title,
        "root": root,
        "page_title": page_title,
        "description": description,
        "canonical": page_url(site, path),
        "og_type": og_type,
        "og_image": "",  # the absolute address of a picture for link previews (a profile's photo)
        "json_ld": None,
        "feed": {"href": root + "feed.xml", "title": f"{site.title}: newest papers"},
        "directory": not site.personal,  # is there a page of profiles to link?
        "footer": site.footer or DEFAULT_FOOTER,
        "report_linked": site.report_linked,
        "noindex": False,
    }


DEFAULT_FOOTER = "Papers gathered from the sources listed in the build and deduplicated across them."


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
    description = site.description or (
        f"{counted(len(site.profiles), 'research profile')} with {counted(len(site.papers), 'distinct paper')}."
    )
    return base_context(site, "index.html", site.title, description) | {
        "profiles": profiles,
        "paper_count": len(site.papers),
    }


def counted(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def not_found_context(site: Site) -> dict[str, Any]:
    """The 404 page is served at any depth, so its links are absolute, under ``base_url``."""
    title = f"Page not found · {site.title}"
    return base_context(site, "404.html", title, "This page does not exist.", root=site.base_url) | {"canonical": ""}


def report_context(site: Site, report: dict[str, Any], blocks: ReportBlocks) -> dict[str, Any]:
    description = "How the papers of this site were deduplicated: what was merged, what was kept apart, and why."
    return base_context(site, "report.html", f"Build report · {site.title}", description) | {
        "report": report,
        "noindex": not site.report_linked,  # the user keeps the report to themselves
        "merged_blocks": blocks("merged_paper", report["merged"]),
        "apart_rows": blocks("apart_row", report["apart"]),
    }
