"""The persistent cache of parsed sources: a second build loads what the first parsed and writes
the same site; an edited source, a changed generator or a damaged entry is parsed again."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import sys
import time

import pytest
from conftest import ROOT, SEEDS, run_cli, tree_bytes

sys.path.insert(0, str(ROOT / "bench"))
from make_corpus import make_corpus

from generator.errors import BuildError
from generator.incremental import disk_cache
from generator.incremental.cache_folder import CacheFolder
from generator.incremental.stages import IncrementalStages
from generator.incremental.template_cache import template_cache
from generator.pipeline import BuildOptions, build
from generator.render.environment import Renderer
from generator.sources import reading


def build_with_cache(seeds, out, cache_dir) -> IncrementalStages:
    cache = IncrementalStages(cache_dir)
    build(BuildOptions(seeds, out, seeds / "site.yaml"), cache)
    return cache


def build_without_cache(seeds, out) -> None:
    build(BuildOptions(seeds, out, seeds / "site.yaml"))  # the plain stages: no cache at all


def cache_entries(cache_dir) -> dict:
    """The index of the site's cache folder: key → (pack, offset, length)."""
    (index,) = cache_dir.glob("sources/*/index.json")
    return json.loads(index.read_text(encoding="utf-8"))


def pack_bytes(cache_dir) -> int:
    return sum(path.stat().st_size for path in cache_dir.glob("sources/*/pack-*"))


@pytest.fixture(params=["in-process", "forked"])
def corpus(request, tmp_path, monkeypatch):
    """A small synthetic site, read in this process or (as large sites are) by forked workers."""
    if request.param == "forked":
        monkeypatch.setattr(reading, "PARALLEL_FILES", 1)
    seeds = tmp_path / "seeds"
    make_corpus(seeds, 5, 6)
    return seeds


def test_a_second_build_loads_every_source_and_writes_the_same_site(tmp_path, corpus):
    cache_dir = tmp_path / "cache"
    first = build_with_cache(corpus, tmp_path / "first", cache_dir)
    assert first.loaded == [] and len(first.parsed) == 10
    assert len(cache_entries(cache_dir)) == 10
    second = build_with_cache(corpus, tmp_path / "second", cache_dir)
    assert second.parsed == [] and sorted(second.loaded) == sorted(first.parsed)
    assert len(list(cache_dir.glob("sources/*/pack-*"))) == 1, "one pack holds the first build's sources"
    build_without_cache(corpus, tmp_path / "plain")
    assert tree_bytes(tmp_path / "second") == tree_bytes(tmp_path / "first") == tree_bytes(tmp_path / "plain")


def test_an_edited_source_is_parsed_again_and_its_change_shows(tmp_path, corpus):
    cache_dir = tmp_path / "cache"
    build_with_cache(corpus, tmp_path / "out", cache_dir)
    listing = sorted(corpus.glob("*_list.txt"))[1]
    listing.write_text(listing.read_text(encoding="utf-8").replace("Abstract: ", "Abstract: Zanzibar. ", 1))
    cache = build_with_cache(corpus, tmp_path / "out", cache_dir)
    assert cache.parsed == [listing.name] and len(cache.loaded) == 9
    assert "Zanzibar." in (tmp_path / "out" / "papers.json").read_text(encoding="utf-8")
    build_without_cache(corpus, tmp_path / "plain")
    assert tree_bytes(tmp_path / "out") == tree_bytes(tmp_path / "plain")
    assert len(cache_entries(cache_dir)) == 10, "the entry of the edited file's old text is pruned"


def test_a_changed_generator_parses_everything_again(tmp_path, corpus, monkeypatch):
    cache_dir = tmp_path / "cache"
    build_with_cache(corpus, tmp_path / "out", cache_dir)
    monkeypatch.setattr(disk_cache, "code_fingerprint", lambda: "another version of the code")
    cache = build_with_cache(corpus, tmp_path / "out", cache_dir)
    assert cache.loaded == [] and len(cache.parsed) == 10


def test_the_code_fingerprint_covers_every_module_and_library_version():
    disk_cache.code_fingerprint.cache_clear()
    fingerprint = disk_cache.code_fingerprint()
    assert len(fingerprint) == 64
    modules = {path.relative_to(disk_cache.PACKAGE_DIR).as_posix() for path in disk_cache.PACKAGE_DIR.rglob("*.py")}
    assert {
        "sources/rich_profile.py",
        "text/normalize.py",
        "dedupe/blocking.py",
        "incremental/disk_cache.py",
    } <= modules
    for library in disk_cache.LIBRARIES:
        if library != "numpy" or importlib.util.find_spec("numpy") is not None:
            assert disk_cache.library_stamp(library) != f"{library} -\n", f"{library} is found"


def test_an_upgraded_library_changes_the_code_fingerprint(tmp_path, monkeypatch):
    package = tmp_path / "somelib"
    package.mkdir()
    (package / "__init__.py").write_text("VERSION = 1\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(disk_cache, "LIBRARIES", ("somelib",))
    disk_cache.code_fingerprint.cache_clear()
    before = disk_cache.code_fingerprint()
    (package / "__init__.py").write_text("VERSION = 22\n", encoding="utf-8")  # reinstalled, another version
    disk_cache.code_fingerprint.cache_clear()
    try:
        assert disk_cache.code_fingerprint() != before
        monkeypatch.setattr(disk_cache, "LIBRARIES", ("no_such_library_here",))
        disk_cache.code_fingerprint.cache_clear()
        assert disk_cache.code_fingerprint() not in (before, "")
    finally:
        disk_cache.code_fingerprint.cache_clear()


@pytest.mark.parametrize("damage", ["garbage", "truncated", "missing", "bad index"])
def test_a_damaged_entry_is_parsed_again_and_rewritten(tmp_path, corpus, damage):
    cache_dir = tmp_path / "cache"
    build_with_cache(corpus, tmp_path / "first", cache_dir)
    (pack,) = cache_dir.glob("sources/*/pack-*")
    if damage == "garbage":
        pack.write_bytes(b"\x80\x05not a pickle" * (pack.stat().st_size // 15))
    elif damage == "truncated":
        pack.write_bytes(pack.read_bytes()[: pack.stat().st_size // 2])
    elif damage == "missing":
        pack.unlink()
    else:
        pack.with_name("index.json").write_text('{"key": "not a location"', encoding="utf-8")
    cache = build_with_cache(corpus, tmp_path / "second", cache_dir)
    assert len(cache.parsed) >= 5 and len(cache.loaded) + len(cache.parsed) == 10
    assert tree_bytes(tmp_path / "second") == tree_bytes(tmp_path / "first")
    assert len(build_with_cache(corpus, tmp_path / "third", cache_dir).loaded) == 10, "damaged entries are rewritten"
    assert tree_bytes(tmp_path / "second") == tree_bytes(tmp_path / "first")
    assert len(build_with_cache(corpus, tmp_path / "third", cache_dir).loaded) == 10, "entries were rewritten"


def test_files_with_problems_are_never_cached_and_always_reported(tmp_path):
    cache_dir = tmp_path / "cache"
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    bad = sorted(seeds.glob("*.txt"))[0]
    bad.write_text("54.8CLOct 10, 2023\n", encoding="utf-8")  # a card head and nothing else
    for _ in range(2):
        with pytest.raises(BuildError) as raised:
            build_with_cache(seeds, tmp_path / "out", cache_dir)
        assert any(problem.path == bad.name for problem in raised.value.problems)
    assert len(cache_entries(cache_dir)) == len(list(seeds.glob("*.txt"))) - 1, "the sources that parsed are kept"


def test_the_entries_of_removed_sources_are_pruned(tmp_path, corpus):
    cache_dir = tmp_path / "cache"
    build_with_cache(corpus, tmp_path / "out", cache_dir)
    (pack,) = cache_dir.glob("sources/*/pack-*")
    (pack.parent / ".left-over.tmp").write_bytes(b"half written")
    for path in corpus.glob("p00004_*.txt"):
        path.unlink()
    site = corpus / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace("p00004", "p00003"), encoding="utf-8")
    cache = build_with_cache(corpus, tmp_path / "out", cache_dir)
    assert len(cache.loaded) == 8
    assert len(cache_entries(cache_dir)) == 8
    assert not list(cache_dir.glob("sources/*/.*")), "temporary files are removed"


def test_the_folders_of_sites_unused_for_a_month_are_removed(tmp_path, corpus):
    cache_dir = tmp_path / "cache"
    sites = cache_dir / "sources"
    stale, recent = sites / "0123456789abcdef", sites / "fedcba9876543210"
    not_ours = [sites / "notes", sites / "0123456789abcdeg"]
    for folder in (stale, recent, *not_ours):
        (folder / "pack-x").parent.mkdir(parents=True)
        (folder / "pack-x").write_bytes(b"parsed sources")
    month_ago = time.time() - (disk_cache.UNUSED_DAYS + 1) * 86_400
    for folder in (stale, *not_ours):
        os.utime(folder, (month_ago, month_ago))
    os.utime(recent, (time.time() - 86_400, time.time() - 86_400))
    build_with_cache(corpus, tmp_path / "out", cache_dir)
    assert not stale.exists(), "a site no build has used for a month is forgotten"
    assert recent.is_dir() and all(folder.is_dir() for folder in not_ours)
    [own] = [folder for folder in sites.iterdir() if (folder / "index.json").is_file()]
    assert own.name not in {stale.name, recent.name}
    os.utime(own, (month_ago, month_ago))  # the site being built is never removed, however old
    build_with_cache(corpus, tmp_path / "out", cache_dir)
    assert own.is_dir() and (own / "index.json").is_file()


def test_a_pack_mostly_of_entries_no_longer_used_is_compacted(tmp_path, corpus):
    cache_dir = tmp_path / "cache"
    build_with_cache(corpus, tmp_path / "out", cache_dir)
    (first_pack,) = cache_dir.glob("sources/*/pack-*")
    for listing in sorted(corpus.glob("*.txt"))[1:]:
        listing.write_text(listing.read_text(encoding="utf-8") + "\n\n\n", encoding="utf-8")
    assert len(build_with_cache(corpus, tmp_path / "out", cache_dir).parsed) == 9
    assert not first_pack.exists(), "its one live entry was copied into a new pack"
    packs = {pack for pack, _, _ in cache_entries(cache_dir).values()}
    assert {path.name for path in cache_dir.glob("sources/*/pack-*")} == packs and len(packs) == 2
    assert len(build_with_cache(corpus, tmp_path / "again", cache_dir).loaded) == 10
    assert tree_bytes(tmp_path / "again") == tree_bytes(tmp_path / "out")


def test_garbage_in_packs_stays_bounded(tmp_path, corpus):
    cache_dir = tmp_path / "cache"
    build_with_cache(corpus, tmp_path / "out", cache_dir)
    live = sum(length for _, _, length in cache_entries(cache_dir).values())
    for number, listing in enumerate(sorted(corpus.glob("*.txt")) * 2):
        listing.write_text(listing.read_text(encoding="utf-8") + f"\n\n{' ' * number}\n", encoding="utf-8")
        cache = build_with_cache(corpus, tmp_path / "out", cache_dir)
        assert cache.parsed == [listing.name] and len(cache.loaded) == 9
        assert pack_bytes(cache_dir) <= 2 * live + max(length for _, _, length in cache_entries(cache_dir).values())
    packs = {pack for pack, _, _ in cache_entries(cache_dir).values()}
    assert {path.name for path in cache_dir.glob("sources/*/pack-*")} == packs, "unlisted packs are deleted"
    build_without_cache(corpus, tmp_path / "plain")
    assert tree_bytes(tmp_path / "out") == tree_bytes(tmp_path / "plain")


def test_a_cache_folder_that_cannot_be_made_means_no_cache(tmp_path, corpus):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    cache = build_with_cache(corpus, tmp_path / "out", blocker / "cache")
    assert len(cache.parsed) == 10
    build_without_cache(corpus, tmp_path / "plain")
    assert tree_bytes(tmp_path / "out") == tree_bytes(tmp_path / "plain")


def test_a_changed_template_always_shows(tmp_path):
    templates, cache_dir = tmp_path / "templates", tmp_path / "cache"
    templates.mkdir()
    (templates / "page.html").write_text("<p>{{ word }} one</p>", encoding="utf-8")
    assert (
        Renderer(templates, template_cache(CacheFolder.open(cache_dir, []))).render("page.html", {"word": "a"})
        == "<p>a one</p>"
    )
    assert list((cache_dir / "templates").iterdir()), "the compiled template was cached"
    (templates / "page.html").write_text("<p>{{ word }} two</p>", encoding="utf-8")
    assert (
        Renderer(templates, template_cache(CacheFolder.open(cache_dir, []))).render("page.html", {"word": "a"})
        == "<p>a two</p>"
    )


def test_the_command_line_caches_unless_told_not_to(tmp_path):
    import os

    out, cache_home = tmp_path / "out", tmp_path / "home-cache"
    env = dict(os.environ, XDG_CACHE_HOME=str(cache_home))
    for _ in range(2):
        assert run_cli("build", "--seeds", SEEDS, "--out", out, env=env).returncode == 0
    assert len(cache_entries(cache_home / "research-profiles")) == len(list(SEEDS.glob("*.txt")))
    shutil.rmtree(cache_home)
    result = run_cli("build", "--seeds", SEEDS, "--out", out, env=env | {"RESEARCH_PROFILES_NO_CACHE": "1"})
    assert result.returncode == 0
    assert not cache_home.exists()


def profile_pages(cache: IncrementalStages) -> list[str]:
    return [job for job in cache.rendered if job.endswith("/index.html") and not job.startswith("papers/")]


def test_a_second_build_links_every_unchanged_page_instead_of_rendering_it(tmp_path, corpus):
    cache_dir, out = tmp_path / "cache", tmp_path / "out"
    assert len(profile_pages(build_with_cache(corpus, out, cache_dir))) == 5
    second = build_with_cache(corpus, out, cache_dir)
    assert profile_pages(second) == [] and "report.html" not in second.rendered
    assert not [job for job in second.rendered if job.startswith("papers/") or job.endswith("feed.xml")]
    build_without_cache(corpus, tmp_path / "plain")
    assert tree_bytes(out) == tree_bytes(tmp_path / "plain")


def test_after_an_edit_only_the_pages_showing_it_are_rendered(tmp_path, corpus):
    cache_dir, out = tmp_path / "cache", tmp_path / "out"
    build_with_cache(corpus, out, cache_dir)
    page = sorted(corpus.glob("*_page.txt"))[2]
    page.write_text(page.read_text(encoding="utf-8").replace("h-index", "h-index7", 1), encoding="utf-8")
    cache = build_with_cache(corpus, out, cache_dir)
    assert profile_pages(cache) == ["person-00002/index.html"]
    build_without_cache(corpus, tmp_path / "plain")
    assert tree_bytes(out) == tree_bytes(tmp_path / "plain")


def test_a_changed_template_renders_every_page_again(tmp_path, corpus, monkeypatch):
    from generator.incremental import stages

    templates = tmp_path / "templates"
    shutil.copytree(stages.asset_dir("templates"), templates)
    original = stages.asset_dir
    monkeypatch.setattr(stages, "asset_dir", lambda name: templates if name == "templates" else original(name))
    cache_dir, out = tmp_path / "cache", tmp_path / "out"
    build_with_cache(corpus, out, cache_dir)
    card = templates / "_card.html"
    card.write_text(card.read_text(encoding="utf-8").replace('<h3 class="card-title">', '<h3 class="card-title x">'))
    cache = build_with_cache(corpus, out, cache_dir)
    assert len(profile_pages(cache)) == 5
    assert 'class="card-title x"' in (out / "person-00000" / "index.html").read_text(encoding="utf-8")


def test_an_output_file_edited_by_hand_is_rendered_again(tmp_path, corpus):
    cache_dir, out = tmp_path / "cache", tmp_path / "out"
    build_with_cache(corpus, out, cache_dir)
    page = out / "person-00001" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</h1>", " (edited)</h1>"), encoding="utf-8")
    cache = build_with_cache(corpus, out, cache_dir)
    assert profile_pages(cache) == ["person-00001/index.html"]
    build_without_cache(corpus, tmp_path / "plain")
    assert tree_bytes(out) == tree_bytes(tmp_path / "plain")


@pytest.mark.parametrize("change", ["another output folder", "another generator", "damaged record"])
def test_pages_are_reused_only_for_the_output_and_generator_that_wrote_them(tmp_path, corpus, change, monkeypatch):
    cache_dir, out = tmp_path / "cache", tmp_path / "out"
    build_with_cache(corpus, out, cache_dir)
    if change == "another output folder":
        shutil.copytree(out, tmp_path / "copy")
        out = tmp_path / "copy"
    elif change == "another generator":
        monkeypatch.setattr(disk_cache, "code_fingerprint", lambda: "another version of the code")
    else:
        (pages,) = cache_dir.glob("sources/*/pages.json")
        pages.write_text('{"output": 1}', encoding="utf-8")
    cache = build_with_cache(corpus, out, cache_dir)
    assert len(profile_pages(cache)) == 5
    build_without_cache(corpus, tmp_path / "plain")
    assert tree_bytes(out) == tree_bytes(tmp_path / "plain")


def test_a_build_with_the_same_sources_restores_its_clusters(tmp_path, corpus):
    cache_dir, out = tmp_path / "cache", tmp_path / "out"
    assert not build_with_cache(corpus, out, cache_dir).dedupe_restored
    assert build_with_cache(corpus, out, cache_dir).dedupe_restored
    site = corpus / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace("Benchmark corpus", "Another title"), encoding="utf-8")
    assert build_with_cache(corpus, out, cache_dir).dedupe_restored, "site.yaml is not a source"
    build_without_cache(corpus, tmp_path / "plain")
    assert tree_bytes(out) == tree_bytes(tmp_path / "plain")
    assert "Another title" in (out / "index.html").read_text(encoding="utf-8")


def test_an_edited_source_is_deduplicated_again(tmp_path, corpus):
    cache_dir, out = tmp_path / "cache", tmp_path / "out"
    build_with_cache(corpus, out, cache_dir)
    listing = sorted(corpus.glob("*_list.txt"))[0]
    listing.write_text(listing.read_text(encoding="utf-8").replace("Abstract: ", "Abstract: Revised. ", 1))
    assert not build_with_cache(corpus, out, cache_dir).dedupe_restored
    build_without_cache(corpus, tmp_path / "plain")
    assert tree_bytes(out) == tree_bytes(tmp_path / "plain")
    assert build_with_cache(corpus, out, cache_dir).dedupe_restored


@pytest.mark.parametrize("damage", [b"", b"not a pickle", b"\x80\x05K\x01."])
def test_a_damaged_dedupe_record_is_a_miss(tmp_path, corpus, damage):
    cache_dir, out = tmp_path / "cache", tmp_path / "out"
    build_with_cache(corpus, out, cache_dir)
    (record,) = cache_dir.glob("sources/*/dedupe.pickle")
    record.write_bytes(damage)
    assert not build_with_cache(corpus, tmp_path / "again", cache_dir).dedupe_restored
    assert tree_bytes(tmp_path / "again") == tree_bytes(out)


def test_the_dev_servers_first_build_links_the_pages_a_build_left(tmp_path, corpus):
    cache_dir, out = tmp_path / "cache", tmp_path / "out"
    build_with_cache(corpus, out, cache_dir)
    server = IncrementalStages(cache_dir, dev_server=True)
    options = BuildOptions(corpus, out, corpus / "site.yaml")
    build(options, server)
    assert profile_pages(server) == [] and len(server.loaded) == 10
    listing = sorted(corpus.glob("*_list.txt"))[3]
    listing.write_text(listing.read_text(encoding="utf-8").replace("Abstract: ", "Abstract: Revised. ", 1))
    build(options, server)
    assert server.parsed == [listing.name]
    build_without_cache(corpus, tmp_path / "plain")
    assert tree_bytes(out) == tree_bytes(tmp_path / "plain")
    after = build_with_cache(corpus, out, cache_dir)  # and a build after the dev server's
    assert profile_pages(after) == [] and "report.html" in after.rendered, "its report job also writes report.json"
    assert tree_bytes(out) == tree_bytes(tmp_path / "plain")
