"""One build at a time per output folder: concurrent builds (and a dev server beside them) always
leave one complete site; a second build waits for the first, or with --no-wait fails at once."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, run_cli, tree_bytes, write_corpus
from test_robustness import assert_complete
from test_serve import DevServer, edit, wait_for

from generator.output.lock import lock_path

sys.path.insert(0, str(ROOT / "bench"))
from make_corpus import make_corpus


def start_build(seeds: Path, out: Path, *options: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "--seeds", str(seeds), "--out", str(out), *options],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture(scope="module")
def two_sites(tmp_path_factory) -> tuple[list[Path], list[dict[str, bytes]]]:
    """Two different seeds folders and the site each builds alone."""
    folder = tmp_path_factory.mktemp("two-sites")
    seeds, sites = [], []
    for number, size in enumerate((40, 25)):
        corpus = folder / f"seeds-{number}"
        make_corpus(corpus, size, 12)
        (folder / f"seeds-{number}.truth.json").unlink()
        result = run_cli("build", "--seeds", corpus, "--out", folder / f"alone-{number}")
        assert result.returncode == 0, result.stderr
        seeds.append(corpus)
        sites.append(tree_bytes(folder / f"alone-{number}"))
    return seeds, sites


def test_concurrent_builds_always_leave_one_complete_site(tmp_path, two_sites):
    seeds, sites = two_sites
    out = tmp_path / "out"
    for _ in range(8):
        builds = [start_build(seeds[number % 2], out) for number in range(3)]
        for process in builds:
            _, stderr = process.communicate(timeout=120)
            assert process.returncode == 0 and "Traceback" not in stderr, stderr
        assert_complete(out)
        assert tree_bytes(out) in sites
        assert sorted(path.name for path in tmp_path.iterdir()) == [".out.lock", "out"]  # nothing left behind


@pytest.fixture
def held_lock(tmp_path):
    """The output folder's lock, held by this test as another build would hold it."""
    out = tmp_path / "out"
    handle = os.open(lock_path(out), os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(handle, fcntl.LOCK_EX)
    yield out, handle
    os.close(handle)


def test_no_wait_fails_at_once_while_another_build_writes_the_folder(tmp_path, two_sites, held_lock):
    seeds = two_sites[0]
    out, _ = held_lock
    started = time.monotonic()
    result = run_cli("build", "--seeds", seeds[0], "--out", out, "--no-wait")
    assert time.monotonic() - started < 20
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"{out}: another build is writing this output folder\n    hint: ")
    assert not out.exists()


def test_a_second_build_waits_for_the_first_saying_so_once(tmp_path, two_sites, held_lock):
    seeds, sites = two_sites
    out, handle = held_lock
    waiting = start_build(seeds[1], out)
    time.sleep(2)
    assert waiting.poll() is None, "it waits while the lock is held"
    assert not out.exists()
    fcntl.flock(handle, fcntl.LOCK_UN)
    _, stderr = waiting.communicate(timeout=60)
    assert waiting.returncode == 0, stderr
    assert stderr.count("waiting") == 1 and stderr.startswith(f"{out}: another build is writing this folder")
    assert tree_bytes(out) == sites[1]


def test_builds_beside_a_dev_server_on_the_same_output_leave_a_complete_site(tmp_path, two_sites, seeds_copy):
    seeds = two_sites[0]
    out = tmp_path / "out"
    server = DevServer(seeds_copy, out, tmp_path / "serve.log")
    try:
        for round_number in range(4):
            edit(seeds_copy / "004_60683de6a3f97cc2.txt", "Flamingo", f"Flamingo{round_number}")
            other = start_build(seeds[round_number % 2], out)
            _, stderr = other.communicate(timeout=120)
            assert other.returncode == 0 and "Traceback" not in stderr, stderr
            wait_for(lambda n=round_number: server.output().count("rebuilt in") > n, "the server's rebuild")
            assert_complete(out)
        assert "Traceback" not in server.output()
    finally:
        server.stop()
    assert_complete(out)


def test_the_lock_is_per_output_folder(tmp_path, two_sites, held_lock):
    seeds, sites = two_sites
    result = run_cli("build", "--seeds", seeds[0], "--out", tmp_path / "elsewhere", "--no-wait")
    assert result.returncode == 0, result.stderr
    assert tree_bytes(tmp_path / "elsewhere") == sites[0]


def test_a_small_corpus_still_builds_when_its_lock_file_is_left_from_a_killed_build(tmp_path):
    seeds = write_corpus(tmp_path / "seeds", {"a.txt": "Abstract: A long enough abstract about testing locks.\n"})
    lock_path(tmp_path / "out").write_text("12345\n", encoding="utf-8")  # no process holds it
    assert run_cli("build", "--seeds", seeds, "--out", tmp_path / "out", "--no-wait").returncode == 0
