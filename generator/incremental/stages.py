"""The pipeline's stages, reusing what earlier builds made: :class:`IncrementalStages`.

Every build may use the disk cache (:mod:`.disk_cache`: parsed sources by content, the last
deduplication, compiled templates, the digests of the pages written); the dev server's builds also
keep, in memory, the sources whose files did not change, what dedupe decided (:mod:`.dedupe_memo`),
the merged papers (:mod:`.merge`), values derived from unchanged papers (:mod:`.kept_values`) and the
output before the live one, to write the next build into (the *spare*).  Each method overrides the
plain step of :class:`~generator.pipeline.Stages`, calling the same stage with what was kept; a
build gives the same site with or without them, which the tests check.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from itertools import compress, count
from operator import itemgetter, not_
from pathlib import Path

from generator.config.site import SiteConfig, apply_overrides, load_config
from generator.dedupe import deduplicate
from generator.errors import Problem
from generator.executor import LOCAL, Executor
from generator.incremental.cache_folder import CacheFolder
from generator.incremental.dedupe_memo import DedupeMemo, deduplicate_again
from generator.incremental.dedupe_record import restored_result, result_state
from generator.incremental.disk_cache import DiskCache
from generator.incremental.kept_values import PaperMemo, TextMemo
from generator.incremental.merge import MergeMemo, RememberedPapers
from generator.incremental.pages import PageCache, PageReuse, ReusingSiteWriter
from generator.incremental.template_cache import template_cache
from generator.merge import merge_site
from generator.merge.overrides import Override, Resolution, gives_identifier
from generator.model import Cluster, DedupeResult, Site, SourceDoc
from generator.output.files import Content, OutputFiles
from generator.output.staging import Staging, discard, write_site
from generator.pipeline import BuildOptions, Stages, resolve_overrides, shown_path
from generator.render import Rendered, render_site
from generator.render.environment import Renderer, asset_dir
from generator.sources.catalog import Catalog
from generator.sources.reading import FileStatus, ParsedSource, Reading, read_sources


@dataclass
class SpareOutput:
    """The dev server's copy of the output before the live one, and its pages' digests: the next
    build writes into it, keeping the pages it would write alike, instead of into an empty folder
    (no deleting the retired output, no linking every unchanged page again)."""

    folder: Path
    pages: PageCache


class IncrementalStages(Stages):
    """The stages with the disk cache at ``cache_dir`` (None: none); with ``dev_server``, also
    with what a long-running process keeps in memory between builds."""

    def __init__(self, cache_dir: Path | None, dev_server: bool = False, executor: Executor = LOCAL) -> None:
        super().__init__(executor)
        self.cache_dir = cache_dir
        self.dev_server = dev_server
        self.warnings: list[Problem] = []
        self.folder: CacheFolder | None = None
        self.store: DiskCache | None = None
        self.out_dir = Path()
        self.reading: Reading | None = None  # the last build's
        self.rendered: list[str] = []  # the page jobs the last build rendered (the others were reused)
        self.dedupe_restored = False  # did the last build restore its clusters from the disk cache?
        self.keep_dedupe: functools.partial[None] | None = None  # how to keep this build's clusters on disk
        self.pages: PageCache = {}  # the digests of the pages the live output holds (the dev server's)
        self.written_pages: PageCache | None = None  # this build's, to keep on disk
        self.live_pages: PageCache = {}
        self.spare: SpareOutput | None = None
        self.spare_used: SpareOutput | None = None
        # what the dev server keeps between builds
        self.sources: dict[str, ParsedSource] = {}
        self.config: tuple[tuple, SiteConfig] | None = None  # site.yaml's file status and what it gave
        self.dedupe_memo = DedupeMemo()
        self.resolved: tuple[DedupeResult, list[Override], Resolution] | None = None
        self.identified: dict[int, tuple[Cluster, bool]] = {}
        self.merge_memo = MergeMemo()
        self.papers = PaperMemo()
        self.blocks = TextMemo()
        self.data_written: dict[str, Content] = {}

    def begin(self, options: BuildOptions) -> None:
        self.warnings = []
        self.folder = CacheFolder.open(self.cache_dir, self.warnings)
        self.store = DiskCache.open(self.folder, options.seeds_dir)
        self.out_dir = options.out_dir
        self.keep_dedupe = None

    def notes(self) -> list[Problem]:
        return self.warnings

    def renderer(self) -> Renderer:
        return Renderer(asset_dir("templates"), template_cache(self.folder))

    def configure(self, options: BuildOptions) -> SiteConfig:
        """site.yaml as :meth:`Stages.configure` gives it; the dev server keeps it while the file is unchanged."""
        path = options.config_path
        key = _file_status(path) if self.dev_server and path is not None else None
        if key is None:  # a command-line build, no site.yaml, or an unreadable one (loading says why)
            return super().configure(options)
        if self.config is None or self.config[0] != key:
            self.config = (key, load_config(path, shown_path(path, options.seeds_dir)))  # type: ignore[arg-type]
        return apply_overrides(self.config[1], options.base_url, options.site_url)

    def read(self, seeds_dir: Path, catalog: Catalog, max_bytes: int, keep_going: bool) -> Reading:
        """Sources loaded from the disk cache by content; the dev server's kept in memory while their
        files are unchanged, and a file parsed again keeps the entry objects of its last parse
        wherever an entry is unchanged (later stages keep what they derived from an entry by its
        identity, so an edit of one paper leaves the other entries' work as it was)."""
        remembered = self._remembered if self.dev_server else None
        reading = read_sources(seeds_dir, catalog, max_bytes, keep_going, self.executor, remembered, self.store)
        if self.dev_server:
            now = {source.doc.path: source for source in reading.sources}
            for name in reading.parsed + reading.loaded:
                if name in self.sources:
                    keep_equal_entries(now[name].doc, self.sources[name].doc)
            self.sources = now
        self.reading = reading
        return reading

    @property
    def parsed(self) -> list[str]:
        """The sources the last build parsed (the others were kept in memory or loaded from disk)."""
        return self.reading.parsed if self.reading is not None else []

    @property
    def loaded(self) -> list[str]:
        """The sources the last build loaded from the disk cache."""
        return self.reading.loaded if self.reading is not None else []

    def _remembered(self, name: str, status: FileStatus) -> ParsedSource | None:
        source = self.sources.get(name)
        return source if source is not None and source.fingerprint == status else None

    def deduplicate(self, sources: list[ParsedSource]) -> DedupeResult:
        """The dev server's dedupe redoes only what changed (:mod:`.dedupe_memo`); a build whose
        sources are all as the last build's restores its clusters from disk."""
        entries = [entry for source in sources for entry in source.doc.entries]
        prepared = [source.prepared for source in sources]
        self.dedupe_restored = False
        if self.dev_server:
            return deduplicate_again(entries, prepared, self.dedupe_memo)
        if self.store is None:
            return deduplicate(entries, prepared, self.executor)
        digest = self.store.sources_digest([source.key for source in sources])
        state = self.store.load_result(digest) if digest else None
        restored = restored_result(state, entries) if state is not None else None  # type: ignore[arg-type]
        if restored is not None:
            self.dedupe_restored = True
            return restored
        result = deduplicate(entries, prepared, self.executor)
        if digest:  # kept while workers render the pages, before this process takes its share
            self.keep_dedupe = functools.partial(_keep_result, self.store, digest, result, entries)
        return result

    def resolve(self, overrides: list[Override], dedupe: DedupeResult) -> Resolution:
        """The dev server's last resolution, the very object, when its clusters are the last build's
        (the same dedupe result) and the overrides are as they were."""
        if not self.dev_server:
            return super().resolve(overrides, dedupe)
        last = self.resolved
        if last is not None and last[0] is dedupe and last[1] == overrides:
            return last[2]
        resolution = resolve_overrides(overrides, dedupe, self._identified_clusters(dedupe.clusters))
        self.resolved = (dedupe, overrides, resolution)
        return resolution

    def _identified_clusters(self, clusters: list[Cluster]) -> list[int]:
        """The clusters giving an identifier (:func:`gives_identifier`), looked at again only for a
        cluster that is not the very object the last build had."""
        found = list(map(self.identified.get, map(id, clusters)))
        for index in compress(count(), map(not_, found)):
            found[index] = (clusters[index], gives_identifier(clusters[index]))  # holding it keeps its id unique
        self.identified = dict(zip(map(id, clusters), found, strict=True))
        return list(compress(count(), map(itemgetter(1), found)))

    def merge(
        self, config: SiteConfig, catalog: Catalog, docs: list[SourceDoc], resolution: Resolution, bios: dict[str, str]
    ) -> Site:
        papers = RememberedPapers(self.merge_memo) if self.dev_server else None
        return merge_site(config, catalog, docs, resolution, bios, papers)

    def staging(self, out_dir: Path) -> Staging:
        """The dev server writes into its spare copy of the output before the live one (which it
        takes, and which goes with a failed build)."""
        if not self.dev_server:
            return super().staging(out_dir)
        self.spare_used, self.spare = self.spare, None
        return Staging(out_dir, self.spare_used.folder if self.spare_used else None, keep_spare=True)

    def render(
        self, site: Site, dedupe: DedupeResult, counts: tuple[int, int], renderer: Renderer, staging: Staging
    ) -> Rendered:
        """Pages whose inputs did not change linked from the live output (by the digests kept in
        memory, or on disk); the dev server's data files from remembered parts."""
        rendered = self._render(site, dedupe, counts, renderer, staging)
        self.rendered = rendered.rendered
        return rendered

    def _render(
        self, site: Site, dedupe: DedupeResult, counts: tuple[int, int], renderer: Renderer, staging: Staging
    ) -> Rendered:
        pages = self._kept_pages()
        self.written_pages = pages
        if pages is None:
            return super().render(site, dedupe, counts, renderer, staging)
        self.live_pages = dict(pages)  # once swapped out, the live output is the next spare
        reuse = PageReuse(self.out_dir, pages, meanwhile=self.keep_dedupe)
        if self.dev_server:
            spare = self.spare_used
            reuse.papers, reuse.blocks, reuse.data_written = self.papers, self.blocks, self.data_written
            reuse.held = spare.pages if spare is not None and staging.held else {}
            reuse.keep_only = staging.keep_only
        writer = functools.partial(ReusingSiteWriter, reuse=reuse)
        return render_site(site, dedupe, counts, renderer, staging.folder, self.executor, writer)

    def _kept_pages(self) -> PageCache | None:
        """The digests by which unchanged pages are linked instead of rendered: the dev server's
        (first filled from disk), else those the last build of the output kept on disk; None
        without a disk cache."""
        if self.dev_server:
            if not self.pages and self.store is not None:
                self.pages.update(self.store.load_pages(self.out_dir))
            return self.pages
        return self.store.load_pages(self.out_dir) if self.store is not None else None

    def write(self, files: OutputFiles, staging: Staging) -> None:
        """The output swapped in; the dev server keeps the retired one as its next spare; the pages'
        digests kept on disk for the next build."""
        write_site(files, staging)
        if self.dev_server:
            self.spare = SpareOutput(staging.spare, self.live_pages) if staging.spare is not None else None
        if self.store is not None and self.written_pages is not None:
            self.store.save_pages(self.out_dir, self.written_pages)

    def close(self) -> None:
        """Remove the copy of the previous output the dev server kept (any later build would)."""
        if self.spare is not None:
            discard(self.spare.folder)
            self.spare = None


def keep_equal_entries(doc: SourceDoc, before: SourceDoc) -> None:
    """Give ``doc`` (a file parsed again) the entry objects of its last parse wherever an entry is
    equal to the one at the same place."""
    old = before.entries
    doc.entries = [old[i] if i < len(old) and old[i] == entry else entry for i, entry in enumerate(doc.entries)]


def _keep_result(store: DiskCache, digest: str, result: DedupeResult, entries: list) -> None:
    store.save_result(digest, result_state(result, entries))


def _file_status(path: Path) -> tuple | None:
    """What changes when a file is saved again: path, modification time, size, inode (None: unreadable)."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return path, stat.st_mtime_ns, stat.st_size, stat.st_ino
