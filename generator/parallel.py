"""Map a function over many items on every core, in forked workers that inherit the caller's data.

Forking shares the parent's objects (the site model, the entries) with the workers without pickling
them; only the items and the results cross between processes.  Below a threshold, or where ``fork``
does not exist, the work runs in this process: a pool costs more than it saves on small inputs.
On Linux a worker dies with its parent: a build killed mid-way leaves no worker writing on.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

from generator.memory import keep_freed_blocks
from generator.write import libc

MAX_WORKERS = 4
CHUNKS_PER_WORKER = 24  # many small chunks keep every core busy until the end
Item = TypeVar("Item")
Result = TypeVar("Result")
Extra = TypeVar("Extra")

_inherited: dict[str, tuple[Callable[[Any, Any], Any], Any]] = {}


def fork_map(
    function: Callable[[Any, Item], Result], state: Any, items: Sequence[Item], threshold: int
) -> list[Result]:
    """``[function(state, item) for item in items]``, on every core when there are ``threshold`` items or more."""
    return fork_map_while(function, state, items, threshold, lambda: None)[0]


def fork_map_while(
    function: Callable[[Any, Item], Result],
    state: Any,
    items: Sequence[Item],
    threshold: int,
    meanwhile: Callable[[], Extra],
) -> tuple[list[Result], Extra]:
    """:func:`fork_map`, and ``meanwhile()`` run in this process while the workers work."""
    if not _worth_forking(items, threshold):
        return [function(state, item) for item in items], meanwhile()
    with _forked_pool(function, state) as (pool, workers):
        results = pool.map(_call_inherited, items, chunksize=_chunk_size(items, workers))  # submits every item
        extra = meanwhile()
        return list(results), extra


def fork_imap(
    function: Callable[[Any, Item], Result], state: Any, items: Sequence[Item], threshold: int
) -> Iterator[Result]:
    """:func:`fork_map`, giving each result as it arrives (in order), so a caller can turn it into
    something else before the next: results never need to be held all at once."""
    if not _worth_forking(items, threshold):
        yield from (function(state, item) for item in items)
        return
    with _forked_pool(function, state) as (pool, workers):
        yield from pool.map(_call_inherited, items, chunksize=_chunk_size(items, workers))


def _workers() -> int:
    return min(os.cpu_count() or 1, MAX_WORKERS)


def _worth_forking(items: Sequence[Any], threshold: int) -> bool:
    return len(items) >= threshold and _workers() >= 2 and "fork" in multiprocessing.get_all_start_methods()


def _chunk_size(items: Sequence[Any], workers: int) -> int:
    return max(1, len(items) // (workers * CHUNKS_PER_WORKER))


@contextlib.contextmanager
def _forked_pool(function: Callable[[Any, Any], Any], state: Any) -> Iterator[tuple[ProcessPoolExecutor, int]]:
    """A pool of forked workers that call ``function(state, item)``, with its number of workers."""
    workers = _workers()
    _inherited["call"] = (function, state)  # set before the workers fork, so they see it
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, context, initializer=_start_worker, initargs=(os.getpid(),)) as pool:
            yield pool, workers
    finally:
        _inherited.clear()


PR_SET_PDEATHSIG = 1


def _start_worker(parent: int) -> None:
    _die_with_parent(parent)
    keep_freed_blocks()  # a worker lives for one stage: freed blocks are reused, not mapped afresh


def _die_with_parent(parent: int) -> None:
    """Ask Linux to kill this worker when its parent dies (a killed build); elsewhere, nothing."""
    c_library = libc()
    if c_library is not None and hasattr(c_library, "prctl"):
        c_library.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _call_inherited(item: Any) -> Any:
    function, state = _inherited["call"]
    return function(state, item)


def chunks(count: int, size: int) -> list[range]:
    """``range(count)`` cut into consecutive ranges of at most ``size``."""
    return [range(start, min(start + size, count)) for start in range(0, count, size)]
