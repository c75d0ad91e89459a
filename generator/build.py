"""The build pipeline: sources in, a site out, one named step per line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.catalog import Catalog, build_catalog
from generator.config import load_config
from generator.dedupe import DedupeResult, deduplicate
from generator.errors import BuildError, Problem
from generator.export import papers_json, report_json, to_json
from generator.merge import merge_site
from generator.model import Entry, Site, SourceDoc
from generator.render import Renderer, render_pages
from generator.sources import parse_source
from generator.write import OutputFiles, check_output_folder, write_site

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


def asset_dir(name: str) -> Path:
    """``templates`` or ``static``: inside the installed package, else at the project root."""
    for candidate in (PACKAGE_DIR / name, PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the generator's {name}/ folder is missing (looked beside {PACKAGE_DIR})")


def default_config_path(seeds_dir: Path) -> Path | None:
    """``seeds/site.yaml`` when it exists."""
    candidate = seeds_dir / "site.yaml"
    return candidate if candidate.is_file() else None


def build(seeds_dir: Path, out_dir: Path, config_path: Path | None = None) -> BuildSummary:
    """Build the site from ``seeds_dir`` into ``out_dir``; raise :class:`BuildError` on bad input."""
    _check_seeds(seeds_dir)
    check_output_folder(out_dir, seeds_dir)
    renderer = Renderer(asset_dir("templates"))
    config = load_config(config_path, shown_path(config_path, seeds_dir) if config_path else "")
    catalog = build_catalog(seeds_dir, config)
    docs = parse_sources(seeds_dir, catalog)
    entries = all_entries(docs)
    dedupe = deduplicate(entries)
    site = merge_site(config, catalog, docs, dedupe.clusters)
    output = assemble_output(site, dedupe, renderer, len(docs), len(entries))
    write_site(output, out_dir)
    return BuildSummary(len(docs), len(entries), len(site.papers), len(site.profiles), site.warnings, len(output.files))


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
        return path.resolve().relative_to(seeds_dir.resolve()).as_posix()
    except ValueError:
        return str(path)


def parse_sources(seeds_dir: Path, catalog: Catalog) -> list[SourceDoc]:
    """Parse every catalogued source; collect the problems of all files before failing."""
    docs, problems = [], []
    for name in catalog.files:
        try:
            docs.append(parse_source(seeds_dir / name, name))
        except BuildError as error:
            problems += error.problems
    if problems:
        raise BuildError(problems)
    return docs


def all_entries(docs: list[SourceDoc]) -> list[Entry]:
    return [entry for doc in docs for entry in doc.entries]


def assemble_output(site: Site, dedupe: DedupeResult, renderer: Renderer, sources: int, entries: int) -> OutputFiles:
    """Every file of the site: pages, JSON and static assets."""
    report = report_json(site, dedupe, sources, entries)
    output = OutputFiles()
    for path, html in render_pages(site, report, renderer).items():
        output.add(path, html, "templates")
    output.add("papers.json", to_json(papers_json(site)), "papers.json")
    output.add("report.json", to_json(report), "report.json")
    output.add_tree(asset_dir("static"), "static", "static")
    return output
