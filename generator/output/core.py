"""Write the built site atomically, and only over a folder this tool wrote.

A build writes into a :class:`Staging` folder beside the output folder (its
marker file first, so a killed build's leftovers are recognisable); render
workers write their pages there directly.  An :class:`OutputFiles` records
every path (with its content when not written yet), refuses to hold the same
path twice and lists every collision at once.  :func:`write_site` writes the
rest and the manifest, then swaps the staging folder in; the previous output
is removed only after the swap succeeded (a large one by a background process).
A folder without the marker is never replaced.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path, PurePosixPath

from generator.errors import BuildError, Problem
from generator.files import real_path

MARKER = ".generator-output"
WRITE_BATCH = 1024  # chunks of a chunked file joined per write
WRITE_BUFFER = 1 << 20  # bytes: writing a large file in 8 KiB pieces costs twice the time
DELETE_LATER_FROM = 2_000  # files: a retired output this large is deleted in the background
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


class Staging:
    """The temporary folder a build writes into, beside the output folder; removed on failure.

    The dev server passes the ``spare`` folder its last build kept (the output before the live
    one, see :func:`write_site`): that folder becomes the staging folder, ``held`` names the files
    it holds, and a build keeps those it would write alike and removes the others
    (:meth:`keep_only`) before writing.  Without a usable spare, the folder starts empty.
    """

    def __init__(self, out_dir: Path, spare: Path | None = None, keep_spare: bool = False) -> None:
        self.out_dir = out_dir
        self.keep_spare = keep_spare  # after the swap, keep the retired output as the next spare
        self.spare: Path | None = None  # where it was kept
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        recover_interrupted(out_dir, keep=spare)
        self.held = _manifest(spare) if spare is not None and spare.is_dir() else set()
        if self.held:
            assert spare is not None
            self.folder = spare.rename(_as_kind(spare, "build"))
        else:
            self.folder = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.build-", dir=out_dir.parent))
            try:
                (self.folder / MARKER).write_text(MARKER_HEADER, encoding="utf-8")  # first: recognisable if killed
            except OSError:
                discard(self.folder)
                raise

    def keep_only(self, kept: set[str]) -> None:
        """Remove every held file but ``kept`` (and folders left empty): what the build writes is new."""
        removed = sorted(self.held - kept)
        for name in removed:
            (self.folder / name).unlink(missing_ok=True)
        for folder in sorted({(self.folder / name).parent for name in removed}, reverse=True):
            if folder != self.folder and not any(folder.iterdir()):
                folder.rmdir()
        self.held = kept & self.held

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if kind is not None:
            discard(self.folder)


def _manifest(folder: Path) -> set[str]:
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
    pure = PurePosixPath(path)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts:
        raise ValueError(f"output path must stay inside the output folder: {path!r}")


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
    written = _manifest(out_dir) | {MARKER}
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


def write_site(output: OutputFiles, staging: Staging) -> None:
    """Finish ``staging`` with ``output``'s unwritten files and swap it in; the old output stays on failure."""
    if output.collisions:
        raise BuildError(output.collisions)
    for relative, content in output.files.items():
        if content is not None:
            write_file(staging.folder, relative, content)
    manifest = MARKER_HEADER + "".join(f"{name}\n" for name in sorted(output.files))
    (staging.folder / MARKER).write_text(manifest, encoding="utf-8")
    os.chmod(staging.folder, 0o755)
    retired = _swap(staging.folder, staging.out_dir)
    if retired is not None and staging.keep_spare:
        staging.spare = retired.rename(_as_kind(retired, "spare"))
    elif retired is not None and len(output.files) >= DELETE_LATER_FROM:
        discard_later(retired)
    elif retired is not None:
        discard(retired)


def _swap(staging: Path, out_dir: Path) -> Path | None:
    """Put ``staging`` where ``out_dir`` is; return where the previous output now is (None if there
    was none), to be deleted or kept only after the swap succeeded.

    On Linux the two folders are exchanged in one atomic ``renameat2(RENAME_EXCHANGE)``, so
    ``out_dir`` always exists and is always complete; elsewhere two renames are used and a
    folder left between them is restored by :func:`recover_interrupted`.
    """
    if not out_dir.exists():
        staging.rename(out_dir)
        return None
    if _exchange(staging, out_dir):
        return staging  # now the previous output
    retired = _as_kind(staging, "old")
    out_dir.rename(retired)
    try:
        staging.rename(out_dir)
    except OSError:
        retired.rename(out_dir)
        raise
    return retired


def _exchange(first: Path, second: Path) -> bool:
    """Atomically exchange two paths (Linux renameat2); False where the system cannot."""
    c_library = libc()
    renameat2 = getattr(c_library, "renameat2", None) if c_library is not None else None
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange)
    return result == 0


@functools.cache
def libc() -> ctypes.CDLL | None:
    """The C library, for the system calls Python does not wrap (looked up once per process)."""
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name, use_errno=True) if name else None
    except OSError:
        return None


def recover_interrupted(out_dir: Path, keep: Path | None = None) -> None:
    """Clean up after a build that was killed: restore a retired output, remove staging folders and
    the spare folders of dev servers (but the one to ``keep``).

    Only folders carrying this tool's marker are touched.
    """
    parent = out_dir.parent
    if not parent.is_dir():
        return
    for trash in sorted(parent.glob(f".{out_dir.name}.trash-*")):
        shutil.rmtree(trash, ignore_errors=True)  # only ever made by discard(), from a folder of ours
    leftovers = [
        folder
        for kind in ("build", "old", "spare")
        for folder in sorted(parent.glob(f".{out_dir.name}.{kind}-*"))
        if folder != keep
    ]
    for folder in leftovers:
        if not (folder / MARKER).is_file() and any(folder.iterdir()):
            continue  # not ours, or not even started: leave it
        if ".old-" in folder.name and not out_dir.exists():
            folder.rename(out_dir)
        else:
            discard(folder)


def discard(folder: Path) -> None:
    """Delete one of this tool's folders: first renamed to ``.NAME.trash-*``, so that a build killed
    while deleting (its marker may go first) leaves a folder the next build still knows as its own."""
    shutil.rmtree(_as_trash(folder) or folder, ignore_errors=True)


def _as_trash(folder: Path) -> Path | None:
    """``folder`` renamed ``.NAME.trash-*`` (None if it cannot be renamed)."""
    trash = _as_kind(folder, "trash")
    try:
        folder.rename(trash)
    except OSError:
        return None
    return trash


_deleting: list[subprocess.Popen[bytes]] = []  # background deletions this process started (reaped as they end)


def discard_later(folder: Path) -> None:
    """:func:`discard`, the deleting done by a process of its own, which this one need not wait
    for: unlinking a large output's thousands of files (half a second at a thousand profiles)
    would hold up a build that is otherwise done.  The folder is renamed ``.NAME.trash-*`` here
    first: if the deleting stops half-way, the next build removes the rest
    (:func:`recover_interrupted`)."""
    trash = _as_trash(folder)
    if trash is None:
        shutil.rmtree(folder, ignore_errors=True)
        return
    _deleting[:] = [process for process in _deleting if process.poll() is None]
    try:
        _deleting.append(
            subprocess.Popen(
                [sys.executable, "-c", "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)", trash],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,  # not stopped by a Ctrl+C meant for the build
            )
        )
    except OSError:
        shutil.rmtree(trash, ignore_errors=True)


def _as_kind(folder: Path, kind: str) -> Path:
    """One of this tool's folders beside the output, named as another kind: ``.NAME.build-x`` →
    ``.NAME.<kind>-x`` (the kinds: build, old, spare, trash)."""
    name, _, suffix = folder.name.rpartition("-")
    return folder.with_name(f"{name.rsplit('.', 1)[0]}.{kind}-{suffix}")
