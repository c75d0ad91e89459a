"""Which source files the build reads, and whose profile each one feeds.

With a ``site.yaml`` every profile names its files by globs relative to the
seeds folder; a glob that matches nothing and a source that no profile claims
are errors.  Without one, every source file is a profile of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator.config import SiteConfig
from generator.errors import Problem, fail_if_any
from generator.sources import SOURCE_SUFFIXES


@dataclass
class Catalog:
    """Source files (relative POSIX paths, sorted) and the profile slugs each belongs to."""

    files: list[str]
    owners: dict[str, list[str]]


def find_source_files(seeds_dir: Path) -> list[str]:
    """Every source file below ``seeds_dir`` (hidden files and folders skipped), sorted."""
    found = []
    for path in seeds_dir.rglob("*"):
        relative = path.relative_to(seeds_dir)
        readable_or_broken = path.is_file() or path.is_symlink()  # a broken link is reported, not skipped
        if readable_or_broken and path.suffix.lower() in SOURCE_SUFFIXES and not _hidden(relative):
            found.append(relative.as_posix())
    return sorted(found)


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)


def build_catalog(seeds_dir: Path, config: SiteConfig) -> Catalog:
    """Match the profiles' globs against the seeds folder."""
    source_files = find_source_files(seeds_dir)
    if not config.declared:
        return Catalog(source_files, {name: [] for name in source_files})
    problems: list[Problem] = []
    owners: dict[str, list[str]] = {}
    for profile in config.profiles:
        for pattern, line in zip(profile.sources, profile.source_lines, strict=False):
            matched = _glob(seeds_dir, pattern, config.path, line, problems)
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
    return Catalog(sorted(owners), {name: sorted(set(slugs)) for name, slugs in owners.items()})


def _glob(seeds_dir: Path, pattern: str, config_path: str, line: int, problems: list[Problem]) -> list[str]:
    pure = PurePosixPath(pattern)
    if pure.is_absolute() or ".." in pure.parts:
        problems.append(
            Problem(
                config_path,
                line,
                f"source glob '{pattern}' leaves the seeds folder",
                "globs are relative to the seeds folder, e.g. '000_*.txt'",
            )
        )
        return []
    matched = sorted(
        path.relative_to(seeds_dir).as_posix()
        for path in seeds_dir.glob(pattern)
        if path.is_file() and not _hidden(path.relative_to(seeds_dir))
    )
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
