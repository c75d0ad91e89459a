"""Read source files: decode them, tell their format, hand them to a parser.

One parser per format lives beside this module.  Each returns a
:class:`~generator.model.SourceDoc` whose entries remember file and line, or
raises :class:`~generator.errors.BuildError` listing every problem it found.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from generator.errors import BuildError, Problem
from generator.model import SourceDoc
from generator.sources import abstract_list, bibtex, rich_profile

SOURCE_SUFFIXES = (".txt", ".bib")
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))  # zero-width marks, soft hyphen
Parser = Callable[[list[str], str], SourceDoc]
FORMATS: dict[str, Parser] = {
    abstract_list.FORMAT: abstract_list.parse,
    rich_profile.FORMAT: rich_profile.parse,
}


def read_lines(path: Path, shown_path: str) -> list[str]:
    """Decode a source as UTF-8 (BOM allowed) and split it into right-stripped lines."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise BuildError([Problem(shown_path, 1, f"cannot read file: {error.strerror}")]) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise BuildError(
            [
                Problem(
                    shown_path,
                    line,
                    f"not UTF-8 text (byte 0x{data[error.start]:02x})",
                    "save the file as UTF-8; sources are plain text copied from profile pages",
                )
            ]
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise BuildError([Problem(shown_path, line, "binary data (NUL byte) in a text source")])
    return [line.translate(INVISIBLE).rstrip() for line in text.splitlines()]


def detect_format(lines: list[str]) -> str | None:
    """Name the format whose first marker comes first in ``lines``; None when neither fits."""
    for line in lines:
        if abstract_list.is_entry_start(line):
            return abstract_list.FORMAT
        if rich_profile.is_card_head(line):
            return rich_profile.FORMAT
    return None


def parse_source(path: Path, shown_path: str) -> SourceDoc:
    """Read and parse one source file; ``shown_path`` is how errors name it."""
    if path.suffix.lower() not in SOURCE_SUFFIXES:
        raise BuildError(
            [
                Problem(
                    shown_path,
                    1,
                    f"unsupported source type '{path.suffix or path.name}'",
                    f"sources are {', '.join(SOURCE_SUFFIXES)} files; narrow the profile's 'sources' globs",
                )
            ]
        )
    lines = read_lines(path, shown_path)
    if path.suffix.lower() == ".bib":
        return bibtex.parse(lines, shown_path)
    source_format = detect_format(lines)
    if source_format is None:
        raise BuildError(
            [
                Problem(
                    shown_path,
                    _first_text_line(lines),
                    "unknown source format",
                    (
                        "an abstract list has entries starting with 'Abstract:'; a rich profile page has "
                        "card head lines like '70.8CVApr 29, 2022'"
                    ),
                )
            ]
        )
    return FORMATS[source_format](lines, shown_path)


def _first_text_line(lines: list[str]) -> int:
    return next((number for number, line in enumerate(lines, 1) if line.strip()), 1)
