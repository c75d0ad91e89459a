"""Page reuse: a page whose inputs did not change is linked from the last output instead of rendered
again.  Each page's inputs are digested (the templates, the site-wide values, the profile and each
of its papers' fields; for the report page, the report's data); a page is linked only while its
file is still the one written (same size and modification time).  The dev server also keeps the
pages its spare folder holds, makes the data files from remembered parts (their content compared
in memory with what it wrote last, and linked when equal), and renders the report page's blocks
from remembered chunks.  Plugs into the render stage as :class:`ReusingSiteWriter`.
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, fields
from operator import attrgetter
from pathlib import Path
from typing import Any

import orjson
from markupsafe import Markup

from generator.executor import Executor
from generator.incremental.data_files import joined_report, paper_json_runs, paper_search_runs, report_parts
from generator.incremental.kept_values import PaperMemo, TextMemo, content_ends
from generator.model import DedupeResult, Paper, Profile, Site
from generator.output.files import Content
from generator.render.data_files import papers_json_chunks, to_json
from generator.render.environment import Renderer
from generator.render.pages import JobResult, SiteWriter
from generator.render.site_pages import PAGE_DATA_FILES, Job, ReportBlocks

FileStats = dict[str, tuple[int, int]]  # output path → (size, mtime_ns) as written
PageCache = dict[str, tuple[str, FileStats]]  # job path → (digest of its inputs, its files)
WRITTEN_AS_KEPT = "content kept in memory"  # a data file's digest in the dev server: reused while its content is


@dataclass
class PageReuse:
    """What a build may reuse pages from: the last output folder (``previous``) and the digests of
    the pages written there (``pages``, updated in place to the pages written now).  The dev server
    adds its memos of values derived from papers and of report blocks, the pages its spare folder
    holds (``held``, kept where they are; ``keep_only`` removes its other files), each data file's
    content as last written, and other work for this process while workers render."""

    previous: Path
    pages: PageCache
    papers: PaperMemo | None = None
    blocks: TextMemo | None = None
    held: PageCache = field(default_factory=dict)
    keep_only: Callable[[set[str]], None] | None = None
    data_written: dict[str, Content] | None = None
    meanwhile: Callable[[], None] | None = None

    @property
    def dev_server(self) -> bool:
        """The dev server's reuse: link unchanged profile pages first; data files and site-wide pages made here."""
        return self.papers is not None


class ReusingSiteWriter(SiteWriter):
    """:class:`~generator.render.pages.SiteWriter`, reusing what :class:`PageReuse` offers."""

    def __init__(
        self,
        site: Site,
        dedupe: DedupeResult,
        counts: tuple[int, int],
        renderer: Renderer,
        folder: Path,
        reuse: PageReuse,
    ) -> None:
        self.reuse = reuse
        self.page_writes_data = not reuse.dev_server
        super().__init__(site, dedupe, counts, renderer, folder)
        site_values = (site.title, site.base_url, site.site_url, site.description, site.footer, site.report_linked)
        site_values += (self.lookups,)
        self.site_inputs = _digest(repr(site_values))  # hashed once, not per page
        self.papers = reuse.papers if reuse.papers is not None else PaperMemo()
        self.writer: ThreadPoolExecutor | None = None  # writes this process's data files meanwhile
        self.done: list[JobResult] = []
        if reuse.dev_server:
            self.papers.start_build()
            assert reuse.blocks is not None
            reuse.blocks.start_build()

    # ---- the data, from remembered parts (the dev server) ---------------------------------------

    @functools.cached_property
    def parts(self) -> Any:
        return report_parts(self.site, self.dedupe, self.counts, self.papers)

    def report(self) -> dict[str, Any]:
        if not self.reuse.dev_server:
            return super().report()
        parts = self.parts  # each merged paper and pair kept apart as its JSON text
        return parts.report | {"merged": parts.merged, "apart": parts.apart}

    @functools.cached_property
    def report_text(self) -> Content:
        return joined_report(self.parts) if self.reuse.dev_server else to_json(self.report())

    def report_blocks(self) -> ReportBlocks:
        """The dev server's report blocks: each chunk of some :data:`BLOCK_CHUNK` items (their
        report.json texts) rendered once and kept by those texts; a chunk ends after a text whose
        hash is a multiple of it, so an edit changes the chunks around it only."""
        memo = self.reuse.blocks
        if memo is None:
            return super().report_blocks()
        renderer = self.renderer

        def blocks(macro: str, texts: list[Any]) -> list[Markup]:
            chunks = _content_chunks(texts)
            return [
                memo.get((macro, chunk), functools.partial(_chunk_block, renderer, macro, chunk)) for chunk in chunks
            ]

        return blocks

    def data_files(self) -> dict[str, Callable[[], Content]]:
        files = super().data_files()
        files["report.json"] = lambda: self.report_text
        if self.reuse.dev_server:
            files["papers.json"] = lambda: papers_json_chunks(self.site, paper_json_runs(self.site, self.papers))
            files["search-index.js"] = lambda: paper_search_runs(self.site, self.papers)
        return files

    # ---- the jobs ------------------------------------------------------------------------------

    def write_all(self, executor: Executor) -> list[JobResult]:
        self.done = self.unchanged_profile_pages(super().jobs())
        try:
            written = super().write_all(executor)
        finally:
            self.finish_writing()
        results = self.done + [(job, digest, _written(stats), fresh) for job, digest, stats, fresh in written]
        self.reuse.pages.clear()
        self.reuse.pages.update({job: (digest, stats) for job, digest, stats, _ in results if digest})  # type: ignore[misc]
        return results

    def jobs(self) -> list[tuple[str, Job]]:
        done = {path for path, *_ in self.done}
        return [item for item in super().jobs() if item[0] not in done]

    def unchanged_profile_pages(self, jobs: list[tuple[str, Job]]) -> list[JobResult]:
        """The dev server's profile pages whose inputs did not change: kept where the staging folder
        already holds them (every other file it holds is removed first), else linked from the previous
        output here (digests of unchanged papers are remembered, so this costs little)."""
        if not self.reuse.dev_server:
            return []
        digests = {path: self._inputs_digest(job) for path, job in jobs if job[1]}
        held = {path: stats for path, digest in digests.items() if (stats := self._held(path, digest)) is not None}
        if self.reuse.keep_only is not None:
            self.reuse.keep_only({name for stats in held.values() for name in stats})
        results: list[JobResult] = [(path, digests[path], stats, False) for path, stats in held.items()]
        for path, digest in digests.items():
            if path not in held and (stats := self._reuse(path, digest)) is not None:
                results.append((path, digest, stats, False))
        return results

    def _held(self, path: str, digest: str) -> FileStats | None:
        """The job's files, if the staging folder holds them as written for these inputs."""
        held_digest, stats = self.reuse.held.get(path, ("", {}))
        if held_digest != digest or not stats:
            return None
        folder = os.fspath(self.folder)
        return stats if all(_stat_of(os.path.join(folder, name)) == stat for name, stat in stats.items()) else None

    def jobs_here(self, jobs: list[tuple[str, Job]]) -> tuple[list[tuple[str, Job]], list[tuple[str, Job]]]:
        """The dev server writes the data files and renders the site-wide pages here, where its memos
        (per-paper parts, report blocks) are filled and kept for the next build; the profile pages
        go to every core."""
        if not self.reuse.dev_server:
            return super().jobs_here(jobs)
        return [item for item in jobs if not item[1][1]], [item for item in jobs if item[1][1]]

    def write_here(self, here: list[tuple[str, Job]]) -> list[JobResult]:
        """The reuse's other work first, then the jobs here (data files written by a thread)."""
        if self.reuse.meanwhile is not None:
            self.reuse.meanwhile()
        self.writer = ThreadPoolExecutor(1)  # started here, in this process, after any worker forked
        return super().write_here(here)

    def finish_writing(self) -> None:
        """Wait for the data files written meanwhile (see :meth:`_write_data_file`)."""
        if self.writer is not None:
            self.writer.shutdown()
            self.writer = None

    def write(self, item: tuple[str, Job]) -> JobResult:
        """Run a job: its files linked from the previous output when its inputs did not change, else
        written; (job, inputs digest, files written, rendered afresh?)."""
        path, job = item
        if not job[0]:
            return self._write_data_file(path)
        digest = self._inputs_digest(job)
        reused = self._reuse(path, digest)
        if reused is not None:
            return path, digest, reused, False
        return path, digest, self.write_files(self.files(path, job[0], self.context(job))), True

    def _write_data_file(self, path: str) -> JobResult:
        """Write a data file; the dev server links it from the previous output instead when its content
        is what the last build wrote (compared in memory: kept whole by the memo, a large file's
        content is mostly the very objects written last time)."""
        content, written = self.data_files()[path](), self.reuse.data_written
        if written is None:
            return path, "", self.write_files({path: content}), True
        content = content if isinstance(content, str | bytes) else list(content)
        unchanged = written.get(path) == content
        written[path] = content
        reused = self._reuse(path, WRITTEN_AS_KEPT) if unchanged else None
        if reused is not None:
            return path, WRITTEN_AS_KEPT, reused, False
        return path, WRITTEN_AS_KEPT, self._write_meanwhile({path: content}), True

    def _write_meanwhile(self, files: dict[str, Content]) -> FileStats | Future[FileStats]:
        """Write large files in this process's writer thread, if it has one (the dev server's data
        files, tens of megabytes of parts already made: writing them is mostly the system's work,
        done outside the interpreter lock while this thread renders the pages), else here."""
        return self.write_files(files) if self.writer is None else self.writer.submit(self.write_files, files)

    def write_files(self, files: dict[str, Content]) -> FileStats:
        """Write the files; each one's size and modification time as written."""
        super().write_files(files)
        stats = {}
        for path in files:
            stat = (self.folder / path).stat()
            stats[path] = (stat.st_size, stat.st_mtime_ns)
        return stats

    def _inputs_digest(self, job: Job) -> str:
        """A digest of everything a page is made from: a site-wide page's context, or (cheaper than
        building the context) the profile with the site-wide values and lookups its page uses, or the
        report's data for the report page; and of the files its job writes (a build's report job also
        writes report.json, the dev server's does not: a digest kept by one is never taken for the
        other's)."""
        template, slug = job
        files = PAGE_DATA_FILES.get(template, "") if self.page_writes_data else ""
        head = f"{self.renderer.fingerprint}{template}{files}"
        if template == "paper.html":
            return _digest(head, self.site_inputs, self._paper_page_inputs(self.papers_by_id[slug]))
        if slug:
            return _digest(head, self.site_inputs, self._profile_inputs(self.profiles[slug]))
        if template == "report.html":
            text = self.parts.digest_input() if self.reuse.dev_server else self.report_text
            return _digest(head, self.site_inputs, *([text] if isinstance(text, str | bytes) else text))
        return _digest(head, orjson.dumps(self.context(job), default=repr))

    def _paper_page_inputs(self, paper: Paper) -> bytes:
        """The paper's fields and its versions table (the dev server's kept while it is the same paper:
        its entries, and so the decisions that joined them, are then the same)."""

        def derive() -> bytes:
            return _papers_digest([paper]) + orjson.dumps(self.versions_of(paper), default=repr)

        return self.papers.get_for_all("paper page", [paper], derive) if self.reuse.dev_server else derive()

    def _profile_inputs(self, profile: Profile) -> bytes:
        """The profile's own fields, and a digest of its papers (the dev server's kept while they
        are the same papers)."""
        own = orjson.dumps(_PROFILE_OWN(profile), default=tuple)  # a Location as a list
        papers = profile.papers
        if not self.reuse.dev_server:
            return own + _papers_digest(papers)
        return own + self.papers.get_for_all("digests", papers, functools.partial(_papers_digest, papers))

    def _reuse(self, path: str, digest: str) -> FileStats | None:
        """Link a job's files from the previous output when its inputs and the files are unchanged."""
        old_digest, stats = self.reuse.pages.get(path, ("", {}))
        if old_digest != digest:
            return None
        try:
            return {name: _link_unchanged(self.reuse.previous, self.folder, name, stat) for name, stat in stats.items()}
        except (OSError, ValueError):
            return None


def _written(stats: FileStats | Future[FileStats]) -> FileStats:
    return stats.result() if isinstance(stats, Future) else stats


_PROFILE_OWN = attrgetter(*(item.name for item in fields(Profile) if item.name != "papers"))


BLOCK_CHUNK = 32  # blocks per chunk the dev server keeps, on average


def _content_chunks(texts: list[bytes]) -> list[tuple[bytes, ...]]:
    """``texts`` cut where :func:`~generator.incremental.kept_values.content_ends` says, some :data:`BLOCK_CHUNK` a chunk."""
    ends = content_ends(texts, BLOCK_CHUNK)
    return [tuple(texts[start:end]) for start, end in zip([0, *ends], ends, strict=False)]


def _chunk_block(renderer: Renderer, macro: str, texts: tuple[bytes, ...]) -> Markup:
    return Markup("").join(renderer.macro_calls("_report.html", macro, map(orjson.loads, texts)))


def _link_unchanged(previous: Path, folder: Path, name: str, stat: tuple[int, int]) -> tuple[int, int]:
    """Hard-link ``previous/name`` into ``folder`` if it is still the file written (same size and time)."""
    source = previous / name
    if _stat_of(source) != stat:
        raise ValueError(f"{source} changed since it was written")
    target = folder / name
    target.parent.mkdir(parents=True, exist_ok=True)
    os.link(source, target)
    return stat


def _stat_of(path: str | Path) -> tuple[int, int] | None:
    """Size and modification time of a file (None if it is gone): a file as written keeps both."""
    try:
        current = os.stat(path)
    except FileNotFoundError:
        return None
    return current.st_size, current.st_mtime_ns


def _digest(*parts: str | bytes) -> str:
    """The SHA-256 of the parts' UTF-8, one after the other (no joined copy of a large text)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else part.encode())
    return digest.hexdigest()


def _papers_digest(papers: list[Paper]) -> bytes:
    """A digest of every field of the ``papers`` (serialised by orjson: several times faster than ``repr``)."""
    return hashlib.sha256(orjson.dumps(papers, default=tuple)).digest()  # a Location as a list
