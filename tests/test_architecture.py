"""The shape the code promises (docs/architecture.md): stages that import nothing from the
incremental layer, no import cycle, short modules that say what they own; a site built with the
incremental layer switched off and on is the same, byte for byte; and the stages run unchanged on
any concurrent.futures executor."""

from __future__ import annotations

import ast
import multiprocessing
import shutil
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import ROOT, SEEDS, tree_bytes

from generator.executor import FuturesExecutor
from generator.incremental.stages import IncrementalStages
from generator.pipeline import BuildOptions, Stages, build

PACKAGE = ROOT / "generator"
STAGES = ["config", "sources", "text", "dedupe", "merge", "render", "output"]
SHARED = ["model", "errors", "files", "executor", "memory", "libc"]  # what stages share


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every ``generator`` module ``path`` imports, wherever the import stands (at the top, in a
    function, under ``TYPE_CHECKING``), as ``generator.x.y``."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("generator"):
            found.add(node.module)
            for alias in node.names:  # `from generator.dedupe import blocking`: a module too
                candidate = f"{node.module}.{alias.name}"
                if (ROOT / Path(*candidate.split("."))).with_suffix(".py").exists():
                    found.add(candidate)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("generator")}
    return found


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def test_no_stage_imports_anything_from_the_incremental_layer():
    stage_modules = [name for name in MODULES if [*name.split("."), ""][1] in STAGES + SHARED]
    assert len(stage_modules) > 30
    offending = {
        name: sorted(i for i in imports_of(MODULES[name]) if i.startswith("generator.incremental"))
        for name in stage_modules
    }
    assert {name: found for name, found in offending.items() if found} == {}


def test_the_import_graph_has_no_cycle():
    graph = {name: {target for target in imports_of(path) if target in MODULES} for name, path in MODULES.items()}
    for name in graph:  # a package's __init__ is imported with any of its modules: not an edge back
        graph[name] = {target for target in graph[name] if not name.startswith(target + ".")}
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(name: str, path: list[str]) -> list[str] | None:
        state[name] = 1
        for target in sorted(graph[name]):
            if state.get(target) == 1:
                return [*path, name, target]
            if target not in state and (cycle := visit(target, [*path, name])):
                return cycle
        state[name] = 2
        return None

    cycles = [cycle for name in sorted(graph) if name not in state and (cycle := visit(name, []))]
    assert cycles == []


def test_every_module_is_short_and_says_what_it_owns():
    for name, path in MODULES.items():
        text = path.read_text(encoding="utf-8")
        assert len(text.splitlines()) <= 400, name
        assert ast.get_docstring(ast.parse(text)), f"{name} has no docstring"


def test_every_stage_package_exports_its_stage_function():
    from generator.dedupe import deduplicate
    from generator.merge import merge_site
    from generator.output.staging import write_site
    from generator.render import render_site
    from generator.sources.reading import read_sources

    assert all(map(callable, (read_sources, deduplicate, merge_site, render_site, write_site)))


# ---- the incremental layer switched off and on ------------------------------------------------


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_incremental_layer_switched_off_and_on_gives_the_same_site(tmp_path):
    """Plain stages; the disk cache cold and warm; the dev server's memory across an edit: the
    same bytes every time."""
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    options = BuildOptions(seeds, tmp_path / "plain", seeds / "site.yaml")
    build(options, Stages())
    cached = IncrementalStages(tmp_path / "cache")
    for round_number in range(2):  # cold, then warm (sources loaded, clusters restored, pages linked)
        build(BuildOptions(seeds, tmp_path / "cached", seeds / "site.yaml"), cached)
        assert tree_bytes(tmp_path / "cached") == tree_bytes(tmp_path / "plain"), round_number
    assert cached.dedupe_restored and len(cached.loaded) == len(list(seeds.glob("*.txt")))
    server = IncrementalStages(tmp_path / "cache", dev_server=True)
    server_options = BuildOptions(seeds, tmp_path / "served", seeds / "site.yaml")
    build(server_options, server)
    edit(seeds / "004_60683de6a3f97cc2.txt", "h-index10", "h-index11")
    edit(seeds / "000_0a0db6147ccc09af.txt", "Abstract:", "Abstract: Revised.")
    build(server_options, server)
    assert 0 < len(server.parsed) <= 2 and len(server.rendered) < 15, "\n".join(server.rendered)
    assert [path for path in server.rendered if path.startswith("papers/")] == ["papers/pixtral-12b/index.html"]
    build(options, Stages())
    assert tree_bytes(tmp_path / "served") == tree_bytes(tmp_path / "plain")


# ---- any concurrent.futures executor -------------------------------------------------------------


@pytest.mark.parametrize("kind", ["threads", "spawned processes"])
def test_the_stages_run_on_any_futures_executor(tmp_path, kind):
    """The executor seam a distributed engine would plug into: the same stage functions on a
    thread pool, and on processes that share nothing (each item's function and state pickled)."""
    options = BuildOptions(SEEDS, tmp_path / "plain", SEEDS / "site.yaml")
    build(options, Stages())
    if kind == "threads":
        pool = ThreadPoolExecutor(2)
    else:
        pool = ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn"))
    with pool:
        build(BuildOptions(SEEDS, tmp_path / "pooled", SEEDS / "site.yaml"), Stages(FuturesExecutor(pool)))
    assert tree_bytes(tmp_path / "pooled") == tree_bytes(tmp_path / "plain")
