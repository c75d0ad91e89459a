"""The rich-profile parser: name, category, glued metrics, paper cards."""

from __future__ import annotations

import pytest

from generator.errors import BuildError
from generator.sources import rich_profile

PAGE = """Ada Lovelace

stat.ML
h-index7
3papers
1234citations
Novelty55%
AI Score 40

3 Papers

70.8CVApr 29, 2022
A First Paper: With a Subtitle

Ada Lovelace, Charles Babbage et al. · analytical engines

This abstract is hard
wrapped over three
lines.

54CLOct 10, 2023Code
Second Paper

Charles Babbage, Ada Lovelace

Short abstract.
12.5math.OCSept 1, 2021
Third Paper
A plain abstract with no author line, which is long enough to be prose.
"""


def parse(text: str = PAGE):
    return rich_profile.parse(text.splitlines(), "page.txt")


def test_header_name_category_and_metrics():
    doc = parse()
    assert doc.person_name == "Ada Lovelace"
    assert doc.primary_category == "stat.ML"
    assert {m.key: m.value for m in doc.metrics} == {
        "h_index": 7,
        "papers": 3,
        "citations": 1234,
        "novelty": 55,
        "ai_score": 40,
    }
    assert doc.metrics[0].location.line == 4


def test_thousands_separator_in_metrics():
    doc = parse(PAGE.replace("1234citations", "18,536citations"))
    assert {m.key: m.value for m in doc.metrics}["citations"] == 18536


def test_cards_head_lines_fields_and_lines():
    first, second, third = parse().entries
    assert (first.score, first.category, first.date, first.code) == (70.8, "CV", "2022-04-29", False)
    assert first.title == "A First Paper: With a Subtitle"
    assert first.authors == ["Ada Lovelace", "Charles Babbage"]
    assert first.authors_truncated
    assert first.affiliation == "analytical engines"
    assert first.abstract == "This abstract is hard wrapped over three lines."
    assert (second.score, second.category, second.code, second.authors_truncated) == (54, "CL", True, False)
    assert second.authors == ["Charles Babbage", "Ada Lovelace"]
    assert (third.category, third.date, third.authors) == ("math.OC", "2021-09-01", [])
    assert third.abstract.startswith("A plain abstract")
    assert [entry.location.line for entry in (first, second, third)] == [12, 21, 27]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("70.8CVApr 29, 2022", True),
        ("54.8CLOct 10, 2023Code", True),
        ("54CLOct 10, 2023 Code", True),
        ("3.1stat.MLJan 2, 2020", True),
        ("CLMar 3, 2024", True),
        ("3DGS for everyone", False),
        ("Mistral 7B", False),
        ("12 Papers", False),
        ("70.8CVFoo 29, 2022", False),
    ],
)
def test_card_head_recognition(line, expected):
    assert rich_profile.is_card_head(line) is expected


def test_unexpected_header_line_is_an_error_at_its_line():
    with pytest.raises(BuildError) as caught:
        parse(PAGE.replace("Novelty55%", "This line is not a metric at all, it is prose."))
    [problem] = caught.value.problems
    assert problem.line == 7
    assert "unexpected line" in problem.message


def test_invalid_card_date_is_an_error():
    with pytest.raises(BuildError) as caught:
        parse(PAGE.replace("Apr 29, 2022", "Feb 30, 2022"))
    assert caught.value.problems[0].line == 12


def test_card_without_title_is_an_error():
    with pytest.raises(BuildError) as caught:
        parse("Name\n\n70.8CVApr 29, 2022\n")
    assert caught.value.problems[0].line == 3


def test_stated_count_that_disagrees_with_the_cards_is_a_note():
    doc = parse(PAGE.replace("3 Papers", "5 Papers"))
    [note] = doc.notes
    assert note.line == 10
    assert "5 papers" in note.message


def test_authors_detection():
    assert rich_profile.looks_like_authors("Albert Q. Jiang, Diego de las Casas et al.")
    assert rich_profile.looks_like_authors("Mistral-AI, Abhinav Rastogi")
    assert not rich_profile.looks_like_authors("We introduce Mistral 7B v0.1, a 7-billion-parameter language model")
    assert not rich_profile.looks_like_authors("This is a short abstract.")


def test_tolerated_variants_of_a_scraped_page():
    page = (
        "Grace Hopper\nNavy Labs, Harvard\nCL\nh-index: 12\n18536 citations\nPapers (2)\n\n"
        "91CL1952-05-03\nCode\nCompilers\nGrace\u00a0Hopper\nWe wrote the first compiler, which was long enough.\n\n"
        "4.5cs.PLMay 3, 1953Code\nA\u200b Second Title\nGrace Hopper and Howard Aiken\nShort abstract.\n"
    )
    doc = parse(page)
    assert doc.person_name == "Grace Hopper"
    assert doc.affiliations == ["Navy Labs", "Harvard"]
    assert {m.key: m.value for m in doc.metrics} == {"h_index": 12, "citations": 18536}
    assert doc.notes == []
    first, second = doc.entries
    assert (first.date, first.code, first.title, first.authors) == ("1952-05-03", True, "Compilers", ["Grace Hopper"])
    assert (second.category, second.code, second.authors) == ("cs.PL", True, ["Grace Hopper", "Howard Aiken"])


def test_a_glued_head_line_that_cannot_be_read_is_an_error_not_abstract_text():
    with pytest.raises(BuildError) as caught:
        parse(PAGE.replace("54CLOct 10, 2023Code", "54CLOct 2023Code"))
    [problem] = caught.value.problems
    assert problem.line == 21 and "unreadable card head" in problem.message


def test_card_without_abstract_and_non_numeric_score_are_errors():
    page = PAGE.replace("Short abstract.\n", "").replace("70.8CVApr 29, 2022", "N/ACVApr 29, 2022")
    with pytest.raises(BuildError) as caught:
        parse(page)
    messages = {p.line: p.message for p in caught.value.problems}
    assert "unreadable card head" in messages[12]
    assert "has no abstract" in messages[21]


def test_day_first_dates_in_card_heads():
    assert rich_profile.is_card_head("70.8CV29 Apr 2022Code")
    assert not rich_profile.is_card_head("70.8CV29 Foo 2022")
    [entry] = parse("Name\n\n70.8CV29 Apr 2022Code\nTitle\n\nA B, C D\n\nAn abstract long enough.\n").entries
    assert (entry.date, entry.code) == ("2022-04-29", True)


def test_several_metrics_on_one_line():
    doc = parse(PAGE.replace("h-index7\n3papers\n1234citations\n", "h-index7 · 3papers | 1234citations\n"))
    assert {m.key: m.value for m in doc.metrics} == {
        "h_index": 7,
        "papers": 3,
        "citations": 1234,
        "novelty": 55,
        "ai_score": 40,
    }
