"""The render stage: the site model to HTML and data files, written into a folder.

:func:`render_site` is the stage.  Pages are rendered by Jinja (:mod:`.environment`: autoescape,
``StrictUndefined``) from one context builder per page kind (:mod:`.profile_page`, whose cards
:mod:`.cards` makes; :mod:`.site_pages` for the index, the report, the 404 page and the sitemap);
the data files are ``papers.json`` (:mod:`.data_files`), ``report.json`` (:mod:`.report_data`)
and ``search-index.js`` (:mod:`.search`).  Links are relative to the page, so the site works from
``file://`` and under any prefix.  How pages are written is one interface, :class:`SiteWriter`
(:mod:`.pages`), which the incremental layer subclasses to reuse unchanged pages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator.executor import LOCAL, Executor
from generator.model import DedupeResult, Site
from generator.output.files import OutputFiles
from generator.render.environment import Renderer, asset_dir
from generator.render.pages import SiteWriter
from generator.render.photos import sized_photo
from generator.render.site_pages import deployment_files

WriterFactory = Callable[[Site, DedupeResult, tuple[int, int], Renderer, Path], SiteWriter]


@dataclass
class Rendered:
    """Every file of the site (pages and data files already written into the folder; deployment
    files and static assets still to write), and which page jobs were rendered now."""

    files: OutputFiles
    rendered: list[str]


def render_site(
    site: Site,
    dedupe: DedupeResult,
    counts: tuple[int, int],
    renderer: Renderer,
    folder: Path,
    executor: Executor = LOCAL,
    writer: WriterFactory = SiteWriter,
) -> Rendered:
    """Write every page and data file of ``site`` into ``folder`` (``counts``: sources, entries,
    for the report); list every file of the site."""
    site_writer = writer(site, dedupe, counts, renderer, folder)
    results = site_writer.write_all(executor)
    output = OutputFiles()
    data_files = site_writer.data_files()
    for path in sorted(path for _, _, files, _ in results for path in files):
        output.add(path, None, path if path in data_files else "templates")
    for path, text in deployment_files(site).items():
        output.add(path, text, "deployment")
    for path, source in sorted(site.files.items()):
        output.add(path, source.read_bytes(), f"a file a paper links ({source.name})")
    for path, source in sorted(site.photos.items()):
        output.add(path, sized_photo(source, path), f"a profile's photo ({source.name})")
    output.add_tree(asset_dir("static"), "static", "static")
    return Rendered(output, [job for job, _, _, fresh in results if fresh])
