"""Display clean-up and comparison keys."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.text.normalize import clean_text, comparison_key, slugify, strip_ellipsis, unique_slugs


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (r"uses $4\times$ more data", "uses 4× more data"),
        (r"Llama-3.2 11B \& Qwen", "Llama-3.2 11B & Qwen"),
        ("a 12--billion-parameter model", "a 12–billion-parameter model"),
        ("a rule---with a dash", "a rule—with a dash"),
        (r"With a $2$ trillion token database", "With a 2 trillion token database"),
        (r"accuracy of $59.5\%$ and 67.5\% too", "accuracy of 59.5% and 67.5% too"),
        (r"rate $\mathcal{O}(\exp(-a\sum_{j=1}^{t}\gamma_{j}))$", "rate 𝒪(exp(−a∑ⱼ₌₁ᵗγⱼ))"),
        (r"where $a>0$ holds", "where a>0 holds"),
        (r"$x^{2} + y_{ij}$ and $\frac{1}{2}$", "x² + yᵢⱼ and 1/2"),
        (r"$\alpha$-stable", "α-stable"),
        (r"$x^{abc\beta}$", "x^(abcβ)"),
        (r"G{\'e}rard and \"Ozil \c{c}a", "Gérard and Özil ça"),
        (r"\textbf{bold} and \emph{emphasis}", "bold and emphasis"),
        # old-style font switches, an italic correction, a hyphenation point (BibTeX titles)
        (r"{\em On} the {\bf Bold} and {\sc Small Caps}\/ pre\-trained", "On the Bold and Small Caps pretrained"),
        (r"$\displaystyle x$ and {\small text}", "x and text"),
        ("Costs $5 and $10 today", "Costs $5 and $10 today"),
        ("caf&eacute; &amp;amp; &lt;b&gt;", "café & <b>"),
        ("the \ufb01rst and \ufb02ow", "the first and flow"),
        ("  spaced\u00a0\u00a0out \n text ", "spaced out text"),
        # scraped records: UTF-8 read as Latin-1 (mojibake), entities split by spaces
        ("J\u00c3\u00b6rg Sander", "Jörg Sander"),
        ("\u00c3\u02dcystein Torbj\u00c3\u00b8rnsen", "Øystein Torbjørnsen"),
        ("Bertram Lud& #228;scher and Jos&eacute ;", "Bertram Ludäscher and José"),
        ("R & D; AT&T", "R & D; AT&T"),  # no entity: left as written
        ("Zoë Müller, naïve café", "Zoë Müller, naïve café"),  # correct text is not 'repaired'
    ],
)
def test_clean_text(raw, expected):
    assert clean_text(raw).text == expected


def test_unknown_macros_lose_their_backslash_and_are_counted():
    cleaned = clean_text(r"training \chinchilla{} beats \Gopher over \nummodels models")
    assert "\\" not in cleaned.text
    assert cleaned.text == "training chinchilla beats Gopher over nummodels models"
    assert cleaned.latex_residue == 3


def test_no_raw_math_survives():
    cleaned = clean_text(r"$\mathbb{E}[\|x\|_2^2] \leq \epsilon \cdot \sqrt{n}$")
    assert "\\" not in cleaned.text and "$" not in cleaned.text
    assert cleaned.text == "𝔼[‖x‖₂²] ≤ ε · √n"


def test_comparison_key_unifies_typography_case_accents_and_latex():
    plain = comparison_key(clean_text("Zoë’s “model” — 4x faster, 12-billion").text)
    fancy = comparison_key(clean_text(r"ZOE's ``model'' --- 4$\times$ faster, 12--billion").text)
    assert plain == fancy == "zoe s model 4x faster 12 billion"


def test_slugify():
    assert slugify("Amélie Héliou") == "amelie-heliou"
    assert slugify("Flamingo: a Visual Language Model!") == "flamingo-a-visual-language-model"
    assert slugify("word " * 40, max_length=20) == "word-word-word-word"


def test_unique_slugs_never_give_a_slug_twice_even_where_a_title_ends_in_a_number():
    assert unique_slugs(["Orca", "Orca", "Orca 2"]) == ["orca", "orca-3", "orca-2"]
    assert unique_slugs(["Orca 2", "Orca", "Orca", "Orca"]) == ["orca-2", "orca", "orca-3", "orca-4"]
    assert unique_slugs(["", "!!", "Paper"]) == ["paper", "paper-2", "paper-3"]


@given(st.lists(st.sampled_from(["Orca", "Orca 2", "Orca 3", "orca-2-2", "Orca 2 2", "", "Paper"]), max_size=12))
def test_unique_slugs_are_unique_and_each_first_copy_keeps_its_own(titles):
    slugs = unique_slugs(titles)
    assert len(set(slugs)) == len(slugs)
    own = [slugify(title, 60) or "paper" for title in titles]
    for position, base in enumerate(own):
        if base not in own[:position]:
            assert slugs[position] == base


def test_strip_ellipsis_keeps_sentences_ending_in_a_period():
    assert strip_ellipsis("A full sentence.") == ("A full sentence.", False)
    assert strip_ellipsis("Cut here …") == ("Cut here", True)
