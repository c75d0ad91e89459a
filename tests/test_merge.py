"""Merging: the order papers are listed in."""

from __future__ import annotations

from types import SimpleNamespace

from generator.merge import sort_papers


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
