"""papers.yaml's ``same:`` and ``distinct:``: the user's word on what dedupe decided, through the
command line: papers joined or split as named, the report saying so, and every mistake an error at
its line with the output left as it was."""

from __future__ import annotations

import json

from conftest import run_cli, write_corpus

SITE = "profiles:\n  - name: Ada Lovelace\n    sources: ['*.bib']\n"
CONFERENCE = """@inproceedings{lovelace1843notes,
  title = {Notes on the analytical engine},
  author = {Lovelace, Ada and Babbage, Charles},
  booktitle = {Scientific Memoirs},
  year = {1843},
}
"""
JOURNAL = """@article{lovelace1843sketch,
  title = {Sketch of the engine invented by Charles Babbage},
  author = {Lovelace, Ada},
  journal = {Scientific Memoirs},
  year = {1843},
}
@article{lovelace1843copy,
  title = {Notes on the analytical engine},
  author = {Ada Lovelace and Charles Babbage},
  journal = {Scientific Memoirs},
  year = {1843},
  doi = {10.1000/notes},
}
"""
THIRD = """@misc{notes-again,
  title = {Notes on the Analytical Engine},
  author = {A. Lovelace and C. Babbage},
  year = {1843},
  doi = {10.1000/notes},
}
"""


def build(tmp_path, papers_yaml: str):
    files = {"site.yaml": SITE, "a.bib": CONFERENCE, "b.bib": JOURNAL, "c.bib": THIRD, "papers.yaml": papers_yaml}
    seeds = write_corpus(tmp_path / "seeds", files)
    return run_cli("build", "--seeds", seeds, "--out", tmp_path / "out"), tmp_path / "out"


def groups(out) -> list[list[str]]:
    papers = json.loads((out / "papers.json").read_text(encoding="utf-8"))["papers"]
    return sorted(sorted(f"{s['file']}:{s['line']}" for s in paper["sources"]) for paper in papers)


def test_without_overrides_the_copies_of_one_paper_are_one(tmp_path):
    result, out = build(tmp_path, "")
    assert result.returncode == 0, result.stderr
    assert groups(out) == [["a.bib:1", "b.bib:7", "c.bib:1"], ["b.bib:1"]]


def test_same_joins_papers_dedupe_kept_apart_named_by_place_phrase_or_id(tmp_path):
    result, out = build(tmp_path, '- same: [b.bib:1, "notes on the ANALYTICAL engine"]\n')
    assert result.returncode == 0, result.stderr
    assert groups(out) == [["a.bib:1", "b.bib:1", "b.bib:7", "c.bib:1"]]
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert any(note.startswith("papers.yaml:1 makes one paper of") for note in report["joined_by_identifier"])
    result, out = build(tmp_path, "- same: [sketch-of-the-engine-invented-by-charles-babbage, a.bib:1]\n")
    assert result.returncode == 0, result.stderr
    assert len(groups(out)) == 1


def test_distinct_splits_a_paper_and_a_shared_doi_does_not_join_it_again(tmp_path):
    result, out = build(tmp_path, "- distinct: [a.bib:1, c.bib:1]\n")
    assert result.returncode == 0, result.stderr
    found = groups(out)
    assert ["b.bib:1"] in found and len(found) == 3
    assert not any("a.bib:1" in group and "c.bib:1" in group for group in found)
    assert ["b.bib:7", "c.bib:1"] in found  # the copy sharing the DOI stays with the one it matched best


def test_every_mistake_is_an_error_at_its_line_and_the_output_is_kept(tmp_path):
    """Mistakes of form are found as papers.yaml is read; names that name nothing, once the papers
    are known: each build reports all of its kind."""
    result, out = build(tmp_path, "")
    assert result.returncode == 0
    before = (out / "papers.json").read_bytes()
    written_wrong = (
        "- same: [a.bib:1]\n"  # line 1: one name
        "- same: [a.bib:1, b.bib:1]\n  title: Something\n"  # line 2: fields do not go with same
        "- sam: [a.bib:1, b.bib:1]\n"  # line 4: a typo
        "- distinct: notes\n"  # line 5: not a list
    )
    named_wrong = (
        "- distinct: [a.bib:99, b.bib:1]\n"  # line 1: no entry there
        '- same: [a.bib:1, "no such phrase anywhere"]\n'  # line 2
        "- distinct: [a.bib:1, a.bib:1]\n"  # line 3: one copy twice
        '- same: [b.bib:1, "scientific"]\n'  # line 4: the venue's word, in no title or abstract
    )
    for mistakes, lines in ((written_wrong, (1, 2, 4, 5)), (named_wrong, (1, 2, 3, 4))):
        result, _ = build(tmp_path, mistakes)
        assert result.returncode == 1 and "Traceback" not in result.stderr
        for line in lines:
            assert f"papers.yaml:{line}:" in result.stderr, (line, result.stderr)
        assert (out / "papers.json").read_bytes() == before
    assert "did you mean 'same'" in build(tmp_path, written_wrong)[0].stderr


def test_same_against_distinct_is_an_error(tmp_path):
    result, _ = build(tmp_path, "- distinct: [b.bib:1, a.bib:1]\n- same: [a.bib:1, b.bib:1]\n")
    assert result.returncode == 1
    assert "papers.yaml:2:" in result.stderr and "distinct" in result.stderr
