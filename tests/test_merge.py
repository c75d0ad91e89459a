"""Merging: the order papers are listed in."""

from __future__ import annotations

from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from generator import merge
from generator.merge import sort_papers
from generator.model import Entry, Location


def paper(identifier: str, date: str | None, title: str) -> SimpleNamespace:
    return SimpleNamespace(id=identifier, date=date, title=title)


def test_newest_first_vaguer_date_first_undated_last_then_title():
    papers = [
        paper("u2", None, "b"),
        paper("a", "2021-12", "x"),
        paper("b", "2022-04-29", "x"),
        paper("c", "2022", "y"),
        paper("d", "2022-04", "z"),
        paper("u1", None, "A"),
        paper("e", "2022-04", "B"),
        paper("f", "2023", "x"),
        paper("g", "2022-04", "a"),
    ]
    order = [p.id for p in sort_papers(papers)]
    assert order == ["f", "c", "g", "e", "d", "b", "a", "u1", "u2"]


values = st.sampled_from(["", "x", "Deep Nets. A study of nets."])
one_entry = st.builds(
    Entry,
    location=st.builds(Location, st.sampled_from(["a.txt", "b.txt"]), st.integers(1, 9)),
    abstract=values,
    title=values,
    authors=st.lists(st.sampled_from(["A. One", "B. Two"]), max_size=2),
    authors_truncated=st.booleans(),
    affiliation=values,
    date=st.sampled_from([None, "", "2022", "2022-04-29"]),
    category=st.sampled_from(["", "cs.LG"]),
    score=st.sampled_from([None, 0.0, 7.5]),
    code=st.booleans(),
    venue=values,
    arxiv=st.sampled_from(["", "2204.14198"]),
    doi=st.sampled_from(["", "10.1/x"]),
    url=st.sampled_from(["", "https://example.org/p"]),
)


@given(one_entry)
def test_a_paper_of_one_entry_is_what_the_general_merge_rules_give(entry):
    owners = {"a.txt": ["ann", "bob"], "b.txt": []}
    assert merge._from_one(entry, owners) == merge._from_many([entry], owners)
