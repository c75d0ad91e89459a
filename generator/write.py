"""Write the built site atomically, and only over a folder this tool wrote.

Files are gathered in an :class:`OutputFiles` first, which refuses to hold the
same path twice and lists every collision at once.  :func:`write_site` then
writes them into a temporary folder beside the output folder, adds a marker
file, and swaps it in with two renames; the previous output is removed only
after the swap succeeded.  A folder without the marker is never replaced.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath

from generator.errors import BuildError, Problem

MARKER = ".generator-output"
MARKER_TEXT = "This folder was written by the research-profile site generator; a build replaces it whole.\n"


class OutputFiles:
    """The files of one build, keyed by their POSIX path inside the output folder."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.origins: dict[str, str] = {}
        self.collisions: list[Problem] = []

    def add(self, path: str, content: str | bytes, origin: str) -> None:
        """Add one file; a second file at the same path is recorded as a collision."""
        _check_relative(path)
        if path in self.files:
            self.collisions.append(
                Problem(
                    origin,
                    1,
                    f"output path '{path}' is written twice",
                    f"it is already written by {self.origins[path]}; rename one of them",
                )
            )
            return
        self.files[path] = content.encode("utf-8") if isinstance(content, str) else content
        self.origins[path] = origin

    def add_tree(self, folder: Path, prefix: str, origin: str) -> None:
        """Add every file below ``folder`` under ``prefix/`` (sorted, hidden files skipped)."""
        for path in sorted(folder.rglob("*")):
            relative = path.relative_to(folder)
            if path.is_file() and not any(part.startswith(".") for part in relative.parts):
                self.add(f"{prefix}/{relative.as_posix()}", path.read_bytes(), f"{origin}/{relative.as_posix()}")


def _check_relative(path: str) -> None:
    pure = PurePosixPath(path)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts:
        raise ValueError(f"output path must stay inside the output folder: {path!r}")


def check_output_folder(out_dir: Path, seeds_dir: Path) -> None:
    """Refuse an output folder that holds the sources or files this tool did not write."""
    out, seeds = out_dir.resolve(), seeds_dir.resolve()
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
    if out_dir.is_dir() and any(out_dir.iterdir()) and not (out_dir / MARKER).is_file():
        raise BuildError(
            [
                Problem(
                    str(out_dir),
                    1,
                    f"refusing to replace a folder this tool did not write (no {MARKER} marker in it)",
                    "choose another --out, or empty or remove that folder yourself",
                )
            ]
        )


def write_site(output: OutputFiles, out_dir: Path) -> None:
    """Write ``output`` into ``out_dir`` atomically; the old output stays if anything fails."""
    if output.collisions:
        raise BuildError(output.collisions)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.build-", dir=out_dir.parent))
    try:
        _write_files(output.files, staging)
        (staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        _swap(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _write_files(files: dict[str, bytes], folder: Path) -> None:
    for relative, content in files.items():
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    os.chmod(folder, 0o755)


def _swap(staging: Path, out_dir: Path) -> None:
    """Put ``staging`` where ``out_dir`` is; delete the previous output only afterwards."""
    if not out_dir.exists():
        staging.rename(out_dir)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
    retired.rmdir()
    out_dir.rename(retired)
    try:
        staging.rename(out_dir)
    except OSError:
        retired.rename(out_dir)
        raise
    shutil.rmtree(retired)
