"""Benchmark: build a synthetic site of many profiles and entries, report the time per stage.

Usage: python benchmarks/bench_build.py [--profiles 1000] [--papers-per-profile 20] [--duplicate-rate 0.3]

Speed is measured here, never asserted in a test. The corpus is generated with a fixed seed,
so runs are comparable: abstract lists and rich profile pages, with papers shared between
profiles (the same abstract, truncated or re-typeset) like real scraped sources.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.build import BuildOptions, build

SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ne",
    "ru",
    "sa",
    "ti",
    "vo",
    "ze",
    "pa",
    "da",
    "fe",
    "gi",
    "hu",
    "ja",
    "ko",
    "li",
    "mo",
    "nu",
    "pe",
    "ri",
    "so",
    "tu",
    "va",
]


def vocabulary(rng: random.Random, size: int = 3000) -> tuple[list[str], list[float]]:
    """Pseudo-words with Zipf weights: a few very common, most rare, as in real abstracts."""
    words = sorted({"".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 4))) for _ in range(size)})
    rng.shuffle(words)
    return words, [1 / rank for rank in range(1, len(words) + 1)]


def paper_text(rng: random.Random, index: int, words: tuple[list[str], list[float]]) -> tuple[str, str]:
    title = " ".join(w.capitalize() for w in rng.choices(*words, k=rng.randint(4, 9))) + f" {index}"
    sentences = [
        " ".join(rng.choices(*words, k=rng.randint(12, 24))).capitalize() + "." for _ in range(rng.randint(5, 9))
    ]
    return title, f"We present method M{index}. " + " ".join(sentences)


def write_corpus(folder: Path, profiles: int, per_profile: int, duplicate_rate: float) -> tuple[int, int]:
    """Write the corpus; return (entries written, distinct papers among them)."""
    rng = random.Random(20261122)
    words = vocabulary(rng)
    pool = [paper_text(rng, index, words) for index in range(int(profiles * per_profile * (1 - duplicate_rate)) + 1)]
    lines = ["title: Benchmark", "profiles:"]
    entries, distinct = 0, set()
    for person in range(profiles):
        chosen = rng.sample(range(len(pool)), per_profile)
        distinct.update(chosen)
        if person % 2:
            text = "\n".join(f"Abstract: {_maybe_cut(rng, pool[i][1])}" for i in chosen)
        else:
            text = _rich_page(rng, person, [pool[i] for i in chosen])
        (folder / f"p{person:05}.txt").write_text(text + "\n", encoding="utf-8")
        lines += [f"  - name: Person {person}", f"    sources: [p{person:05}.txt]"]
        entries += per_profile
    (folder / "site.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return entries, len(distinct)


def _maybe_cut(rng: random.Random, abstract: str) -> str:
    return abstract[: rng.randint(200, 400)].rsplit(" ", 1)[0] + "..." if rng.random() < 0.2 else abstract


def _rich_page(rng: random.Random, person: int, papers: list[tuple[str, str]]) -> str:
    cards = [
        f"{rng.uniform(1, 90):.1f}CLJan {rng.randint(1, 28)}, {rng.randint(2015, 2025)}\n{title}\n\n"
        f"Person {person}, Someone Else et al.\n\n{abstract}\n"
        for title, abstract in papers
    ]
    return f"Person {person}\n\nCL\nh-index{rng.randint(1, 60)}\n\n{len(cards)} Papers\n\n" + "\n".join(cards)


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--profiles", type=int, default=1000)
    options.add_argument("--papers-per-profile", type=int, default=20)
    options.add_argument("--duplicate-rate", type=float, default=0.3)
    arguments = options.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        seeds = work / "seeds"
        seeds.mkdir()
        entries, distinct = write_corpus(
            seeds, arguments.profiles, arguments.papers_per_profile, arguments.duplicate_rate
        )
        started = time.perf_counter()
        summary = build(BuildOptions(seeds, work / "output", seeds / "site.yaml"))
        elapsed = time.perf_counter() - started
        print(
            f"{arguments.profiles} profiles, {entries} entries -> {summary.papers} papers "
            f"(expected {distinct}), "
            f"{summary.files} files in {elapsed:.2f}s ({entries / elapsed:,.0f} entries/s)"
        )
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
