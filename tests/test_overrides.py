"""papers.yaml: completing and correcting papers, with located errors and provenance."""

from __future__ import annotations

import json

from conftest import run_cli, write_corpus

LIST = (
    "Abstract: We introduce Orca-7B, a 7-billion-parameter language model engineered for efficiency and speed on "
    "every benchmark we evaluated.\n"
    "Abstract: We study differential engines that compute tables of polynomials by the method of finite "
    "differences and print them directly.\n"
)
PAGE = (
    "Ada Lovelace\n\nCL\n\n70.8CVApr 29, 2022\nOrca 3B\n\nAda Lovelace, Mary Somerville\n\n"
    "We introduce Orca-3B, a 3-billion-parameter language model engineered for efficiency and speed on every "
    "benchmark we evaluated.\n"
)
SITE = (
    "profiles:\n  - name: Ada Lovelace\n    sources: [list.txt, page.txt]\n"
    "  - name: Charles Babbage\n    sources: [other.txt]\n"
)
OTHER = "Abstract: A completely different paper about analytical engines, long enough to stand alone here.\n"


def build(tmp_path, papers_yaml: str, extra: dict[str, str] | None = None):
    files = {"list.txt": LIST, "page.txt": PAGE, "other.txt": OTHER, "site.yaml": SITE, "papers.yaml": papers_yaml}
    seeds = write_corpus(tmp_path / "seeds", files | (extra or {}))
    result = run_cli("build", "--seeds", seeds, "--out", tmp_path / "out")
    return result, tmp_path / "out"


def papers(out) -> dict[str, dict]:
    return {p["id"]: p for p in json.loads((out / "papers.json").read_text(encoding="utf-8"))["papers"]}


def test_overrides_complete_a_paper_with_provenance(tmp_path):
    result, out = build(
        tmp_path,
        (
            '- match: "METHOD of  FINITE differences"   # any case, spacing\n'
            "  title: Differential Engines\n"
            "  date: 1822-06\n"
            "  category: cs.NA\n"
            "  arxiv: arXiv:1822.00001v3\n"
            "  doi: https://doi.org/10.1000/ENGINE\n"
            "  venue: Royal Society\n"
            "  url: https://example.org/engines\n"
            "  pdf: https://example.org/engines.pdf\n"
            "  code_url: https://github.com/ada/engines\n"
            "  authors: [Ada Lovelace, Charles Babbage]\n"
            "  tags: [history, machines]\n"
            "  profiles: [charles-babbage]\n"
            "  checked: unverified (written from memory)\n"
        ),
    )
    assert result.returncode == 0, result.stderr
    paper = papers(out)["differential-engines"]
    assert (paper["date"], paper["category"], paper["arxiv"], paper["doi"]) == (
        "1822-06",
        "NA",
        "1822.00001",
        "10.1000/engine",
    )
    assert paper["title_derived"] is False and paper["tags"] == ["history", "machines"]
    assert paper["profiles"] == ["ada-lovelace", "charles-babbage"]
    assert paper["provenance"]["title"] == "papers.yaml:2" and paper["provenance"]["abstract"] == "list.txt:2"
    assert paper["checked"] == "unverified (written from memory)"
    html = (out / "charles-babbage" / "index.html").read_text(encoding="utf-8")
    assert '<a href="https://example.org/engines">Differential Engines</a>' in html
    assert "arXiv (unverified)" in html and 'href="https://github.com/ada/engines"' in html
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["overridden"][0]["fields"]["title"] == "papers.yaml:2"
    assert report["unverified"][0]["paper"] == "differential-engines"
    bib = (out / "charles-babbage" / "papers.bib").read_text(encoding="utf-8")
    assert "eprint = {1822.00001}" in bib and "doi = {10.1000/engine}" in bib


def test_id_references_hidden_and_detach(tmp_path):
    result, out = build(
        tmp_path,
        ("- id: orca-3b\n  hidden: true\n- match: analytical engines\n  profiles: [-charles-babbage, +ada-lovelace]\n"),
    )
    assert result.returncode == 0, result.stderr
    found = papers(out)
    assert "orca-3b" not in found
    other = next(p for p in found.values() if "analytical engines" in p["abstract"])
    assert other["profiles"] == ["ada-lovelace"]
    assert json.loads((out / "report.json").read_text(encoding="utf-8"))["hidden"][0]["paper"] == "orca-3b"


def test_same_arxiv_id_makes_one_paper_whatever_the_text(tmp_path):
    result, out = build(
        tmp_path, ("- match: Orca-7B\n  arxiv: '2401.00001'\n- match: Orca-3B\n  arxiv: '2401.00001'\n")
    )
    assert result.returncode == 0, result.stderr
    orca = [p for p in papers(out).values() if "Orca" in p["abstract"]]
    assert len(orca) == 1 and len(orca[0]["sources"]) == 2
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert "same arXiv id 2401.00001" in report["joined_by_identifier"][0]


def test_disagreement_with_a_source_is_reported(tmp_path):
    result, out = build(tmp_path, "- match: Orca-3B\n  title: Orca Three\n  date: 2021\n")
    assert result.returncode == 0, result.stderr
    notes = [d["note"] for d in json.loads((out / "report.json").read_text(encoding="utf-8"))["disagreements"]]
    assert any(note.startswith("title: papers.yaml:2 gives 'Orca Three', page.txt:5 says 'Orca 3B'") for note in notes)
    assert any(note.startswith("date: papers.yaml:3") for note in notes)


def test_match_finding_no_paper_or_several_is_an_error_naming_candidates(tmp_path):
    result, _ = build(tmp_path, "- match: nothing like this\n  title: X\n- match: We introduce\n  title: Y\n")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "papers.yaml:1: match 'nothing like this' finds no paper" in result.stderr
    assert "papers.yaml:3: match 'We introduce' finds 2 papers" in result.stderr
    assert "orca-3b" in result.stderr  # candidates are named


def test_mistakes_of_form_and_names_that_name_nothing_are_reported_in_one_build(tmp_path):
    """A user fixing papers.yaml sees every mistake at once, not those of the names only after
    fixing those of the form."""
    result, out = build(tmp_path, "- match: nothing like this\n  title: X\n- match: Orca-3B\n  titel: Oops\n")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "papers.yaml:1: match 'nothing like this' finds no paper" in result.stderr
    assert "papers.yaml:4: unknown key 'titel'" in result.stderr
    assert result.stderr.index("papers.yaml:1:") < result.stderr.index("papers.yaml:4:")  # in file order
    assert not out.exists()


def test_bad_keys_and_values_are_errors_with_hints(tmp_path):
    result, _ = build(
        tmp_path,
        (
            "- match: Orca-3B\n"
            "  titel: Oops\n"
            "  date: 2022-13-01\n"
            "  arxiv: not-an-id\n"
            "  url: ftp://example.org\n"
            "  category: Computation and Language\n"
            "  hidden: maybe\n"
            "  profiles: [ada-lovelase]\n"
            "- title: no target\n"
        ),
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    for expected in (
        "papers.yaml:2: unknown key 'titel'",
        "did you mean 'title'",
        "papers.yaml:3: 'date'",
        "papers.yaml:4: 'arxiv'",
        "papers.yaml:5: 'url'",
        "papers.yaml:6: 'category'",
        "papers.yaml:7: 'hidden' must be true or false",
        "papers.yaml:8: 'profiles': no profile 'ada-lovelase'",
        "did you mean 'ada-lovelace'",
        "papers.yaml:9: an override needs exactly one of 'match' or 'id'",
    ):
        assert expected in result.stderr, expected


def test_two_overrides_setting_one_field_of_one_paper(tmp_path):
    result, _ = build(tmp_path, "- match: Orca-3B\n  title: A\n- id: orca-3b\n  title: B\n")
    assert result.returncode == 1 and "papers.yaml:4: 'title' is set twice for the same paper" in result.stderr
