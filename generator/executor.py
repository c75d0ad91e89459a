"""How work fans out over cores: one executor interface, and its local implementation.

Stages hand their partitioned work (source files to parse, pages to render, key slices to count)
to an :class:`Executor` as ``function(state, item)`` over items: a module-level function, the
state every item needs, the items.  :class:`LocalExecutor`, the default, runs it in forked
processes that inherit the state (or in threads, for work that releases the interpreter lock);
:class:`FuturesExecutor` runs the same functions on any ``concurrent.futures`` executor (a process
pool, or Dask's or Ray's, for sites beyond one machine), which receives the state pickled.
Stages never know which one runs them.

The local implementation, below:

Forking shares the parent's objects (the site model, the entries) with the workers without pickling
them; only the results cross between processes (the workers inherit the items too, and are sent the
range of indexes of each part).  Page rendering also works in this process (:func:`fork_map_sharing`).
Below a threshold, or where ``fork`` does not exist, the work runs in this process: a pool costs
more than it saves on small inputs.  On Linux a worker dies with its parent: a build killed mid-way
leaves no worker writing on.
"""

from __future__ import annotations

import contextlib
import functools
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent import futures
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any, Protocol, TypeVar

from generator.libc import libc
from generator.memory import keep_freed_blocks

MAX_WORKERS = 4
CHUNKS_PER_WORKER = 24  # many small chunks keep every core busy until the end
Item = TypeVar("Item")
Result = TypeVar("Result")
Extra = TypeVar("Extra")

_inherited: dict[str, tuple[Callable[[Any, Any], Any], Any, Sequence[Any]]] = {}


def fork_map(
    function: Callable[[Any, Item], Result], state: Any, items: Sequence[Item], threshold: int
) -> list[Result]:
    """``[function(state, item) for item in items]``, on every core when there are ``threshold`` items or more."""
    if not _worth_forking(items, threshold):
        return [function(state, item) for item in items]
    with _forked_pool(function, state, items, _workers()) as pool:
        return [result for part in _Parts(pool, items).results() for result in part]


def fork_map_sharing(
    function: Callable[[Any, Item], Result],
    state: Any,
    items: Sequence[Item],
    threshold: int,
    meanwhile: Callable[[], Extra],
) -> tuple[list[Result], Extra]:
    """:func:`fork_map`, where this process is one of the workers: it does ``meanwhile()`` first,
    then takes its share of the items (see :class:`_Parts`).  For work whose items are heavy and
    whose results are light (pages written to disk): for a whole core, rendering in this process
    writes to fewer pages shared with the workers (each such write copies a page) and sends no
    results through a pipe.  Where this process's share would be light work over much shared
    memory (judging pairs), or where it receives heavy results (parsed sources), it is better left
    to wait: measured, not assumed."""
    if not _worth_forking(items, threshold):
        return [function(state, item) for item in items], meanwhile()
    with _forked_pool(function, state, items, _workers() - 1) as pool:
        parts = _Parts(pool, items, (function, state))
        try:
            extra = meanwhile()
        except BaseException:
            parts.drop_waiting()
            raise
        return [result for part in parts.results() for result in part], extra


def fork_imap(
    function: Callable[[Any, Item], Result], state: Any, items: Sequence[Item], threshold: int
) -> Iterator[Result]:
    """:func:`fork_map`, giving each result as it arrives (in order), so a caller can turn it into
    something else before the next: results never need to be held all at once."""
    if not _worth_forking(items, threshold):
        yield from (function(state, item) for item in items)
        return
    with _forked_pool(function, state, items, _workers()) as pool:
        for part in _Parts(pool, items).results():
            yield from part


class _Parts:
    """Items cut into small consecutive parts, each sent to the workers as its range of indexes
    (the workers inherit the items).  With ``here`` (the function and its state), this process
    takes parts too: from the back, each a part no worker has taken yet, until it meets the
    workers, who take them from the front."""

    def __init__(
        self, pool: ProcessPoolExecutor, items: Sequence[Any], here: tuple[Callable[[Any, Any], Any], Any] | None = None
    ) -> None:
        self.items, self.here = items, here
        parts = chunks(len(items), _chunk_size(items, _workers()))
        self.pending: deque[tuple[range, Future[list[Any]]]] = deque(
            (part, pool.submit(_call_inherited, part)) for part in parts
        )

    def results(self) -> Iterator[list[Any]]:
        """Each part's results, in order, none held once given; while the first part not yet
        given is not done, this process does the last part no worker has taken (if it takes parts)."""
        done_here = []
        try:
            while self.pending:
                if self.here is not None and not self.pending[0][1].done() and self.pending[-1][1].cancel():
                    done_here.append(self._here(self.pending.pop()[0]))
                    continue
                yield self.pending.popleft()[1].result()
        finally:  # a part that failed, or a caller that stopped reading
            self.drop_waiting()
        yield from reversed(done_here)

    def drop_waiting(self) -> None:
        """Drop the parts no worker has started (the work is given up)."""
        for _, future in self.pending:
            future.cancel()

    def _here(self, part: range) -> list[Any]:
        assert self.here is not None
        function, state = self.here
        return [function(state, self.items[index]) for index in part]


def _workers() -> int:
    """Processes that work on the items (with :func:`fork_map_sharing`, this one among them)."""
    return min(os.cpu_count() or 1, MAX_WORKERS)


def _worth_forking(items: Sequence[Any], threshold: int) -> bool:
    return len(items) >= threshold and _workers() >= 2 and "fork" in multiprocessing.get_all_start_methods()


def _chunk_size(items: Sequence[Any], workers: int) -> int:
    return max(1, len(items) // (workers * CHUNKS_PER_WORKER))


@contextlib.contextmanager
def _forked_pool(
    function: Callable[[Any, Any], Any], state: Any, items: Sequence[Any], workers: int
) -> Iterator[ProcessPoolExecutor]:
    """A pool of ``workers`` forked workers that call ``function(state, item)`` on a part of
    ``items``, given by its range of indexes."""
    _inherited["call"] = (function, state, items)  # set before the workers fork, so they see it
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, context, initializer=_start_worker, initargs=(os.getpid(),)) as pool:
            yield pool
    finally:
        _inherited.clear()


PR_SET_PDEATHSIG = 1


def _start_worker(parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the build's to handle, in one place
    _die_with_parent(parent)
    keep_freed_blocks()  # a worker lives for one stage: freed blocks are reused, not mapped afresh


def _die_with_parent(parent: int) -> None:
    """Ask Linux to kill this worker when its parent dies (a killed build); elsewhere, nothing."""
    c_library = libc()
    if c_library is not None and hasattr(c_library, "prctl"):
        c_library.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _call_inherited(part: range) -> list[Any]:
    function, state, items = _inherited["call"]
    return [function(state, items[index]) for index in part]


def chunks(count: int, size: int) -> list[range]:
    """``range(count)`` cut into consecutive ranges of at most ``size``."""
    return [range(start, min(start + size, count)) for start in range(0, count, size)]


S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")
X = TypeVar("X")


class Executor(Protocol):
    """What the stages ask of an executor (see the module)."""

    def map(
        self, function: Callable[[S, T], R], state: S, items: Sequence[T], threshold: int = 1, threads: bool = False
    ) -> Iterator[R]:
        """``function(state, item)`` of each item, in order; ``threshold``: below this many items,
        running them in the caller costs less (a hint); ``threads``: the work releases the
        interpreter lock (NumPy), so threads sharing memory suit it."""
        ...

    def map_sharing(
        self, function: Callable[[S, T], R], state: S, items: Sequence[T], threshold: int, meanwhile: Callable[[], X]
    ) -> tuple[list[R], X]:
        """:meth:`map` to a list, while the caller does ``meanwhile()`` (and, where the executor can,
        a share of the items too)."""
        ...


class LocalExecutor:
    """The default executor: forked workers on this machine's cores (see :func:`fork_imap`,
    :func:`fork_map_sharing`), or threads for work that releases the interpreter lock."""

    def map(
        self, function: Callable[[S, T], R], state: S, items: Sequence[T], threshold: int = 1, threads: bool = False
    ) -> Iterator[R]:
        if threads:
            return _thread_map(function, state, items, threshold)
        return fork_imap(function, state, items, threshold)

    def map_sharing(
        self, function: Callable[[S, T], R], state: S, items: Sequence[T], threshold: int, meanwhile: Callable[[], X]
    ) -> tuple[list[R], X]:
        return fork_map_sharing(function, state, items, threshold, meanwhile)


def _thread_map(function: Callable[[S, T], R], state: S, items: Sequence[T], threshold: int) -> Iterator[R]:
    if len(items) < max(threshold, 2):
        return map(functools.partial(function, state), items)
    with ThreadPoolExecutor(min(len(items), MAX_WORKERS)) as pool:
        return iter(list(pool.map(functools.partial(function, state), items)))


class FuturesExecutor:
    """Any ``concurrent.futures``-compatible executor as the stages' executor: the function and
    its state are pickled to it (so both must pickle; the stages' do), results come back in order."""

    def __init__(self, pool: futures.Executor) -> None:
        self.pool = pool

    def map(
        self, function: Callable[[S, T], R], state: S, items: Sequence[T], threshold: int = 1, threads: bool = False
    ) -> Iterator[R]:
        return self.pool.map(functools.partial(function, state), items)

    def map_sharing(
        self, function: Callable[[S, T], R], state: S, items: Sequence[T], threshold: int, meanwhile: Callable[[], X]
    ) -> tuple[list[R], X]:
        results = self.pool.map(functools.partial(function, state), items)  # every item submitted now
        extra = meanwhile()
        return list(results), extra


LOCAL = LocalExecutor()  # what a stage uses when it is given no executor
