"""The dev server's data files: ``papers.json``, ``report.json`` and the search index made from
parts kept for runs of unchanged papers (:class:`~generator.incremental.kept_values.PaperMemo`), so that an
edit makes again only the parts of the papers it changed.
"""

from __future__ import annotations

import functools
import hashlib
import uuid
from dataclasses import dataclass
from typing import Any

import orjson

from generator.incremental.kept_values import PaperMemo, Same
from generator.model import DedupeResult, Location, PairDecision, Paper, Site
from generator.render.data_files import comma_separated, papers_part
from generator.render.report_data import (
    decision_json_of,
    decisions_by_paper,
    disagreements,
    hidden,
    merged_json,
    merged_papers,
    overridden,
    pair_ids,
    papers_at,
    papers_by_location,
    report,
    report_sections,
    unverified,
)
from generator.render.search import profile_names, search_entries, search_index_of


@dataclass
class ReportParts:
    """:func:`report_json` as the dev server makes it: the report with its ``merged`` and ``apart``
    lists left empty, each merged paper's and each pair's part as JSON (UTF-8), and the JSON of the
    sections made from the papers in chunks, pieced together from what :meth:`PaperMemo.runs`
    kept of each run of papers."""

    report: dict[str, Any]
    merged: list[bytes]
    apart: list[bytes]
    texts: dict[str, list[bytes]]
    made: str  # new whenever the parts made from the papers are made again (kept with them)

    def digest_input(self) -> bytes:
        """What the report determines the report page by, far smaller than its text: the mark of
        the parts made from the papers (equal only while they are the very parts kept, which the
        page was made from) and the rest of the report."""
        return self.made.encode() + orjson.dumps(self.report)


@dataclass
class _RunReport:
    """The report's parts made from one run of papers, and its papers by source location."""

    located: dict[Location, Paper]
    merged: list[bytes]
    joined: bytes  # the merged parts, comma-separated
    overridden: list[dict[str, Any]]
    disagreements: list[dict[str, Any]]
    unverified: list[dict[str, Any]]


def report_parts(site: Site, dedupe: DedupeResult, counts: tuple[int, int], memo: PaperMemo) -> ReportParts:
    """:func:`report_json` in parts (see :class:`ReportParts`): kept whole while the papers and the
    dedupe result are the objects they were, else pieced together from runs of papers, a run
    whose papers are the objects they were keeping its parts.  (The dev server's merge keeps a
    paper only while its cluster is the very object dedupe made, which holds the decisions that
    joined its entries: a paper that is the object it was has the decisions it had.)"""
    every_paper, same_inputs = site.papers + site.hidden, (Same(dedupe), len(site.papers))
    sections, merged, apart, texts, made = memo.get_for_all(
        "report", every_paper, lambda: (*_paper_parts(site, dedupe, memo), uuid.uuid4().hex), same_inputs
    )
    return ReportParts(report(site, dedupe, counts, sections), merged, apart, texts, made)


def _paper_parts(
    site: Site, dedupe: DedupeResult, memo: PaperMemo
) -> tuple[dict[str, Any], list[bytes], list[bytes], dict[str, list[bytes]]]:
    decisions_of = functools.cache(
        lambda: decisions_by_paper(site, dedupe, papers_by_location(site) if site.joins else {})
    )  # made only if some run is made again

    def run_report(run: list[Paper]) -> _RunReport:
        located = papers_at(run)  # a merged paper's decisions join its own entries
        merged = [orjson.dumps(merged_json(p, decisions_of()[p.sources[0]], located)) for p in merged_papers(run)]
        return _RunReport(located, merged, b",".join(merged), overridden(run), disagreements(run), unverified(run))

    runs = memo.runs("report", site.papers, run_report)
    paper_of = papers_at(site.hidden)
    for run in runs:
        paper_of.update(run.located)  # a dict's update, in C: far faster than one pass over every source
    merged = [part for run in runs for part in run.merged]
    apart = [
        memo.get_held("apart", decision, pair_ids(decision, paper_of), _apart_part) for decision in dedupe.near_misses
    ]
    sections = report_sections(
        [],
        [item for run in runs for item in run.overridden] + overridden(site.hidden),
        [item for run in runs for item in run.disagreements],
        [item for run in runs for item in run.unverified],
        hidden(site),
        [],
    )
    texts = {key: [orjson.dumps(value)] for key, value in sections.items() if key not in ("merged", "apart")}
    texts["merged"] = _json_list([run.joined for run in runs if run.joined])
    texts["apart"] = _json_list(apart)
    return sections, merged, apart, texts


def _apart_part(decision: PairDecision, ids: tuple[str, str]) -> bytes:
    return orjson.dumps(decision_json_of(decision, *ids))


def _json_list(parts: list[bytes]) -> list[bytes]:
    """The JSON list of parts that are JSON already, in chunks (no joined copy)."""
    return [b"[", *comma_separated(parts), b"]"]


def joined_report(parts: ReportParts) -> list[bytes]:
    """``report.json`` as :func:`to_json` writes :func:`report_json` (in UTF-8), from :func:`report_parts`,
    in chunks (a dozen megabytes at a thousand profiles: never copied into one text)."""
    chunks = [b"{"]
    for key in parts.report:
        chunks += [b"," if len(chunks) > 1 else b"", orjson.dumps(key), b":"]
        chunks += parts.texts.get(key) or [orjson.dumps(parts.report[key])]
    return [*chunks, b"}\n"]


def paper_json_runs(site: Site, memo: PaperMemo) -> list[bytes]:
    """The papers' part of ``papers.json``, by runs of papers (each run's part kept while its papers are)."""
    return memo.runs("json", site.papers, papers_part)


def paper_search_runs(site: Site, memo: PaperMemo) -> list[bytes]:
    """``search-index.js``, from the kept parts of runs of unchanged papers."""
    names = profile_names(site)
    same_names = hashlib.sha256(repr(names).encode()).hexdigest()  # a renamed profile changes every part
    return search_index_of(
        memo.runs("search", site.papers, functools.partial(search_entries, names), inputs=same_names)
    )
