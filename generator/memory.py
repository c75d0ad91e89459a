"""How a build's process handles its memory: the cycle collector paused while a build runs
(:func:`without_cycle_collection`), and glibc's malloc asked to handle large blocks differently
(elsewhere than glibc: nothing happens).

By default glibc maps a large block (128 KiB and up) on its own and unmaps it when it is freed,
raising that threshold each time such a block is freed, so that later ones come from its heaps.
Two places of a build want something else:

* blocking, in the main process, counts pairs over large temporary arrays in threads: there too
  freed blocks are kept and reused (mapping each afresh costs a page fault per 4 KiB), and once
  the pairs are counted, the freed memory of every heap is given back: it raises the peak by some
  140 MB at 1,000 profiles, but is not kept resident, nor inherited by the workers forked later;
* a forked worker lives for one stage and allocates a large block per file or page: mapping each
  afresh costs the kernel a page fault per 4 KiB (about a second of system time per stage at 1,000
  profiles), so a worker keeps freed blocks in its heap and reuses them.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

from generator.libc import libc

M_TRIM_THRESHOLD = -1  # glibc's mallopt parameters
M_MMAP_THRESHOLD = -3
KEPT_MMAP_THRESHOLD = 32 * 1024 * 1024  # glibc's largest
KEPT_TRIM_THRESHOLD = 64 * 1024 * 1024


def keep_freed_blocks() -> None:
    """Blocks up to 32 MiB come from the heap, and up to 64 MiB of freed heap stays for reuse."""
    _mallopt(M_MMAP_THRESHOLD, KEPT_MMAP_THRESHOLD)
    _mallopt(M_TRIM_THRESHOLD, KEPT_TRIM_THRESHOLD)


def give_back_freed_blocks() -> None:
    """Return the freed memory of every heap to the system (glibc's ``malloc_trim``)."""
    c_library = libc()
    if c_library is not None and hasattr(c_library, "malloc_trim"):
        c_library.malloc_trim(0)


def _mallopt(parameter: int, value: int) -> None:
    c_library = libc()
    if c_library is not None and hasattr(c_library, "mallopt"):
        c_library.mallopt(parameter, value)


@contextlib.contextmanager
def without_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector while a build runs.

    A build allocates millions of small, acyclic objects (entries, keys, pages), which reference
    counting frees; the collector would traverse all of them again and again, costing about a
    third of a large build's time for nothing.  The previous setting is restored afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            _forget_allocation_count()
            gc.enable()


def _forget_allocation_count() -> None:
    """Keep the collector from a full pass over everything the build allocated the moment it is back
    on (about half a second at a thousand profiles): freezing and unfreezing moves every object to
    the oldest generation and resets the count that triggers collections.  Nothing is left frozen;
    objects someone else froze stay frozen."""
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()
