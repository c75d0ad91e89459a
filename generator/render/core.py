"""Render the site model to HTML with Jinja: one context builder per page kind.

The environment autoescapes everything, fails on undefined names
(``StrictUndefined``) and compiles every template when the renderer starts,
so a broken template fails the build before any page is written.  Links are
relative to the page, so the site works from ``file://`` and under any prefix.
"""

from __future__ import annotations

import functools
import hashlib
import os
import traceback
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, fields
from operator import attrgetter
from pathlib import Path
from typing import Any

import jinja2
import orjson
from markupsafe import Markup

from generator.config.links import LINK_KINDS
from generator.errors import BuildError, Problem
from generator.executor import fork_map_sharing
from generator.incremental.cache_folder import CacheFolder, replace_file
from generator.incremental.memo import PaperMemo, TextMemo, content_ends
from generator.model import Metric, Paper, Profile, Site
from generator.output.core import Content, write_file
from generator.render.bibtex import bibliography, bibtex_entries
from generator.render.charts import coauthors, column_chart, papers_per_year, row_chart, years_active
from generator.render.data_files import comma_separated, compact_json
from generator.render.escaping import escape_as_text
from generator.text.categories import category_name
from generator.text.dates import MONTH_NAMES
from generator.text.identifiers import arxiv_url, doi_url
from generator.text.normalize import ascii_fold

TOP_COAUTHORS = 6
PARALLEL_PAGES = 200  # below this many pages to render, a process pool costs more than it saves
AUTHORS_SHOWN = 8
AUTHORS_BEFORE_FOLD = 6


ENVIRONMENT_OPTIONS: dict[str, Any] = {
    "autoescape": True,
    "undefined": jinja2.StrictUndefined,
    "trim_blocks": True,
    "lstrip_blocks": True,
    "keep_trailing_newline": True,
}


def scores_text(scores: dict[str, float]) -> str:
    """``{"abstract": 97.5, "prefix": 100.0}`` → ``abstract 97.5, prefix 100.0`` (a report row's
    similarities, as one text: the report page has tens of thousands of rows)."""
    return ", ".join(f"{name} {value}" for name, value in scores.items())


FILTERS = {"scores_text": scores_text}


def sorted_json(data: Any, **_options: Any) -> str:
    """Compact JSON with sorted keys: what the ``tojson`` filter writes (JSON-LD), which then makes
    it safe inside a ``<script>``.  orjson, not the standard library's encoder: a fifth of the
    time, for a few hundred kilobytes of JSON-LD per hundred profile pages."""
    return orjson.dumps(data, option=orjson.OPT_SORT_KEYS).decode("utf-8")


def template_cache(cache: CacheFolder | None) -> jinja2.BytecodeCache | None:
    """Compiled templates kept between builds (compiling them is a fifth of a small build).

    Jinja keys each entry by template path and a checksum of its source; the file names also
    carry a digest of this environment's options and the Jinja version, so a template compiled
    with other settings is never loaded.  An unusable folder just means no cache.
    """
    folder = cache.folder("templates") if cache is not None else None
    if folder is None:
        return None
    settings = repr(sorted((key, repr(value)) for key, value in ENVIRONMENT_OPTIONS.items())) + jinja2.__version__
    namespace = hashlib.sha256(settings.encode()).hexdigest()[:16]
    return _SealedBytecodeCache(cache, folder, f"{namespace}-%s.cache")  # type: ignore[arg-type]


class _SealedBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates, each file sealed by the cache's key (:class:`CacheFolder`): a file this
    cache did not write is never unmarshalled.  An unreadable, damaged or foreign entry is a miss,
    a failed write is skipped."""

    def __init__(self, cache: CacheFolder, folder: Path, pattern: str) -> None:
        self.cache, self.folder, self.pattern = cache, folder, pattern

    def _path(self, bucket: jinja2.bccache.Bucket) -> Path:
        return self.folder / (self.pattern % bucket.key)

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            data = self.cache.unseal(bucket.key.encode(), self._path(bucket).read_bytes())
            if data is not None:
                bucket.bytecode_from_string(data)
        except Exception:  # a miss: any error reading or loading it
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with suppress(OSError):
            replace_file(self._path(bucket), self.cache.seal(bucket.key.encode(), bucket.bytecode_to_string()))


class Renderer:
    """A Jinja environment with every template compiled up front."""

    def __init__(self, templates_dir: Path, cache: CacheFolder | None = None) -> None:
        self.templates_dir = templates_dir
        self.environment = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(templates_dir)),
            bytecode_cache=template_cache(cache),
            **ENVIRONMENT_OPTIONS,
        )
        self.environment.filters.update(FILTERS)
        self.environment.policies["json.dumps_function"] = sorted_json
        names = self.environment.list_templates(extensions=["html", "xml"])
        with template_errors(templates_dir):
            self.templates = {name: escape_as_text(self.environment.get_template(name)) for name in names}
        sources = b"".join(name.encode() + (templates_dir / name).read_bytes() for name in names)
        self.fingerprint = hashlib.sha256(sources).hexdigest()

    def render(self, name: str, context: dict[str, Any]) -> str:
        """Render one template with ``context``; template mistakes become located build errors."""
        with template_errors(self.templates_dir):
            return self.templates[name].render(context)

    def macro_calls(self, name: str, macro: str, items: Iterable[Any]) -> list[Markup]:
        """A macro of a template called on each item in turn (a page's repeated block)."""
        with template_errors(self.templates_dir):
            function = getattr(self.templates[name].module, macro)
            return [function(item) for item in items]


@contextmanager
def template_errors(templates_dir: Path) -> Iterator[None]:
    """Turn Jinja exceptions into a :class:`BuildError` at ``templates/NAME:LINE``."""
    try:
        yield
    except jinja2.TemplateSyntaxError as error:
        raise BuildError(
            [Problem(f"templates/{error.name}", error.lineno, f"template error: {error.message}")]
        ) from None
    except (jinja2.TemplateError, TypeError, AttributeError) as error:
        name, line = _template_frame(error, templates_dir)
        raise BuildError([Problem(name, line, f"template error: {error}")]) from None


def _template_frame(error: BaseException, templates_dir: Path) -> tuple[str, int]:
    """The innermost template line in a rendering traceback."""
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        path = Path(frame.filename)
        if path.suffix in (".html", ".xml") and templates_dir in path.parents:
            return f"templates/{path.relative_to(templates_dir).as_posix()}", frame.lineno or 1
    return "templates", 1


@dataclass(frozen=True)
class SiteLookups:
    """Site-wide tables every profile page consults, built once per build (not once per page)."""

    names: dict[str, str]  # profile slug → name
    people: dict[tuple[str, str], str]  # name key → profile slug

    @classmethod
    def of(cls, site: Site) -> SiteLookups:
        return cls({profile.slug: profile.name for profile in site.profiles}, site_people(site))


Job = tuple[str, str]  # (template, profile slug or "" for a site-wide page)
NOT_IN_SITEMAP = ("404.html", "sitemap.xml")
PAGE_DATA_FILES = {"report.html": "report.json"}  # page → data file built from the same data, by the same job


def page_jobs(site: Site) -> dict[str, Job]:
    """Output path → (template, profile slug): what to render, small enough to send to a worker,
    which builds the context itself.  A profile's job also writes its ``papers.bib`` (from the same
    citation keys as its Cite boxes)."""
    jobs: dict[str, Job] = {"index.html": ("index.html", "")}
    for profile in site.profiles:
        jobs[f"{profile.slug}/index.html"] = ("profile.html", profile.slug)
    jobs["report.html"] = ("report.html", "")
    jobs["404.html"] = ("404.html", "")
    if site.site_url:
        jobs["sitemap.xml"] = ("sitemap.xml", "")
    return jobs


def site_contexts(
    site: Site, report: Callable[[], dict[str, Any]], blocks: ReportBlocks
) -> dict[str, Callable[[], dict[str, Any]]]:
    """Template → how to build the context of each site-wide page."""
    return {
        "index.html": lambda: index_context(site),
        "report.html": lambda: report_context(site, report(), blocks),
        "404.html": lambda: not_found_context(site),
        "sitemap.xml": lambda: {
            "urls": [page_url(site, path) for path in page_jobs(site) if path not in NOT_IN_SITEMAP]
        },
    }


_PROFILE_OWN = attrgetter(*(item.name for item in fields(Profile) if item.name != "papers"))
FileStats = dict[str, tuple[int, int]]  # output path → (size, mtime_ns) as written
PageCache = dict[str, tuple[str, FileStats]]  # job path → (digest of its inputs, its files)


@dataclass
class RenderTarget:
    """Where pages go: the staging ``folder``; with a ``cache`` (the dev server's, or one kept between
    builds), pages whose inputs did not change are linked from ``previous`` (the live output folder)
    instead of rendered again, and ``papers`` keeps what was derived from unchanged papers (digests,
    JSON fragments).  A site-wide page's digest covers its whole context, unless ``page_inputs``
    gives text that determines it more cheaply (the report page: ``report.json``'s text)."""

    folder: Path
    cache: PageCache | None = None
    previous: Path | None = None
    papers: PaperMemo | None = None
    page_inputs: dict[str, Callable[[], str | bytes | list[bytes]]] = field(
        default_factory=dict
    )  # cheaper digest input
    blocks: TextMemo | None = None  # the report page's blocks, by their report.json text
    dev_server: bool = False  # link unchanged profile pages first; data files and site-wide pages made here
    held: PageCache = field(default_factory=dict)  # pages the staging folder already holds (the dev server's spare)
    keep_only: Callable[[set[str]], None] | None = None  # removes the folder's other files
    data_written: dict[str, Content] | None = None  # the dev server's: each data file's content as last written
    meanwhile: Callable[[], None] | None = None  # other work for this process, before its share of the pages


def render_pages(
    site: Site,
    report: Callable[[], dict[str, Any]],
    renderer: Renderer,
    target: RenderTarget,
    rendered: list[str],
    data_files: dict[str, Callable[[], Content]],
) -> list[str]:
    """Write every page of the site (and each profile's ``papers.bib``) into ``target.folder``.

    Pages and ``data_files`` (path → function writing it) are written on every core (above
    :data:`PARALLEL_PAGES` pages, forked workers share the site model), the largest first;
    ``report`` builds the report once per process that needs it.  The dev server first links its
    unchanged profile pages, then writes the data files and the site-wide pages in this process,
    which keeps its memos, while workers render the other profile pages.
    Returns the paths written; ``rendered`` receives the jobs actually rendered.
    """
    state = _JobState(site, renderer, data_files, target, report)
    pages = page_jobs(site)
    jobs = [("report.html", pages.pop("report.html")), *pages.items()]  # the largest first
    results = state.unchanged_profile_pages(jobs)
    done = {path for path, *_ in results}
    here, todo = state.jobs_here([(path, job) for path, job in jobs if path not in done])
    try:
        written, written_here = fork_map_sharing(
            _JobState.write, state, todo, PARALLEL_PAGES, functools.partial(state.work_here, here)
        )
    finally:
        state.finish_writing()
    results += [(job, digest, _written(stats), fresh) for job, digest, stats, fresh in written + written_here]
    if target.cache is not None:
        target.cache.clear()
        target.cache.update({job: (digest, stats) for job, digest, stats, _ in results if digest})
    rendered[:] = [job for job, _, _, fresh in results if fresh]
    return sorted(path for _, _, stats, _ in results for path in stats)


def _written(stats: FileStats | Future[FileStats]) -> FileStats:
    return stats.result() if isinstance(stats, Future) else stats


WRITTEN_AS_KEPT = "content kept in memory"  # a data file's digest in the dev server: reused while its content is
JobResult = tuple[str, str, FileStats, bool]  # job path, digest of its inputs, files written, rendered afresh?
WrittenLater = tuple[str, str, "FileStats | Future[FileStats]", bool]  # a result whose files a thread may still write


class _JobState:
    """What rendering a job needs: the site, its lookups and the renderer (shared by forked workers)."""

    def __init__(
        self,
        site: Site,
        renderer: Renderer,
        data_files: dict[str, Callable[[], Content]],
        target: RenderTarget,
        report: Callable[[], dict[str, Any]],
    ) -> None:
        self.site = site
        self.site_contexts = site_contexts(site, report, report_blocks(renderer, target.blocks))
        self.renderer = renderer
        self.data_files = data_files
        self.target = target
        self.lookups = SiteLookups.of(site)
        self.profiles = {profile.slug: profile for profile in site.profiles}
        site_values = (site.title, site.base_url, site.site_url, self.lookups)
        self.site_inputs = _digest(repr(site_values)) if target.cache is not None else ""  # hashed once, not per page
        self.papers = target.papers if target.papers is not None else PaperMemo()
        self.writer: ThreadPoolExecutor | None = None  # writes this process's data files meanwhile

    def unchanged_profile_pages(self, jobs: list[tuple[str, Job]]) -> list[JobResult]:
        """The dev server's profile pages whose inputs did not change: kept where the staging folder
        already holds them (every other file it holds is removed first), else linked from the previous
        output here (digests of unchanged papers are remembered, so this costs little)."""
        if not self.target.dev_server:
            return []
        digests = {path: self._inputs_digest(job) for path, job in jobs if job[1]}
        held = {path: stats for path, digest in digests.items() if (stats := self._held(path, digest)) is not None}
        if self.target.keep_only is not None:
            self.target.keep_only({name for stats in held.values() for name in stats})
        results = [(path, digests[path], stats, False) for path, stats in held.items()]
        for path, digest in digests.items():
            if path not in held and (stats := self._reuse(path, digest)) is not None:
                results.append((path, digest, stats, False))
        return results

    def _held(self, path: str, digest: str) -> FileStats | None:
        """The job's files, if the staging folder holds them as written for these inputs."""
        held_digest, stats = self.target.held.get(path, ("", {}))
        if held_digest != digest or not stats:
            return None
        folder = os.fspath(self.target.folder)
        return stats if all(_stat_of(os.path.join(folder, name)) == stat for name, stat in stats.items()) else None

    def jobs_here(self, todo: list[tuple[str, Job]]) -> tuple[list[tuple[str, Job]], list[tuple[str, Job]]]:
        """(the jobs this process does first, the jobs for every core).  The dev server writes the
        data files and renders the site-wide pages here, where its memos (per-paper parts, report
        blocks) are filled and kept for the next build; ``build`` writes the data files on every
        core, first (the largest jobs), a data file made from the same data as a page by that
        page's job (the data is built once)."""
        data = [(path, ("", "")) for path in self.data_files]
        if self.target.dev_server:
            return data + [item for item in todo if not item[1][1]], [item for item in todo if item[1][1]]
        return [], [item for item in data if item[0] not in PAGE_DATA_FILES.values()] + todo

    def work_here(self, here: list[tuple[str, Job]]) -> list[WrittenLater]:
        """What this process does before it takes its share of the pages: the target's other work,
        then the jobs :meth:`jobs_here` leaves here."""
        if self.target.meanwhile is not None:
            self.target.meanwhile()
        self.writer = ThreadPoolExecutor(1)  # started here, in this process, after any worker forked
        return [self.write(item) for item in here]

    def finish_writing(self) -> None:
        """Wait for the data files written meanwhile (see :meth:`_write_data_file`)."""
        if self.writer is not None:
            self.writer.shutdown()
            self.writer = None

    def context(self, job: Job) -> dict[str, Any]:
        """The context of a job: its profile's, or the site-wide page's."""
        template, slug = job
        return profile_context(self.site, self.profiles[slug], self.lookups) if slug else self.site_contexts[template]()

    def files(self, path: str, template: str, context: dict[str, Any]) -> dict[str, Content]:
        """The page at ``path``, plus ``papers.bib`` beside a profile page, plus (in a build) the data
        file made from the same data as the page."""
        files: dict[str, Content] = {path: self.renderer.render(template, context)}
        if template == "profile.html":
            files[path.replace("index.html", "papers.bib")] = context["bibliography"]
        data_file = PAGE_DATA_FILES.get(path, "")
        if not self.target.dev_server and data_file in self.data_files:
            files[data_file] = self.data_files[data_file]()
        return files

    def write(self, item: tuple[str, Job]) -> WrittenLater:
        """Run a job into the staging folder: (job, inputs digest, files written, rendered afresh?)."""
        path, job = item
        if path in self.data_files:
            return self._write_data_file(path)
        digest = self._inputs_digest(job) if self.target.cache is not None else ""
        reused = self._reuse(path, digest) if digest else None
        if reused is not None:
            return path, digest, reused, False
        return path, digest, self._write(self.files(path, job[0], self.context(job))), True

    def _write_data_file(self, path: str) -> WrittenLater:
        """Write a data file; the dev server links it from the previous output instead when its content
        is what the last build wrote (compared in memory: kept whole by the memo, a large file's
        content is mostly the very objects written last time)."""
        content, written = self.data_files[path](), self.target.data_written
        if written is None:
            return path, "", self._write({path: content}), True
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
        return self._write(files) if self.writer is None else self.writer.submit(self._write, files)

    def _inputs_digest(self, job: Job) -> str:
        """A digest of everything a page is made from: a site-wide page's context, or (cheaper than
        building the context) the profile with the site-wide values and lookups its page uses; and
        of the files its job writes (a build's report job also writes report.json, the dev
        server's does not: a digest kept by one is never taken for the other's)."""
        template, slug = job
        files = "" if self.target.dev_server else PAGE_DATA_FILES.get(template, "")
        head = f"{self.renderer.fingerprint}{template}{files}"
        if slug:
            return _digest(head, self.site_inputs, self._profile_inputs(self.profiles[slug]))
        if template in self.target.page_inputs:
            text = self.target.page_inputs[template]()
            return _digest(head, self.site_inputs, *([text] if isinstance(text, str | bytes) else text))
        return _digest(head, orjson.dumps(self.context(job), default=repr))

    def _profile_inputs(self, profile: Profile) -> bytes:
        """The profile's own fields, and a digest of its papers (the dev server's kept while they
        are the same papers)."""
        own = orjson.dumps(_PROFILE_OWN(profile), default=tuple)  # a Location as a list
        papers = profile.papers
        if self.target.papers is None:
            return own + _papers_digest(papers)
        return own + self.papers.get_for_all("digests", papers, functools.partial(_papers_digest, papers))

    def _write(self, files: dict[str, Content]) -> FileStats:
        stats = {}
        for path, text in files.items():
            write_file(self.target.folder, path, text)
            stat = (self.target.folder / path).stat()
            stats[path] = (stat.st_size, stat.st_mtime_ns)
        return stats

    def _reuse(self, path: str, digest: str) -> FileStats | None:
        """Link a job's files from the previous output when its inputs and the files are unchanged."""
        assert self.target.cache is not None and self.target.previous is not None
        old_digest, stats = self.target.cache.get(path, ("", {}))
        if old_digest != digest:
            return None
        try:
            return {
                name: _link_unchanged(self.target.previous, self.target.folder, name, stat)
                for name, stat in stats.items()
            }
        except (OSError, ValueError):
            return None


ReportBlocks = Callable[[str, "list[dict[str, Any]] | list[bytes]"], list[Markup]]
BLOCK_CHUNK = 32  # blocks per chunk the dev server keeps, on average


def report_blocks(renderer: Renderer, memo: TextMemo | None) -> ReportBlocks:
    """How to render the report page's repeated blocks (a macro of ``_report.html``: a merged
    paper, a pair kept apart), each given as its report data; the page joins them as they are.
    The dev server gives each as its ``report.json`` text instead, and keeps the blocks of chunks
    of some :data:`BLOCK_CHUNK` texts by those texts (a key that costs little to make); a chunk
    ends after a text whose hash is a multiple of it, so an edit changes the chunks around it only.
    (A plain function, not a method of the job state: the state's contexts hold it, and a
    reference cycle would keep the whole site alive until the cycle collector runs.)"""

    def blocks(macro: str, items: list[dict[str, Any]] | list[bytes]) -> list[Markup]:
        if memo is None:
            return renderer.macro_calls("_report.html", macro, items)
        chunks = _content_chunks(items)  # type: ignore[arg-type]  # the dev server's are texts
        return [memo.get((macro, chunk), functools.partial(_chunk_block, renderer, macro, chunk)) for chunk in chunks]

    return blocks


def _content_chunks(texts: list[bytes]) -> list[tuple[bytes, ...]]:
    """``texts`` cut where :func:`~generator.memo.content_ends` says, some :data:`BLOCK_CHUNK` a chunk."""
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


def search_index(site: Site, memo: PaperMemo | None = None) -> list[bytes]:
    """``search-index.js`` (in UTF-8 chunks): titles, authors, venues and years of every paper, for the
    index page's search (the dev server remembers the part of each run of unchanged papers in ``memo``)."""
    names = {profile.slug: profile.name for profile in site.profiles}
    listed = functools.partial(_search_entries, names)
    if memo is None:
        return _search_index_of([listed(site.papers)])
    same_names = hashlib.sha256(repr(names).encode()).hexdigest()  # a renamed profile changes every part
    return _search_index_of(memo.runs("search", site.papers, listed, inputs=same_names))


def _search_index_of(parts: list[bytes]) -> list[bytes]:
    return [b"window.PAPER_INDEX = [", *comma_separated([part for part in parts if part]), b"];\n"]


def _search_entries(names: dict[str, str], papers: list[Paper]) -> bytes:
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


def base_context(site: Site, path: str, page_title: str, description: str, og_type: str = "website") -> dict[str, Any]:
    """What every page needs: titles, description, link prefix to the site root, address for sharing."""
    return {
        "site_title": site.title,
        "root": "../" * path.count("/"),
        "page_title": page_title,
        "description": description,
        "canonical": page_url(site, path),
        "og_type": og_type,
        "json_ld": None,
    }


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
    description = f"{_count(len(site.profiles), 'research profile')} with {_count(len(site.papers), 'distinct paper')}."
    return base_context(site, "index.html", site.title, description) | {
        "profiles": profiles,
        "paper_count": len(site.papers),
    }


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def profile_context(site: Site, profile: Profile, lookups: SiteLookups) -> dict[str, Any]:
    entries = bibtex_entries(profile.papers, profile.name)
    path = f"{profile.slug}/index.html"
    return base_context(site, path, f"{profile.name} · {site.title}", profile_description(profile), "profile") | {
        "json_ld": person_json_ld(profile, page_url(site, path)),
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
        "groups": year_groups(
            [card_view(paper, profile, lookups.names, entries[paper.id]) for paper in profile.papers]
        ),
        "card_count": len(profile.papers),
        "stats": profile_stats(profile, lookups),
        "bibliography": bibliography(profile.papers, entries),
    }


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
    person = name_key(profile.name)
    named = coauthors(profile.papers, functools.partial(_is_person, person=person))  # the rule cards bold by
    on_site = lookups.people
    return {
        "years": "" if span is None else (str(span[0]) if span[0] == span[1] else f"{span[0]}–{span[1]}"),
        "coauthor_count": len(named),
        "top_coauthors": [
            {"name": name, "count": count, "slug": on_site.get(name_key(name), "") if name_key(name) != person else ""}
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
    return f"{profile.name}{where}: {_count(len(profile.papers), 'paper')}{topics}."


def person_json_ld(profile: Profile, url: str) -> dict[str, Any]:
    """schema.org ``Person`` with the person's papers as ``ScholarlyArticle`` works they authored."""
    person: dict[str, Any] = {"@context": "https://schema.org", "@type": "Person", "name": profile.name}
    if url:
        person["url"] = url
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


def not_found_context(site: Site) -> dict[str, Any]:
    """The 404 page is served at any depth, so its links are absolute, under ``base_url``."""
    return base_context(site, "404.html", f"Page not found · {site.title}", "This page does not exist.") | {
        "root": site.base_url,
        "canonical": "",
    }


CATEGORY = attrgetter("category")


def category_counts(papers: list[Paper]) -> list[tuple[str, int]]:
    """Categories present, most frequent first (ties by code); uncategorised last."""
    counts = Counter(map(CATEGORY, papers))  # counted in C
    return sorted(counts.items(), key=lambda item: (item[0] == "", -item[1], item[0]))


def metric_view(metric: Metric) -> dict[str, Any]:
    value = f"{metric.value:,}" if isinstance(metric.value, int) else f"{metric.value:g}"
    suffix = "%" if "%" in metric.text else ""
    return {"label": metric.label, "value": value + suffix, "source": str(metric.location)}


# The views below are slotted dataclasses, not dicts: Jinja looks ``x.name`` up as an attribute
# first, and on a dict that fails (an exception raised and caught) before the key is tried.  Not
# frozen either: a frozen dataclass costs several times as much to make, and cards are many.


@dataclass(slots=True)
class AuthorView:
    """One name in a card's author line."""

    name: str
    is_person: bool


@dataclass(slots=True)
class CardLink:
    """One of a card's outgoing links (arXiv, DOI, PDF, code)."""

    label: str
    href: str
    kind: str


@dataclass(slots=True)
class OtherProfile:
    """Another profile of the site that shows the same paper."""

    slug: str
    name: str


@dataclass(slots=True)
class CardView:
    """What one paper card shows on one profile's page."""

    id: str
    title: str
    title_derived: bool
    authors: list[AuthorView]
    authors_folded: list[AuthorView]
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
    also_on: list[OtherProfile]
    url: str
    links: list[CardLink]
    venue: str
    tags: list[str]
    bibtex: str
    unverified: bool
    checked: str
    score_value: str


def fold_authors(authors: list[AuthorView]) -> tuple[list[AuthorView], list[AuthorView]]:
    """Long author lists show the first few (and the person, wherever they are); the rest fold away."""
    if len(authors) <= AUTHORS_SHOWN:
        return authors, []
    shown = authors[:AUTHORS_BEFORE_FOLD] + [a for a in authors[AUTHORS_BEFORE_FOLD:] if a.is_person]
    return shown, [a for a in authors[AUTHORS_BEFORE_FOLD:] if not a.is_person]


def paper_links(paper: Paper) -> list[CardLink]:
    """The card's outgoing links: arXiv, DOI, PDF, code (an unverified identifier says so)."""
    note = " (unverified)" if paper.unverified else ""
    links = []
    if paper.arxiv:
        links.append(CardLink(f"arXiv{note}", arxiv_url(paper.arxiv), "arxiv"))
    if paper.doi:
        links.append(CardLink(f"DOI{note}", doi_url(paper.doi), "doi"))
    if paper.pdf:
        links.append(CardLink("PDF", paper.pdf, "pdf"))
    if paper.code_url:
        links.append(CardLink("Code", paper.code_url, "code"))
    return links


def title_link(paper: Paper) -> str:
    """Where the card title points: the paper's URL, else its arXiv or DOI page unless the id is unverified."""
    if paper.url:
        return paper.url
    if paper.unverified:
        return ""
    return arxiv_url(paper.arxiv) if paper.arxiv else doi_url(paper.doi) if paper.doi else ""


def card_view(paper: Paper, profile: Profile, names: dict[str, str], bibtex: str) -> CardView:
    """What one paper card shows on ``profile``'s page."""
    person = name_key(profile.name)
    shown, folded = fold_authors([AuthorView(author, _is_person(author, person)) for author in paper.authors])
    return CardView(
        id=paper.id,
        title=paper.title,
        title_derived=paper.title_derived,
        authors=shown,
        authors_folded=folded,
        authors_truncated=paper.authors_truncated,
        affiliation=paper.affiliation,
        date=paper.date or "",
        date_text=format_date(paper.date),
        year=paper.date[:4] if paper.date else "",
        category=paper.category,
        category_name=category_name(paper.category),
        score=_score_text(paper.score),
        score_source=str(paper.provenance.get("score", "")),
        code=paper.code or bool(paper.code_url),
        abstract=paper.abstract,
        also_on=[OtherProfile(slug, names[slug]) for slug in paper.profiles if slug != profile.slug],
        url=title_link(paper),
        links=paper_links(paper),
        venue=paper.venue,
        tags=paper.tags,
        bibtex=bibtex,
        unverified=paper.unverified,
        checked=paper.checked,
        score_value="" if paper.score is None else repr(paper.score),
    )


def _score_text(score: float | None) -> str:
    return "" if score is None else f"{score:g}"


def format_date(iso_date: str | None) -> str:
    """``2022-04-29`` → ``29 Apr 2022``; ``2022-04`` → ``Apr 2022``; ``2022`` stays."""
    if not iso_date:
        return ""
    parts = iso_date.split("-")
    words = [str(int(parts[2]))] if len(parts) == 3 else []
    words += [MONTH_NAMES[int(parts[1]) - 1]] if len(parts) >= 2 else []
    return " ".join([*words, parts[0]])


@functools.lru_cache(maxsize=65536)
def name_key(name: str) -> tuple[str, str]:
    """``Arthur Mensch`` and ``A. Mensch`` → ``("mensch", "a")``: family name and first initial, folded."""
    words = ascii_fold(name).replace(".", " ").split()
    return (words[-1], words[0][0]) if words else ("", "")


def _is_person(author: str, person: tuple[str, str]) -> bool:
    """Is ``author`` the person whose :func:`name_key` is ``person``: same family name and same first
    initial, accents and case ignored?"""
    author_key = name_key(author)
    return bool(author_key[0]) and author_key == person


def site_people(site: Site) -> dict[tuple[str, str], str]:
    """Name key → profile slug, for linking co-authors who have a profile on the site."""
    return {name_key(profile.name): profile.slug for profile in reversed(site.profiles)}


def report_context(site: Site, report: dict[str, Any], blocks: ReportBlocks) -> dict[str, Any]:
    description = "How the papers of this site were deduplicated: what was merged, what was kept apart, and why."
    return base_context(site, "report.html", f"Build report · {site.title}", description) | {
        "report": report,
        "merged_blocks": blocks("merged_paper", report["merged"]),
        "apart_rows": blocks("apart_row", report["apart"]),
    }
