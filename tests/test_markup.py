"""Formatting markup in sources read as text: Crossref's JATS abstracts (as Zotero stores them),
MathML, publishers' inline HTML; anything else that looks like a tag stays text."""

from __future__ import annotations

import re

import pytest
from conftest import run_cli, write_corpus

from generator.text.normalize import clean_text

JATS = (
    "<jats:title>Abstract</jats:title><jats:p>We present a method for <jats:italic>single-cell</jats:italic>"
    " analysis of H<jats:sub>2</jats:sub>O and x<jats:sup>2</jats:sup>.</jats:p><jats:sec><jats:title>Results"
    "</jats:title><jats:p>It works.</jats:p></jats:sec>"
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (JATS, "We present a method for single-cell analysis of H₂O and x². Results: It works."),
        (
            "<p>Background: <b>bold</b> claims.</p><p>Methods: a&nbsp;trial.</p>",
            "Background: bold claims. Methods: a trial.",
        ),
        ("Growth of <i>E. coli</i> in CO<sub>2</sub>", "Growth of E. coli in CO₂"),
        ('<span class="nlm">Spanned</span> text<br/>broken', "Spanned text broken"),
        ("<mml:math><mml:mi>x</mml:mi><mml:mo>=</mml:mo><mml:mn>1</mml:mn></mml:math> holds", "x=1 holds"),
        ("N<sub>Bob</sub> stays readable", "NBob stays readable"),  # no subscript letters for all of it
        # not formatting: left as text, escaped on the page like the rest
        ("if a<b and c>d then", "if a<b and c>d then"),
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),
        ("<img src=x onerror=alert(1)>", "<img src=x onerror=alert(1)>"),
        ("<span onclick=alert(1)>y", "<span onclick=alert(1)>y"),
    ],
)
def test_formatting_markup_is_read_as_text(raw, expected):
    assert clean_text(raw).text == expected


def test_a_zotero_abstract_from_crossref_shows_as_text_on_the_page(tmp_path):
    bib = (
        "@article{lee2021,\n  title = {Growth of <i>E. coli</i> in CO<sub>2</sub>},\n  author = {Lee, Ann},\n"
        "  journal = {Nature Methods},\n  year = {2021},\n  abstract = {" + JATS + "},\n}\n"
    )
    site = "profiles:\n  - name: Ann Lee\n    sources: [lee.bib]\n"
    seeds = write_corpus(tmp_path / "seeds", {"site.yaml": site, "lee.bib": bib})
    result = run_cli("build", "--seeds", seeds, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    shown = re.sub(r"<pre class=\"bibtex\">.*?</pre>", "", html, flags=re.DOTALL)  # Cite: the entry as written
    assert "jats" not in shown and "&lt;i&gt;" not in shown
    assert "Growth of E. coli in CO₂" in html and "analysis of H₂O and x². Results: It works." in html
