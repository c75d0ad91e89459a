"""The evidence each field gives about two entries being one paper, in points.

Every field a record has is compared and its agreement level given a number of points (a match
weight: positive when copies of one paper agree this way more often than look-alike distinct
papers do, negative the other way round, 0 or absent when a field is missing).  The points are
fixed here, reasoned from how sources write records (see docs/dedupe.md): the same for every
site, so that a decision depends on its two entries alone and the report can show why.
:func:`generator.dedupe.rules.decide` adds them up; two entries are one paper from
:data:`MERGE_AT` points.

* **title** (:mod:`generator.dedupe.titles`): the same +10, a typo or tag apart +8, one inside the
  other +5, similar 0, unlike −10; a number added (``Orca 2``, ``Part II``) −6; different
  numbers −12.  A generic title (``Editorial``, ``Book reviews``…) gives at most +2: it names a
  kind of item, not a paper.
* **abstract**: a copy (the same, cut, edited, contained) +14, the same text +20; unrelated −20;
  different −12 (two whole abstracts with different vocabularies) or −6, but 0 beside the same
  title (abstracts get rewritten between versions).
* **authors** (family names): all of the shorter list shared +6 (+4 for one author), half +2,
  fewer −2, none −6.
* **year**: the same +1; a year apart −6, but 0 for a preprint (no venue, or an arXiv id) and −1
  in one periodical (online first, then in an issue); two years apart −6 (preprint −3); more −10
  (preprint −6).
* **venue** (:mod:`generator.text.venues`): agreeing +2; a periodical and something else −6.
"""

from __future__ import annotations

from generator.dedupe.titles import TitleLevel
from generator.text.names import AuthorList, shared_authors
from generator.text.venues import AGREE, DIFFER, PERIODICAL, Venue, compare_venues

MERGE_AT = 9.0  # points from which two entries are one paper
FIRM_AT = -8.0  # points at or below which two entries are surely distinct (never joined through a third)

TITLE_POINTS = {
    "same": 10.0,
    "near": 8.0,
    "contained": 5.0,
    "similar": 0.0,
    "unlike": -10.0,
    "numbered apart": -6.0,
    "different numbers": -12.0,
}
GENERIC_TITLE_MAX = 2.0
FIRM_TITLE_LEVELS = frozenset({"unlike", "different numbers"})

ABSTRACT_COPY, ABSTRACT_SAME_TEXT, ABSTRACT_UNRELATED = 14.0, 20.0, -20.0
ABSTRACT_DIFFER, ABSTRACT_DIFFER_FIRM = -6.0, -12.0

AUTHORS_ALL, AUTHORS_ONE, AUTHORS_HALF, AUTHORS_FEW, AUTHORS_NONE = 6.0, 4.0, 2.0, -2.0, -6.0
VENUE_POINTS = {AGREE: 2.0, DIFFER: -6.0}
BIBLIOGRAPHIC_MAX = AUTHORS_ALL + VENUE_POINTS[AGREE] + 1.0  # the most authors, venue and year can add

Evidence = dict[str, tuple[float, str]]  # field → (points, what was found)


def title_points(level: TitleLevel, generic: bool) -> tuple[float, str]:
    points = TITLE_POINTS[level.name]
    if generic and points > GENERIC_TITLE_MAX:
        return GENERIC_TITLE_MAX, f"{level.name} ({level.similarity:g}), but a generic title"
    return (
        points,
        f"{level.name} ({level.similarity:g}{', fields glued to a title taken off' if level.unglued else ''})",
    )


def author_points(left: AuthorList, right: AuthorList) -> tuple[float, str] | None:
    """Points for two author lists (None when one is missing)."""
    if not left.names or not right.names:
        return None
    shared, of = shared_authors(left, right), min(len(left.names), len(right.names))
    described = f"{shared} of {of} shared"
    if shared == of:
        return (AUTHORS_ALL if of > 1 else AUTHORS_ONE), described
    if 2 * shared >= of:
        return AUTHORS_HALF, described
    return (AUTHORS_FEW if shared else AUTHORS_NONE), described


def venue_points(left: Venue | None, right: Venue | None) -> tuple[str | None, tuple[float, str] | None]:
    """The venues' agreement (:func:`~generator.text.venues.compare_venues`) and its points."""
    level = compare_venues(left, right)
    if level is None:
        return None, None
    return level, (VENUE_POINTS.get(level, 0.0), level)


def year_points(
    years: tuple[int | None, int | None], preprint: bool, venues: tuple[str | None, Venue | None]
) -> tuple[float, str] | None:
    """Points for two years (None when one is missing); ``preprint``: is either entry one;
    ``venues``: how the venues compared, and one of them."""
    left, right = years
    if left is None or right is None:
        return None
    apart = abs(left - right)
    if apart == 0:
        return 1.0, f"same ({left})"
    described = f"{left} vs {right}"
    if apart == 1:
        level, venue = venues
        periodical = level == AGREE and venue is not None and venue.kind == PERIODICAL
        return (0.0 if preprint else -1.0 if periodical else -6.0), described
    if apart == 2:
        return (-3.0 if preprint else -6.0), described
    return (-6.0 if preprint else -10.0), described


def total(evidence: Evidence) -> float:
    return sum(points for points, _ in evidence.values())
