"""Reading source files: decoding, format detection, file-level errors."""

from __future__ import annotations

import pytest

from generator.errors import BuildError
from generator.sources.formats import detect_format, parse_source


def test_detects_both_formats():
    assert detect_format(["DMA", "Abstract: x"]) == "abstract-list"
    assert detect_format(["Name", "CL", "70.8CVApr 29, 2022", "Title"]) == "rich-profile"
    assert detect_format(["just", "prose"]) is None


def test_unknown_format_is_an_error_at_the_first_text_line(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("\n\n" + "Some notes that are not a profile, long enough to be prose and not a header. " * 4 + "\n")
    with pytest.raises(BuildError) as caught:
        parse_source(path, "notes.txt")
    [problem] = caught.value.problems
    assert (problem.line, problem.message) == (3, "unknown source format")
    assert "Abstract:" in problem.hint


def test_windows_1252_is_read_with_a_warning_naming_the_byte(tmp_path):
    path = tmp_path / "legacy.txt"
    path.write_bytes(b"Abstract: fine\nAbstract: caf\xe9 \x93quoted\x94 text\n")
    doc = parse_source(path, "legacy.txt")
    assert doc.entries[1].abstract == "café “quoted” text"
    [warning] = doc.notes
    assert warning.line == 2 and "byte 0xe9 at offset 28" in warning.message and "Windows-1252" in warning.message


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "utf-32-be"])
def test_utf16_and_utf32_with_a_byte_order_mark_are_read(tmp_path, encoding):
    """What Windows tools save as "Unicode" (PowerShell's redirection, Notepad, some exporters)."""
    import codecs

    bom = {"utf-16-be": codecs.BOM_UTF16_BE, "utf-32-be": codecs.BOM_UTF32_BE}.get(encoding, b"")
    path = tmp_path / "wide.bib"
    path.write_bytes(bom + "@article{a,\n  title = {Naïve Café Models},\n  year = {2020},\n}\n".encode(encoding))
    doc = parse_source(path, "wide.bib")
    assert [(entry.title, entry.location.line) for entry in doc.entries] == [("Naïve Café Models", 1)]
    assert doc.notes == []


def test_a_broken_utf16_file_is_an_error_at_its_line(tmp_path):
    path = tmp_path / "broken.txt"
    path.write_bytes("Abstract: fine\nAbstract: cut".encode("utf-16") + b"\x00\xd8")  # a lone surrogate
    with pytest.raises(BuildError) as caught:
        parse_source(path, "broken.txt")
    [problem] = caught.value.problems
    assert problem.line == 2 and "UTF-16" in problem.message and "UTF-8" in problem.hint


def test_bytes_that_are_neither_utf8_nor_windows_1252_are_an_error(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"Abstract: fine\nAbstract: \x81\x8d broken\n")
    with pytest.raises(BuildError) as caught:
        parse_source(path, "bad.txt")
    [problem] = caught.value.problems
    assert problem.line == 2 and "byte 0x81 at offset 25" in problem.message


def test_empty_and_header_only_files(tmp_path):
    (tmp_path / "empty.txt").write_text("\n \n")
    (tmp_path / "header.txt").write_text("DMA, PARIETAL\n")
    with pytest.raises(BuildError) as caught:
        parse_source(tmp_path / "empty.txt", "empty.txt")
    assert caught.value.problems[0].message == "empty source file"
    with pytest.raises(BuildError) as caught:
        parse_source(tmp_path / "header.txt", "header.txt")
    assert "only header lines" in caught.value.problems[0].message


def test_size_limit(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("Abstract: " + "word " * 3000)
    with pytest.raises(BuildError) as caught:
        parse_source(path, "big.txt", max_bytes=10_000)
    assert "over the 0 MB limit" in caught.value.problems[0].message or "limit" in caught.value.problems[0].message


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


def test_a_source_is_parsed_from_the_bytes_given_not_read_again(tmp_path):
    """The disk cache keys a source by the bytes it read; parsing those same bytes means a file
    saved again meanwhile is never kept under the key of its former text."""
    from generator.sources.formats import parse_source

    path = tmp_path / "list.txt"
    path.write_text("Abstract: The text now on disk, which is long enough to be an abstract.\n", encoding="utf-8")
    given = b"Abstract: The text that was read and hashed, long enough to be an abstract too.\n"
    doc = parse_source(path, "list.txt", data=given)
    assert [entry.abstract for entry in doc.entries] == [
        "The text that was read and hashed, long enough to be an abstract too."
    ]
