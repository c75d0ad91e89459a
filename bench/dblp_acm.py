"""Benchmark: deduplication on DBLP-ACM, the Leipzig entity-resolution benchmark.

Usage: python bench/dblp_acm.py [DATA] [--show N] [--dirty P]

DATA is the folder holding ``dblp.csv``, ``acm.csv`` and ``gt.csv`` as pyJedAI redistributes
them (``data/ccer/D4``: ``%``-separated, a header line; see docs/performance.md); without it, the
folder named by the ``DBLP_ACM`` environment variable.  Each table becomes a ``.bib`` file of one
profile; the site is built by :func:`generator.pipeline.build` as any other (no cache); the
papers it gives are compared with the hand-checked pairs: pairwise precision, recall and F1
across the two tables, and the pairs merged within one table (each table is free of
duplicates, so every such pair is wrong).  ``--show N`` lists N missed and N wrong pairs with
both records, to see why.  ``--dirty P`` first makes the records as messy as scraped ones, the
way the "dirty" variants of the Magellan benchmarks are made: each record's authors, venue and
year are, each with probability P, moved to the front of its title (the field left empty), and
years are written as numbers with a decimal point (``1998.0``); the random choices are seeded,
so one P gives one data set.  Quality is measured here, never asserted in a test.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.pipeline import BuildOptions, build  # noqa: E402

TABLES = ("dblp", "acm")
SITE = """title: DBLP-ACM
profiles:
  - name: DBLP
    sources: [dblp.bib]
  - name: ACM
    sources: [acm.bib]
"""


@dataclass(frozen=True)
class Record:
    """One row of a table."""

    table: str
    id: str
    title: str
    authors: str
    venue: str
    year: str


def read_table(path: Path, table: str) -> list[Record]:
    """The rows of one table; a row whose empty authors field was dropped (the venue and year
    then sit, quoted, in the authors column) is read as the original had it."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="%"))[1:]
    return [_record(table, row) for row in rows if row]


def _record(table: str, row: list[str]) -> Record:
    row_id, title, authors, venue, year = (row + [""] * 5)[:5]
    if "%" in authors and not venue and not year:  # a shifted row: authors lost, venue%year%%… in its place
        venue, year = authors.split("%")[:2]
        authors = ""
    return Record(table, row_id, title, authors, venue, year)


def dirtied(records: list[Record], probability: float, seed: int = 2010) -> list[Record]:
    """The records with fields moved to the front of their titles (see the module's notes)."""
    chooser = random.Random(seed)
    messy = []
    for record in records:
        glued, fields = [], {}
        for field in ("authors", "venue", "year"):
            value = getattr(record, field)
            if value and chooser.random() < probability:
                glued.append(value)
                fields[field] = ""
        year = fields.get("year", record.year)
        fields["year"] = f"{year}.0" if year else ""
        messy.append(replace(record, title=" ".join([*glued, record.title]), **fields))
    return messy


def read_truth(path: Path) -> set[tuple[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {(row[0], row[1]) for row in list(csv.reader(handle, delimiter="%"))[1:] if row}


BIB_SPECIALS = str.maketrans({"%": r"\%", "$": r"\$", "_": r"\_"})


def bib_of(records: list[Record]) -> tuple[str, dict[int, str]]:
    """The records as BibTeX, and the line each record's entry starts on → its id."""
    lines: list[str] = []
    starts: dict[int, str] = {}
    for record in records:
        starts[len(lines) + 1] = record.id
        authors = " and ".join(name.strip() for name in record.authors.split(",") if name.strip())
        lines += [
            f"@article{{{record.table}{record.id},",
            f"  title = {{{_bib_value(record.title)}}},",
            f"  author = {{{_bib_value(authors)}}},",
            f"  journal = {{{_bib_value(record.venue)}}},",
            f"  year = {{{record.year}}}",
            "}",
            "",
        ]
    return "\n".join(lines), starts


def _bib_value(text: str) -> str:
    """A value inside braces: TeX's specials escaped (``&`` and ``#`` left as they are: ACM's names hold HTML
    character references, which the build decodes), unbalanced braces dropped."""
    text = text.replace("\\", " ").translate(BIB_SPECIALS)
    return text if text.count("{") == text.count("}") else text.replace("{", "").replace("}", "")


def built_clusters(data: Path, work: Path, dirty: float = 0.0) -> tuple[list[list[tuple[str, str]]], float]:
    """Build the two tables as a site; each paper's records as (table, id); and the build's time."""
    seeds, starts = work / "seeds", {}
    seeds.mkdir()
    (seeds / "site.yaml").write_text(SITE, encoding="utf-8")
    for table in TABLES:
        records = read_table(data / f"{table}.csv", table)
        text, starts[table + ".bib"] = bib_of(dirtied(records, dirty) if dirty else records)
        (seeds / f"{table}.bib").write_text(text, encoding="utf-8")
    started = time.perf_counter()
    build(BuildOptions(seeds, work / "out", seeds / "site.yaml"))
    seconds = time.perf_counter() - started
    papers = json.loads((work / "out" / "papers.json").read_text(encoding="utf-8"))["papers"]
    return [
        [(source["file"].removesuffix(".bib"), starts[source["file"]][source["line"]]) for source in paper["sources"]]
        for paper in papers
    ], seconds


@dataclass
class Quality:
    """Pairwise quality across the tables, and the wrong merges within one."""

    found: set[tuple[str, str]]
    truth: set[tuple[str, str]]
    within: int

    @property
    def precision(self) -> float:
        return len(self.found & self.truth) / len(self.found) if self.found else 1.0

    @property
    def recall(self) -> float:
        return len(self.found & self.truth) / len(self.truth) if self.truth else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def quality_of(clusters: list[list[tuple[str, str]]], truth: set[tuple[str, str]]) -> Quality:
    found, within = set(), 0
    for members in clusters:
        for (table_a, id_a), (table_b, id_b) in combinations(members, 2):
            if table_a == table_b:
                within += 1
            else:
                found.add((id_a, id_b) if table_a == "dblp" else (id_b, id_a))
    return Quality(found, truth, within)


def show_errors(quality: Quality, data: Path, count: int, dirty: float) -> None:
    """A few missed and wrong pairs, both records in full (as built)."""
    records = {}
    for table in TABLES:
        rows = read_table(data / f"{table}.csv", table)
        records.update({(r.table, r.id): r for r in (dirtied(rows, dirty) if dirty else rows)})
    for label, pairs in (("missed", quality.truth - quality.found), ("wrong", quality.found - quality.truth)):
        print(f"\n{label} ({len(pairs)}):")
        for dblp_id, acm_id in sorted(pairs, key=lambda pair: (int(pair[0]), int(pair[1])))[:count]:
            for record in (records[("dblp", dblp_id)], records[("acm", acm_id)]):
                print(
                    f"  {record.table}{record.id}: {record.title} | {record.authors} | {record.venue} | {record.year}"
                )
            print()


def data_folder(given: str | None) -> Path:
    folder = given or os.environ.get("DBLP_ACM")
    if not folder:
        sys.exit("dblp_acm.py: name the folder holding dblp.csv, acm.csv and gt.csv (or set DBLP_ACM)")
    path = Path(folder)
    missing = [name for name in ("dblp.csv", "acm.csv", "gt.csv") if not (path / name).is_file()]
    if missing:
        sys.exit(f"dblp_acm.py: {path} lacks {', '.join(missing)}")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", nargs="?", help="folder with dblp.csv, acm.csv, gt.csv")
    parser.add_argument("--show", type=int, default=0, help="list this many missed and wrong pairs")
    parser.add_argument("--dirty", type=float, default=0.0, help="move fields into titles with this probability")
    arguments = parser.parse_args()
    data = data_folder(arguments.data)
    with tempfile.TemporaryDirectory() as work:
        clusters, seconds = built_clusters(data, Path(work), arguments.dirty)
    quality = quality_of(clusters, read_truth(data / "gt.csv"))
    records = sum(len(members) for members in clusters)
    print(f"DBLP-ACM: {records} records -> {len(clusters)} papers in {seconds:.2f} s")
    print(f"cross-table pairs: {len(quality.found)} found, {len(quality.truth)} true")
    print(f"precision {quality.precision:.4f}  recall {quality.recall:.4f}  F1 {quality.f1:.4f}")
    print(f"pairs merged within one table: {quality.within}")
    if arguments.show:
        show_errors(quality, data, arguments.show, arguments.dirty)


if __name__ == "__main__":
    main()
