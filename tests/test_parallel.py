"""The process pool: results in order, whoever computed them."""

from __future__ import annotations

import gc
import os
import time
import weakref
from pathlib import Path

import pytest

from generator.executor import fork_imap, fork_map, fork_map_sharing

needs_two_cores = pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="the pool runs only with two cores or more")


def _square_where(state: int, item: int) -> tuple[int, int]:
    time.sleep(0.002)  # long enough for every process to take parts
    return item * item + state, os.getpid()


@needs_two_cores
def test_fork_map_sharing_gives_every_result_in_order_and_this_process_works_too():
    items = list(range(300))
    results, extra = fork_map_sharing(_square_where, 1, items, 2, lambda: "meanwhile done")
    assert [value for value, _ in results] == [item * item + 1 for item in items]
    workers = {pid for _, pid in results}
    assert os.getpid() in workers, "this process took a share of the parts"
    assert len(workers) >= 2, "and a forked worker did the others"
    assert extra == "meanwhile done"


@needs_two_cores
def test_fork_map_and_fork_imap_leave_every_item_to_the_workers():
    items = list(range(100))
    for results in (fork_map(_square_where, 0, items, 2), list(fork_imap(_square_where, 0, items, 2))):
        assert [value for value, _ in results] == [item * item for item in items]
        assert os.getpid() not in {pid for _, pid in results}


def test_below_the_threshold_everything_runs_here():
    results, extra = fork_map_sharing(_square_where, 0, [1, 2, 3], 10, lambda: 7)
    assert results == [(1, os.getpid()), (4, os.getpid()), (9, os.getpid())] and extra == 7


class _Result:
    """A result that can be watched (weakly) after this process received it."""


def _result(state: None, item: int) -> _Result:
    return _Result()


@needs_two_cores
def test_fork_imap_keeps_no_result_it_has_given():
    """Parsed sources arrive as large blobs: one given and dropped by the caller must be freed,
    not held until the last arrives."""
    results = fork_imap(_result, None, list(range(400)), 2)
    given = []
    for _ in range(300):
        given.append(weakref.ref(next(results)))
    gc.collect()
    assert sum(ref() is None for ref in given[:200]) == 200
    results.close()


def _fail_first(folder: str, item: int) -> int:
    (Path(folder) / str(item)).touch()
    if item == 0:
        raise ValueError("item 0 is bad")
    time.sleep(0.01)
    return item


@needs_two_cores
def test_an_item_that_fails_stops_the_work_not_yet_started(tmp_path):
    """The error is raised as soon as its part is done, and the parts no worker has started are
    dropped, not worked through first."""
    with pytest.raises(ValueError, match="item 0 is bad"):
        fork_map(_fail_first, str(tmp_path), list(range(2000)), 2)
    assert len(list(tmp_path.iterdir())) < 1000, "a worker slow to start leaves the other a few parts, not half"


def _record(folder: str, item: int) -> int:
    (Path(folder) / str(item)).touch()
    time.sleep(0.01)
    return item


def _fail() -> None:
    raise ValueError("meanwhile failed")


@needs_two_cores
def test_work_meanwhile_that_fails_stops_the_workers_too(tmp_path):
    with pytest.raises(ValueError, match="meanwhile failed"):
        fork_map_sharing(_record, str(tmp_path), list(range(2000)), 2, _fail)
    assert len(list(tmp_path.iterdir())) < 1000
