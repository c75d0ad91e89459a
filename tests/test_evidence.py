"""Dedupe on bibliographic records (title, authors, venue, year; no abstract): each field as
evidence, generic and recurring titles, versions, glued fields, and the parts that grade them."""

from __future__ import annotations

import pytest

from generator.dedupe import deduplicate
from generator.dedupe.glued import Glue, unglue
from generator.dedupe.titles import title_facts, title_level
from generator.model import Entry, Location
from generator.text.names import shared_authors, surnames
from generator.text.normalize import clean_text, comparison_key
from generator.text.venues import AGREE, DIFFER, OTHER, compare_venues, venue_of


def record(title: str, authors: str = "", venue: str = "", year: str = "", where: str = "a.bib:1") -> Entry:
    file, line = where.split(":")
    names = [name.strip() for name in authors.split(",") if name.strip()]
    return Entry(
        location=Location(file, int(line)),
        title=clean_text(title).text,
        authors=names,
        venue=venue,
        date=year or None,
    )


def groups(*entries: Entry) -> list[list[str]]:
    return [[str(e.location) for e in cluster.entries] for cluster in deduplicate(list(entries)).clusters]


def decision_between(*entries: Entry):
    result = deduplicate(list(entries))
    decisions = [*result.near_misses, *(d for cluster in result.clusters for d in cluster.decisions)]
    return next(d for d in decisions if {str(d.left), str(d.right)} == {str(e.location) for e in entries})


def level(left: str, right: str) -> str:
    from rapidfuzz import fuzz

    a, b = comparison_key(left), comparison_key(right)
    return title_level(title_facts(a), title_facts(b), round(fuzz.ratio(a, b), 1)).name


# ---- titles -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        ("Infering Structure in Semistructured Data", "Inferring Structure in Semistructured Data", "same"),
        ("Semi-structured data integration", "Semistructured Data Integration", "same"),
        ("SQL 3 Standardization Progress", "SQL3 standardization progress", "same"),
        ("Mining Association Rules (Extended Abstract)", "Mining association rules", "same"),
        ("Tutorial: Query Processing in Sensor Networks", "Query Processing in Sensor Networks", "same"),
        ("Spatial Joins Revisited", "Spatal Jions Revisted", "near"),
        ("Index structures for temporal data: a survey of methods", "Index structures for temporal data", "contained"),
        (
            "Optimizing Queries over Multimedia Repositories, Part I",
            "Optimizing Queries over Multimedia Repositories, Part II",
            "different numbers",
        ),
        ("Orca: Progressive Learning", "Orca 2: Progressive Learning", "numbered apart"),
        (
            "Optimizing Queries over Multimedia Repositories",
            "Optimizing Queries over Multimedia Repositories, Part II",
            "numbered apart",
        ),
        ("TPC-C results in 1996", "TPC-C results in 1998", "different numbers"),
        ("Erratum to: Skyline queries", "Skyline queries", "related"),
        ("The X-tree: An Index Structure for High-Dimensional Data", "Learning to Rank with Click Data", "unlike"),
    ],
)
def test_titles_are_graded_for_the_ways_sources_edit_them(left, right, expected):
    assert level(left, right) == expected


@pytest.mark.parametrize(
    "title", ["Editorial", "Book Reviews", "Guest Editor's Introduction", "Foreword", "Keynote Address"]
)
def test_titles_naming_a_kind_of_item_are_generic(title):
    assert title_facts(comparison_key(title)).generic
    assert not title_facts(comparison_key("Reviewing the reviewers: peer review at scale")).generic


# ---- venues and authors ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        ("VLDB", "Very Large Data Bases", AGREE),
        ("ACM Trans. Database Syst.", "ACM Transactions on Database Systems (TODS)", AGREE),
        ("J. Mach. Learn. Res.", "Journal of Machine Learning Research", AGREE),
        ("VLDB", "The VLDB Journal", DIFFER),
        ("SIGMOD Conference", "SIGMOD Record", DIFFER),
        ("SIGMOD Conference", "International Conference on Management of Data", OTHER),
    ],
)
def test_venues_agree_by_acronym_or_abbreviation_and_a_journal_is_no_conference(left, right, expected):
    assert compare_venues(venue_of(left), venue_of(right)) == expected
    assert compare_venues(venue_of(right), venue_of(left)) == expected


@pytest.mark.parametrize(
    ("left", "right", "shared"),
    [
        (["Jörg Sander", "Ugur Çetintemel"], ["J?rg Sander", "Ugur ?etintemel"], 2),  # accents lost as '?'
        (["Sanders, J.", "M. Weske"], ["John Sanders", "Mathias Weske"], 2),  # initials, "Last, First"
        (["Hector Garcia-Molina"], ["Héctor García Molina"], 1),
        (["A. Smith", "B. Jones"], ["C. Brown", "D. White"], 0),
    ],
)
def test_family_names_are_shared_despite_accents_initials_and_order(left, right, shared):
    assert shared_authors(surnames(left), surnames(right)) == shared


# ---- decisions ----------------------------------------------------------------------------------


def test_a_misspelt_short_title_with_the_same_authors_and_year_is_one_paper():
    left = record("Infering Structure in Semistructured Data", "S. Nestorov, S. Abiteboul", "SIGMOD Record", "1997")
    right = record(
        "Inferring structure in semistructured data",
        "Svetlozar Nestorov, Serge Abiteboul, R. Motwani",
        "ACM SIGMOD Record",
        "1997",
        "b.bib:1",
    )
    assert groups(left, right) == [["a.bib:1", "b.bib:1"]]
    evidence = decision_between(left, right).evidence
    assert {"title", "authors", "venue", "year"} <= set(evidence)
    assert evidence["title"][0] > 0 and evidence["authors"][0] > 0


def test_a_generic_title_never_merges_on_the_title_alone():
    left = record("Editorial", "A. Editor", "", "2001")
    right = record("Editorial", "B. Other", "", "2001", "b.bib:1")
    assert len(groups(left, right)) == 2
    assert decision_between(left, right).evidence["title"][0] <= 2


def test_a_generic_title_repeated_in_one_source_is_separate_items():
    issues = [record("Editor's Notes", "Jane Editor", "SIGMOD Record", "2003", f"a.bib:{line}") for line in (1, 2)]
    assert len(groups(*issues)) == 2


def test_a_title_recurring_across_years_does_not_merge_its_issues():
    column = [
        record(
            "Reminiscences on Influential Papers", "Kenneth A. Ross", "SIGMOD Record", str(year), f"{file}.bib:{line}"
        )
        for file, line, year in (("a", 1, 1998), ("a", 2, 1999), ("a", 3, 2000), ("b", 1, 1999))
    ]
    clusters = groups(*column)
    assert all(len(members) <= 2 for members in clusters)
    assert ["a.bib:2", "b.bib:1"] in clusters  # the same year's issue in two sources is one


def test_a_conference_paper_and_its_journal_version_stay_two_related_papers():
    conference = record(
        "Clustering Categorical Data: An Approach Based on Dynamical Systems",
        "David Gibson, Jon M. Kleinberg, Prabhakar Raghavan",
        "VLDB",
        "1998",
    )
    journal = record(
        "Clustering categorical data: an approach based on dynamical systems",
        "David Gibson, Jon Kleinberg, Prabhakar Raghavan",
        "The VLDB Journal",
        "2000",
        "b.bib:1",
    )
    result = deduplicate([conference, journal])
    assert len(result.clusters) == 2
    decision = decision_between(conference, journal)
    assert decision.related and not decision.merged
    assert decision.evidence["venue"][0] < 0 and decision.evidence["year"][0] < 0


def test_a_preprint_a_year_before_its_publication_is_one_paper():
    preprint = record("Scaling Laws for Sparse Mixtures", "Ann Lee, Bo Chen", "", "2021")
    paper = record("Scaling laws for sparse mixtures", "A. Lee, B. Chen", "NeurIPS", "2022", "b.bib:1")
    assert len(groups(preprint, paper)) == 1


def test_an_erratum_is_never_its_paper():
    paper = record("Skyline Queries over Moving Objects", "Ann Lee", "TODS", "2010")
    erratum = record("Erratum to: Skyline Queries over Moving Objects", "Ann Lee", "TODS", "2010", "b.bib:1")
    assert len(groups(paper, erratum)) == 2


def test_near_identical_titles_by_other_authors_in_other_years_stay_apart():
    left = record(
        "The TV-tree: An Index Structure for High-Dimensional Data",
        "King-Ip Lin, H. V. Jagadish, Christos Faloutsos",
        "VLDB J.",
        "1994",
    )
    right = record(
        "The X-tree: An Index Structure for High-Dimensional Data",
        "Stefan Berchtold, Daniel A. Keim, Hans-Peter Kriegel",
        "VLDB",
        "1996",
        "b.bib:1",
    )
    assert len(groups(left, right)) == 2


# ---- fields glued to a title ------------------------------------------------------------------


def test_authors_venue_and_year_glued_to_the_front_of_a_title_are_seen_through():
    glued = record("Erik G. Hoel, Hanan Samet VLDB 1995 Benchmarking Spatial Join Operations with Spatial Output")
    clean = record(
        "Benchmarking Spatial Join Operations with Spatial Output",
        "Erik G. Hoel, Hanan Samet",
        "Very Large Data Bases",
        "1995",
        "b.bib:1",
    )
    assert groups(glued, clean) == [["a.bib:1", "b.bib:1"]]
    assert "glued" in decision_between(glued, clean).reason


def test_a_glued_year_is_read_as_the_records_year():
    glued = record(
        "1996 Priority Assignment in Real-Time Active Databases", "John A. Stankovic, Krithi Ramamritham", "VLDB J."
    )
    other_year = record(
        "Priority assignment in real-time active databases",
        "John Stankovic, Krithi Ramamritham",
        "VLDB J.",
        "2001",
        "b.bib:1",
    )
    assert len(groups(glued, other_year)) == 2
    assert decision_between(glued, other_year).evidence["year"][0] < 0


def test_ungluing_needs_the_glued_words_accounted_for_and_a_title_left():
    fields = frozenset(comparison_key("Ann Lee Data Engineering").split())
    keys = comparison_key("Ann Lee 2004 Streams of Uncertain Data"), comparison_key("Streams of uncertain data")
    found = unglue(*keys, Glue(fields, (False, False)))
    assert found is not None and found.left.key == found.right.key == "streams of uncertain data"
    assert found.years == (2004, None)
    different = comparison_key("Adaptive Streams of Uncertain Data"), keys[1]
    assert unglue(*different, Glue(fields, (False, False))) is None  # "adaptive" is no field
    short = comparison_key("Ann Lee Data Streams"), comparison_key("Data Streams")
    assert unglue(*short, Glue(fields, (False, False))) is None  # too little left to be a title


# ---- abstract-rich sources: a paper retitled between versions --------------------------------


def test_a_paper_retitled_between_versions_with_its_abstract_edited_is_one_paper():
    from test_dedupe import FLAMINGO_V1, FLAMINGO_V2, MOTIVATED_A, entry

    first = entry(FLAMINGO_V1, "a.txt", title="Flamingo: a Visual Language Model for Few-Shot Learning")
    retitled = entry(FLAMINGO_V2, "b.txt", title="Tackling multiple tasks with a single visual language model")
    merged = decision_between(first, retitled)
    assert merged.merged and merged.reason.startswith("title changed between versions")
    assert merged.evidence["title"][0] < 0 < merged.evidence["abstract"][0]
    # a distinct paper's title names what only its own abstract says: kept apart
    edited = MOTIVATED_A.replace("a single GPU in a few hours", "commodity hardware within one day").replace(
        "three bits", "four bits with outlier channels kept in sixteen bits"
    )
    other = decision_between(
        entry(MOTIVATED_A, "a.txt", title="Three-bit quantization that works"),
        entry(edited, "b.txt", title="Outlier-aware four-bit quantization"),
    )
    assert not other.merged
