"""The build pipeline: sources in, a site out, one named step per line."""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import compress, count
from operator import itemgetter, not_
from pathlib import Path

from generator.config.site import SiteConfig, apply_overrides, load_config
from generator.dedupe import deduplicate
from generator.errors import BuildError, Problem
from generator.files import filesystem_problem, real_path
from generator.incremental.cache_folder import CacheFolder, default_cache_dir
from generator.incremental.dedupe_memo import DedupeMemo, deduplicate_again
from generator.incremental.dedupe_record import restored_result, result_state
from generator.incremental.disk_cache import DiskCache
from generator.incremental.memo import PaperMemo, TextMemo
from generator.incremental.merge import MergeMemo, RememberedPapers
from generator.merge import merge_site
from generator.merge.bios import bio_files, load_bios, stray_bio_files
from generator.merge.fields import cluster_title
from generator.merge.overrides import OVERRIDES_FILE, Override, Resolution, gives_identifier, load_overrides, resolve
from generator.merge.profiles import configured_bios, profile_slugs
from generator.model import Cluster, DedupeResult, Entry, Site, SourceDoc
from generator.output.core import Content, OutputFiles, Staging, check_output_contents, check_output_path, write_site
from generator.output.lock import locked_output
from generator.render.core import PageCache, Renderer, RenderTarget, deployment_files, render_pages, search_index
from generator.render.data_files import joined_report, papers_json_chunks, report_json, report_parts, to_json
from generator.sources.catalog import build_catalog
from generator.sources.reading import ParsedSource, read_sources
from generator.text.normalize import unique_slugs

PACKAGE_DIR = Path(__file__).resolve().parent


@dataclass
class BuildSummary:
    """What one build read and wrote, for the command line to print."""

    sources: int
    entries: int
    papers: int
    profiles: int
    warnings: list[Problem]
    files: int
    timings: dict[str, float] = field(default_factory=dict)
    site: Site | None = field(default=None, repr=False)  # the model the pages were rendered from


def asset_dir(name: str) -> Path:
    """``templates`` or ``static``: inside the installed package, else at the project root."""
    for candidate in (PACKAGE_DIR / name, PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the generator's {name}/ folder is missing (looked beside {PACKAGE_DIR})")


def default_config_path(seeds_dir: Path) -> Path | None:
    """``seeds/site.yaml`` when there is anything by that name (a broken link or a named pipe too:
    reading it says what is wrong, instead of building as if there were no configuration)."""
    candidate = seeds_dir / "site.yaml"
    return candidate if os.path.lexists(candidate) else None


@dataclass
class BuildOptions:
    """Where to read and write, and command-line overrides of site.yaml."""

    seeds_dir: Path = Path("seeds")
    out_dir: Path = Path("output")
    config_path: Path | None = None
    base_url: str | None = None
    site_url: str | None = None
    keep_going: bool = False
    wait: bool = True  # for another build of the same output folder to finish (else fail at once)
    cache_dir: Path | None = field(default_factory=default_cache_dir)  # the disk cache; None: no cache


@dataclass
class BuildCache:
    """What a long-running process (the dev server) keeps between builds to redo only what changed."""

    sources: dict[str, ParsedSource] = field(default_factory=dict)
    pages: PageCache = field(default_factory=dict)
    dedupe: DedupeMemo = field(default_factory=DedupeMemo)
    merge: MergeMemo = field(default_factory=MergeMemo)
    papers: PaperMemo = field(default_factory=PaperMemo)
    blocks: TextMemo = field(default_factory=TextMemo)
    parsed: list[str] = field(default_factory=list)  # files the last build parsed
    loaded: list[str] = field(default_factory=list)  # files it loaded from the persistent cache
    dedupe_restored: bool = False  # did it restore its clusters from the persistent cache?
    rendered: list[str] = field(default_factory=list)
    incremental: bool = False  # keep rendered pages to re-render only what changed (the dev server)
    spare: SpareOutput | None = None
    config: tuple[tuple, SiteConfig] | None = None  # site.yaml's file status and what it gave
    data_written: dict[str, Content] = field(default_factory=dict)  # each data file as last written
    resolved: tuple[DedupeResult, list[Override], Resolution] | None = None  # the last clusters with overrides
    identified: dict[int, tuple[Cluster, bool]] = field(default_factory=dict)  # does a cluster give an identifier?


@dataclass
class SpareOutput:
    """The dev server's copy of the output before the live one, and its pages' digests: the next
    build writes into it, keeping the pages it would write alike, instead of into an empty folder
    (no deleting the retired output, no linking every unchanged page again)."""

    folder: Path
    pages: PageCache


def build(options: BuildOptions, cache: BuildCache | None = None) -> BuildSummary:
    """Build the site; raise :class:`BuildError` on bad input, leaving the previous output as it was.
    One build at a time writes an output folder: another waits for it (or, without
    ``options.wait``, fails at once)."""
    try:
        _check_seeds(options.seeds_dir)
        check_output_path(options.out_dir, options.seeds_dir)
        with locked_output(options.out_dir, options.wait), without_cycle_collection():
            return _build(options, cache or BuildCache())
    except OSError as error:  # the disk full, a read-only or forbidden folder, a link loop…
        raise BuildError([filesystem_problem(error, options.out_dir)]) from None


@contextlib.contextmanager
def without_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector while a build runs.

    A build allocates millions of small, acyclic objects (entries, keys, pages), which reference
    counting frees; the collector would traverse all of them again and again, costing about a
    third of a large build's time for nothing.  The previous setting is restored afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            _forget_allocation_count()
            gc.enable()


def _forget_allocation_count() -> None:
    """Keep the collector from a full pass over everything the build allocated the moment it is back
    on (about half a second at a thousand profiles): freezing and unfreezing moves every object to
    the oldest generation and resets the count that triggers collections.  Nothing is left frozen;
    objects someone else froze stay frozen."""
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()


def _build(options: BuildOptions, cache: BuildCache) -> BuildSummary:
    laps = Laps()
    check_output_contents(options.out_dir)
    cache_warnings: list[Problem] = []
    cache_folder = CacheFolder.open(options.cache_dir, cache_warnings)
    renderer = Renderer(asset_dir("templates"), cache_folder)
    config = apply_overrides(load_site_config(options, cache), options.base_url, options.site_url)
    catalog = build_catalog(options.seeds_dir, config)
    store = DiskCache.open(cache_folder, options.seeds_dir)
    reading = read_sources(
        options.seeds_dir, catalog, cache.sources, config.max_source_mb * 1_000_000, store, options.keep_going
    )
    sources, skipped, cache.parsed, cache.loaded = reading.sources, reading.skipped, reading.parsed, reading.loaded
    docs = [source.doc for source in sources]
    entries = all_entries(docs)
    laps.mark("parse")
    dedupe, keep_dedupe = deduplicate_sources(sources, entries, cache, store)
    laps.mark("dedupe")
    slugs = profile_slugs(config, docs)
    overrides = load_overrides(options.seeds_dir / OVERRIDES_FILE, slugs)
    resolution = resolve_overrides(overrides, dedupe, cache)
    bio_names = bio_files(options.seeds_dir)
    bios = load_bios(options.seeds_dir, configured_bios(config, slugs), bio_names)
    site = merge_site(
        config, catalog, docs, resolution, bios, RememberedPapers(cache.merge) if cache.incremental else None
    )
    site.warnings = catalog.warnings + skipped + site.warnings
    site.warnings += stray_bio_files(bio_names, slugs)
    laps.mark("merge")
    pages = kept_pages(cache, store, options.out_dir)
    counts = (len(docs), len(entries))
    output = render_and_swap(site, dedupe, renderer, cache, pages, counts, options.out_dir, laps, meanwhile=keep_dedupe)
    if store is not None and pages is not None:
        store.save_pages(options.out_dir, pages)
    return BuildSummary(
        len(docs),
        len(entries),
        len(site.papers),
        len(site.profiles),
        cache_warnings + site.warnings,  # the cache's are about this machine: not in the site's report
        len(output.files),
        laps.times,
        site,
    )


class Laps:
    """Wall time of each pipeline stage, for the benchmark and the dev server."""

    def __init__(self) -> None:
        self.times: dict[str, float] = {}
        self.last = time.perf_counter()

    def mark(self, stage: str) -> None:
        now = time.perf_counter()
        self.times[stage] = round(now - self.last, 4)
        self.last = now


def load_site_config(options: BuildOptions, cache: BuildCache | None = None) -> SiteConfig:
    """site.yaml, loaded and validated; the dev server keeps it while the file is unchanged."""
    path = options.config_path
    if path is None:
        return load_config(None, "")
    shown = shown_path(path, options.seeds_dir)
    if cache is None or not cache.incremental or (key := _file_status(path)) is None:
        return load_config(path, shown)  # a command-line build, or an unreadable file (loading says why)
    if cache.config is None or cache.config[0] != key:
        cache.config = (key, load_config(path, shown))
    return cache.config[1]


def _file_status(path: Path) -> tuple | None:
    """What changes when a file is saved again: path, modification time, size, inode (None: unreadable)."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return path, stat.st_mtime_ns, stat.st_size, stat.st_ino


def _check_seeds(seeds_dir: Path) -> None:
    if not seeds_dir.is_dir():
        raise BuildError(
            [
                Problem(
                    str(seeds_dir),
                    1,
                    "the seeds folder does not exist or is not a folder",
                    "pass the folder of source files with --seeds DIR",
                )
            ]
        )


def shown_path(path: Path, seeds_dir: Path) -> str:
    """How error messages name a file: relative to the seeds folder when inside it."""
    try:
        return real_path(path).relative_to(real_path(seeds_dir)).as_posix()
    except ValueError:
        return str(path)


def all_entries(docs: list[SourceDoc]) -> list[Entry]:
    return [entry for doc in docs for entry in doc.entries]


def deduplicate_sources(
    sources: list[ParsedSource], entries: list[Entry], cache: BuildCache, store: DiskCache | None
) -> tuple[DedupeResult, Callable[[], None]]:
    """Cluster the entries into papers; a build whose sources are all as the last build's restores its
    clusters from disk instead (the dev server keeps its own memo).  Also how to keep the clusters
    for the next build (done while workers render the pages, before this process takes its share)."""
    prepared = [source.prepared for source in sources]
    if cache.incremental:
        return deduplicate_again(entries, prepared, cache.dedupe), _nothing
    if store is None:
        return deduplicate(entries, prepared), _nothing
    digest = store.sources_digest([source.key for source in sources])
    state = store.load_result(digest) if digest else None
    restored = restored_result(state, entries) if state is not None else None  # type: ignore[arg-type]
    cache.dedupe_restored = restored is not None
    if restored is not None:
        return restored, _nothing
    result = deduplicate(entries, prepared)
    if not digest:
        return result, _nothing
    return result, lambda: store.save_result(digest, result_state(result, entries))


def _nothing() -> None:
    return None


def resolve_overrides(overrides: list[Override], dedupe: DedupeResult, cache: BuildCache) -> Resolution:
    """Attach the overrides to the clusters; the dev server's last resolution, the very object, when
    its clusters are the last build's (the same dedupe result) and the overrides are as they were."""
    last = cache.resolved
    if cache.incremental and last is not None and last[0] is dedupe and last[1] == overrides:
        return last[2]
    identified = _identified_clusters(dedupe.clusters, cache) if cache.incremental else None
    resolution = resolve(overrides, dedupe.clusters, functools.partial(_plain_ids, dedupe.clusters), identified)
    cache.resolved = (dedupe, overrides, resolution) if cache.incremental else None
    return resolution


def _plain_ids(clusters: list[Cluster]) -> list[str]:
    """The ids the clusters' papers would get without overrides."""
    return unique_slugs([cluster_title(cluster) for cluster in clusters])


def _identified_clusters(clusters: list[Cluster], cache: BuildCache) -> list[int]:
    """The clusters giving an identifier (:func:`gives_identifier`), looked at again only for a cluster
    that is not the very object the last build had (the dev server's)."""
    kept = cache.identified
    found = list(map(kept.get, map(id, clusters)))
    for index in compress(count(), map(not_, found)):
        found[index] = (clusters[index], gives_identifier(clusters[index]))  # holding it keeps its id unique
    cache.identified = dict(zip(map(id, clusters), found, strict=True))
    return list(compress(count(), map(itemgetter(1), found)))


def kept_pages(cache: BuildCache, store: DiskCache | None, out_dir: Path) -> PageCache | None:
    """The digests by which unchanged pages are linked instead of rendered: the dev server's (first
    filled from disk), else those the last build of ``out_dir`` kept on disk; None without a cache."""
    if cache.incremental:
        if not cache.pages and store is not None:
            cache.pages.update(store.load_pages(out_dir))
        return cache.pages
    return store.load_pages(out_dir) if store is not None else None


def render_and_swap(
    site: Site,
    dedupe: DedupeResult,
    renderer: Renderer,
    cache: BuildCache,
    pages: PageCache | None,
    counts: tuple[int, int],
    out_dir: Path,
    laps: Laps,
    meanwhile: Callable[[], None] = _nothing,
) -> OutputFiles:
    """Render the site into a staging folder and swap it in (the dev server's: its spare copy of
    the output before the live one, which it takes, and which goes with a failed build);
    ``meanwhile`` is done in this process while workers render, before it renders pages too."""
    spare, cache.spare = cache.spare, None
    with Staging(out_dir, spare.folder if spare else None, keep_spare=cache.incremental) as staging:
        live_pages = dict(pages or {})  # once swapped out, the live output is the next spare
        held = spare.pages if spare is not None and staging.held else {}
        output = assemble_output(site, dedupe, renderer, cache, (pages, held), counts, staging, meanwhile)
        laps.mark("render")  # pages are written into the staging folder as they are rendered
        write_site(output, staging)
        laps.mark("write")
    cache.spare = SpareOutput(staging.spare, live_pages) if staging.spare is not None else None
    return output


def assemble_output(
    site: Site,
    dedupe: DedupeResult,
    renderer: Renderer,
    cache: BuildCache,
    digests: tuple[PageCache | None, PageCache],
    counts: tuple[int, int],
    staging: Staging,
    meanwhile: Callable[[], None] = _nothing,
) -> OutputFiles:
    """Every file of the site: pages, JSON, deployment files and static assets; ``counts``: sources, entries.

    Pages are written straight into the ``staging`` folder; with ``pages`` (digests of the pages in
    the live output folder), unchanged pages are linked from there instead of rendered again, and
    ``pages`` is updated to the pages written now; the dev server's unchanged pages that the
    staging folder already holds (``held``) are kept there.
    """
    (pages, held), folder, previous = digests, staging.folder, staging.out_dir
    report = functools.cache(lambda: report_json(site, dedupe, *counts))  # built once, where needed
    output = OutputFiles()
    memo = cache.papers if cache.incremental else None
    report_text = functools.cache(lambda: to_json(report()))
    target = (
        RenderTarget(folder)
        if pages is None
        else RenderTarget(folder, pages, previous, None, {"report.html": report_text})
    )
    if memo is not None:
        memo.start_build()
        cache.blocks.start_build()
        parts = functools.cache(lambda: report_parts(site, dedupe, counts, memo))
        report_text = functools.cache(lambda: joined_report(parts()))
        report = functools.cache(
            lambda: parts().report | {"merged": parts().merged, "apart": parts().apart}
        )  # each merged paper and pair kept apart as its JSON text
        page_inputs = {"report.html": lambda: parts().digest_input()}
        target = RenderTarget(folder, pages, previous, memo, page_inputs, cache.blocks, True)
        target.held, target.keep_only, target.data_written = held, staging.keep_only, cache.data_written
    target.meanwhile = meanwhile
    data_files = {
        "papers.json": lambda: papers_json_chunks(site, memo),
        "report.json": report_text,
        "search-index.js": lambda: search_index(site, memo),
    }
    for path in render_pages(site, report, renderer, target, cache.rendered, data_files):
        output.add(path, None, path if path in data_files else "templates")
    for path, text in deployment_files(site).items():
        output.add(path, text, "deployment")
    output.add_tree(asset_dir("static"), "static", "static")
    return output
