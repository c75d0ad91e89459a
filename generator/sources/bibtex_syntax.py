"""BibTeX's syntax, read as BibTeX itself reads it: every entry kept, with its line and each field's.

Text outside entries is a comment (JabRef's and Zotero's front matter, ``%`` lines); ``@comment``
and ``@preamble`` blocks are skipped; ``@string`` macros are defined and expanded (the month
names too); values are ``{braced}`` (braces inside kept), ``"quoted"`` or bare numbers and macro
names, joined by ``#``.  What BibTeX only warns about is a warning here too, at its line: a
field given twice in one entry (the first value is kept, as BibTeX keeps it), a citation key
used twice (both entries are read: each is a paper), an undefined macro.  An entry that cannot be
read is an error at its line, and reading goes on with the next entry, so one bad entry never
costs the others (the caller decides whether the file then fails or only that entry is
skipped).  Written without a library: the ones at hand refuse an entry with a repeated field
as a whole and do not join values with ``#``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from generator.errors import Problem

MONTH_MACROS = {
    "jan": "January",
    "feb": "February",
    "mar": "March",
    "apr": "April",
    "may": "May",
    "jun": "June",
    "jul": "July",
    "aug": "August",
    "sep": "September",
    "oct": "October",
    "nov": "November",
    "dec": "December",
}
ENTRY_START = re.compile(r"@[ \t]*([A-Za-z][\w-]*)[ \t\r\n]*([{(])")
NEXT_ENTRY = re.compile(r"^[ \t]*@[ \t]*[A-Za-z][\w-]*[ \t\r\n]*[{(]", re.MULTILINE)
NAME = re.compile(r"[A-Za-z_][\w:.+/'-]*")
KEY = re.compile(r"[^\s,{}()\"#=]*")
NUMBER = re.compile(r"\d+")
SKIPPED_BLOCKS = ("comment", "preamble")
ENTRY_HINT = "each field is written name = {value}, with braces and quotes closed and a comma between fields"


@dataclass
class BibField:
    """One field of an entry: its value with macros expanded (LaTeX as written), how to write it
    back into a BibTeX entry (``{value}``, or a bare number), and its line."""

    name: str
    value: str
    written: str
    line: int


@dataclass
class BibEntry:
    """One entry: its type and citation key as written, its line, and its fields (each name once,
    the first value given, in the order written)."""

    type: str
    key: str
    line: int
    fields: dict[str, BibField] = field(default_factory=dict)

    def value(self, name: str) -> str:
        """The value of the field ``name`` (lowercase), or ""."""
        found = self.fields.get(name)
        return found.value if found is not None else ""


@dataclass
class BibFile:
    """A file's entries in order, the warnings about it, and the entries that could not be read."""

    entries: list[BibEntry]
    warnings: list[Problem]
    errors: list[Problem]


CROSSREF_TYPES = ("proceedings", "book", "collection")  # volumes other entries cite as their crossref


def _inherit_crossrefs(entries: list[BibEntry]) -> None:
    """An entry with ``crossref`` takes the fields it lacks from the entry it names (the volume's
    ``booktitle``, ``year``, ``publisher``…, its ``title`` as the ``booktitle``), as BibTeX does; a
    volume that entries name this way is no paper and is left out."""
    by_key = {entry.key.casefold(): entry for entry in entries}
    parents: set[int] = set()
    for entry in entries:
        named = entry.value("crossref").strip().casefold()
        parent = by_key.get(named) if named else None  # no crossref: not the entry with an empty key
        if parent is None or parent is entry:
            continue
        parents.add(id(parent))
        for name, given in parent.fields.items():
            target = "booktitle" if name == "title" else name
            if target not in entry.fields and name not in ("crossref", "author", "abstract", "doi", "url"):
                entry.fields[target] = BibField(target, given.value, given.written, given.line)
    entries[:] = [entry for entry in entries if not (id(entry) in parents and entry.type in CROSSREF_TYPES)]


class _Unreadable(Exception):
    """An entry that cannot be read: where reading stopped, and why."""

    def __init__(self, position: int, message: str) -> None:
        super().__init__(message)
        self.position = position
        self.message = message


def read_bibtex(text: str, path: str) -> BibFile:
    """Every entry of ``text`` (a ``.bib`` file shown as ``path``)."""
    return _Reader(text, path).read()


class _Reader:
    def __init__(self, text: str, path: str) -> None:
        self.text = text
        self.path = path
        self.line_starts = [0] + [match.end() for match in re.finditer("\n", text)]
        self.macros = dict(MONTH_MACROS)
        self.result = BibFile([], [], [])
        self.keys: dict[str, int] = {}  # citation key (folded) → line of its first entry

    def line_of(self, position: int) -> int:
        return bisect.bisect_right(self.line_starts, position)

    def read(self) -> BibFile:
        position = 0
        while (start := self.text.find("@", position)) >= 0:
            match = ENTRY_START.match(self.text, start)
            if match is None:  # an @ in a comment, an e-mail address: not an entry
                position = start + 1
                continue
            try:
                position = self._block(match)
            except _Unreadable as unreadable:
                self._error(start, unreadable)
                position = self._resume_after(start)
        _inherit_crossrefs(self.result.entries)
        return self.result

    def _block(self, match: re.Match[str]) -> int:
        kind, opening = match.group(1).lower(), match.group(2)
        closing = "}" if opening == "{" else ")"
        if kind in SKIPPED_BLOCKS:
            return self._skip_balanced(match.end() - 1)
        if kind == "string":
            return self._string(match.end(), closing)
        return self._entry(kind, match.start(), match.end(), closing)

    def _string(self, position: int, closing: str) -> int:
        position = self._skip_space(position)
        name = NAME.match(self.text, position)
        if name is None:
            raise _Unreadable(position, "@string needs a name = value")
        position = self._expect(self._skip_space(name.end()), "=", "'=' after the @string name")
        value, _, position = self._value(position)
        self.macros[name.group().lower()] = value
        return self._expect(self._skip_space(position), closing, f"'{closing}' to close the @string")

    def _entry(self, kind: str, start: int, position: int, closing: str) -> int:
        key_match = KEY.match(self.text, self._skip_space(position))
        assert key_match is not None  # the pattern matches the empty string
        entry = BibEntry(kind, key_match.group(), self.line_of(start))
        position = self._skip_space(key_match.end())
        if self.text.startswith(",", position):
            position += 1
        elif not self.text.startswith(closing, position):
            raise _Unreadable(position, "the citation key is not followed by a comma")
        while True:
            position = self._skip_space(position)
            if self.text.startswith(closing, position):
                self._keep(entry)
                return position + 1
            position = self._field(entry, position, closing)

    def _field(self, entry: BibEntry, position: int, closing: str) -> int:
        name = NAME.match(self.text, position)
        if name is None:
            raise _Unreadable(position, f"a field name or '{closing}' was expected")
        line = self.line_of(position)
        position = self._expect(self._skip_space(name.end()), "=", f"'=' after the field name '{name.group()}'")
        value, written, position = self._value(position)
        self._add_field(entry, BibField(name.group().lower(), value, written, line))
        position = self._skip_space(position)
        if self.text.startswith(",", position):
            return position + 1
        if self.text.startswith(closing, position):
            return position
        raise _Unreadable(position, f"a comma or '{closing}' was expected after the field '{name.group()}'")

    def _value(self, position: int) -> tuple[str, str, int]:
        """A value (pieces joined by ``#``): its text, how to write it back, and where it ends."""
        pieces, bare_number = [], False
        while True:
            position = self._skip_space(position)
            piece, bare_number, position = self._piece(position)
            pieces.append(piece)
            after = self._skip_space(position)
            if not self.text.startswith("#", after):
                break
            position, bare_number = after + 1, False
        value = "".join(pieces)
        written = value if bare_number and len(pieces) == 1 else "{" + value + "}"
        return value, written, position

    def _piece(self, position: int) -> tuple[str, bool, int]:
        char = self.text[position : position + 1]
        if char == "{":
            end = self._skip_balanced(position)
            return self.text[position + 1 : end - 1], False, end
        if char == '"':
            end = self._quoted_end(position)
            return self.text[position + 1 : end - 1], False, end
        if number := NUMBER.match(self.text, position):
            return number.group(), True, number.end()
        if macro := NAME.match(self.text, position):
            name = macro.group().lower()
            if name not in self.macros:
                self._warn(position, f"@string macro '{macro.group()}' is not defined; its name is kept as the value")
            return self.macros.get(name, macro.group()), False, macro.end()
        raise _Unreadable(position, 'a value ({…}, "…", a number or a @string name) was expected')

    def _skip_balanced(self, position: int) -> int:
        """The position after the group opening at ``position`` (braces or parentheses)."""
        opening = self.text[position]
        closing = "}" if opening == "{" else ")"
        depth, index = 0, position
        while index < len(self.text):
            char = self.text[index]
            if char == "\\":
                index += 2
                continue
            if char == opening:
                depth += 1
            elif char == closing:
                depth -= 1
                if depth == 0:
                    return index + 1
            index += 1
        raise _Unreadable(position, f"'{opening}' opened here is never closed")

    def _quoted_end(self, position: int) -> int:
        depth, index = 0, position + 1
        while index < len(self.text):
            char = self.text[index]
            if char == "\\":
                index += 2
                continue
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
            elif char == '"' and depth == 0:
                return index + 1
            index += 1
        raise _Unreadable(position, "the quote opened here is never closed")

    def _skip_space(self, position: int) -> int:
        """Past white space, and past ``%`` comments to the end of their line (biber reads a field
        commented out inside an entry as a comment, and people write them)."""
        while position < len(self.text):
            if self.text[position].isspace():
                position += 1
            elif self.text[position] == "%":
                end = self.text.find("\n", position)
                position = len(self.text) if end < 0 else end + 1
            else:
                break
        return position

    def _expect(self, position: int, token: str, what: str) -> int:
        if not self.text.startswith(token, position):
            raise _Unreadable(position, f"{what} was expected")
        return position + len(token)

    def _add_field(self, entry: BibEntry, found: BibField) -> None:
        first = entry.fields.get(found.name)
        if first is None:
            entry.fields[found.name] = found
            return
        shown = first.value if len(first.value) <= 40 else first.value[:39] + "…"
        self.result.warnings.append(
            Problem(
                self.path,
                found.line,
                f"field '{found.name}' is given twice in entry '{entry.key}' (first at line {first.line}); "
                f"the first value is kept: '{shown}'",
                "remove one of the two",
            )
        )

    def _keep(self, entry: BibEntry) -> None:
        folded = entry.key.casefold()
        if folded and folded in self.keys:
            self.result.warnings.append(
                Problem(
                    self.path,
                    entry.line,
                    f"citation key '{entry.key}' is used twice (first at line {self.keys[folded]}); both entries are read",
                    "give each entry its own key, so that citing one cannot mean the other",
                )
            )
        self.keys.setdefault(folded, entry.line)
        self.result.entries.append(entry)

    def _warn(self, position: int, message: str) -> None:
        self.result.warnings.append(
            Problem(self.path, self.line_of(position), message, "define it with @string, or quote the value")
        )

    def _error(self, start: int, unreadable: _Unreadable) -> None:
        where = self.line_of(unreadable.position)
        detail = f" (at line {where})" if where != self.line_of(start) else ""
        self.result.errors.append(
            Problem(
                self.path, self.line_of(start), f"unreadable BibTeX entry: {unreadable.message}{detail}", ENTRY_HINT
            )
        )

    def _resume_after(self, start: int) -> int:
        """Where to read on after an entry that could not be read: the next line starting an entry."""
        found = NEXT_ENTRY.search(self.text, start + 1)
        return found.start() if found is not None else len(self.text)
