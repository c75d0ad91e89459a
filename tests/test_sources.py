"""Reading source files: decoding, format detection, file-level errors."""

from __future__ import annotations

import pytest

from generator.errors import BuildError
from generator.sources import detect_format, parse_source


def test_detects_both_formats():
    assert detect_format(["DMA", "Abstract: x"]) == "abstract-list"
    assert detect_format(["Name", "CL", "70.8CVApr 29, 2022", "Title"]) == "rich-profile"
    assert detect_format(["just", "prose"]) is None


def test_unknown_format_is_an_error_at_the_first_text_line(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("\n\nSome notes that are not a profile.\n")
    with pytest.raises(BuildError) as caught:
        parse_source(path, "notes.txt")
    [problem] = caught.value.problems
    assert (problem.line, problem.message) == (3, "unknown source format")
    assert "Abstract:" in problem.hint


def test_invalid_utf8_names_the_line(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"Abstract: fine\nAbstract: caf\xe9\n")
    with pytest.raises(BuildError) as caught:
        parse_source(path, "bad.txt")
    assert caught.value.problems[0].line == 2
    assert "UTF-8" in caught.value.problems[0].message


def test_binary_file_is_refused(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(b"Abstract: x\n\x00\x01\x02")
    with pytest.raises(BuildError) as caught:
        parse_source(path, "image.txt")
    assert caught.value.problems[0].line == 2


def test_unsupported_suffix(tmp_path):
    path = tmp_path / "paper.pdf"
    path.write_bytes(b"%PDF")
    with pytest.raises(BuildError) as caught:
        parse_source(path, "paper.pdf")
    assert "unsupported source type" in caught.value.problems[0].message
