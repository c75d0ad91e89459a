"""Values derived from papers (a digest, a JSON fragment), kept between the dev server's builds.

The dev server's merge memo hands back the same :class:`~generator.model.Paper` object for a paper
whose cluster did not change, and a paper changes after merging only in its ``id``.  So a value
derived from papers stays valid while the same objects, with the same ids, are on the site: this
memo keys values by the papers' identities and ids.  A value is kept for a list of papers as a
whole (the report's sections, a profile's page digest), so that a build which changed none of
them makes it with one pass over the list; or for each run of some 64 consecutive papers of the
site (a data file's parts, :meth:`PaperMemo.runs`), so that a build which changed a few papers
makes only their runs again, with a lookup per run instead of per paper.

Each kind of value forgets what the last build that looked values of that kind up did not use: a
build that found a data file whole, and so looked up none of its papers' parts, keeps the parts
for the next build, which may need most of them again.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from itertools import compress, count
from operator import attrgetter, ne
from typing import Any, TypeVar

from generator.model import Paper

T = TypeVar("T")
H = TypeVar("H")
_PAPER_ID = attrgetter("id")
RUN_LENGTH = 64  # papers per run, on average (see PaperMemo.runs)


class Same:
    """An object as part of a memo key: equal only to itself, whatever its value (a build's dedupe
    result, the very object the last build had when nothing changed).  Holding it keeps its
    identity unique while the key lives."""

    __slots__ = ("held",)

    def __init__(self, held: object) -> None:
        self.held = held

    def __hash__(self) -> int:
        return id(self.held)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Same) and other.held is self.held


class _Kept:
    """The values of one kind: those of the last build that used the kind, and those of this build."""

    __slots__ = ("build", "previous", "values")

    def __init__(self, build: int) -> None:
        self.build = build
        self.values: dict[Hashable, Any] = {}
        self.previous: dict[Hashable, Any] = {}

    def get(self, key: Hashable) -> Any:
        """The value kept for ``key`` (now kept for this build), else None.  No value is None."""
        value = self.values.get(key)
        if value is None:
            value = self.previous.pop(key, None)
            if value is not None:
                self.values[key] = value
        return value


class _PerBuild:
    """Values kept, by kind, for the builds that use them (see the module)."""

    def __init__(self) -> None:
        self._build = 0
        self._kinds: dict[Hashable, _Kept] = {}

    def start_build(self) -> None:
        """Begin a build: the first lookup of a kind in it forgets what the kind's last build did not use."""
        self._build += 1

    def _kind(self, kind: Hashable) -> _Kept:
        kept = self._kinds.get(kind)
        if kept is None:
            kept = self._kinds[kind] = _Kept(self._build)
        elif kept.build != self._build:
            kept.build, kept.previous, kept.values = self._build, kept.values, {}
        return kept


class TextMemo(_PerBuild):
    """Values by a hashable key that determines them (a report block by its data)."""

    def get(self, key: Hashable, derive: Callable[[], T]) -> T:
        kept = self._kind(None)
        value = kept.get(key)
        if value is None:
            value = kept.values[key] = derive()
        return value


class PaperMemo(_PerBuild):
    """``kind`` (a name) → the identities and ids of some papers → the value derived from them."""

    def __init__(self) -> None:
        super().__init__()
        self._last_places: _Places | None = None
        self._last_runs: dict[str, tuple[_Places, Hashable, dict]] = {}  # each kind's last call: places, inputs, keys

    def get_held(self, kind: str, held: H, key: Hashable, derive: Callable[[H, Any], T]) -> T:
        """``derive(held, key)``, kept while ``held`` is the object it was (by identity: a dedupe
        decision) and ``key`` the same (the ids of its papers)."""
        kept = self._kind(kind)
        value = kept.get((id(held), key))
        if value is None:
            value = kept.values[(id(held), key)] = (held, derive(held, key))  # holding it keeps its id unique
        return value[1]

    def get_for_all(self, kind: str, papers: Sequence[Paper], derive: Callable[[], T], inputs: Hashable = None) -> T:
        """A value derived from ``papers`` as a whole (and from other ``inputs``), derived again only
        if some paper is not the object it was, with the id it had, in the same place."""
        kept = self._kind(("all", kind))
        key = (tuple(map(id, papers)), tuple(map(_PAPER_ID, papers)), inputs)
        value = kept.get(key)
        if value is None:
            value = kept.values[key] = (list(papers), derive())  # holding the papers keeps their ids unique
        return value[1]

    def runs(
        self, kind: str, papers: Sequence[Paper], derive: Callable[[list[Paper]], T], inputs: Hashable = None
    ) -> list[T]:
        """``derive`` of each run of consecutive ``papers``, derived again only for a run holding a
        paper that is not the object it was, with the id it had, or for other ``inputs`` (by value).
        A run ends after a paper whose id hashes to a multiple of :data:`RUN_LENGTH`: where runs end
        depends on the papers, not on their places, so a paper added, removed or changed makes its
        own run anew, not every run after it.  A run that lies where it lay in this kind's last
        call, between the places that now hold another paper (found once per build, in C), is
        found by its place, without making its key."""
        kept, places = self._kind(("runs", kind)), self._places(papers)
        last_places, last_inputs, last_keys = self._last_runs.get(kind, (None, None, {}))
        changed = places.changed_since(last_places) if last_places is not None and last_inputs == inputs else None
        values, keys, start = [], {}, 0
        for end in places.ends:
            key = last_keys.get((start, end)) if changed is not None and not _touches(changed, start, end) else None
            if key is None:
                run = papers[start:end]
                key = (tuple(map(id, run)), tuple(map(_PAPER_ID, run)), inputs)
            value = kept.get(key)
            if value is None:
                run = list(papers[start:end])
                value = kept.values[key] = (run, derive(run))  # holding the papers keeps their ids unique
            values.append(value[1])
            keys[(start, end)] = key
            start = end
        self._last_runs[kind] = (places, inputs, keys)
        return values

    def _places(self, papers: Sequence[Paper]) -> _Places:
        """This build's :class:`_Places` of ``papers`` (made once per build for the site's list, which
        several kinds of value are made from: a build changes no paper or id once merged)."""
        if (
            self._last_places is not None
            and self._last_places.build == self._build
            and self._last_places.list is papers
        ):
            return self._last_places
        self._last_places = _Places.of(self._build, papers, self._last_places)
        return self._last_places


@dataclass
class _Places:
    """A build's list of papers, place by place (identities and ids), where its runs end, and the
    places where it holds another paper, or one with another id, than the list before (None: not
    as many papers)."""

    build: int
    list: Sequence[Paper]
    papers: list[Paper]  # holding them keeps their identities unique
    identities: list[int]
    ids: list[str]
    ends: list[int]
    before: _Places | None
    changed: list[int] | None

    @classmethod
    def of(cls, build: int, papers: Sequence[Paper], before: _Places | None) -> _Places:
        identities, ids = list(map(id, papers)), list(map(_PAPER_ID, papers))
        if before is not None:
            before.before = None  # one list back is enough
        places = cls(build, papers, list(papers), identities, ids, content_ends(ids, RUN_LENGTH), before, None)
        places.changed = places._changed_from(before) if before is not None else None
        return places

    def changed_since(self, other: _Places) -> list[int] | None:
        """The places changed since ``other`` (found once when it is the list before)."""
        return self.changed if other is self.before else self._changed_from(other)

    def _changed_from(self, other: _Places) -> list[int] | None:
        if len(self.ids) != len(other.ids):
            return None
        changed = (
            [] if self.identities == other.identities else compress(count(), map(ne, self.identities, other.identities))
        )
        if self.ids == other.ids:  # lists compared in C: most builds give no paper another id
            return list(changed)
        return sorted(set(changed).union(compress(count(), map(ne, self.ids, other.ids))))


def content_ends(keys: Sequence[Hashable], every: int) -> list[int]:
    """Where runs of ``keys`` end, some ``every`` keys a run: after each key whose hash is a
    multiple of ``every``, and at the end.  Runs are not cut by length, so that where they end
    depends on the keys alone (an edit changes the runs around it only; a run longer than ten
    times the average is as rare as e**-10)."""
    ends = [end for end, key in enumerate(keys, 1) if hash(key) % every == 0]
    if keys and (not ends or ends[-1] < len(keys)):
        ends.append(len(keys))
    return ends


def _touches(places: list[int], start: int, end: int) -> bool:
    """Does a place of the sorted ``places`` lie in ``start…end-1``?"""
    index = bisect.bisect_left(places, start)
    return index < len(places) and places[index] < end


def replaced_in_order(items: list[T], removed: list[T], added: list[T], key: Callable[[T], Any]) -> list[T]:
    """A copy of ``items`` (in the order of a ``key`` no two share), ``removed`` taken out and
    ``added`` put in their places: a few, where sorting all again would cost a pass over the site."""
    kept = list(items)
    for item in removed:
        del kept[bisect.bisect_left(kept, key(item), key=key)]
    for item in added:
        bisect.insort(kept, item, key=key)
    return kept
