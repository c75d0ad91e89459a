"""Turn the LaTeX found in scraped abstracts into readable Unicode text.

Scraped abstracts carry LaTeX from arXiv: ``12--billion``, ``\\&``,
``$4\\times$``, ``$\\mathcal{O}(\\exp(-a\\sum_{j=1}^{t}\\gamma_{j}))$`` and
author macros such as ``\\chinchilla``.  :func:`latex_to_text` converts text
and inline math into plain Unicode (sub- and superscripts as Unicode
characters where they exist, ``_( )`` / ``^( )`` otherwise) and counts the
macros it did not know, so that merge can prefer the copy with least residue.
No backslash survives.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from generator.text.latex_symbols import (
    ACCENTS,
    ALPHABETS,
    DROP_ARGUMENT,
    GREEK,
    INVISIBLE,
    KEEP_ARGUMENT,
    MATH_SYMBOLS,
    SUBSCRIPTS,
    SUPERSCRIPTS,
    SWITCHES,
    TEXT_SYMBOLS,
)

# Pandoc's rule: an opening $ has a non-space on its right, a closing $ a
# non-space on its left and no digit after it, so "$5 and $10" stays money.
MATH_SPAN = re.compile(r"\$\$(.+?)\$\$|(?<![\\$])\$(?=\S)((?:[^$\\]|\\.)+?)(?<=\S)(?<!\\)\$(?!\d)|\\\((.+?)\\\)")


# Characters that convert to themselves: everything but macros, groups and the characters with
# a meaning of their own (dashes and quotes in text; scripts, minus, prime and ties in math).
PLAIN_TEXT = re.compile(r"[^\\{}\-`']+")


PLAIN_MATH = re.compile(r"[^\\{}^_\-'~]+")


@dataclass(frozen=True)
class Converted:
    """Converted text and how many unknown macros had to be guessed at."""

    text: str
    residue: int


def latex_to_text(source: str) -> Converted:
    """Convert text with inline LaTeX to Unicode; count unknown macros."""
    if "\\" not in source and "$" not in source and "{" not in source and "--" not in source:
        return Converted(source, 0)
    pieces: list[str] = []
    residue = 0
    position = 0
    for match in MATH_SPAN.finditer(source):
        text_part = _text_run(source[position : match.start()])
        math_part = _Reader(next(g for g in match.groups() if g is not None), math=True)
        pieces += [text_part.text, math_part.read_all()]
        residue += text_part.residue + math_part.residue
        position = match.end()
    tail = _text_run(source[position:])
    pieces.append(tail.text)
    return Converted("".join(pieces), residue + tail.residue)


def _text_run(text: str) -> Converted:
    """Text outside math: plain replacements when no macro or brace is present (the common case)."""
    if "\\" in text or "{" in text or "}" in text:
        reader = _Reader(text, math=False)
        return Converted(reader.read_all(), reader.residue)
    for plain, fancy in (("---", "—"), ("--", "–"), ("``", "“"), ("''", "”")):
        text = text.replace(plain, fancy)
    return Converted(text, 0)


class _Reader:
    """A small recursive reader over one text or math run."""

    def __init__(self, source: str, math: bool) -> None:
        self.source = source
        self.math = math
        self.position = 0
        self.residue = 0

    def read_all(self) -> str:
        out = []
        while self.position < len(self.source):
            out.append(self.read_plain() or self.read_atom())
        return unicodedata.normalize("NFC", "".join(out))

    def read_plain(self) -> str:
        """A run of characters that stand for themselves, taken in one step (most of any text)."""
        match = (PLAIN_MATH if self.math else PLAIN_TEXT).match(self.source, self.position)
        if match is None:
            return ""
        self.position = match.end()
        return match.group()

    def peek(self, length: int = 1) -> str:
        return self.source[self.position : self.position + length]

    def read_argument(self) -> str:
        self.skip_spaces()
        return self.read_atom()

    def read_atom(self) -> str:
        char = self.peek()
        if char == "":
            return ""
        if char == "\\":
            return self.read_macro()
        if char == "{":
            return self.read_group()
        self.position += 1
        if char == "}":
            return ""
        if self.math:
            return self.math_char(char)
        return self.text_char(char)

    def read_group(self) -> str:
        self.position += 1
        out = []
        while self.position < len(self.source) and self.peek() != "}":
            out.append(self.read_plain() or self.read_atom())
        self.position += 1
        return "".join(out)

    def skip_spaces(self) -> None:
        """Spaces and line breaks between a command and its argument (``Fran{\\c⏎c}ois``)."""
        while self.peek() and self.peek() in " \n\t\r":
            self.position += 1

    def read_macro(self) -> str:
        match = re.compile(r"\\([A-Za-z]+|.)").match(self.source, self.position)
        if match is None:
            self.position += 1
            return ""
        self.position = match.end()
        return self.expand(match.group(1))

    def expand(self, name: str) -> str:
        if not self.math and name in ACCENTS:
            return self.accent(name)
        symbols = MATH_SYMBOLS if self.math else TEXT_SYMBOLS
        if name in symbols:
            return symbols[name]
        if name in GREEK:
            return GREEK[name]
        return self.expand_with_arguments(name)

    def expand_with_arguments(self, name: str) -> str:
        if name in ALPHABETS:
            plain, fancy = ALPHABETS[name]
            return self.read_argument().translate(str.maketrans(plain, fancy[: len(plain)]))
        if name in TEXT_SCRIPTS:
            return _text_script(self.read_argument(), TEXT_SCRIPTS[name])
        if name in KEEP_ARGUMENT:
            return self.read_argument()
        if name in DROP_ARGUMENT:
            self.read_argument()
            return ""
        if name in ("left", "right", "big", "Big", "bigg", "Bigg") or name in INVISIBLE:
            return ""
        if name in SWITCHES:
            self.skip_spaces()  # as TeX does after a command word
            return ""
        if name == "frac":
            return f"{_wrap(self.read_argument())}/{_wrap(self.read_argument())}"
        if name == "sqrt":
            return "√" + _wrap(self.read_argument())
        if name == "href":
            self.read_argument()
            return self.read_argument()
        self.residue += 1
        return name

    def accent(self, name: str) -> str:
        base = self.read_argument()
        if not base:
            return ""
        letter = DOTTED.get(base[0], base[0])  # an accent on \i or \j stands on i or j: í, not ı́
        return unicodedata.normalize("NFC", letter + ACCENTS[name]) + base[1:]

    def math_char(self, char: str) -> str:
        if char in "^_":
            table = SUPERSCRIPTS if char == "^" else SUBSCRIPTS
            return _script(self.read_atom(), table, char)
        return {"-": "−", "'": "′", "~": " "}.get(char, char)

    def text_char(self, char: str) -> str:
        if char == "-" and self.peek() == "-":
            self.position += 1
            if self.peek() == "-":
                self.position += 1
                return "—"
            return "–"
        if char == "`" and self.peek() == "`":
            self.position += 1
            return "“"
        if char == "'" and self.peek() == "'":
            self.position += 1
            return "”"
        return char


DOTTED = {"ı": "i", "ȷ": "j"}


def _wrap(text: str) -> str:
    """Parenthesise a compound fraction part or root argument."""
    return text if len(text) <= 1 or text.isalnum() else f"({text})"


TEXT_SCRIPTS = {"textsubscript": SUBSCRIPTS, "textsuperscript": SUPERSCRIPTS}


def _text_script(text: str, table: dict[str, str]) -> str:
    """``\\textsubscript{2}`` → ``₂``; the text itself when a character has no Unicode form."""
    return "".join(table[char] for char in text) if text and all(char in table for char in text) else text


def _script(text: str, table: dict[str, str], marker: str) -> str:
    """Write ``text`` as Unicode sub/superscript, or ``_(text)`` when it cannot be."""
    if text and all(char in table for char in text):
        return "".join(table[char] for char in text)
    return f"{marker}({text})" if len(text) > 1 else f"{marker}{text}"
