"""Read source files: decode them, tell their format, hand them to a parser.

One parser per format lives beside this module.  Each returns a
:class:`~generator.model.SourceDoc` whose entries remember file and line, or
raises :class:`~generator.errors.BuildError` listing every problem it found.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from pathlib import Path

from generator.errors import BuildError, Problem
from generator.files import read_user_file
from generator.model import SourceDoc
from generator.sources import abstract_list, bibtex, rich_profile

SOURCE_SUFFIXES = (".txt", ".bib")
DEFAULT_MAX_BYTES = 50_000_000
MAX_HEADER_ONLY_LINES = 12
CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")  # zero-width marks, soft hyphen
Parser = Callable[[list[str], str], SourceDoc]
FORMATS: dict[str, Parser] = {
    abstract_list.FORMAT: abstract_list.parse,
    rich_profile.FORMAT: rich_profile.parse,
}


def _fail(path: str, line: int, message: str, hint: str = "") -> BuildError:
    return BuildError([Problem(path, line, message, hint)])


def source_bytes(path: Path, shown_path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """A source file's bytes; a file over ``max_bytes``, unreadable or not a regular file is a located problem."""

    def too_large(size: int) -> Problem:
        return Problem(
            shown_path,
            1,
            f"file is {size / 1e6:.0f} MB, over the {max_bytes / 1e6:.0f} MB limit for a source",
            "split it, or raise max_source_mb in site.yaml",
        )

    return read_user_file(path, shown_path, max_bytes, too_large)


def read_text(
    path: Path, shown_path: str, max_bytes: int = DEFAULT_MAX_BYTES, data: bytes | None = None
) -> tuple[str, list[Problem]]:
    """Read a source as text (``data``: its bytes, when already read): UTF-8 (BOM allowed), UTF-16
    or UTF-32 with their BOM (what Windows tools save as "Unicode"), else Windows-1252 with a
    warning; refuse binary data."""
    if data is None:
        data = source_bytes(path, shown_path, max_bytes)
    if data.startswith(WIDE_BOMS):
        return _wide_text(data, shown_path), []
    if b"\x00" in data:
        raise _fail(
            shown_path,
            data[: data.index(b"\x00")].count(b"\n") + 1,
            "binary data (NUL byte) in a text source",
            "sources are text copied from profile pages, or .bib files",
        )
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        return _legacy_text(data, error, shown_path)


# UTF-32 first: its little-endian BOM begins with UTF-16's
WIDE_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _wide_text(data: bytes, shown_path: str) -> str:
    """A UTF-32 or UTF-16 file, told by its byte-order mark."""
    encoding = "utf-32" if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)) else "utf-16"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data[: error.start].decode(encoding, errors="replace").count("\n") + 1
        raise _fail(
            shown_path,
            line,
            f"not valid {encoding.upper()} text, though it starts with a {encoding.upper()} byte-order mark",
            "save the file as UTF-8",
        ) from None


def _legacy_text(data: bytes, error: UnicodeDecodeError, shown_path: str) -> tuple[str, list[Problem]]:
    line = data[: error.start].count(b"\n") + 1
    where = f"byte 0x{data[error.start]:02x} at offset {error.start}"
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise _fail(
            shown_path,
            line,
            f"not UTF-8 text ({where}), nor Windows-1252",
            "save the file as UTF-8; sources are plain text copied from profile pages",
        ) from None
    if CONTROL.search(text):
        raise _fail(shown_path, line, f"binary data, not text ({where})", "sources are text files")
    warning = Problem(
        shown_path,
        line,
        f"not UTF-8 ({where}); read as Windows-1252 (Latin-1)",
        "save the file as UTF-8 to silence this warning and be sure of every character",
    )
    return text, [warning]


def split_lines(text: str) -> list[str]:
    """Right-stripped lines without zero-width marks (CRLF, CR and LF all end a line).  The marks are
    found by a regular expression: ``str.translate`` looks every character of a line up in a table."""
    return [line.rstrip() if line.isascii() else INVISIBLE.sub("", line).rstrip() for line in text.splitlines()]


def detect_format(lines: list[str]) -> str | None:
    """Name the format whose first marker comes first in ``lines``; None when neither fits."""
    for line in lines:
        if abstract_list.is_entry_start(line):
            return abstract_list.FORMAT
        if rich_profile.is_card_head(line):
            return rich_profile.FORMAT
    return None


def parse_source(
    path: Path, shown_path: str, max_bytes: int = DEFAULT_MAX_BYTES, data: bytes | None = None
) -> SourceDoc:
    """Read and parse one source file (``data``: its bytes, when already read); ``shown_path`` is
    how errors name it."""
    if path.suffix.lower() not in SOURCE_SUFFIXES:
        raise _fail(
            shown_path,
            1,
            f"unsupported source type '{path.suffix or path.name}'",
            f"sources are {', '.join(SOURCE_SUFFIXES)} files; narrow the profile's 'sources' globs",
        )
    text, notes = read_text(path, shown_path, max_bytes, data)
    lines = split_lines(text)
    if not any(line.strip() for line in lines):
        raise _fail(shown_path, 1, "empty source file", "paste the profile's text into it, or remove it")
    doc = _parse_lines(path, lines, shown_path)
    doc.notes = notes + doc.notes
    return doc


def _parse_lines(path: Path, lines: list[str], shown_path: str) -> SourceDoc:
    if path.suffix.lower() == ".bib":
        return bibtex.parse(lines, shown_path)
    source_format = detect_format(lines)
    if source_format is None:
        raise _unknown_format(lines, shown_path)
    return FORMATS[source_format](lines, shown_path)


def _unknown_format(lines: list[str], shown_path: str) -> BuildError:
    text_lines = [line for line in lines if line.strip()]
    first = next(number for number, line in enumerate(lines, 1) if line.strip())
    if len(text_lines) <= MAX_HEADER_ONLY_LINES and all(len(line) <= 200 for line in text_lines):
        return _fail(
            shown_path,
            first,
            "no paper entries: the file holds only header lines",
            "add entries starting with 'Abstract:', or paper cards with head lines like '70.8CVApr 29, 2022'",
        )
    return _fail(
        shown_path,
        first,
        "unknown source format",
        "an abstract list has entries starting with 'Abstract:'; a rich profile page has card head lines "
        "like '70.8CVApr 29, 2022'",
    )
