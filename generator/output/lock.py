"""One build at a time per output folder.

Two builds writing one output folder would each clean up the other's staging folder and swap in
a half-written site.  So a build holds an exclusive lock on a file beside the output folder
(``.NAME.lock``, an ``fcntl`` lock: the system releases it when the process ends, however it
ends, so a killed build never leaves a stale lock).  A second build waits for the first, saying
so once, or with ``wait=False`` fails at once.  The lock file itself is never deleted (deleting
it would let a third build lock a new file while the second still holds the old one).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from generator.errors import BuildError, Problem


def lock_path(out_dir: Path) -> Path:
    """The lock file of an output folder: beside it, named after it (its folder resolved, so two
    spellings of one folder share one lock)."""
    return Path(os.path.realpath(out_dir.parent)) / f".{out_dir.name}.lock"


@contextlib.contextmanager
def locked_output(out_dir: Path, wait: bool = True) -> Iterator[None]:
    """Hold the output folder's lock while the block runs; raise :class:`BuildError` when another
    build holds it and ``wait`` is false."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    path = lock_path(out_dir)
    handle = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    try:
        if not _try_lock(handle):
            if not wait:
                raise BuildError([_busy(out_dir, path)])
            print(f"{out_dir}: another build is writing this folder; waiting for it to finish…", file=sys.stderr)
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # releases the lock


def _try_lock(handle: int) -> bool:
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _busy(out_dir: Path, path: Path) -> Problem:
    return Problem(
        str(out_dir),
        0,
        "another build is writing this output folder",
        f"wait for it to finish, or build without --no-wait to wait for it (its lock: {path})",
    )
