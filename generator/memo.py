"""Values derived from one paper (a digest, a JSON fragment), kept between the dev server's builds.

The dev server's merge memo hands back the same :class:`~generator.model.Paper` object for a paper
whose sources did not change, and a paper changes after merging only in its ``id``.  So a value
derived from a paper stays valid while the same object, with the same id, is on the site: this memo
keys values by the paper's identity and id, and forgets the values a build did not use.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from generator.model import Paper

T = TypeVar("T")


class _PerBuild:
    """Values kept for the builds that use them: a value the last build did not use is forgotten
    when the next build starts.  No value is None."""

    def __init__(self) -> None:
        self._values: dict[Hashable, Any] = {}
        self._previous: dict[Hashable, Any] = {}

    def start_build(self) -> None:
        """Begin a build: values used in it are kept, values of the build before are then forgotten
        (a paper no longer on the site, an id or input that changed)."""
        self._previous, self._values = self._values, {}

    def _kept(self, key: Hashable) -> Any:
        """The value this build or the last one kept for ``key`` (now kept for this one), else None."""
        value = self._values.get(key)
        if value is None:
            value = self._previous.pop(key, None)
            if value is not None:
                self._values[key] = value
        return value


class TextMemo(_PerBuild):
    """Values by a hashable key that determines them (a report block by its data)."""

    def get(self, key: Hashable, derive: Callable[[], T]) -> T:
        value = self._kept(key)
        if value is None:
            value = self._values[key] = derive()
        return value


class PaperMemo(_PerBuild):
    """``kind`` → (identity, id) of a paper → the value derived from it.  A kind is any hashable
    value: a name, or a name with the other inputs of the value (a report part: its decisions).
    (Looked up some 150,000 times per rebuild at a thousand profiles: no closure per lookup.)"""

    def get(self, kind: Hashable, paper: Paper, derive: Callable[[Paper], T]) -> T:
        """The value of ``kind`` for ``paper``, derived only if this paper object was not seen with this id."""
        key = (kind, id(paper), paper.id)
        kept = self._kept(key)
        if kept is None:
            kept = self._values[key] = (paper, derive(paper))  # holding the paper keeps its id unique
        return kept[1]
