"""How a process asks glibc's malloc to handle large blocks (elsewhere than glibc: nothing happens).

By default glibc maps a large block (128 KiB and up) on its own and unmaps it when it is freed,
raising that threshold each time such a block is freed, so that later ones come from its heaps.
Two places of a build want something else:

* blocking, in the main process, counts pairs over large temporary arrays in threads: each
  thread's heap would keep them (~250 MB at 1,000 profiles, resident for nothing and inherited by
  every worker forked later), so there every large block is mapped and given back when freed;
* a forked worker lives for one stage and allocates a large block per file or page: mapping each
  afresh costs the kernel a page fault per 4 KiB (about a second of system time per stage at 1,000
  profiles), so a worker keeps freed blocks in its heap and reuses them.
"""

from __future__ import annotations

from generator.write import libc

M_TRIM_THRESHOLD = -1  # glibc's mallopt parameters
M_MMAP_THRESHOLD = -3
LARGE_BLOCK = 128 * 1024
WORKER_MMAP_THRESHOLD = 32 * 1024 * 1024  # glibc's largest
WORKER_TRIM_THRESHOLD = 64 * 1024 * 1024


def map_large_blocks() -> None:
    """Every block of :data:`LARGE_BLOCK` or more is mapped on its own, given back when freed."""
    _mallopt(M_MMAP_THRESHOLD, LARGE_BLOCK)


def keep_freed_blocks() -> None:
    """Blocks up to 32 MiB come from the heap, and up to 64 MiB of freed heap stays for reuse."""
    _mallopt(M_MMAP_THRESHOLD, WORKER_MMAP_THRESHOLD)
    _mallopt(M_TRIM_THRESHOLD, WORKER_TRIM_THRESHOLD)


def _mallopt(parameter: int, value: int) -> None:
    c_library = libc()
    if c_library is not None and hasattr(c_library, "mallopt"):
        c_library.mallopt(parameter, value)
