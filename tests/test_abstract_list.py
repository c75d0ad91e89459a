"""The abstract-list parser and its tolerance of copy-paste damage."""

from __future__ import annotations

import pytest

from generator.errors import BuildError
from generator.sources import abstract_list
from generator.sources.formats import read_text, split_lines

LONG = "We study how models learn. " * 3


def parse(text: str):
    return abstract_list.parse(text.splitlines(), "list.txt")


def test_entries_with_and_without_space_after_the_colon_and_any_case():
    doc = parse(f"Abstract:{LONG}\nAbstract: Second one.\nABSTRACT : Third one.")
    assert [entry.abstract for entry in doc.entries] == [LONG.strip(), "Second one.", "Third one."]
    assert [entry.location.line for entry in doc.entries] == [1, 2, 3]


def test_header_lines_become_affiliations():
    doc = parse("DMA, PARIETAL\nAbstract:One.\n")
    assert doc.affiliations == ["DMA", "PARIETAL"]
    assert doc.entries[0].location.line == 2


@pytest.mark.parametrize("header", ["Ann Lee", "A. Lee", "ANN LEE"])
def test_a_header_line_naming_the_person_is_not_shown_as_an_affiliation(tmp_path, header):
    from conftest import run_cli, write_corpus

    site = "profiles:\n  - name: Ann Lee\n    sources: [lee.txt]\n"
    text = f"{header}\nMIT CSAIL, Lee Lab\nAbstract: {LONG}\n"
    seeds = write_corpus(tmp_path / "seeds", {"site.yaml": site, "lee.txt": text})
    result = run_cli("build", "--seeds", seeds, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert '<p class="affiliations">MIT CSAIL · Lee Lab</p>' in html


def test_hard_wrapped_abstract_is_joined_and_starts_at_its_abstract_line():
    doc = parse("\n\nAbstract: We introduce a model\nthat spans\n   three lines.\nAbstract: Next.")
    assert doc.entries[0].abstract == "We introduce a model that spans three lines."
    assert doc.entries[0].location.line == 3
    assert doc.entries[1].location.line == 6


def test_blank_lines_end_entries_and_extra_blank_lines_are_fine():
    doc = parse("Abstract: One.\n\n\n\nAbstract: Two.\n\n")
    assert [entry.abstract for entry in doc.entries] == ["One.", "Two."]


def test_text_after_a_blank_line_is_an_error_at_its_line():
    with pytest.raises(BuildError) as caught:
        parse("Abstract: One.\n\nstray text that belongs to nothing\nAbstract: Two.")
    [problem] = caught.value.problems
    assert (problem.path, problem.line) == ("list.txt", 3)
    assert "outside any entry" in problem.message
    assert "Abstract:" in problem.hint


def test_a_long_prose_line_before_the_first_entry_is_not_taken_for_a_header():
    with pytest.raises(BuildError) as caught:
        parse("x" * 300 + "\nAbstract: One.")
    assert caught.value.problems[0].line == 1


def test_empty_abstract_is_an_error():
    with pytest.raises(BuildError) as caught:
        parse("Abstract: One.\nAbstract:   \nAbstract: Three.")
    assert [(p.line, p.message) for p in caught.value.problems] == [(2, "empty abstract")]


def test_every_problem_of_a_file_is_reported_at_once():
    with pytest.raises(BuildError) as caught:
        parse("Abstract: One.\n\nstray\n\nAbstract:\n")
    assert [p.line for p in caught.value.problems] == [3, 5]


@pytest.mark.parametrize("ending", ["...", "…", " ...", "[...]"])
def test_truncated_abstracts_are_flagged_and_the_ellipsis_removed(ending):
    doc = parse(f"Abstract: We present a thing that is cut{ending}")
    assert doc.entries[0].abstract == "We present a thing that is cut"
    assert doc.entries[0].truncated


def test_crlf_bom_trailing_spaces_and_no_final_newline(tmp_path):
    path = tmp_path / "list.txt"
    path.write_bytes("\ufeffDMA  \r\nAbstract: One  \r\n  continued.   \r\n\r\nAbstract: Two".encode())
    doc = abstract_list.parse(split_lines(read_text(path, "list.txt")[0]), "list.txt")
    assert doc.affiliations == ["DMA"]
    assert [entry.abstract for entry in doc.entries] == ["One continued.", "Two"]


def test_entries_are_normalised_for_display():
    doc = parse(r"Abstract: A 12--billion model \& more with $4\times$ gains and &amp; entities.")
    assert doc.entries[0].abstract == "A 12–billion model & more with 4× gains and & entities."


def test_entries_behind_bullets_and_numbers():
    doc = parse("• Abstract: One.\n- Abstract: Two.\n3. Abstract:Three.\n12) abstract: Four.")
    assert [entry.abstract for entry in doc.entries] == ["One.", "Two.", "Three.", "Four."]
