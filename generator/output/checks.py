"""Which output folders a build may replace: never the home folder, the current folder or one
above them, never one overlapping the sources, never one holding a file this tool did not write.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from generator.errors import BuildError, Problem
from generator.files import real_path
from generator.output.files import MARKER, manifest


def check_output_path(out_dir: Path, seeds_dir: Path) -> None:
    """Refuse an output path that is a protected folder (home, the current folder, one above
    them), overlaps the sources or is not a folder (checked before anything is made beside it)."""
    out, seeds = real_path(out_dir), real_path(seeds_dir)
    protected = {real_path(Path.home()): "your home folder", real_path(Path.cwd()): "the current (project) folder"}
    for folder, what in protected.items():
        if out == folder or out in folder.parents:
            raise BuildError(
                [
                    Problem(
                        str(out_dir),
                        1,
                        f"the output folder may not be {what} or a folder above it",
                        "choose a dedicated folder, e.g. --out output",
                    )
                ]
            )
    if out == seeds or out in seeds.parents or seeds in out.parents:
        raise BuildError(
            [
                Problem(
                    str(out_dir),
                    1,
                    "the output folder overlaps the seeds folder",
                    "choose an output folder beside the sources, e.g. --out output",
                )
            ]
        )
    if out_dir.exists() and not out_dir.is_dir():
        raise BuildError(
            [
                Problem(
                    str(out_dir),
                    1,
                    "the output path exists and is not a folder",
                    "choose another --out or move that file away",
                )
            ]
        )


def check_output_contents(out_dir: Path) -> None:
    """Refuse an output folder holding files this tool did not write."""
    foreign = foreign_files(out_dir) if out_dir.is_dir() else []
    if foreign:
        shown = foreign[:10] + ([f"… and {len(foreign) - 10} more"] if len(foreign) > 10 else [])
        raise BuildError(
            [
                Problem(
                    str(out_dir),
                    1,
                    "refusing to replace a folder holding files this tool did not write",
                    "choose another --out, or move those files away yourself",
                    tuple(shown),
                )
            ]
        )


def foreign_files(out_dir: Path) -> list[str]:
    """Files in ``out_dir`` that the last build did not write (all of them when there is no marker)."""
    present = sorted(files_below(os.fspath(out_dir)))
    if not (out_dir / MARKER).is_file():
        return present
    written = manifest(out_dir) | {MARKER}
    return [name for name in present if name not in written]


def files_below(folder: str, prefix: str = "") -> Iterator[str]:
    """Relative paths (after ``prefix``) of everything below ``folder`` but folders (links to
    folders not followed)."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                yield from files_below(entry.path, prefix + entry.name + "/")
            else:
                yield prefix + entry.name
