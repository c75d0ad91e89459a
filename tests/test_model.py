"""The model's dataclasses: what crosses between processes must arrive unchanged."""

from __future__ import annotations

import pickle

from generator.model import Entry, Location, PairDecision


def test_entries_locations_and_decisions_cross_processes_unchanged():
    """They pickle as their field values (parse and dedupe workers send them back); nothing is lost."""
    entry = Entry(
        Location("a.txt", 3), "Abstract.", "Title", ["A. B."], True, "Lab", "2020-01", "cs.LG", 0.0, True, True, 2,
        "Venue", "2001.00001", "10.1/x", "https://x",
    )  # fmt: skip
    decision = PairDecision(Location("a.txt", 3), Location("b.txt", 4), True, "same abstract", {"abstract": 99.0}, True)
    for original in (entry, entry.location, decision):
        copy = pickle.loads(pickle.dumps(original))
        assert copy == original and type(copy) is type(original)
