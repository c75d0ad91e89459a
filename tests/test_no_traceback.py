"""No traceback, ever: a full, read-only or forbidden output folder, link loops, named pipes and
links out of the seeds folder, absurd request paths and foreign Host headers each get a clear
answer (``path: message`` and a hint, exit 1, the last good output intact, nothing left behind;
or an HTTP status from the dev server)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, SEEDS, run_cli, tree_bytes, write_corpus
from test_serve import DevServer, free_port

GOOD = "Abstract: We introduce a method for testing generators that is long enough to compare.\n"
NO_CACHE = dict(os.environ, RESEARCH_PROFILES_NO_CACHE="1")


def assert_clean_failure(result: subprocess.CompletedProcess[str], path: str) -> None:
    """Exit 1, the first line names ``path``, a hint follows, no traceback."""
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(path), result.stderr
    assert "\n    hint: " in result.stderr


# ---- the output's folder: full, read-only, forbidden -------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 2 MB file system (tmpfs), mounted for this test."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(disk)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("mounting a small file system needs root")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=False)


def build_to(out: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return run_cli("build", "--seeds", SEEDS, "--out", out, env=env or NO_CACHE)


def test_a_full_disk_is_a_clear_error_and_the_last_site_stays(small_disk):
    out = small_disk / "out"
    assert build_to(out).returncode == 0
    before = tree_bytes(out)
    free = os.statvfs(small_disk).f_bavail * os.statvfs(small_disk).f_frsize
    (small_disk / "filler").write_bytes(b"\0" * (free - 20_000))  # room for less than the site
    result = build_to(out)
    assert_clean_failure(result, str(small_disk))
    assert tree_bytes(out) == before
    assert sorted(path.name for path in small_disk.iterdir()) == [".out.lock", "filler", "out"]


def test_a_read_only_file_system_is_a_clear_error_and_the_last_site_stays(small_disk):
    out = small_disk / "out"
    assert build_to(out).returncode == 0
    before = tree_bytes(out)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    result = build_to(out)
    assert_clean_failure(result, str(small_disk))
    assert tree_bytes(out) == before
    result = build_to(small_disk / "new" / "out")
    assert_clean_failure(result, str(small_disk))


def without_permission_override() -> list[str]:
    """A command prefix under which root is refused what the folder's mode refuses (as anyone else)."""
    if os.getuid() != 0:
        return []
    return ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--"]


def test_a_folder_that_may_not_be_written_is_a_clear_error(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    out = locked / "out"
    assert build_to(out).returncode == 0
    before = tree_bytes(out)
    locked.chmod(0o500)
    try:
        for target in (out, locked / "sub" / "out"):
            result = subprocess.run(
                [*without_permission_override(), sys.executable, "-m", "generator", "build", "--out", str(target)],
                cwd=ROOT,
                capture_output=True,
                text=True,
                env=NO_CACHE,
                check=False,
            )
            assert_clean_failure(result, str(locked))
        assert tree_bytes(out) == before
    finally:
        locked.chmod(0o700)


def test_an_output_path_through_a_link_loop_is_a_clear_error(tmp_path):
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    result = build_to(tmp_path / "a" / "out")
    assert result.returncode == 1 and "Traceback" not in result.stderr and "\n    hint: " in result.stderr


# ---- the seeds: link loops, named pipes, links out of the folder --------------------------------


@pytest.fixture
def awkward_seeds(tmp_path: Path) -> Path:
    seeds = write_corpus(tmp_path / "seeds", {"good.txt": GOOD})
    (seeds / "a.txt").symlink_to(seeds / "b.txt")
    (seeds / "b.txt").symlink_to(seeds / "a.txt")
    os.mkfifo(seeds / "pipe.txt")
    return seeds


def test_link_loops_and_named_pipes_are_errors_at_their_paths(tmp_path, awkward_seeds):
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--seeds", str(awkward_seeds), "--out", str(tmp_path / "out")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,  # a named pipe that were read would never end
        check=False,
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if not line.startswith(("    ", "build failed"))]
    assert [line.split(":")[0:2] for line in lines] == [["a.txt", "1"], ["b.txt", "1"], ["pipe.txt", "1"]]
    assert not (tmp_path / "out").exists()


def test_keep_going_skips_link_loops_and_named_pipes_with_a_warning_each(tmp_path, awkward_seeds):
    result = run_cli("build", "--seeds", awkward_seeds, "--out", tmp_path / "out", "--keep-going")
    assert result.returncode == 0 and "Traceback" not in result.stderr
    for name in ("a.txt", "b.txt", "pipe.txt"):
        assert f"{name}:1: warning: skipped (--keep-going): " in result.stderr
    assert "Read 1 sources" in result.stdout


@pytest.mark.parametrize("name", ["site.yaml", "papers.yaml", "good.md"])
def test_a_named_pipe_for_a_settings_file_is_an_error_not_a_hang(tmp_path, name):
    seeds = write_corpus(tmp_path / "seeds", {"good.txt": GOOD})
    os.mkfifo(seeds / name)
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--seeds", str(seeds), "--out", str(tmp_path / "out")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert_clean_failure(result, f"{name}:1: ")


def test_a_link_to_a_file_outside_the_seeds_folder_is_not_read_unless_allowed(tmp_path):
    secret = tmp_path / "private.txt"
    secret.write_text("Abstract: A private note that must never be published on the site by accident.\n")
    seeds = write_corpus(tmp_path / "seeds", {"good.txt": GOOD})
    (seeds / "linked.txt").symlink_to(secret)
    (seeds / "inside.txt").symlink_to(seeds / "good.txt")  # a link within the folder is read as usual
    result = run_cli("build", "--seeds", seeds, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith("linked.txt:1: warning: a link to a file outside the seeds folder")
    assert "Read 2 sources" in result.stdout
    assert "private note" not in (tmp_path / "out" / "papers.json").read_text(encoding="utf-8")
    (seeds / "site.yaml").write_text(
        "follow_links_outside: true\nprofiles:\n  - name: Ada\n    sources: ['*.txt']\n", encoding="utf-8"
    )
    result = run_cli("build", "--seeds", seeds, "--out", tmp_path / "out")
    assert result.returncode == 0 and "outside" not in result.stderr, result.stderr
    assert "private note" in (tmp_path / "out" / "papers.json").read_text(encoding="utf-8")


def test_follow_links_outside_must_be_true_or_false(tmp_path):
    seeds = write_corpus(tmp_path / "seeds", {"good.txt": GOOD, "site.yaml": "follow_links_outside: yes please\n"})
    result = run_cli("build", "--seeds", seeds, "--out", tmp_path / "out")
    assert_clean_failure(result, "site.yaml:1: 'follow_links_outside' must be true or false")


# ---- the dev server -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dev_server(tmp_path_factory) -> Iterator[DevServer]:
    folder = tmp_path_factory.mktemp("dev")
    running = DevServer(SEEDS, folder / "out", folder / "serve.log")
    yield running
    running.stop()


def raw_get(port: int, path: str, host: str) -> int:
    """The status of a GET sent with exactly this path and Host header."""
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest("GET", path, skip_host=True)
        connection.putheader("Host", host)
        connection.endheaders()
        return connection.getresponse().status
    finally:
        connection.close()


def test_absurd_paths_get_a_status_not_a_server_error(dev_server):
    own = f"127.0.0.1:{dev_server.port}"
    assert raw_get(dev_server.port, "/" + "a" * 10_000, own) == 414
    assert raw_get(dev_server.port, "/" + "a" * 300 + "/index.html", own) == 404  # a name too long for the disk
    assert raw_get(dev_server.port, "/" + "/".join(["a" * 250] * 7), own) == 404
    assert raw_get(dev_server.port, "/arthur-mensch/", own) == 200
    assert "Traceback" not in dev_server.output()


@pytest.mark.parametrize("host", ["evil.example:{port}", "127.0.0.1.nip.io:{port}", "127.0.0.1:1", "", "localhost:x"])
def test_requests_for_another_host_are_refused(dev_server, host):
    """DNS rebinding: a page of another site whose name resolves to 127.0.0.1 reads nothing."""
    assert raw_get(dev_server.port, "/arthur-mensch/", host.format(port=dev_server.port)) == 403


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LocalHost:{port}"])
def test_requests_for_the_servers_own_address_are_answered(dev_server, host):
    assert raw_get(dev_server.port, "/arthur-mensch/", host.format(port=dev_server.port)) == 200


def test_a_server_on_every_interface_answers_addresses_but_no_names(tmp_path):
    from generator.serve import host_check

    allowed = host_check("0.0.0.0", 8000)
    assert allowed("192.168.1.20:8000") and allowed("[fe80::1]:8000") and allowed("localhost:8000")
    assert not allowed("evil.example:8000") and not allowed("192.168.1.20:9000")
    assert free_port() > 0


# ---- a bug ----------------------------------------------------------------------------------------


BUGGY_BUILD = """
import sys
sys.path.insert(0, {root!r})
import generator.cli as cli
def broken(*_args, **_kwargs):
    raise ZeroDivisionError("a bug")
cli.build = broken
sys.exit(cli.main(["build", "--out", {out!r}]))
"""


def test_a_bug_is_one_line_and_a_hint_not_a_traceback(tmp_path):
    script = BUGGY_BUILD.format(root=str(ROOT), out=str(tmp_path / "out"))
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert result.returncode == 3
    assert result.stderr.startswith("internal error: ZeroDivisionError: a bug\n    hint: ")
    assert "Traceback" not in result.stderr
    debug = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=False,
        env=dict(os.environ, RESEARCH_PROFILES_DEBUG="1"),
    )
    assert "Traceback" in debug.stderr  # asked for
