"""How a process asks glibc's malloc to handle large blocks (elsewhere than glibc: nothing happens).

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

from generator.output.core import libc

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
