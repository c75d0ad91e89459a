"""Reading the user's files, and saying clearly why one cannot be read or written.

Every file a build reads from the seeds folder (sources, ``site.yaml``, ``papers.yaml``, bios) is
opened here: only a regular file is read (a named pipe or a device would block the build or never
end), its size is checked before a byte is read, and any failure becomes a located problem with a
hint, never a traceback.  :func:`filesystem_problem` does the same for errors writing the output.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path

from generator.errors import BuildError, Problem

READ_HINTS = {
    errno.ENOENT: "check that the file exists (a broken link?)",
    errno.ELOOP: "a symbolic link loop: fix or remove the link",
    errno.EACCES: "check the file's permissions",
    errno.EPERM: "check the file's permissions",
    errno.ENAMETOOLONG: "shorten the file's name or path",
    errno.EISDIR: "a folder has the name of a source file: rename it",
}
WRITE_HINTS = {
    errno.ENOSPC: "the disk is full: free some space, or build to another --out",
    errno.EDQUOT: "your disk quota is used up: free some space, or build to another --out",
    errno.EROFS: "that file system is read-only: build to another --out",
    errno.EACCES: "you may not write there: check the folder's permissions, or build to another --out",
    errno.EPERM: "you may not write there: check the folder's permissions, or build to another --out",
    errno.ENAMETOOLONG: "a path is too long for the file system: build to a shorter --out",
    errno.ELOOP: "a symbolic link loop in the output's path: fix the link, or build to another --out",
    errno.EMFILE: "too many open files: raise the limit (ulimit -n) and build again",
    errno.EIO: "the disk reported an error: check it, or build to another --out",
}
FILE_KINDS = {
    stat.S_IFIFO: "a named pipe",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
    stat.S_IFDIR: "a folder",
}


def real_path(path: Path) -> Path:
    """``path`` with every link resolved, as far as they lead (``Path.resolve`` raises on a link
    loop before Python 3.13; here the loop is left for the next file operation to report)."""
    return Path(os.path.realpath(path))


def unreadable_problem(shown_path: str, error: OSError) -> Problem:
    """Why a file cannot be read, at its path."""
    hint = READ_HINTS.get(error.errno or 0, "check that the file exists and is readable")
    return Problem(shown_path, 1, f"cannot read file: {error.strerror or error}", hint)


def not_regular_problem(shown_path: str, mode: int) -> Problem | None:
    """A problem for anything but a regular file (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    kind = FILE_KINDS.get(stat.S_IFMT(mode), "not a regular file")
    return Problem(
        shown_path,
        1,
        f"not a regular file ({kind})",
        "sources and settings are plain files: remove it, or move it out of the seeds folder",
    )


def read_user_file(path: Path, shown_path: str, max_bytes: int, too_large: Callable[[int], Problem]) -> bytes:
    """The bytes of a regular file of at most ``max_bytes`` (else ``too_large(size)``); any other
    failure is a :class:`BuildError` at ``shown_path``.  Opened without blocking, so that a named
    pipe is refused instead of waited on."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as error:
        raise BuildError([unreadable_problem(shown_path, error)]) from None
    with os.fdopen(handle, "rb") as stream:
        try:
            info = os.fstat(handle)
            if (problem := not_regular_problem(shown_path, info.st_mode)) is not None:
                raise BuildError([problem])
            if info.st_size > max_bytes:
                raise BuildError([too_large(info.st_size)])
            return stream.read()
        except OSError as error:
            raise BuildError([unreadable_problem(shown_path, error)]) from None


def filesystem_problem(error: OSError, fallback_path: Path) -> Problem:
    """An error reading or writing the output (or anything else on disk), as a problem at the
    path it names, with a hint for the usual causes."""
    path = error.filename if error.filename is not None else fallback_path
    hint = WRITE_HINTS.get(error.errno or 0, "check the disk and the folder's permissions, then build again")
    return Problem(os.fsdecode(path), 0, error.strerror or str(error), hint)
