"""Writing the site atomically: a build writes into a :class:`Staging` folder beside the output
folder (its marker first, so a killed build's leftovers are recognisable); :func:`write_site`
writes the rest and the manifest, then swaps the staging folder in.  The previous output is
removed only after the swap succeeded (a large one by a background process); a killed build's
leftovers are cleaned up by the next (:func:`recover_interrupted`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from generator.errors import BuildError
from generator.libc import libc
from generator.output.files import MARKER, MARKER_HEADER, OutputFiles, manifest, write_file

DELETE_LATER_FROM = 2_000  # files: a retired output this large is deleted in the background


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
        self.held = manifest(spare) if spare is not None and spare.is_dir() else set()
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
