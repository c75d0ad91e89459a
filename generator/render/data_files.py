"""The machine-readable outputs: ``papers.json`` and the build report data.

Both are plain dicts with a fixed key order and sorted lists, serialised the
same way every time, so the same sources give byte-identical files.  The text is
made by orjson: the site's JSON is tens of megabytes at a thousand profiles, and
orjson writes it several times faster than the standard library's encoder
(same text, except that floats with an exponent are written ``1e-5``, not ``1e-05``).
"""

from __future__ import annotations

import functools
import uuid
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import orjson

from generator.errors import Problem
from generator.incremental.memo import PaperMemo, Same
from generator.merge.overrides import OVERRIDES_FILE
from generator.model import DedupeResult, Location, PairDecision, Paper, Site


def to_json(data: Any) -> str:
    """Deterministic compact JSON (UTF-8 text, final newline); compact keeps the C encoder fast."""
    return compact_json(data) + "\n"


def location_json(location: Location) -> dict[str, Any]:
    return {"file": location.file, "line": location.line}


def paper_json(paper: Paper) -> dict[str, Any]:
    return {
        "id": paper.id,
        "title": paper.title,
        "title_derived": paper.title_derived,
        "abstract": paper.abstract,
        "authors": paper.authors,
        "authors_truncated": paper.authors_truncated,
        "affiliation": paper.affiliation,
        "date": paper.date,
        "category": paper.category,
        "score": paper.score,
        "code": paper.code,
        "profiles": paper.profiles,
        "sources": [location_json(location) for location in paper.sources],
        "venue": paper.venue,
        "arxiv": paper.arxiv or None,
        "doi": paper.doi or None,
        "url": paper.url or None,
        "pdf": paper.pdf or None,
        "code_url": paper.code_url or None,
        "tags": paper.tags,
        "checked": paper.checked or None,
        "provenance": {field: str(location) for field, location in sorted(paper.provenance.items())},
    }


def papers_json_chunks(site: Site, memo: PaperMemo | None = None) -> Iterator[bytes]:
    """``papers.json``: ``{"papers": [...], "profiles": [...]}`` as :func:`to_json` would write it,
    in UTF-8, produced a paper at a time (never the whole list or text in memory); the dev server
    remembers the part of each run of unchanged papers in ``memo``."""
    yield b'{"papers":['
    if memo is None:
        for index, paper in enumerate(site.papers):
            yield (b"," if index else b"") + _paper_part(paper)
    else:
        for index, part in enumerate(memo.runs("json", site.papers, _papers_part)):
            yield from (b",", part) if index else (part,)  # no joined copy: the parts are kept as they are
    yield b'],"profiles":' + orjson.dumps(profiles_json(site)) + b"}\n"


def _papers_part(papers: list[Paper]) -> bytes:
    return b",".join(map(_paper_part, papers))


def _paper_part(paper: Paper) -> bytes:
    return orjson.dumps(paper_json(paper))


def compact_json(data: Any) -> str:
    """Compact JSON text of ``data`` (UTF-8 characters as they are, keys in insertion order)."""
    return orjson.dumps(data).decode("utf-8")


def profiles_json(site: Site) -> list[dict[str, Any]]:
    return [
        {
            "slug": profile.slug,
            "name": profile.name,
            "affiliations": profile.affiliations,
            "primary_category": profile.primary_category,
            "metrics": {
                metric.key: {"value": metric.value, "label": metric.label, "source": str(metric.location)}
                for metric in profile.metrics
            },
            "papers": [paper.id for paper in profile.papers],
        }
        for profile in site.profiles
    ]


def problem_json(problem: Problem) -> dict[str, Any]:
    return {
        "file": problem.path,
        "line": problem.line,
        "message": problem.message,
        "hint": problem.hint,
        "details": list(problem.details),
    }


def report_json(site: Site, dedupe: DedupeResult, source_count: int, entry_count: int) -> dict[str, Any]:
    """What was merged and why, what was left apart though close, and the warnings."""
    paper_of = _papers_by_location(site)
    decisions_of = _decisions_by_paper(site, dedupe, paper_of)
    merged = [_merged_json(paper, decisions_of[paper.sources[0]], paper_of) for paper in _merged_papers(site.papers)]
    sections = _sections(
        merged,
        _overridden(site.papers + site.hidden),
        _disagreements(site.papers),
        _unverified(site.papers),
        _hidden(site),
        [decision_json(decision, paper_of) for decision in dedupe.near_misses],
    )
    return _report(site, dedupe, (source_count, entry_count), sections)


def _sections(*values: list[Any]) -> dict[str, list[Any]]:
    """The report's sections made from the papers and decisions, in their order in report.json."""
    return dict(zip(("merged", "overridden", "disagreements", "unverified", "hidden", "apart"), values, strict=True))


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
    return ReportParts(_report(site, dedupe, counts, sections), merged, apart, texts, made)


def _paper_parts(
    site: Site, dedupe: DedupeResult, memo: PaperMemo
) -> tuple[dict[str, Any], list[bytes], list[bytes], dict[str, list[bytes]]]:
    decisions_of = functools.cache(
        lambda: _decisions_by_paper(site, dedupe, _papers_by_location(site) if site.joins else {})
    )  # made only if some run is made again

    def run_report(run: list[Paper]) -> _RunReport:
        located = _located(run)  # a merged paper's decisions join its own entries
        merged = [orjson.dumps(_merged_json(p, decisions_of()[p.sources[0]], located)) for p in _merged_papers(run)]
        return _RunReport(located, merged, b",".join(merged), _overridden(run), _disagreements(run), _unverified(run))

    runs = memo.runs("report", site.papers, run_report)
    paper_of = _located(site.hidden)
    for run in runs:
        paper_of.update(run.located)  # a dict's update, in C: far faster than one pass over every source
    merged = [part for run in runs for part in run.merged]
    apart = [
        memo.get_held("apart", decision, _pair_ids(decision, paper_of), _apart_part) for decision in dedupe.near_misses
    ]
    sections = _sections(
        [],
        [item for run in runs for item in run.overridden] + _overridden(site.hidden),
        [item for run in runs for item in run.disagreements],
        [item for run in runs for item in run.unverified],
        _hidden(site),
        [],
    )
    texts = {key: [orjson.dumps(value)] for key, value in sections.items() if key not in ("merged", "apart")}
    texts["merged"] = _json_list([run.joined for run in runs if run.joined])
    texts["apart"] = _json_list(apart)
    return sections, merged, apart, texts


def _pair_ids(decision: PairDecision, paper_of: dict[Location, Paper]) -> tuple[str, str]:
    """The ids of the papers of a decision's two entries (a pair kept apart: two papers)."""
    return paper_of[decision.left].id, paper_of[decision.right].id


def _apart_part(decision: PairDecision, ids: tuple[str, str]) -> bytes:
    return orjson.dumps(_decision_json_of(decision, *ids))


def _json_list(parts: list[bytes]) -> list[bytes]:
    """The JSON list of parts that are JSON already, in chunks (no joined copy)."""
    return [b"[", *comma_separated(parts), b"]"]


def comma_separated(parts: list[bytes]) -> list[bytes]:
    """The parts with a comma between each two, as chunks."""
    chunks = [b","] * (2 * len(parts) - 1) if parts else []
    chunks[::2] = parts
    return chunks


def joined_report(parts: ReportParts) -> list[bytes]:
    """``report.json`` as :func:`to_json` writes :func:`report_json` (in UTF-8), from :func:`report_parts`,
    in chunks (a dozen megabytes at a thousand profiles: never copied into one text)."""
    chunks = [b"{"]
    for key in parts.report:
        chunks += [b"," if len(chunks) > 1 else b"", orjson.dumps(key), b":"]
        chunks += parts.texts.get(key) or [orjson.dumps(parts.report[key])]
    return [*chunks, b"}\n"]


def _papers_by_location(site: Site) -> dict[Location, Paper]:
    return _located(site.papers + site.hidden)


def _located(papers: list[Paper]) -> dict[Location, Paper]:
    return {location: paper for paper in papers for location in paper.sources}


def _decisions_by_paper(
    site: Site, dedupe: DedupeResult, paper_of: dict[Location, Paper]
) -> dict[Location, list[PairDecision]]:
    """The decisions that joined each paper's entries, by the paper's first source.  Unless
    overrides joined clusters by identifier, a paper is one cluster: its list of decisions (the
    very list, which the dev server keeps for a cluster clustered as before)."""
    if not site.joins:
        return defaultdict(list, {c.entries[0].location: c.decisions for c in dedupe.clusters if c.decisions})
    decisions_of: dict[Location, list[PairDecision]] = defaultdict(list)
    for cluster in dedupe.clusters:
        for decision in cluster.decisions:
            decisions_of[paper_of[decision.left].sources[0]].append(decision)
    return decisions_of


def _merged_papers(papers: list[Paper]) -> list[Paper]:
    """The papers found in several entries."""
    return [paper for paper in papers if len(paper.sources) > 1]


def _merged_json(paper: Paper, decisions: list[PairDecision], paper_of: dict[Location, Paper]) -> dict[str, Any]:
    return {
        "paper": paper.id,
        "title": paper.title,
        "entries": [location_json(location) for location in paper.sources],
        "decisions": [decision_json(decision, paper_of) for decision in decisions],
    }


def _report(site: Site, dedupe: DedupeResult, counts: tuple[int, int], sections: dict[str, Any]) -> dict[str, Any]:
    """The report in its key order: the summary, the ``sections`` made from the papers, the warnings."""
    summary = {
        "sources": counts[0],
        "entries": counts[1],
        "papers": len(site.papers),
        "profiles": len(site.profiles),
        "warnings": len(site.warnings),
        "compared_pairs": dedupe.compared_pairs,
    }
    return (
        {"summary": summary, "merged": sections["merged"], "joined_by_identifier": site.joins}
        | {key: value for key, value in sections.items() if key != "merged"}
        | {"warnings": [problem_json(problem) for problem in site.warnings]}
    )


def _overridden(papers: list[Paper]) -> list[dict[str, Any]]:
    return [
        {
            "paper": paper.id,
            "fields": {
                key: str(where) for key, where in sorted(paper.provenance.items()) if where.file == OVERRIDES_FILE
            },
        }
        for paper in papers
        if any(where.file == OVERRIDES_FILE for where in paper.provenance.values())
    ]


def _disagreements(papers: list[Paper]) -> list[dict[str, Any]]:
    return [{"paper": paper.id, "note": note} for paper in papers for note in paper.disagreements]


def _unverified(papers: list[Paper]) -> list[dict[str, Any]]:
    return [
        {"paper": paper.id, "checked": paper.checked, "identifier_marked_unverified": paper.unverified}
        for paper in papers
        if "unverified" in paper.checked.lower()
    ]


def _hidden(site: Site) -> list[dict[str, Any]]:
    return [{"paper": paper.id, "title": paper.title} for paper in site.hidden]


def decision_json(decision: PairDecision, paper_of: dict[Location, Paper]) -> dict[str, Any]:
    return _decision_json_of(decision, *_pair_ids(decision, paper_of))


def _decision_json_of(decision: PairDecision, left_id: str, right_id: str) -> dict[str, Any]:
    return {
        "left": location_json(decision.left) | {"paper": left_id},
        "right": location_json(decision.right) | {"paper": right_id},
        "merged": decision.merged,
        "reason": decision.reason,
        "scores": decision.scores,
    }
