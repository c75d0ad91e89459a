"""Problems found in sources or config: located, collected, reported once.

Every stage reports what is wrong with the user's input as a :class:`Problem`
(``path:line: message`` plus an optional hint).  Stages collect problems and
raise one :class:`BuildError` holding all of them, so that the user sees every
mistake of a run at once instead of fixing them one build at a time.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One located message about the user's input."""

    path: str
    line: int
    message: str
    hint: str = ""
    details: tuple[str, ...] = ()

    def format(self, kind: str = "") -> str:
        """Render as ``path:line: [kind: ]message`` with the hint indented below (``path:`` alone
        for line 0: a problem with a whole folder or file, not with a line of it)."""
        prefix = f"{kind}: " if kind else ""
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {prefix}{self.message}"
        text += "".join(f"\n    - {detail}" for detail in self.details)
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


class BuildError(Exception):
    """The build cannot go on; carries every problem found so far."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(p.format() for p in self.problems))


def fail_if_any(problems: list[Problem]) -> None:
    """Raise a :class:`BuildError` when ``problems`` is not empty."""
    if problems:
        raise BuildError(problems)
