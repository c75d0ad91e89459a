"""Nothing lost, nothing leaked: killed builds, protected folders, determinism across runs."""

from __future__ import annotations

import json
import operator
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, SEEDS, run_cli, tree_bytes, write_corpus

sys.path.insert(0, str(ROOT / "bench"))
from make_corpus import make_corpus

from generator.output.files import MARKER


def assert_complete(out: Path) -> None:
    """Every file the marker lists exists, and papers.json parses."""
    listed = [
        line for line in (out / MARKER).read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")
    ]
    missing = [name for name in listed if not (out / name).is_file()]
    assert not missing
    json.loads((out / "papers.json").read_text(encoding="utf-8"))


def test_killed_builds_never_leave_a_broken_output(tmp_path):
    seeds = tmp_path / "seeds"
    make_corpus(seeds, 150, 20)
    (tmp_path / "seeds.truth.json").unlink()
    out = tmp_path / "out"
    assert run_cli("build", "--seeds", seeds, "--out", out).returncode == 0
    for delay in (0.05, 0.2, 0.4, 0.7, 1.0, 1.5):
        process = subprocess.Popen(
            [sys.executable, "-m", "generator", "build", "--seeds", str(seeds), "--out", str(out)],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert_complete(out)
    assert run_cli("build", "--seeds", seeds, "--out", out).returncode == 0
    assert_complete(out)
    deadline = time.monotonic() + 30  # the old output is deleted by a process of its own, not waited for
    while list(tmp_path.glob(".out.trash-*")) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.lock", "out", "seeds"]  # leftovers cleaned up


WORKERS_THAT_SLEEP = """
import os, sys, time
sys.path.insert(0, {root!r})
from generator.executor import fork_map
def slow(state, item):
    time.sleep(60)
print(os.getpid(), flush=True)
fork_map(slow, None, list(range(4)), 2)
"""


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads worker processes from /proc (Linux)")
def test_worker_processes_die_with_a_killed_build():
    parent = subprocess.Popen(
        [sys.executable, "-c", WORKERS_THAT_SLEEP.format(root=str(ROOT))], stdout=subprocess.PIPE, text=True
    )
    pid = int(parent.stdout.readline())
    workers: list[str] = []
    deadline = time.monotonic() + 10
    while len(workers) < 2 and time.monotonic() < deadline:
        children = Path(f"/proc/{pid}/task/{pid}/children")
        workers = children.read_text().split() if children.exists() else []
        time.sleep(0.1)
    assert len(workers) >= 2, "the pool started its workers"
    parent.send_signal(signal.SIGKILL)
    parent.wait()

    def running(worker: str) -> bool:
        stat = Path(f"/proc/{worker}/stat")
        return stat.exists() and stat.read_text().split()[2] != "Z"

    deadline = time.monotonic() + 5
    while any(map(running, workers)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(map(running, workers)), "no worker outlives the build that started it"


def test_a_folder_left_half_deleted_by_a_killed_build_is_removed_by_the_next(tmp_path):
    """Deleting renames a folder to .NAME.trash-* first: even with its marker already gone, it is ours."""
    out = tmp_path / "out"
    half_deleted = tmp_path / ".out.trash-abc123"
    (half_deleted / "person").mkdir(parents=True)
    (half_deleted / "person" / "index.html").write_text("left over", encoding="utf-8")
    foreign = tmp_path / ".out.build-notours"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("not written by this tool", encoding="utf-8")
    assert run_cli("build", "--seeds", SEEDS, "--out", out).returncode == 0
    assert not half_deleted.exists()
    assert (foreign / "keep.txt").is_file(), "a folder without the marker is never touched"


def test_an_interrupted_swap_is_restored_by_the_next_build(tmp_path):
    out = tmp_path / "out"
    assert run_cli("build", "--out", out).returncode == 0
    out.rename(tmp_path / ".out.old-abc123")  # as if killed between the two renames of a swap
    (tmp_path / ".out.build-def456").mkdir()
    (tmp_path / ".out.build-def456" / MARKER).write_text("# partial\n")
    assert run_cli("build", "--out", out).returncode == 0
    assert_complete(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.lock", "out"]


@pytest.mark.parametrize("target", [".", "..", "HOME"])
def test_refuses_project_root_parents_and_home(tmp_path, target):
    home = tmp_path / "home"
    (home / "work").mkdir(parents=True)
    out = home if target == "HOME" else Path(target)
    env = dict(os.environ, HOME=str(home))
    cwd = home / "work" if target == "HOME" else ROOT
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--seeds", str(SEEDS), "--out", str(out)],
        cwd=cwd,
        env=env | {"PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "may not be" in result.stderr


def test_reserved_windows_names_cannot_be_slugs(tmp_path):
    site = "profiles:\n  - name: Con\n    sources: [a.txt]\n"
    seeds = write_corpus(
        tmp_path / "s", {"a.txt": "Abstract: A paper with enough words in it to be a paper.\n", "site.yaml": site}
    )
    result = run_cli("build", "--seeds", seeds, "--out", tmp_path / "o")
    assert result.returncode == 1 and "site.yaml:2: slug 'con' is a reserved file name on Windows" in result.stderr


def test_builds_are_identical_across_working_directories_and_hash_seeds(tmp_path):
    outputs = []
    for index, (cwd, seed) in enumerate([(ROOT, "1"), (tmp_path, "2"), (SEEDS, "random")]):
        out = tmp_path / f"out{index}"
        result = subprocess.run(
            [sys.executable, "-m", "generator", "build", "--seeds", str(SEEDS), "--out", str(out)],
            cwd=cwd,
            env=dict(os.environ, PYTHONHASHSEED=seed, PYTHONPATH=str(ROOT)),
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        outputs.append(tree_bytes(out))
    assert outputs[0] == outputs[1] == outputs[2]


@pytest.mark.parametrize("arrays_from", [10**9, 1], ids=["plain-blocking", "numpy-blocking"])
def test_incremental_rebuild_equals_a_full_build(tmp_path, monkeypatch, arrays_from):
    from generator.dedupe import blocking
    from generator.incremental.cache_folder import default_cache_dir
    from generator.incremental.stages import IncrementalStages
    from generator.pipeline import BuildOptions, build

    monkeypatch.setattr(blocking, "ARRAYS_FROM", arrays_from)
    seeds = tmp_path / "seeds"
    make_corpus(seeds, 12, 10)
    cache = IncrementalStages(default_cache_dir(), dev_server=True)
    options = BuildOptions(seeds, tmp_path / "incremental", seeds / "site.yaml")
    build(options, cache)
    page = sorted(seeds.glob("*_page.txt"))[3]
    page.write_text(page.read_text(encoding="utf-8").replace("h-index", "h-index1", 1), encoding="utf-8")
    before = {name: source.prepared for name, source in cache.sources.items()}
    entries_before, result_before = list(cache.sources[page.name].doc.entries), cache.dedupe_memo.result
    build(options, cache)
    assert cache.parsed == [page.name]
    assert cache.dedupe_memo.blocking_reused, "a metric edit leaves every blocking key as it was"
    assert all(map(operator.is_, cache.sources[page.name].doc.entries, entries_before)), "equal entries are kept"
    assert cache.dedupe_memo.result is result_before, "no entry changed: the last clusters are taken as they were"
    assert 0 < len(cache.rendered) < 12  # only the changed profile and the pages showing it
    kept = [name for name, source in cache.sources.items() if source.prepared is before[name]]
    assert sorted(kept) == sorted(set(before) - {page.name}), "only the changed file is prepared for dedupe anew"
    build(BuildOptions(seeds, tmp_path / "full", seeds / "site.yaml"))
    assert tree_bytes(tmp_path / "incremental") == tree_bytes(tmp_path / "full")

    listing = sorted(seeds.glob("*_list.txt"))[2]
    text = listing.read_text(encoding="utf-8")
    listing.write_text(text.replace("Abstract: ", "Abstract: Revised. ", 1), encoding="utf-8")
    build(options, cache)
    assert not cache.dedupe_memo.blocking_reused, "an abstract edit is blocked again"
    assert cache.dedupe_memo.blocking_updated == (arrays_from == 1), "large inputs count again only the changed keys"
    assert len(cache.dedupe_memo.decisions) > cache.dedupe_memo.fresh_pairs, (
        "decisions between unchanged entries are reused"
    )
    build(BuildOptions(seeds, tmp_path / "full", seeds / "site.yaml"))
    assert tree_bytes(tmp_path / "incremental") == tree_bytes(tmp_path / "full")


def test_alternating_edits_keep_the_incremental_site_equal_to_a_full_build(tmp_path):
    """Metric edits (no paper changes: data files and the report kept whole) alternate with paper
    edits (parts kept per paper): what one kind of build left in the memos must serve the next."""
    from generator.incremental.cache_folder import default_cache_dir
    from generator.incremental.stages import IncrementalStages
    from generator.pipeline import BuildOptions, build

    seeds = tmp_path / "seeds"
    make_corpus(seeds, 12, 10)
    pages, listings = sorted(seeds.glob("*_page.txt")), sorted(seeds.glob("*_list.txt"))
    with listings[3].open("a", encoding="utf-8") as listing:  # a paper no source gives a title
        listing.write("Abstract: A singular study of nothing in particular. A second sentence follows it.\n")
    cache = IncrementalStages(default_cache_dir(), dev_server=True)
    options = BuildOptions(seeds, tmp_path / "incremental", seeds / "site.yaml")
    build(options, cache)
    title = _first_card_title(pages[0])  # the first titled source: its paper's title, hence its id, changes
    later_title = _first_card_title(pages[5])
    shared = next(line for line in listings[7].read_text(encoding="utf-8").splitlines() if line.startswith("Abstract"))
    edits = [
        (pages[1], "h-index", "h-index7"),
        (listings[2], "Abstract: ", "Abstract: Revised. "),
        (listings[6], "Abstract: ", f"{shared}\nAbstract: "),  # a paper gains a profile
        (listings[3], "A second sentence", "A revised second sentence"),  # an untitled paper, not its title
        (pages[4], "h-index", "h-index8"),
        (listings[5], "Abstract: ", "Abstract: Amended. "),
        (pages[0], title, "Zzz " + title),
        (pages[0], "Zzz " + title, later_title),  # titled as a later paper: the two merge
        (pages[1], "h-index7", "h-index"),
        (listings[2], "Abstract: Revised. ", "Abstract: "),
        (listings[6], f"{shared}\n", ""),  # and loses it
    ]
    for number, (path, old, new) in enumerate(edits):
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        build(options, cache)
        assert "papers.json" in cache.rendered, "its papers, their profiles or the profiles' metrics changed"
        if "h-index" in old:  # no paper changed: files made of the papers alone are linked, not written
            assert "report.json" not in cache.rendered and "search-index.js" not in cache.rendered
        if new.startswith("Zzz"):
            assert "search-index.js" in cache.rendered, "a paper's title and id changed"
        build(BuildOptions(seeds, tmp_path / f"full{number}", seeds / "site.yaml"))
        assert tree_bytes(tmp_path / "incremental") == tree_bytes(tmp_path / f"full{number}"), f"after edit {number}"


def _first_card_title(page: Path) -> str:
    from generator.sources.rich_profile import is_card_head

    lines = page.read_text(encoding="utf-8").splitlines()
    return next(lines[number + 1] for number, line in enumerate(lines) if is_card_head(line))


@pytest.mark.parametrize(
    "edit",
    [
        ("papers.yaml", 'title: "Pixtral 12B"', 'title: "Pixtral 12B, revised"'),  # an override changes a paper
        ("site.yaml", '["001_*.txt"]', '["001_*.txt", "002_*.txt"]'),  # a file gains a second profile
        ("002_5282ec8c79f5237d.txt", "Abstract:", "Abstract: Edited."),  # a source changes a shared paper
    ],
    ids=["override", "profile-sources", "source"],
)
def test_incremental_rebuild_after_an_edit_equals_a_full_build(tmp_path, edit):
    import shutil

    from generator.incremental.cache_folder import default_cache_dir
    from generator.incremental.stages import IncrementalStages
    from generator.pipeline import BuildOptions, build

    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    cache = IncrementalStages(default_cache_dir(), dev_server=True)
    options = BuildOptions(seeds, tmp_path / "incremental", seeds / "site.yaml")
    build(options, cache)
    name, old, new = edit
    text = (seeds / name).read_text(encoding="utf-8")
    assert old in text
    (seeds / name).write_text(text.replace(old, new, 1), encoding="utf-8")
    build(options, cache)
    if name.endswith(".txt"):
        assert 0 < cache.merge_memo.fresh < 10, "only the papers of the changed source are merged again"
    build(BuildOptions(seeds, tmp_path / "full", seeds / "site.yaml"))
    assert tree_bytes(tmp_path / "incremental") == tree_bytes(tmp_path / "full")


def test_the_dev_servers_first_build_keeps_its_memos_when_pages_render_on_every_core(tmp_path, monkeypatch):
    """The report's blocks and the data files' parts are made in this process, where the memos live:
    a later rebuild whose report did not change renders no report block again (a forked worker's
    memo would be lost with it)."""
    from generator.incremental import pages as reuse
    from generator.incremental.cache_folder import default_cache_dir
    from generator.incremental.stages import IncrementalStages
    from generator.pipeline import BuildOptions, build
    from generator.render import pages as render

    monkeypatch.setattr(render, "PARALLEL_PAGES", 1)  # every build renders on every core
    monkeypatch.setattr(reuse, "BLOCK_CHUNK", 1)  # a block per merged paper or pair, whatever the hashes
    seeds = tmp_path / "seeds"
    make_corpus(seeds, 12, 10)
    cache = IncrementalStages(default_cache_dir(), dev_server=True)
    options = BuildOptions(seeds, tmp_path / "out", seeds / "site.yaml")
    build(options, cache)
    rendered_blocks: list[int] = []  # how many merged papers or pairs each block rendered shows
    chunk_block = reuse._chunk_block
    monkeypatch.setattr(reuse, "_chunk_block", lambda *args: rendered_blocks.append(len(args[2])) or chunk_block(*args))
    listing = sorted(seeds.glob("*_list.txt"))[2]
    listing.write_text(listing.read_text(encoding="utf-8").replace("Abstract: ", "Abstract: Revised. ", 1), "utf-8")
    build(options, cache)
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert "report.html" in cache.rendered and report["merged"] and report["apart"]
    assert 0 < sum(rendered_blocks) < (len(report["merged"]) + len(report["apart"])) / 2, (
        "most blocks came from the memo"
    )
    build(BuildOptions(seeds, tmp_path / "full", seeds / "site.yaml"))
    assert tree_bytes(tmp_path / "out") == tree_bytes(tmp_path / "full")


def test_incremental_rebuild_never_keeps_an_output_file_edited_by_hand(tmp_path):
    from generator.incremental.cache_folder import default_cache_dir
    from generator.incremental.stages import IncrementalStages
    from generator.pipeline import BuildOptions, build

    seeds = tmp_path / "seeds"
    make_corpus(seeds, 4, 5)
    cache = IncrementalStages(default_cache_dir(), dev_server=True)
    options = BuildOptions(seeds, tmp_path / "out", seeds / "site.yaml")
    build(options, cache)
    expected = tree_bytes(tmp_path / "out")
    page = next(path for path in sorted(expected) if path.endswith("/index.html"))
    (tmp_path / "out" / page).write_text("edited by hand", encoding="utf-8")
    build(options, cache)
    assert page in cache.rendered, "the edited page was rendered again"
    assert tree_bytes(tmp_path / "out") == expected


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _files_but_marker(folder: Path) -> dict[str, bytes]:
    return {name: data for name, data in tree_bytes(folder).items() if name != MARKER}


def test_the_dev_server_builds_into_its_spare_copy_of_the_previous_output(tmp_path):
    """Each rebuild writes into the output before the live one (kept as a spare), keeping its
    unchanged pages: the retired output keeps exactly what it held (nothing is written through a
    link the two share), and the result is always the full build's."""
    from generator.incremental.cache_folder import default_cache_dir
    from generator.incremental.stages import IncrementalStages
    from generator.pipeline import BuildOptions, build

    seeds, out, full = tmp_path / "seeds", tmp_path / "out", tmp_path / "full"
    make_corpus(seeds, 6, 5)
    cache = IncrementalStages(default_cache_dir(), dev_server=True)
    options = BuildOptions(seeds, out, seeds / "site.yaml")
    build(options, cache)
    pages = sorted(seeds.glob("*_page.txt"))
    for number, page in enumerate([pages[0], pages[1], pages[0], pages[2]]):
        before = tree_bytes(out)
        _edit(page, "h-index", f"h-index{number}")
        build(options, cache)
        assert cache.spare is not None
        assert tree_bytes(cache.spare.folder) == before, "the retired output holds what it held"
        assert len(cache.rendered) < 6
        build(BuildOptions(seeds, full, seeds / "site.yaml"))
        assert tree_bytes(out) == tree_bytes(full)

    live_page = sorted(out.glob("*/index.html"))[0]
    with live_page.open("r+b") as stream:  # edited in place: the spare shares this file
        stream.write(b"<!-- by hand -->")
    _edit(pages[4], "h-index", "h-index9")
    build(options, cache)
    build(BuildOptions(seeds, full, seeds / "site.yaml"))
    assert tree_bytes(out) == tree_bytes(full), "a page edited by hand is never kept"

    config = seeds / "site.yaml"
    lines = config.read_text(encoding="utf-8").splitlines(keepends=True)
    slug_line = next(index for index, line in enumerate(lines) if "slug:" in line)
    removed_slug = lines[slug_line].split("slug:")[1].strip()
    config.write_text(
        "".join(lines).replace(f"slug: {removed_slug}", f"slug: {removed_slug}-renamed"), encoding="utf-8"
    )
    build(options, cache)
    build(BuildOptions(seeds, full, seeds / "site.yaml"))
    assert not (out / removed_slug).exists(), "a profile's old folder is removed from the reused folder"
    assert tree_bytes(out) == tree_bytes(full)


def test_a_failed_rebuild_deletes_the_spare_and_a_cli_build_removes_a_dev_servers_spare(tmp_path, monkeypatch):
    from generator.errors import BuildError
    from generator.incremental import stages as stages_module
    from generator.incremental.cache_folder import default_cache_dir
    from generator.incremental.stages import IncrementalStages
    from generator.pipeline import BuildOptions, build

    seeds, out = tmp_path / "seeds", tmp_path / "out"
    make_corpus(seeds, 4, 5)
    cache = IncrementalStages(default_cache_dir(), dev_server=True)
    options = BuildOptions(seeds, out, seeds / "site.yaml")
    build(options, cache)
    build(options, cache)
    spare = cache.spare
    assert spare is not None and spare.folder.is_dir()
    good = tree_bytes(out)
    page = sorted(seeds.glob("*_page.txt"))[0]
    text = page.read_text(encoding="utf-8")
    page.write_text(text + "\n99.9XXJan 99, 2023\nTitle\n", encoding="utf-8")
    with pytest.raises(BuildError):
        build(options, cache)
    assert tree_bytes(out) == good
    assert cache.spare == spare and spare.folder.is_dir(), "a source error stops the build before the spare is used"
    page.write_text(text, encoding="utf-8")

    def disk_full(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(stages_module, "write_site", disk_full)
    with pytest.raises(BuildError):  # the disk error, said as a problem
        build(options, cache)
    assert tree_bytes(out) == good
    assert cache.spare is None and not list(tmp_path.glob(".out.*-*")), "a build failing mid-way deletes the spare"
    monkeypatch.undo()
    build(options, cache)
    build(options, cache)
    assert tree_bytes(out) == good
    assert cache.spare is not None and cache.spare.folder.is_dir()
    assert run_cli("build", "--seeds", str(seeds), "--out", str(out)).returncode == 0
    assert not list(tmp_path.glob(".out.*-*")), "a command-line build removes a dev server's spare"


def test_a_large_old_output_is_deleted_in_the_background_and_a_half_deleted_one_by_the_next_build(
    tmp_path, monkeypatch
):
    from generator.output import staging as write
    from generator.pipeline import BuildOptions, build

    seeds, out = tmp_path / "seeds", tmp_path / "out"
    make_corpus(seeds, 4, 5)
    options = BuildOptions(seeds, out, seeds / "site.yaml")
    build(options)
    first = tree_bytes(out)
    monkeypatch.setattr(write, "DELETE_LATER_FROM", 1)  # every old output counts as large
    build(options)
    assert tree_bytes(out) == first, "the new output is in place at once"
    assert not list(tmp_path.glob(".out.old-*")) and not list(tmp_path.glob(".out.build-*"))
    deadline = time.monotonic() + 30
    while list(tmp_path.glob(".out.*-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not list(tmp_path.glob(".out.*-*")), "the background process deleted the old output"
    half_deleted = tmp_path / ".out.trash-abc123"  # as if that process had been stopped half-way
    (half_deleted / "person-x").mkdir(parents=True)
    (half_deleted / "person-x" / "index.html").write_text("old", encoding="utf-8")
    build(options)
    assert not half_deleted.exists() and tree_bytes(out) == first


def test_parallel_build_equals_a_serial_build(tmp_path, monkeypatch):
    from generator.dedupe import blocking, scoring, signatures
    from generator.pipeline import BuildOptions, build
    from generator.render import pages as render
    from generator.sources import reading

    seeds = tmp_path / "seeds"
    make_corpus(seeds, 12, 10)
    build(BuildOptions(seeds, tmp_path / "serial", seeds / "site.yaml"))
    monkeypatch.setattr(reading, "PARALLEL_FILES", 1)
    monkeypatch.setattr(render, "PARALLEL_PAGES", 1)
    monkeypatch.setattr(signatures, "SIGNATURE_CHUNK", 7)
    monkeypatch.setattr(scoring, "SCORE_BATCH", 5)
    monkeypatch.setattr(scoring, "PAIRWISE_FROM", 2)
    monkeypatch.setattr(blocking, "ARRAYS_FROM", 1)  # and the NumPy blocking
    build(BuildOptions(seeds, tmp_path / "parallel", seeds / "site.yaml"))
    assert tree_bytes(tmp_path / "parallel") == tree_bytes(tmp_path / "serial")


def test_a_finished_build_frees_its_site_without_the_cycle_collector(tmp_path):
    """No reference cycle holds the site model: it is freed as soon as the build returns, not left
    for a full collection (which costs a large site about half a second, or memory in the dev server)."""
    import gc

    from generator.model import Cluster, Entry, Paper, Profile
    from generator.pipeline import BuildOptions, build

    seeds = tmp_path / "seeds"
    make_corpus(seeds, 6, 8)
    gc.collect()
    gc.disable()
    try:
        build(BuildOptions(seeds, tmp_path / "out", seeds / "site.yaml"))
        alive = [type(o).__name__ for o in gc.get_objects() if isinstance(o, Entry | Paper | Cluster | Profile)]
        frozen = gc.get_freeze_count()
    finally:
        gc.enable()
    assert alive == []
    assert frozen == 0


def test_a_small_site_loads_no_library_it_does_not_need(tmp_path):
    """NumPy (large builds: 64 sources, 3,000 entries or 2,000 pairs), Markdown (bios) and ftfy
    (text that looks like mojibake) load only where needed: a small site starts fast."""
    seeds = tmp_path / "seeds"
    make_corpus(seeds, 10, 30)  # some 400 entries and 600 candidate pairs: small, but not tiny
    script = (
        "import sys; from pathlib import Path; from generator.pipeline import BuildOptions, build; "
        f"build(BuildOptions(Path({str(seeds)!r}), Path({str(tmp_path / 'out')!r}), Path({str(seeds / 'site.yaml')!r}))); "
        "print(sorted(name for name in ('numpy', 'markdown', 'ftfy') if name in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
