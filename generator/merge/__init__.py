"""The merge stage: one paper per cluster (overrides applied), one profile per person.

:func:`merge_site` is the stage.  How the papers are made is one small interface,
:class:`Papers`: :meth:`Papers.merged` makes every paper with its id, :meth:`Papers.shown` what the
site shows of them.  The incremental layer's subclass keeps them between the dev server's builds.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from generator.config.site import SiteConfig
from generator.errors import Problem
from generator.merge.fields import merge_paper
from generator.merge.ids import assign_ids
from generator.merge.overrides import Resolution
from generator.merge.profiles import first_source, make_profile, owners_of, people_of, sort_papers
from generator.model import Location, Paper, Site, SourceDoc, Version
from generator.sources.catalog import Catalog


def merge_site(
    config: SiteConfig,
    catalog: Catalog,
    docs: list[SourceDoc],
    resolution: Resolution,
    bios: dict[str, str],
    papers: Papers | None = None,
) -> Site:
    """Build the site model: one paper per cluster (overrides applied), one profile per person;
    ``papers`` makes the papers (:class:`Papers` when not given)."""
    papers = papers or Papers()
    people = people_of(config, docs)
    owners = owners_of(catalog, config, people)
    shown = papers.shown(papers.merged(resolution, owners))
    docs_of = {doc.path: doc for doc in docs}
    profiles = [
        make_profile(
            person, [docs_of[file] for file in person.files if file in docs_of], shown.papers_of.get(person.slug, [])
        )
        for person in people
    ]
    for profile in profiles:
        profile.bio_html = bios.get(profile.slug, "")
    warnings = [note for doc in docs for note in doc.notes] + shown.untitled
    site = Site(config.title, config.base_url, config.site_url, shown.papers, profiles, warnings)
    site.description, site.footer, site.report_linked = config.description, config.footer, config.report
    site.hidden = shown.hidden
    site.joins = resolution.joins
    site.versions = versions_of(shown.papers, resolution.related)
    return site


def versions_of(papers: list[Paper], related: list[tuple[Location, Location]]) -> dict[str, list[Version]]:
    """Each shown paper's other versions (a conference paper and its journal version: two papers
    dedupe judged versions of one work), by id."""
    if not related:
        return {}
    paper_at = {location: paper for paper in papers for location in paper.sources}
    found: dict[str, set[Version]] = defaultdict(set)
    for left, right in related:
        one, other = paper_at.get(left), paper_at.get(right)
        if one is not None and other is not None and one is not other:
            found[one.id].add(_version(other))
            found[other.id].add(_version(one))
    return {paper_id: sorted(versions) for paper_id, versions in sorted(found.items())}


def _version(paper: Paper) -> Version:
    where = ", ".join(part for part in (paper.venue_short or paper.venue, (paper.date or "")[:4]) if part)
    return Version(paper.id, where or paper.title, tuple(paper.profiles))


class Papers:
    """How the merge stage makes its papers: the interface the incremental layer plugs into (its
    subclass keeps the papers of unchanged clusters between the dev server's builds)."""

    def merged(self, resolution: Resolution, owners: dict[str, list[str]]) -> list[Paper]:
        """One paper per cluster (its overrides applied), each with its id, sorted by id."""
        clusters, overrides = resolution.clusters, resolution.overrides
        return assign_ids(
            [merge_paper(cluster, owners, overrides.get(index)) for index, cluster in enumerate(clusters)]
        )

    def shown(self, merged: list[Paper]) -> Shown:
        """What the site shows of the ``merged`` papers."""
        return shown_papers(merged)

    def sort(self, slug: str, papers: list[Paper]) -> list[Paper]:
        """A profile's papers in the order its page shows them."""
        return sort_papers(papers)


@dataclass
class Shown:
    """What the site shows of the merged papers: the papers not hidden, each profile's papers (newest
    first), the warning about untitled papers, and the hidden papers."""

    merged: list[Paper]
    papers: list[Paper]
    papers_of: dict[str, list[Paper]]
    untitled: list[Problem]
    hidden: list[Paper]
    untitled_papers: list[Paper]  # the papers the warning names, in source order


def shown_papers(merged: list[Paper], papers: Papers | None = None) -> Shown:
    """What the site shows of the ``merged`` papers (each profile's sorted by ``papers.sort``)."""
    sort = (papers or Papers()).sort
    shown = [paper for paper in merged if not paper.hidden]
    papers_of: dict[str, list[Paper]] = defaultdict(list)
    for paper in shown:
        for slug in paper.profiles:
            papers_of[slug].append(paper)
    sorted_of = {slug: sort(slug, own) for slug, own in papers_of.items()}
    untitled = sorted((paper for paper in shown if paper.title_derived), key=first_source)
    hidden = [paper for paper in merged if paper.hidden]
    return Shown(merged, shown, sorted_of, untitled_warning(untitled), hidden, untitled)


def untitled_warning(untitled: list[Paper]) -> list[Problem]:
    """The warning naming the papers no source gives a title (``untitled``, in source order)."""
    if not untitled:
        return []
    first = untitled[0].sources[0]
    return [
        Problem(
            first.file,
            first.line,
            f"{len(untitled)} paper(s) have no title in any source; their cards show a title derived from the abstract",
            "a titled source for the same paper (a rich profile card) supplies the real title",
            tuple(f"{paper.sources[0]}: {paper.title}" for paper in untitled),
        )
    ]
