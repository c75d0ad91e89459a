"""The files of one build: each path once (a second file at one path is a collision, and every
collision is listed at once), written into a folder, and the ownership marker that lists them.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice
from pathlib import Path

from generator.errors import Problem

MARKER = ".generator-output"


WRITE_BATCH = 1024  # chunks of a chunked file joined per write


WRITE_BUFFER = 1 << 20  # bytes: writing a large file in 8 KiB pieces costs twice the time


MARKER_HEADER = (
    "# Written by the research-profile site generator; a build replaces this folder whole.\n"
    "# The files it wrote (a folder holding any other file is never replaced):\n"
)


class OutputFiles:
    """The files of one build, keyed by their POSIX path inside the output folder."""

    def __init__(self) -> None:
        self.files: dict[str, bytes | None] = {}  # None: already written into the staging folder
        self.origins: dict[str, str] = {}
        self.collisions: list[Problem] = []

    def add(self, path: str, content: str | bytes | None, origin: str) -> None:
        """Add one file (``None``: already staged); a second file at the same path is a collision."""
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


def manifest(folder: Path) -> set[str]:
    """The files one of this tool's folders holds, as its marker lists them (empty if it has none)."""
    marker = folder / MARKER
    if not marker.is_file():
        return set()
    lines = marker.read_text(encoding="utf-8", errors="replace").splitlines()
    return {line for line in lines if line and not line.startswith("#")}


Content = str | bytes | Iterable[str] | Iterable[bytes]  # a file's text, or its UTF-8; either may come in chunks


def write_file(folder: Path, relative: str, content: Content) -> None:
    """Write one output file below ``folder`` (folders created as needed); text may come in chunks,
    all of them text or all of them UTF-8 bytes."""
    _check_relative(relative)
    target = folder / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str | bytes):
        target.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return
    with target.open("wb", buffering=WRITE_BUFFER) as stream:  # a few large writes, not one per 8 KiB
        chunks = iter(content)
        while batch := list(islice(chunks, WRITE_BATCH)):  # one join and write per batch, not per chunk
            if isinstance(batch[0], bytes):
                stream.writelines(batch)  # type: ignore[arg-type]  # large chunks go straight to the file
            else:
                stream.write("".join(batch).encode("utf-8"))


def _check_relative(path: str) -> None:
    """Refuse a path that is absolute, climbs out (``..``) or names no file (string checks: this
    runs for every file of the site, tens of thousands on a department's)."""
    segments = path.split("/")
    if path.startswith("/") or ".." in segments or all(segment in ("", ".") for segment in segments):
        raise ValueError(f"output path must stay inside the output folder: {path!r}")
