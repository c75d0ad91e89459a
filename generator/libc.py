"""The C library, for the few system calls Python does not wrap (an atomic exchange of two folders,
a worker that dies with its parent, giving freed memory back)."""

from __future__ import annotations

import ctypes
import ctypes.util
import functools


@functools.cache
def libc() -> ctypes.CDLL | None:
    """The C library, for the system calls Python does not wrap (looked up once per process)."""
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name, use_errno=True) if name else None
    except OSError:
        return None
