"""Profile bios: Markdown from ``site.yaml`` (``bio:``) or ``seeds/<slug>.md``, rendered and sanitised.

The Markdown is rendered with the markdown package, then cleaned with nh3
(the Rust ammonia sanitiser): only text-level tags survive, links keep
http(s)/mailto targets only and get ``rel="noopener noreferrer nofollow"``.
Raw HTML or scripts in a bio never reach the page.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import TYPE_CHECKING

import nh3

from generator.errors import BuildError, Problem
from generator.files import read_user_file

if TYPE_CHECKING:
    import markdown

ALLOWED_TAGS = {"p", "a", "em", "strong", "code", "pre", "ul", "ol", "li", "blockquote", "br", "h3", "h4", "hr"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}
MAX_BIO_BYTES = 1_000_000


@functools.cache
def _converter() -> markdown.Markdown:
    """One Markdown converter for every bio (reset before each): making one, and finding an extension
    by its name among the installed packages, costs a millisecond or more a time.  (Markdown is
    loaded here, for sites with bios only.)"""
    import markdown
    from markdown.extensions.sane_lists import SaneListExtension

    return markdown.Markdown(extensions=[SaneListExtension()], output_format="html")


def render_bio(text: str) -> str:
    """Markdown → sanitised HTML (headings are shifted down so the page keeps one h1)."""
    html = _converter().reset().convert(text)
    html = html.replace("<h1>", "<h3>").replace("</h1>", "</h3>").replace("<h2>", "<h3>").replace("</h2>", "</h3>")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    ).strip()


def bio_file(seeds_dir: Path, slug: str) -> Path:
    return seeds_dir / f"{slug}.md"


def bio_files(seeds_dir: Path) -> set[str]:
    """The names of the ``*.md`` files in the seeds folder (listed once, not looked up per profile;
    whether one can be read is said when it is read)."""
    try:
        with os.scandir(seeds_dir) as entries:
            return {e.name for e in entries if e.name.endswith(".md") and not e.name.startswith(".")}
    except OSError:
        return set()


def load_bios(seeds_dir: Path, configured: dict[str, str], present: set[str]) -> dict[str, str]:
    """Slug → sanitised bio HTML: ``bio:`` from site.yaml, else ``seeds/<slug>.md`` when it is
    among the ``present`` files (:func:`bio_files`)."""
    bios = {}
    for slug, text in configured.items():
        path = bio_file(seeds_dir, slug)
        if not text and path.name in present:
            text = _read(path)
        if text.strip():
            bios[slug] = render_bio(text)
    return bios


def _read(path: Path) -> str:
    def too_large(size: int) -> Problem:
        return Problem(path.name, 1, f"bio is {size // 1000} kB, over {MAX_BIO_BYTES // 1000} kB", "shorten it")

    try:
        return read_user_file(path, path.name, MAX_BIO_BYTES, too_large).decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BuildError([Problem(path.name, 1, f"cannot read bio: {error}", "save it as UTF-8 Markdown")]) from None


def stray_bio_files(present: set[str], slugs: list[str]) -> list[Problem]:
    """The ``present`` ``*.md`` files (:func:`bio_files`) that name no profile (README.md excepted)."""
    known = set(slugs)
    return [
        Problem(
            name,
            1,
            f"bio file matches no profile slug ({', '.join(slugs)})",
            "name it <slug>.md after a profile in site.yaml",
        )
        for name in sorted(present)
        if name.removesuffix(".md") not in known and name.lower() != "readme.md"
    ]
