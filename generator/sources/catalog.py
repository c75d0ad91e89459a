"""Which source files the build reads, and whose profile each one feeds.

With a ``site.yaml`` every profile names its files by globs relative to the
seeds folder; a glob that matches nothing and a source that no profile claims
are errors.  Without one, every source file is a profile of its own.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from generator.config.site import SiteConfig
from generator.errors import Problem, fail_if_any
from generator.sources.formats import SOURCE_SUFFIXES


@dataclass
class Catalog:
    """Source files (relative POSIX paths, sorted), the profile slugs each belongs to, and the
    links to files outside the seeds folder that were left alone."""

    files: list[str]
    owners: dict[str, list[str]]
    warnings: list[Problem] = field(default_factory=list)


@dataclass
class SeedFiles:
    """One listing of the seeds folder: every visible file (sorted; unreadable ones too, a broken
    link or a named pipe among them, so that reading reports them), and the links to files
    outside the folder, which are not listed."""

    names: list[str]
    outside: list[str] = field(default_factory=list)

    def sources(self) -> list[str]:
        """Files with a source suffix."""
        return [name for name in self.names if os.path.splitext(name)[1].lower() in SOURCE_SUFFIXES]

    def matching(self, pattern: str) -> list[str]:
        """Files matching a glob, as ``Path.glob`` would, without listing the folder again.

        Only names starting with the pattern's literal prefix are tested, so a thousand profiles'
        globs against a thousand files stay cheap.
        """
        prefix = LITERAL_PREFIX.match(pattern).group()
        start = bisect.bisect_left(self.names, prefix)
        matches = _star_matcher(pattern) or glob_regex(pattern).fullmatch
        matched = []
        for name in itertools.islice(self.names, start, None):
            if not name.startswith(prefix):
                break
            if matches(name):
                matched.append(name)
        return matched


def _star_matcher(pattern: str) -> Callable[[str], bool] | None:
    """For a glob of one folder level whose only wildcard is ``*`` (``p0042_*.txt``, the usual
    kind), a test that needs no regular expression compiled (at a thousand profiles, compiling
    them took longer than listing the folder); None for any other glob."""
    if "/" in pattern or "?" in pattern or "[" in pattern:
        return None
    return functools.partial(_star_match, pattern.split("*"))


def _star_match(pieces: list[str], name: str) -> bool:
    """Is ``name`` a file at the top of the folder, made of ``pieces`` in order with anything
    (but a folder separator) between them, starting with the first piece and ending with the last?"""
    if "/" in name:
        return False
    if len(pieces) == 1:
        return name == pieces[0]
    first, *middle, last = pieces
    if len(name) < len(first) + len(last) or not name.startswith(first) or not name.endswith(last):
        return False
    position, end = len(first), len(name) - len(last)
    for piece in middle:
        position = name.find(piece, position, end)
        if position < 0:
            return False
        position += len(piece)
    return True


LITERAL_PREFIX = re.compile(r"[^*?\[]*")


def list_seed_files(seeds_dir: Path, follow_links_outside: bool = False) -> SeedFiles:
    """Every file below ``seeds_dir``, hidden files and folders skipped, links to folders not
    followed; links to files outside ``seeds_dir`` set apart unless ``follow_links_outside``."""
    listing = SeedFiles([])
    inside = None if follow_links_outside else os.path.realpath(seeds_dir)
    _list_folder(os.fspath(seeds_dir), "", listing, inside)
    listing.names.sort()
    return listing


def _list_folder(folder: str, prefix: str, listing: SeedFiles, inside: str | None) -> None:
    """Add the visible files below ``folder`` (``prefix``: its relative path, with a final slash);
    ``inside``: the real seeds folder that links must stay in (None: links may lead anywhere)."""
    try:
        scan = os.scandir(folder)
    except OSError:  # an unreadable folder is skipped, as a glob skips it
        return
    with scan as entries:
        for entry in entries:
            if entry.name.startswith("."):
                continue
            relative = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                _list_folder(entry.path, relative + "/", listing, inside)
            elif not entry.is_symlink():
                listing.names.append(relative)
            elif inside is not None and _leads_outside(entry.path, inside):
                listing.outside.append(relative)
            elif not _is_folder(entry.path):
                listing.names.append(relative)


def _leads_outside(link: str, inside: str) -> bool:
    target = os.path.realpath(link)
    return os.path.commonpath([target, inside]) != inside


def _is_folder(path: str) -> bool:
    """Does ``path`` lead to a folder (False for a broken link or a loop)?"""
    try:
        return os.path.isdir(path)
    except OSError:
        return False


@functools.lru_cache(maxsize=65536)  # a dev server sees each profile's globs on every build
def glob_regex(pattern: str) -> re.Pattern[str]:
    """A glob as a regular expression over relative POSIX paths: ``*`` and ``?`` stay within one
    folder, ``[...]`` is a character class, a ``**`` segment spans any number of folders."""
    pieces = []
    for segment in pattern.split("/"):
        pieces.append("(?:[^/]+/)*" if segment == "**" else _segment_regex(segment) + "/")
    return re.compile("".join(pieces).removesuffix("/"))


def _segment_regex(segment: str) -> str:
    out, index = [], 0
    while index < len(segment):
        char = segment[index]
        close = segment.find("]", index + 2) if char == "[" else -1
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif close != -1:
            members = segment[index + 1 : close]
            negated = members.startswith("!")
            members = re.escape(members[1:] if negated else members).replace("\\-", "-")
            out.append(f"[{'^/' if negated else ''}{members}]")
            index = close
        else:
            out.append(re.escape(char))
        index += 1
    return "".join(out)


def build_catalog(seeds_dir: Path, config: SiteConfig) -> Catalog:
    """Match the profiles' globs against the seeds folder."""
    listing = list_seed_files(seeds_dir, config.follow_links_outside)
    warnings = [_outside_warning(name, config.path) for name in listing.outside]
    source_files = listing.sources()
    if not config.declared:
        return Catalog(source_files, {name: [] for name in source_files}, warnings)
    problems: list[Problem] = []
    owners: dict[str, list[str]] = {}
    for profile in config.profiles:
        for pattern, line in zip(profile.sources, profile.source_lines, strict=False):
            matched = _glob(listing, pattern, (config.path, line), problems, seeds_dir)
            for name in matched:
                owners.setdefault(name, []).append(profile.slug)
    for name in source_files:
        if name not in owners:
            problems.append(
                Problem(
                    name,
                    1,
                    "source matched by no profile in site.yaml",
                    (f"add it to a profile's 'sources' in {config.path}, or move it out of the seeds folder"),
                )
            )
    fail_if_any(problems)
    return Catalog(sorted(owners), {name: sorted(set(slugs)) for name, slugs in owners.items()}, warnings)


def _outside_warning(name: str, config_path: str) -> Problem:
    return Problem(
        name,
        1,
        "a link to a file outside the seeds folder: not read",
        f"copy the file into the seeds folder, or set 'follow_links_outside: true' in {config_path or 'site.yaml'}",
    )


def _glob(
    listing: SeedFiles, pattern: str, where: tuple[str, int], problems: list[Problem], seeds_dir: Path
) -> list[str]:
    config_path, line = where
    if pattern.startswith("/") or ".." in pattern.split("/"):
        problems.append(
            Problem(
                config_path,
                line,
                f"source glob '{pattern}' leaves the seeds folder",
                "globs are relative to the seeds folder, e.g. '000_*.txt'",
            )
        )
        return []
    matched = listing.matching(pattern)
    if not matched:
        problems.append(
            Problem(
                config_path,
                line,
                f"source glob '{pattern}' matches no file",
                f"globs are relative to the seeds folder {seeds_dir}",
            )
        )
    return matched
