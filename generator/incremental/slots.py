"""Where the dev server keeps each source's entries among numbered *slots*: a run per source, in
source order, with room to spare after its entries, so that a source gaining or losing a few
entries changes only its own slots and nothing after it is renumbered.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from itertools import accumulate, chain
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    pass


T = TypeVar("T")


HEADROOM = 16  # slots a source of few entries has to spare (a larger one: half its size)


@dataclass
class Layout:
    """Where each source's entries sit among the slots: from ``starts[k]``, room for
    ``capacities[k]``; ``size`` slots in all."""

    starts: list[int]
    capacities: list[int]
    size: int

    @classmethod
    def of(cls, lengths: list[int]) -> Layout:
        """Room for each source's entries and some more."""
        capacities = [length + max(HEADROOM, length // 2) for length in lengths]
        starts = list(accumulate(capacities, initial=0))
        return cls(starts[:-1], capacities, starts[-1])

    def holds(self, lengths: list[int]) -> bool:
        """Do sources of these lengths (as many as laid out) fit in this layout?"""
        return len(lengths) == len(self.capacities) and all(map(operator.le, lengths, self.capacities))

    def slots(self, lengths: list[int]) -> list[int]:
        """Every entry's slot, in entry order, the sources holding ``lengths`` entries."""
        return list(chain.from_iterable(map(range, self.starts, map(operator.add, self.starts, lengths))))

    def spread(self, items: list[list[T]]) -> list[T | None]:
        """Each source's items (one per entry) put in its slots, None in the empty ones."""
        spread: list[T | None] = []
        for own, capacity in zip(items, self.capacities, strict=True):
            spread += own
            spread += [None] * (capacity - len(own))
        return spread
