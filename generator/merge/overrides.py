"""Curated corrections: ``papers.yaml`` completes and corrects what the sources say.

Each override names one paper, by a ``match:`` phrase (a case-, accent- and
whitespace-insensitive substring of any copy's title or abstract) or by its
``id:``, and sets fields: title, date, category, venue, arxiv, doi, url, pdf,
code_url, authors, tags, hidden, profiles (``slug`` or ``+slug`` attaches,
``-slug`` detaches) and a free-text ``checked`` note saying how the values
were verified.  A match that finds no paper, or several, is an error at its
line naming the candidates.  Overrides are attached to dedupe clusters here;
merge applies them, recording ``papers.yaml:LINE`` as each field's provenance.
"""

from __future__ import annotations

import datetime
import functools
import os
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.config.yamlfile import Located, check_keys, parse_yaml, suggest
from generator.dedupe.clustering import Forest
from generator.errors import Problem, fail_if_any
from generator.merge.constraints import KINDS, Constraint, apply_constraints, parse_constraint, union_clusters
from generator.model import Cluster, Location
from generator.text.identifiers import is_category, normalize_arxiv, normalize_category, normalize_doi
from generator.text.normalize import ascii_fold, clean_text, collapse_whitespace

OVERRIDES_FILE = "papers.yaml"
FIELD_TYPES: dict[str, type] = {
    "match": str,
    "id": str,
    "title": str,
    "date": object,
    "category": str,
    "venue": str,
    "arxiv": str,
    "doi": str,
    "url": str,
    "pdf": str,
    "code_url": str,
    "authors": list,
    "tags": list,
    "hidden": bool,
    "selected": bool,
    "venue_short": str,
    "profiles": list,
    "checked": str,
    "same": list,
    "distinct": list,
}
DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


@dataclass
class Override:
    """One validated entry of papers.yaml."""

    line: int
    match: str = ""
    id: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    constraint: Constraint | None = None  # a same: or distinct: item instead of fields to set

    @property
    def target(self) -> str:
        return f"match '{self.match}'" if self.match else f"id '{self.id}'"

    def location(self, key: str) -> Location:
        return Location(OVERRIDES_FILE, self.lines.get(key, self.line))


def load_overrides(path: Path, profile_slugs: list[str]) -> tuple[list[Override], list[Problem]]:
    """Read and validate papers.yaml: the well-formed overrides, and the problems with the others
    (the caller reports them with what resolving the good ones finds, all in one build).  A missing
    file means no overrides; anything else by that name is read, so that a folder or a named pipe
    is reported, not passed over."""
    if not os.path.lexists(path):
        return [], []
    problems: list[Problem] = []
    document = parse_yaml(path, OVERRIDES_FILE, problems)
    if document.value in ({}, None):
        return [], problems
    if not isinstance(document.value, list):
        problems.append(
            Problem(
                OVERRIDES_FILE,
                document.line,
                "papers.yaml must be a list of overrides",
                "start each override with '- match: \"a phrase of the abstract\"'",
            )
        )
        return [], problems
    overrides = [o for item in document.value if (o := _override(item, profile_slugs, problems)) is not None]
    return overrides, problems


def _override(item: Located, profile_slugs: list[str], problems: list[Problem]) -> Override | None:
    if not isinstance(item.value, dict):
        problems.append(
            Problem(
                OVERRIDES_FILE,
                item.line,
                "each override must be a mapping",
                "write '- match: \"…\"' followed by the fields to set",
            )
        )
        return None
    fields = check_keys(item.value, FIELD_TYPES, OVERRIDES_FILE, problems)
    if any(kind in item.value for kind in KINDS):
        constraint = parse_constraint(item, fields, problems)
        return Override(line=item.line, constraint=constraint) if constraint else None
    override = Override(line=item.line, match=fields.pop("match", ""), id=fields.pop("id", ""))
    if bool(override.match) == bool(override.id):
        problems.append(
            Problem(
                OVERRIDES_FILE,
                item.line,
                "an override needs exactly one of 'match' or 'id'",
                "'match' takes a phrase of the paper's title or abstract; 'id' its id in papers.json",
            )
        )
    for key, value in fields.items():
        line = item.value[key].line
        try:
            override.values[key] = _validate(key, value, profile_slugs)
            override.lines[key] = line
        except ValueError as error:
            message, _, hint = str(error).partition("|")
            problems.append(Problem(OVERRIDES_FILE, line, f"'{key}': {message}", hint))
    return override


def _validate(key: str, value: Any, profile_slugs: list[str]) -> Any:
    """Normalise one field value; raise ValueError('message|hint') when it is wrong."""
    validators = {
        "title": _text,
        "venue": _text,
        "checked": _text,
        "date": _date,
        "category": _category,
        "arxiv": _arxiv,
        "doi": _doi,
        "url": _url,
        "pdf": _url,
        "code_url": _url,
        "authors": _string_list,
        "tags": _string_list,
        "hidden": bool,
        "selected": bool,
        "venue_short": _text,
    }
    if key == "profiles":
        return _profiles(value, profile_slugs)
    return validators[key](value)


def _text(value: str) -> str:
    return clean_text(value).text


def _date(value: Any) -> str:
    text = value.isoformat() if isinstance(value, datetime.date) else str(value)
    match = DATE.match(text.strip())
    if match is None:
        raise ValueError(f"{text!r} is not a date|write YYYY-MM-DD, YYYY-MM or YYYY")
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        datetime.date(year or 1, month or 1, day or 1)
    except ValueError:
        raise ValueError(f"{text!r} is not a real date|write YYYY-MM-DD, YYYY-MM or YYYY") from None
    return text.strip()


def _category(value: str) -> str:
    category = normalize_category(value)
    if not is_category(category):
        raise ValueError(f"{value!r} is not an arXiv category|e.g. cs.CL, stat.ML or math.OC")
    return category


def _arxiv(value: str) -> str:
    arxiv = normalize_arxiv(value)
    if arxiv is None:
        raise ValueError(f"{value!r} is not an arXiv id|e.g. 2203.15556 or hep-th/9901001")
    return arxiv


def _doi(value: str) -> str:
    doi = normalize_doi(value)
    if doi is None:
        raise ValueError(f"{value!r} is not a DOI|e.g. 10.1145/3292500.3330701")
    return doi


def _url(value: str) -> str:
    if not URL.match(value.strip()):
        raise ValueError(f"{value!r} is not an http(s) URL|e.g. https://github.com/org/repo")
    return value.strip()


def _string_list(value: list[Located]) -> list[str]:
    if not all(isinstance(item.value, str) and item.value.strip() for item in value):
        raise ValueError("must be a list of strings|e.g. [Ada Lovelace, Charles Babbage]")
    return [clean_text(item.value).text for item in value]


def _profiles(value: list[Located], profile_slugs: list[str]) -> dict[str, bool]:
    """``[a, +b, -c]`` → ``{a: True, b: True, c: False}`` (attach / detach)."""
    changes = {}
    for item in value:
        text = str(item.value).strip()
        slug = text.lstrip("+-")
        if slug not in profile_slugs:
            hint = suggest(slug, dict.fromkeys(profile_slugs)).replace("known keys", "profiles")
            raise ValueError(f"no profile '{slug}'|{hint}")
        changes[slug] = not text.startswith("-")
    return changes


@dataclass
class Resolution:
    """Clusters after overrides joined those sharing an identifier, each with its overrides."""

    clusters: list[Cluster]
    overrides: dict[int, list[Override]]
    joins: list[str]
    related: list[tuple[Location, Location]] = field(default_factory=list)  # entries of two versions of one work


def resolve(
    overrides: list[Override],
    clusters: list[Cluster],
    paper_ids: Callable[[list[Cluster]], list[str]],
    identified: list[int] | None = None,
) -> Resolution:
    """Apply the ``same:`` and ``distinct:`` items (:mod:`generator.merge.constraints`); attach each
    other override to the one cluster it names; join clusters that now share an arXiv id or DOI.

    ``paper_ids`` gives the ids clusters would get without overrides (for ``id:`` references and
    messages; asked only if an override needs them); ``identified``, the clusters that give an
    identifier (:func:`gives_identifier`; found here when not given).
    """
    problems: list[Problem] = []
    notes: list[str] = []
    apart: set[tuple[int, int]] = set()
    if constraints := [override.constraint for override in overrides if override.constraint is not None]:
        find = functools.partial(_holding, searchable=_searchable(clusters))
        applied = apply_constraints(constraints, clusters, paper_ids(clusters), find, problems)
        fail_if_any(problems)
        clusters, notes, apart, identified = applied.clusters, applied.notes, applied.apart, None
    attached: dict[int, list[Override]] = defaultdict(list)
    searchable = functools.cache(lambda: _searchable(clusters))  # folded once, for all match: overrides
    ids = functools.cache(lambda: paper_ids(clusters))
    for override in overrides:
        if override.constraint is not None:
            continue
        found = _candidates(override, searchable, ids)
        if len(found) == 1:
            attached[found[0]].append(override)
        else:
            problems.append(_not_one(override, found, clusters, ids()))
    fail_if_any(problems)
    if identified is None:
        identified = [index for index, cluster in enumerate(clusters) if gives_identifier(cluster)]
    resolution = _join_by_identifier(clusters, attached, identified, apart)
    fail_if_any([problem for found in resolution.overrides.values() for problem in _set_twice(found)])
    resolution.joins[:0] = notes
    return resolution


def _set_twice(overrides: list[Override]) -> list[Problem]:
    """Two overrides of one paper may not set the same field to different values."""
    first: dict[str, Override] = {}
    problems = []
    for override in overrides:
        for key, value in override.values.items():
            if key in first and first[key].values[key] != value:
                problems.append(
                    Problem(
                        OVERRIDES_FILE,
                        override.lines[key],
                        f"'{key}' is set twice for the same paper",
                        f"the override at line {first[key].line} sets it too; keep one",
                    )
                )
            first.setdefault(key, override)
    return problems


def _candidates(override: Override, searchable: Callable[[], list[str]], ids: Callable[[], list[str]]) -> list[int]:
    if override.id:
        return [index for index, paper_id in enumerate(ids()) if paper_id == override.id]
    return _holding(override.match, searchable())


def _holding(phrase: str, searchable: list[str]) -> list[int]:
    """The clusters (by their folded titles and abstracts) that hold ``phrase``."""
    folded = _fold(phrase)
    return [index for index, text in enumerate(searchable) if folded in text]


def _searchable(clusters: list[Cluster]) -> list[str]:
    """Each cluster's titles and abstracts, folded, as one text (a line each: a folded phrase has no
    line break, so it never matches across two)."""
    return [
        "\n".join(_fold(text) for entry in cluster.entries for text in (entry.title, entry.abstract))
        for cluster in clusters
    ]


def _fold(text: str) -> str:
    return collapse_whitespace(ascii_fold(text))


def _not_one(override: Override, found: list[int], clusters: list[Cluster], ids: list[str]) -> Problem:
    if not found:
        hint = "use a phrase copied from the paper's title or abstract, or its id from papers.json"
        if override.id:
            close = suggest(override.id, dict.fromkeys(ids)).replace("known keys: ", "ids: ")
            hint = close if "did you mean" in close else hint
        return Problem(OVERRIDES_FILE, override.line, f"{override.target} finds no paper", hint)
    names = tuple(f"{ids[index]} ({clusters[index].entries[0].location})" for index in found[:8])
    return Problem(
        OVERRIDES_FILE,
        override.line,
        f"{override.target} finds {len(found)} papers",
        "use a longer phrase, or 'id:' with one of the ids below",
        names,
    )


def gives_identifier(cluster: Cluster) -> bool:
    """Does an entry of the cluster give an arXiv id or a DOI?"""
    return any(entry.arxiv or entry.doi for entry in cluster.entries)


def _join_by_identifier(
    clusters: list[Cluster], attached: dict[int, list[Override]], identified: list[int], apart: set[tuple[int, int]]
) -> Resolution:
    """Union clusters whose entries or overrides give the same arXiv id or DOI (most papers give
    none: only the ``identified`` clusters and those with overrides are looked at), except those a
    ``distinct:`` keeps ``apart``."""
    owner: dict[str, int] = {}
    forest = Forest(len(clusters))
    for left, right in apart:
        forest.forbid(left, right)
    joins: list[str] = []
    for index in sorted(set(identified).union(attached)):
        cluster = clusters[index]
        for identifier in sorted(_identifiers(cluster, attached.get(index, []))):
            other = owner.setdefault(identifier, index)
            if forest.union(other, index):
                joins.append(
                    f"{cluster.entries[0].location} joined {clusters[other].entries[0].location}: same {identifier}"
                )
    if not joins:  # the usual case: dedupe already joined every shared identifier
        return Resolution(list(clusters), dict(attached), joins)
    merged, after = union_clusters(clusters, forest)
    overrides: dict[int, list[Override]] = {index: [] for index in range(len(merged))}
    for index, new_index in enumerate(after):
        overrides[new_index] += attached.get(index, [])
    return Resolution(merged, overrides, joins)


def _identifiers(cluster: Cluster, overrides: list[Override]) -> set[str]:
    found = {f"arXiv id {e.arxiv}" for e in cluster.entries if e.arxiv} | {
        f"DOI {e.doi}" for e in cluster.entries if e.doi
    }
    for override in overrides:
        if "arxiv" in override.values:
            found.add(f"arXiv id {override.values['arxiv']}")
        if "doi" in override.values:
            found.add(f"DOI {override.values['doi']}")
    return found
