"""Property tests: any input either parses/builds or fails with a located BuildError, never anything else."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from conftest import SEEDS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.errors import BuildError
from generator.pipeline import BuildOptions, build
from generator.sources import abstract_list, bibtex, rich_profile
from generator.sources.formats import parse_source
from generator.text.latex import latex_to_text
from generator.text.normalize import clean_text, comparison_key

FRAGMENTS = [
    "Abstract:",
    "Abstract: We study things.",
    "70.8CVApr 29, 2022",
    "54CLOct 10, 2023Code",
    "12 Papers",
    "h-index10",
    "18,536citations",
    "Novelty62%",
    "Ada Lovelace, Bob et al. · mit",
    "stat.ML",
    "",
    "  ",
    "Title of a paper",
    "$x^2$ and \\alpha",
    "{\\'e}",
    "&amp;",
    "…",
    "Code",
    "N/ACVApr 31, 2022",
    "@article{k, title={T}}",
    "@misc{",
    "}",
    "author = {A and B}",
    "\ufeff",
    "\u200b",
    "\r",
]
lines = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=80)), max_size=40)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def parses_or_fails_cleanly(parser, text_lines: list[str]) -> None:
    try:
        doc = parser(text_lines, "x.txt")
    except BuildError as error:
        assert error.problems and all(problem.path == "x.txt" and problem.line >= 1 for problem in error.problems)
        return
    for entry in doc.entries:
        assert entry.location.file == "x.txt" and entry.location.line >= 1


@SETTINGS
@given(lines)
def test_abstract_list_parser(text_lines):
    parses_or_fails_cleanly(abstract_list.parse, text_lines)


@SETTINGS
@given(lines)
def test_rich_profile_parser(text_lines):
    parses_or_fails_cleanly(rich_profile.parse, text_lines)


@SETTINGS
@given(lines)
def test_bibtex_parser(text_lines):
    parses_or_fails_cleanly(bibtex.parse, text_lines)


@SETTINGS
@given(st.text(alphabet=st.sampled_from(list("\\${}^_ab1 -.%&'`\"~αé\u2028")), max_size=200) | st.text(max_size=200))
def test_text_clean_up_never_raises(text):
    assert isinstance(latex_to_text(text).text, str)
    cleaned = clean_text(text).text
    assert cleaned == cleaned.strip()
    assert comparison_key(cleaned) == comparison_key(cleaned).strip()


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_as_a_source_file(data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.txt"
        path.write_bytes(data)
        try:
            parse_source(path, "x.txt")
        except BuildError as error:
            assert error.problems


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_whole_build_on_mutated_seeds(data):
    with tempfile.TemporaryDirectory() as folder:
        seeds = Path(folder) / "seeds"
        shutil.copytree(SEEDS, seeds)
        name = data.draw(st.sampled_from(sorted(p.name for p in seeds.iterdir())))
        text = (seeds / name).read_text(encoding="utf-8")
        for _ in range(data.draw(st.integers(1, 6))):
            position = data.draw(st.integers(0, len(text)))
            cut = data.draw(st.integers(0, 40))
            insert = data.draw(st.sampled_from(FRAGMENTS) | st.text(max_size=20))
            text = text[:position] + insert + "\n" * data.draw(st.integers(0, 2)) + text[position + cut :]
        (seeds / name).write_text(text, encoding="utf-8")
        options = BuildOptions(seeds, Path(folder) / "out", seeds / "site.yaml")
        try:
            summary = build(options)
        except BuildError as error:
            assert error.problems
            assert not (Path(folder) / "out").exists()
        else:
            assert summary.papers >= 1


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab -.&;$\\{}`'\t\nééæ…"))))
def test_clean_text_shortcut_changes_nothing(text):

    from generator.text import normalize

    fast = normalize.clean_text(text)
    shortcut, normalize.needs_cleaning = normalize.needs_cleaning, lambda raw: True
    try:
        assert normalize.clean_text(text) == fast
    finally:
        normalize.needs_cleaning = shortcut
    assert normalize.strip_ellipsis(fast.text) == (
        normalize.ELLIPSIS_END.sub("", fast.text),
        normalize.ELLIPSIS_END.sub("", fast.text) != fast.text,
    )
