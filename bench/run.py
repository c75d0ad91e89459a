"""Benchmark: build synthetic corpora of growing size and print a table.

Usage: python bench/run.py [--sizes 10x30,100x50,1000x50,2000x50] [--repeat 3] [--hugo]

First the shipped seeds, built by the command line as a whole process (interpreter start
included). Then, for each size (profiles x papers), it generates a corpus with
bench/make_corpus.py and times, each in a fresh process: a cold build (no output and an
empty cache folder) and a warm build (the same build again: output and disk cache present,
files cached by the system), with the wall time of every stage, the whole process's wall time
(ended as the command line ends a build: output flushed, the build's objects left to go with the
process, see ``generator.cli.run``), the peak RSS of
the main process and of the largest worker, and the output size; in-process incremental
rebuilds (what the dev server does), five of each alternating, each in another file (the
median is shown): after changing a metric on a profile page, and after changing an abstract
in a list (which changes a paper, pair decisions and the report); and the deduplication's
pairwise precision and recall against the corpus's ground truth. With --hugo and Debian's
hugo installed, it also times Hugo on an equivalent site. Speed is measured here, never
asserted in a test.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from make_corpus import make_corpus  # noqa: E402

CHILD = """
import json, os, resource, sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
from generator.incremental.cache_folder import default_cache_dir
from generator.incremental.stages import IncrementalStages
from generator.pipeline import BuildOptions, build
seeds, out = Path(sys.argv[1]), Path(sys.argv[2])
started = time.perf_counter()
cache = IncrementalStages(default_cache_dir())
summary = build(BuildOptions(seeds, out, seeds / "site.yaml"), cache)
total = time.perf_counter() - started
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({{"total": total, "stages": summary.timings, "papers": summary.papers, "entries": summary.entries, "rss_mb": rss, "worker_rss_mb": workers}}))
sys.stdout.flush()
os._exit(0)  # as the command line ends a build (generator.cli.run): the build's objects go with the process
"""

INCREMENTAL_ROUNDS = 5  # rebuilds of each kind; the table shows their median
INCREMENTAL = """
import json, sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
from generator.incremental.cache_folder import default_cache_dir
from generator.incremental.stages import IncrementalStages
from generator.pipeline import BuildOptions, build
seeds, out = Path(sys.argv[1]), Path(sys.argv[2])
cache = IncrementalStages(default_cache_dir(), dev_server=True)
options = BuildOptions(seeds, out, seeds / "site.yaml")
build(options, cache)
def rebuild_after(path, old, new):
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    started = time.perf_counter()
    build(options, cache)
    return time.perf_counter() - started
pages, lists = sorted(seeds.glob("*_page.txt")), sorted(seeds.glob("*_list.txt"))
metric, abstract = [], []
for number in range(ROUNDS):  # edits alternate, each in another file
    metric.append(rebuild_after(pages[number * 7 % len(pages)], "h-index", "h-index9"))
    abstract.append(rebuild_after(lists[(number * 5 + 1) % len(lists)], "Abstract: ", "Abstract: Revised. "))
print(json.dumps({{"metric": metric, "abstract": abstract}}))
""".replace("ROUNDS", str(INCREMENTAL_ROUNDS))


def run_child(script: str, *args: Path, cache: Path) -> dict:
    """Run ``script`` in a fresh interpreter with its own template cache folder; add its whole wall time."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", script.format(root=str(ROOT)), *map(str, args)],
        capture_output=True,
        text=True,
        check=True,
        env=dict(os.environ, XDG_CACHE_HOME=str(cache)),
    )
    return json.loads(result.stdout.strip().splitlines()[-1]) | {"process": time.perf_counter() - started}


def seeds_seconds(repeat: int) -> float:
    """The shipped seeds built by the command line, interpreter start included (median)."""
    times = []
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(repeat):
            started = time.perf_counter()
            command = [sys.executable, "-m", "generator", "build", "--out", str(Path(folder) / "out")]
            subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
            times.append(time.perf_counter() - started)
    return statistics.median(times)


def pairwise(truth: dict[str, str], out: Path) -> tuple[float, float]:
    predicted = {
        f"{source['file']}:{source['line']}": paper["id"]
        for paper in json.loads((out / "papers.json").read_text(encoding="utf-8"))["papers"]
        for source in paper["sources"]
    }

    def pairs(assignment: dict[str, str]) -> set[tuple[str, str]]:
        groups = defaultdict(list)
        for entry, paper in assignment.items():
            groups[paper].append(entry)
        return {pair for members in groups.values() for pair in combinations(sorted(members), 2)}

    true_pairs, found = pairs(truth), pairs(predicted)
    both = len(true_pairs & found)
    return both / max(1, len(found)), both / max(1, len(true_pairs))


def folder_mb(folder: Path) -> float:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file()) / 1e6


def hugo_seconds(seeds: Path, work: Path) -> float | None:
    """Hugo building one page per profile with the same cards (content only, minimal layout)."""
    hugo = shutil.which("hugo")
    if hugo is None:
        return None
    site = work / "hugo"
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "content").mkdir()
    (site / "hugo.toml").write_text(
        'baseURL = "/"\ntitle = "Benchmark"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n'
    )
    (site / "layouts" / "_default" / "single.html").write_text(
        "<html><body><h1>{{ .Title }}</h1>{{ .Content }}</body></html>"
    )
    (site / "layouts" / "_default" / "list.html").write_text(
        "<html><body>{{ range .Pages }}<a href='{{ .RelPermalink }}'>{{ .Title }}</a>{{ end }}</body></html>"
    )
    for page in sorted(seeds.glob("*_page.txt")):
        text = page.read_text(encoding="utf-8")
        title = text.splitlines()[0]
        body = "\n\n".join(f"### {block}" for block in text.split("\n\n"))
        (site / "content" / f"{page.stem}.md").write_text(f'---\ntitle: "{title}"\n---\n{body}\n', encoding="utf-8")
    started = time.perf_counter()
    subprocess.run([hugo, "--quiet", "-s", str(site)], check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--sizes", default="10x30,100x50,1000x50,2000x50")
    options.add_argument("--repeat", type=int, default=3)
    options.add_argument("--hugo", action="store_true")
    options.add_argument("--seeds-runs", type=int, default=11, help="whole-process builds of the shipped seeds")
    arguments = options.parse_args()
    print(
        f"Shipped seeds, whole process, median of {arguments.seeds_runs}: {seeds_seconds(arguments.seeds_runs):.2f} s\n"
    )
    header = (
        "size",
        "entries",
        "papers",
        "parse",
        "dedupe",
        "merge",
        "render",
        "write",
        "cold",
        "process",
        "warm",
        "incr. metric / abstract",
        "RSS MB main / worker",
        "out MB",
        "precision",
        "recall",
        "hugo",
    )
    print(" | ".join(header))
    print(" | ".join("---" for _ in header))
    for size in arguments.sizes.split(","):
        profiles, papers = map(int, size.split("x"))
        with tempfile.TemporaryDirectory() as folder:
            work = Path(folder)
            truth = make_corpus(work / "seeds", profiles, papers)
            colds, warms = [], []
            for attempt in range(arguments.repeat):
                shutil.rmtree(work / "out", ignore_errors=True)
                cache = work / f"cache-{attempt}"  # cold: no output and no cache yet; warm: both present
                colds.append(run_child(CHILD, work / "seeds", work / "out", cache=cache))
                warms.append(run_child(CHILD, work / "seeds", work / "out", cache=cache))
            cold = min(colds, key=lambda run: run["total"])
            stages = {name: statistics.median(run["stages"][name] for run in colds) for name in cold["stages"]}
            incremental = run_child(INCREMENTAL, work / "seeds", work / "incremental", cache=work / "cache-0")
            precision, recall = pairwise(truth, work / "out")
            hugo = hugo_seconds(work / "seeds", work) if arguments.hugo else None
            row = [size, cold["entries"], cold["papers"]] + [
                f"{stages.get(name, 0):.2f}" for name in ("parse", "dedupe", "merge", "render", "write")
            ]
            row += [
                f"{statistics.median(run['total'] for run in colds):.2f}",
                f"{statistics.median(run['process'] for run in colds):.2f}",
                f"{statistics.median(run['total'] for run in warms):.2f}",
                f"{statistics.median(incremental['metric']):.2f} / {statistics.median(incremental['abstract']):.2f}",
                f"{max(run['rss_mb'] for run in colds):.0f} / {max(run['worker_rss_mb'] for run in colds):.0f}",
                f"{folder_mb(work / 'out'):.1f}",
                f"{precision:.4f}",
                f"{recall:.4f}",
                "-" if hugo is None else f"{hugo:.2f}",
            ]
            print(" | ".join(map(str, row)), flush=True)


if __name__ == "__main__":
    main()
