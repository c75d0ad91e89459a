"""The dev server, for real: a subprocess on a free port, files changed on disk, pages fetched over HTTP."""

from __future__ import annotations

import http.client
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import ROOT, run_cli, tree_bytes

FLAMINGO = "Flamingo: a Visual Language Model for Few-Shot Learning"
RICH = "004_60683de6a3f97cc2.txt"
WAIT_SECONDS = 30


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(port: int, path: str) -> tuple[int, str]:
    """One raw GET: the path is sent exactly as given (no client-side normalisation)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"timed out after {WAIT_SECONDS}s waiting for {what}")


class DevServer:
    def __init__(self, seeds: Path, out: Path, log: Path) -> None:
        self.port = free_port()
        self.log = log
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "generator",
                "serve",
                "--seeds",
                str(seeds),
                "--out",
                str(out),
                "--port",
                str(self.port),
            ],
            cwd=ROOT,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        wait_for(lambda: get(self.port, "/")[0] == 200, "the server to answer")

    def page(self, path: str) -> str:
        status, body = get(self.port, path)
        assert status == 200, (status, body[:300])
        return body

    def output(self) -> str:
        return self.log.read_text()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture
def server(tmp_path: Path, seeds_copy: Path) -> Iterator[DevServer]:
    running = DevServer(seeds_copy, tmp_path / "out", tmp_path / "serve.log")
    yield running
    running.stop()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_serves_the_site_with_live_reload_only_in_served_pages(server, tmp_path):
    page = server.page("/arthur-mensch/")
    assert FLAMINGO in page and "livereload" in page
    assert server.page("/static/site.js").startswith("//")
    for built in (tmp_path / "out").rglob("*.html"):
        assert "livereload" not in built.read_text(encoding="utf-8")


def test_a_changed_seed_shows_up_in_the_served_page(server, seeds_copy):
    edit(seeds_copy / RICH, FLAMINGO, "Flamingo Renamed For The Test")
    wait_for(lambda: "Flamingo Renamed For The Test" in server.page("/arthur-mensch/"), "the edited title")
    wait_for(lambda: "rebuilt in" in server.output(), "the rebuild line")
    line = next(line for line in server.output().splitlines() if "rebuilt in" in line)
    assert RICH in line and "re-parsed 1 of 5 sources" in line
    rerendered = int(re.search(r"re-rendered (\d+) pages", line).group(1))
    assert 1 <= rerendered < 10  # only those showing the paper: profile pages and feeds, its own page, the report


def test_stopping_the_server_removes_the_copy_of_the_previous_output_it_kept(server, seeds_copy, tmp_path):
    edit(seeds_copy / RICH, FLAMINGO, "Flamingo Renamed For The Test")
    wait_for(lambda: "rebuilt in" in server.output(), "the rebuild")
    assert list(tmp_path.glob(".out.spare-*")), "the retired output is kept for the next rebuild"
    server.stop()
    assert server.process.returncode is not None
    assert not list(tmp_path.glob(".out.*-*")), "nothing is left beside the output"
    assert (tmp_path / "out" / "index.html").is_file()


def test_a_broken_source_shows_an_error_page_and_fixing_it_recovers(server, seeds_copy, tmp_path):
    before = (tmp_path / "out" / "arthur-mensch" / "index.html").read_bytes()
    original = (seeds_copy / RICH).read_text(encoding="utf-8")
    (seeds_copy / RICH).write_text(original.replace("h-index10", "this line is not a metric"), encoding="utf-8")

    def shows_error() -> bool:
        status, body = get(server.port, "/arthur-mensch/")
        return status == 500 and f"{RICH}:4:" in body

    wait_for(shows_error, "the error page")
    assert "livereload" in get(server.port, "/arthur-mensch/")[1]  # the error page reloads itself
    assert (tmp_path / "out" / "arthur-mensch" / "index.html").read_bytes() == before  # last good site kept
    assert f"{RICH}:4:" in server.output()
    (seeds_copy / RICH).write_text(original, encoding="utf-8")
    wait_for(lambda: get(server.port, "/arthur-mensch/")[0] == 200, "recovery")
    assert server.process.poll() is None


def test_a_site_large_enough_for_worker_processes_rebuilds_to_what_a_full_build_writes(tmp_path):
    sys.path.insert(0, str(ROOT / "bench"))
    from make_corpus import make_corpus

    seeds = tmp_path / "seeds"
    make_corpus(seeds, 210, 2)  # over 300 sources and 210 profile pages: parsing and rendering fork
    sources = len(list(seeds.glob("*.txt")))
    running = DevServer(seeds, tmp_path / "out", tmp_path / "serve.log")
    try:
        page = sorted(seeds.glob("*_page.txt"))[5]
        edit(page, "h-index", "h-index7")
        wait_for(lambda: "rebuilt in" in running.output(), "the rebuild")
        line = next(line for line in running.output().splitlines() if "rebuilt in" in line)
        assert page.name in line and f"re-parsed 1 of {sources} sources" in line
    finally:
        running.stop()
    assert run_cli("build", "--seeds", seeds, "--out", tmp_path / "full").returncode == 0
    assert tree_bytes(tmp_path / "out") == tree_bytes(tmp_path / "full")


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/static/..%2f..%2fsecret.txt",
        "/static/%2e%2e/%2e%2e/secret.txt",
        "/..\\secret.txt",
        "/%5c..%5csecret.txt",
        "//secret.txt",
    ],
)
def test_paths_outside_the_output_folder_are_refused(server, tmp_path, path):
    (tmp_path / "secret.txt").write_text("TOP SECRET")
    status, body = get(server.port, path)
    assert status in (400, 403, 404)
    assert "TOP SECRET" not in body


def test_listens_on_loopback_by_default():
    help_text = subprocess.run(
        [sys.executable, "-m", "generator", "serve", "--help"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert "default: 127.0.0.1" in help_text


def test_the_watcher_sees_a_removed_seeds_folder_as_its_files_gone(tmp_path):
    from generator.pipeline import BuildOptions
    from generator.serve import DevSession

    seeds = tmp_path / "seeds"
    (seeds / "sub").mkdir(parents=True)
    (seeds / "a.txt").write_text("Abstract: one.\n", encoding="utf-8")
    (seeds / "sub" / "b.txt").write_text("Abstract: two.\n", encoding="utf-8")
    session = DevSession(BuildOptions(seeds, tmp_path / "out"))
    session.snapshot = session.take_snapshot()
    assert {str(seeds / "a.txt"), str(seeds / "sub" / "b.txt")} <= set(session.snapshot)
    for file in (seeds / "sub" / "b.txt", seeds / "a.txt"):
        file.unlink()
    (seeds / "sub").rmdir()
    seeds.rmdir()
    assert session.changed_files() == [str(seeds / "a.txt"), str(seeds / "sub" / "b.txt")]


def test_every_save_reaches_an_open_page_even_right_after_a_reload(server, seeds_copy, browser):
    """livereload ignores a change within seconds of its last reload; the dev server must not: a
    second save, and a file broken right after a good save, both show in the open page."""
    page = browser.new_page()
    page.goto(f"http://127.0.0.1:{server.port}/arthur-mensch/")
    page.wait_for_load_state("load")
    edit(seeds_copy / RICH, FLAMINGO, "First Saved Title")
    page.wait_for_function("document.body.innerText.includes('First Saved Title')", timeout=WAIT_SECONDS * 1000)
    edit(seeds_copy / RICH, "First Saved Title", "Second Saved Title")  # within a second of that reload
    page.wait_for_function("document.body.innerText.includes('Second Saved Title')", timeout=WAIT_SECONDS * 1000)
    (seeds_copy / "site.yaml").write_text("profiles: [", encoding="utf-8")  # broken right after a good save
    page.wait_for_function("document.title.includes('Build failed')", timeout=WAIT_SECONDS * 1000)
    assert "site.yaml" in page.locator("body").inner_text()
    page.close()


def test_the_rebuild_line_names_a_source_by_its_path_in_the_seeds_folder(tmp_path):
    from generator.serve import describe_changes

    seeds = tmp_path / "seeds"
    changed = [str(seeds / "content" / "publication" / "x" / "cite.bib"), "/project/templates/_card.html"]
    assert describe_changes(changed, seeds) == "changed: content/publication/x/cite.bib, templates/_card.html"
