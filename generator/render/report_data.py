"""The build report's data (``report.json``, and the report page's): what was merged and why, what
was left apart though close, what ``papers.yaml`` changed, and the warnings.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from generator.errors import Problem
from generator.merge.overrides import OVERRIDES_FILE
from generator.model import DedupeResult, Location, PairDecision, Paper, Site
from generator.render.data_files import location_json


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
    paper_of = papers_by_location(site)
    decisions_of = decisions_by_paper(site, dedupe, paper_of)
    merged = [merged_json(paper, decisions_of[paper.sources[0]], paper_of) for paper in merged_papers(site.papers)]
    sections = report_sections(
        merged,
        overridden(site.papers + site.hidden),
        disagreements(site.papers),
        unverified(site.papers),
        hidden(site),
        [decision_json(decision, paper_of) for decision in dedupe.near_misses],
    )
    return report(site, dedupe, (source_count, entry_count), sections)


def report_sections(*values: list[Any]) -> dict[str, list[Any]]:
    """The report's sections made from the papers and decisions, in their order in report.json."""
    return dict(zip(("merged", "overridden", "disagreements", "unverified", "hidden", "apart"), values, strict=True))


def papers_by_location(site: Site) -> dict[Location, Paper]:
    return papers_at(site.papers + site.hidden)


def papers_at(papers: list[Paper]) -> dict[Location, Paper]:
    return {location: paper for paper in papers for location in paper.sources}


def decisions_by_paper(
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


def merged_papers(papers: list[Paper]) -> list[Paper]:
    """The papers found in several entries."""
    return [paper for paper in papers if len(paper.sources) > 1]


def merged_json(paper: Paper, decisions: list[PairDecision], paper_of: dict[Location, Paper]) -> dict[str, Any]:
    return {
        "paper": paper.id,
        "title": paper.title,
        "entries": [location_json(location) for location in paper.sources],
        "decisions": [decision_json(decision, paper_of) for decision in decisions],
    }


def report(site: Site, dedupe: DedupeResult, counts: tuple[int, int], sections: dict[str, Any]) -> dict[str, Any]:
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


def overridden(papers: list[Paper]) -> list[dict[str, Any]]:
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


def disagreements(papers: list[Paper]) -> list[dict[str, Any]]:
    return [{"paper": paper.id, "note": note} for paper in papers for note in paper.disagreements]


def unverified(papers: list[Paper]) -> list[dict[str, Any]]:
    return [
        {"paper": paper.id, "checked": paper.checked, "identifier_marked_unverified": paper.unverified}
        for paper in papers
        if "unverified" in paper.checked.lower()
    ]


def hidden(site: Site) -> list[dict[str, Any]]:
    return [{"paper": paper.id, "title": paper.title} for paper in site.hidden]


def decision_json(decision: PairDecision, paper_of: dict[Location, Paper]) -> dict[str, Any]:
    return decision_json_of(decision, *pair_ids(decision, paper_of))


def decision_json_of(decision: PairDecision, left_id: str, right_id: str) -> dict[str, Any]:
    """A decision as the report gives it: the two entries (and their papers), the outcome and why,
    the similarities, each field's points (and what it found), and the papers.yaml item that
    would turn the decision round."""
    pair = f"{decision.left}, {decision.right}"
    return {
        "left": location_json(decision.left) | {"paper": left_id},
        "right": location_json(decision.right) | {"paper": right_id},
        "merged": decision.merged,
        "reason": decision.reason,
        "scores": decision.scores,
        "evidence": {name: {"points": points, "found": found} for name, (points, found) in decision.evidence.items()},
        "points": sum(points for points, _ in decision.evidence.values()),
        "related": decision.related,
        "override": f"- distinct: [{pair}]" if decision.merged else f"- same: [{pair}]",
    }


def pair_ids(decision: PairDecision, paper_of: dict[Location, Paper]) -> tuple[str, str]:
    """The ids of the papers of a decision's two entries (a pair kept apart: two papers)."""
    return paper_of[decision.left].id, paper_of[decision.right].id
