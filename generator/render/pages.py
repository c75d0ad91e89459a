"""Writing the site: every page rendered and written into the output's staging folder, on every core
(forked workers share the site model), the largest first, and the data files made from the same
model.  :class:`SiteWriter` is the render stage's one interface to the incremental layer, whose
subclass links unchanged pages from the last output and makes the data files from remembered parts.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from markupsafe import Markup

from generator.executor import Executor
from generator.model import DedupeResult, Paper, Site
from generator.output.files import Content, write_file
from generator.render.data_files import papers_json_chunks, to_json
from generator.render.environment import Renderer
from generator.render.feeds import feed_context
from generator.render.paper_page import EntryFacts, VersionRow, paper_context, version_rows
from generator.render.profile_page import SiteLookups, profile_context
from generator.render.report_data import report_json
from generator.render.search import search_index
from generator.render.site_pages import PAGE_DATA_FILES, Job, ReportBlocks, page_jobs, site_context

PARALLEL_PAGES = 200  # below this many pages to render, a process pool costs more than it saves
Files = list[str] | dict[str, Any]  # the paths a job wrote (a subclass may keep more about each)
JobResult = tuple[str, str, Files, bool]  # job path, digest of its inputs ("": none), files written, rendered now?


class SiteWriter:
    """What rendering a site needs (the site, its lookups, the renderer; shared by forked workers)
    and how each job is written into ``folder``."""

    def __init__(
        self, site: Site, dedupe: DedupeResult, counts: tuple[int, int], renderer: Renderer, folder: Path
    ) -> None:
        self.site = site
        self.dedupe = dedupe
        self.counts = counts  # sources, entries
        self.renderer = renderer
        self.folder = folder
        self.lookups = SiteLookups.of(site)
        self.profiles = {profile.slug: profile for profile in site.profiles}
        self.papers_by_id = {paper.id: paper for paper in site.papers}

    # ---- the data ------------------------------------------------------------------------------

    @functools.cached_property
    def report_data(self) -> dict[str, Any]:
        return report_json(self.site, self.dedupe, *self.counts)

    def report(self) -> dict[str, Any]:
        """The build report (made once per process that needs it)."""
        return self.report_data

    def report_blocks(self) -> ReportBlocks:
        """How the report page renders its repeated blocks (a macro of ``_report.html`` per item)."""
        renderer = self.renderer

        def blocks(macro: str, items: list[Any]) -> list[Markup]:
            return renderer.macro_calls("_report.html", macro, items)

        return blocks

    def data_files(self) -> dict[str, Callable[[], Content]]:
        """Path → how to make each data file."""
        return {
            "papers.json": lambda: papers_json_chunks(self.site),
            "report.json": lambda: to_json(self.report()),
            "search-index.js": lambda: search_index(self.site),
        }

    # ---- the jobs ------------------------------------------------------------------------------

    def write_all(self, executor: Executor) -> list[JobResult]:
        """Write every page and data file; the jobs' results."""
        here, everywhere = self.jobs_here(self.jobs())
        written, written_here = executor.map_sharing(
            write_job, self, everywhere, PARALLEL_PAGES, functools.partial(self.write_here, here)
        )
        return written + written_here

    def jobs(self) -> list[tuple[str, Job]]:
        """Every page job and data file (a data file's job: its path and an empty job), the largest first."""
        pages = page_jobs(self.site)
        data: list[tuple[str, Job]] = [(path, ("", "")) for path in self.data_files()]
        return [*data, ("report.html", pages.pop("report.html")), *pages.items()]

    def jobs_here(self, jobs: list[tuple[str, Job]]) -> tuple[list[tuple[str, Job]], list[tuple[str, Job]]]:
        """(the jobs this process does before its share of the others, the jobs for every core).
        Every job runs on every core; a data file made from the same data as a page is written by
        that page's job (the data is built once)."""
        return [], [item for item in jobs if item[0] not in PAGE_DATA_FILES.values()]

    def write_here(self, here: list[tuple[str, Job]]) -> list[JobResult]:
        """What this process does before it takes its share of the jobs."""
        return [self.write(item) for item in here]

    def write(self, item: tuple[str, Job]) -> JobResult:
        """Run one job into the folder: (job, "", files written, True)."""
        path, job = item
        if not job[0]:
            return path, "", self.write_files({path: self.data_files()[path]()}), True
        return path, "", self.write_files(self.files(path, job[0], self.context(job))), True

    @functools.cached_property
    def entry_facts(self) -> EntryFacts:
        """Each source entry and why it was joined, for the paper pages' versions."""
        return EntryFacts.of(self.dedupe)

    def versions_of(self, paper: Paper) -> list[VersionRow]:
        return version_rows(paper, self.entry_facts)

    def context(self, job: Job) -> dict[str, Any]:
        """The context of a job: its profile's, its paper's, or the site-wide page's."""
        template, key = job
        if template == "paper.html":
            paper = self.papers_by_id[key]
            return paper_context(self.site, paper, self.lookups, self.versions_of(paper))
        if template == "feed.xml":
            return feed_context(self.site, self.profiles[key] if key else None)
        if key:
            at = "index.html" if template == "home.html" else f"{key}/index.html"
            return profile_context(self.site, self.profiles[key], self.lookups, at)
        return site_context(self.site, template, self.report, self.report_blocks)

    def files(self, path: str, template: str, context: dict[str, Any]) -> dict[str, Content]:
        """The page at ``path``, plus ``papers.bib`` beside a profile page, plus the data file made
        from the same data as the page."""
        files: dict[str, Content] = {path: self.renderer.render(template, context)}
        if template == "profile.html":  # (the home page's copy of a profile page writes none)
            files[path.replace("index.html", "papers.bib")] = context["bibliography"]
        if self.page_writes_data and (data_file := PAGE_DATA_FILES.get(path, "")):
            files[data_file] = self.data_files()[data_file]()
        return files

    page_writes_data = True  # does a page's job write the data file made from its data?

    def write_files(self, files: dict[str, Content]) -> Files:
        for path, text in files.items():
            write_file(self.folder, path, text)
        return list(files)


def write_job(writer: SiteWriter, item: tuple[str, Job]) -> JobResult:
    """:meth:`SiteWriter.write`, as a function an executor calls on each job."""
    return writer.write(item)
