"""The build: sources in, a site out, one stage per line.

    configure → catalogue → read → deduplicate → resolve overrides → merge → render → write

Each stage is a package with one job and plain data in and out (see docs/architecture.md).
:class:`Stages` runs each stage as it is: nothing is kept between builds.  The incremental layer's
subclass, :class:`generator.incremental.stages.IncrementalStages`, reuses what earlier builds made (the
disk cache, the dev server's memory); a build gives the same site either way.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from generator.config.site import SiteConfig, apply_overrides, load_config
from generator.dedupe import deduplicate
from generator.errors import BuildError, Problem, fail_if_any
from generator.executor import LOCAL, Executor
from generator.files import filesystem_problem, real_path
from generator.memory import without_cycle_collection
from generator.merge import merge_site
from generator.merge.attachments import attach_files
from generator.merge.bios import bio_files, load_bios, stray_bio_files
from generator.merge.fields import cluster_title
from generator.merge.overrides import OVERRIDES_FILE, Override, Resolution, load_overrides, resolve
from generator.merge.photos import attach_photos
from generator.merge.profiles import configured_bios, profile_slugs
from generator.model import Cluster, DedupeResult, Site, SourceDoc
from generator.output.checks import check_output_contents, check_output_path
from generator.output.files import OutputFiles
from generator.output.lock import locked_output
from generator.output.staging import Staging, write_site
from generator.render import Rendered, render_site
from generator.render.environment import Renderer, asset_dir
from generator.sources.catalog import Catalog, build_catalog
from generator.sources.reading import ParsedSource, Reading, read_sources
from generator.text.normalize import unique_slugs


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
    parsed: list[str] = field(default_factory=list)  # the sources parsed now (the others were reused)
    rendered: list[str] = field(default_factory=list)  # the pages rendered now (the others were reused)


def build(options: BuildOptions, stages: Stages | None = None) -> BuildSummary:
    """Build the site; raise :class:`BuildError` on bad input, leaving the previous output as it was.
    One build at a time writes an output folder: another waits for it (or, without
    ``options.wait``, fails at once)."""
    try:
        _check_seeds(options.seeds_dir)
        check_output_path(options.out_dir, options.seeds_dir)
        with locked_output(options.out_dir, options.wait), without_cycle_collection():
            return _build(options, stages or Stages())
    except OSError as error:  # the disk full, a read-only or forbidden folder, a link loop…
        raise BuildError([filesystem_problem(error, options.out_dir)]) from None


def _build(options: BuildOptions, stages: Stages) -> BuildSummary:
    laps = Laps()
    check_output_contents(options.out_dir)
    stages.begin(options)
    renderer = stages.renderer()  # every template compiled: a broken one fails before anything is read
    config = stages.configure(options)
    catalog = build_catalog(options.seeds_dir, config)
    reading = stages.read(options.seeds_dir, catalog, config.max_source_mb * 1_000_000, options.keep_going)
    docs = [source.doc for source in reading.sources]
    laps.mark("parse")
    dedupe = stages.deduplicate(reading.sources)
    laps.mark("dedupe")
    slugs, bio_names = profile_slugs(config, docs), bio_files(options.seeds_dir)
    resolution = _resolve(stages, *load_overrides(options.seeds_dir / OVERRIDES_FILE, slugs), dedupe)
    bios = load_bios(options.seeds_dir, configured_bios(config, slugs), bio_names)
    site = stages.merge(config, catalog, docs, resolution, bios)
    fail_if_any(attach_photos(site, config, options.seeds_dir))
    attached = attach_files(site, options.seeds_dir)
    site.warnings = catalog.warnings + reading.skipped + site.warnings + attached + stray_bio_files(bio_names, slugs)
    laps.mark("merge")
    counts = (len(docs), sum(len(doc.entries) for doc in docs))  # sources, entries
    with stages.staging(options.out_dir) as staging:
        rendered = stages.render(site, dedupe, counts, renderer, staging)
        laps.mark("render")  # pages are written into the staging folder as they are rendered
        stages.write(rendered.files, staging)
        laps.mark("write")
    return _summary(reading, counts, site, rendered, stages.notes(), laps)


def _summary(
    reading: Reading, counts: tuple[int, int], site: Site, rendered: Rendered, notes: list[Problem], laps: Laps
) -> BuildSummary:
    return BuildSummary(
        sources=counts[0],
        entries=counts[1],
        papers=len(site.papers),
        profiles=len(site.profiles),
        warnings=notes + site.warnings,  # the stages' notes are about this machine: not in the site's report
        files=len(rendered.files.files),
        timings=laps.times,
        site=site,
        parsed=reading.parsed,
        rendered=rendered.rendered,
    )


class Stages:
    """How the build runs each stage: as the stage is, reusing nothing.  The incremental layer's
    subclass overrides these methods (each calls the same stage, offering it what was kept)."""

    def __init__(self, executor: Executor = LOCAL) -> None:
        self.executor = executor

    def begin(self, options: BuildOptions) -> None:
        """A build starts (the incremental layer opens its caches here)."""

    def notes(self) -> list[Problem]:
        """Warnings about this machine rather than the sources (the incremental layer's cache)."""
        return []

    def renderer(self) -> Renderer:
        return Renderer(asset_dir("templates"))

    def configure(self, options: BuildOptions) -> SiteConfig:
        """site.yaml, validated, with the command line's overrides."""
        return apply_overrides(load_site_config(options), options.base_url, options.site_url)

    def read(self, seeds_dir: Path, catalog: Catalog, max_bytes: int, keep_going: bool) -> Reading:
        return read_sources(seeds_dir, catalog, max_bytes, keep_going, self.executor)

    def deduplicate(self, sources: list[ParsedSource]) -> DedupeResult:
        entries = [entry for source in sources for entry in source.doc.entries]
        return deduplicate(entries, [source.prepared for source in sources], self.executor)

    def resolve(self, overrides: list[Override], dedupe: DedupeResult) -> Resolution:
        """The papers.yaml overrides attached to the clusters they name."""
        return resolve_overrides(overrides, dedupe)

    def merge(
        self, config: SiteConfig, catalog: Catalog, docs: list[SourceDoc], resolution: Resolution, bios: dict[str, str]
    ) -> Site:
        return merge_site(config, catalog, docs, resolution, bios)

    def staging(self, out_dir: Path) -> Staging:
        """The folder the site is written into, beside the output folder."""
        return Staging(out_dir)

    def render(
        self, site: Site, dedupe: DedupeResult, counts: tuple[int, int], renderer: Renderer, staging: Staging
    ) -> Rendered:
        return render_site(site, dedupe, counts, renderer, staging.folder, self.executor)

    def write(self, files: OutputFiles, staging: Staging) -> None:
        """Finish the staging folder and swap it in for the output folder."""
        write_site(files, staging)


def resolve_overrides(
    overrides: list[Override], dedupe: DedupeResult, identified: list[int] | None = None
) -> Resolution:
    """The overrides resolved against the clusters (``identified``: the clusters giving an
    identifier, when already known), with the pairs dedupe judged versions of one work."""
    resolution = resolve(overrides, dedupe.clusters, plain_ids, identified)
    resolution.related = [(decision.left, decision.right) for decision in dedupe.related]
    return resolution


def plain_ids(clusters: list[Cluster]) -> list[str]:
    """The ids the clusters' papers would get without overrides."""
    return unique_slugs([cluster_title(cluster) for cluster in clusters])


def default_config_path(seeds_dir: Path) -> Path | None:
    """``seeds/site.yaml`` when there is anything by that name (a broken link or a named pipe too:
    reading it says what is wrong, instead of building as if there were no configuration)."""
    candidate = seeds_dir / "site.yaml"
    return candidate if os.path.lexists(candidate) else None


def load_site_config(options: BuildOptions) -> SiteConfig:
    """site.yaml, loaded and validated (defaults without one)."""
    path = options.config_path
    return load_config(path, shown_path(path, options.seeds_dir)) if path is not None else load_config(None, "")


def shown_path(path: Path, seeds_dir: Path) -> str:
    """How error messages name a file: relative to the seeds folder when inside it."""
    try:
        return real_path(path).relative_to(real_path(seeds_dir)).as_posix()
    except ValueError:
        return str(path)


def _resolve(stages: Stages, overrides: list[Override], problems: list[Problem], dedupe: DedupeResult) -> Resolution:
    """The well-formed papers.yaml overrides resolved; every papers.yaml problem reported at once,
    those of its form (``problems``) with those of what its items name."""
    try:
        resolution = stages.resolve(overrides, dedupe)
    except BuildError as error:
        raise BuildError(problems + error.problems) from None
    fail_if_any(problems)
    return resolution


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


class Laps:
    """Wall time of each pipeline stage, for the benchmark and the dev server."""

    def __init__(self) -> None:
        self.times: dict[str, float] = {}
        self.last = time.perf_counter()

    def mark(self, stage: str) -> None:
        now = time.perf_counter()
        self.times[stage] = round(now - self.last, 4)
        self.last = now
