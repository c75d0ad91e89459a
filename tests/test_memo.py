"""The dev server's memo of values derived from papers: reused only for the same paper with the same id."""

from __future__ import annotations

from generator.memo import PaperMemo, TextMemo
from generator.model import Location, Paper


def paper(title: str) -> Paper:
    return Paper("", title, False, "Abstract.", [], False, "", None, "", None, False, [], [Location("a.txt", 1)], {})


def test_a_value_is_derived_once_per_paper_and_id_and_forgotten_when_a_build_did_not_use_it():
    memo, derived = PaperMemo(), []

    def derive(item: Paper) -> str:
        derived.append(item.title)
        return f"{item.id}:{item.title}"

    first, twin = paper("One"), paper("One")
    first.id = twin.id = "one"
    assert memo.get("json", first, derive) == memo.get("json", first, derive) == "one:One"
    assert memo.get("json", twin, derive) == "one:One"  # an equal but distinct paper is derived again
    assert memo.get("digest", first, derive) == "one:One"  # another kind of value
    assert derived == ["One", "One", "One"]
    first.id = "one-2"
    assert memo.get("json", first, derive) == "one-2:One"  # a new id: derived again
    memo.start_build()
    assert memo.get("json", twin, derive) == "one:One" and len(derived) == 4  # kept from the build before
    memo.start_build()
    assert memo.get("json", twin, derive) == "one:One" and len(derived) == 4  # used last build: kept
    assert memo.get("json", first, derive) == "one-2:One" and len(derived) == 5  # unused last build: forgotten


def test_text_is_derived_once_per_key_and_forgotten_when_a_build_did_not_use_it():
    memo, derived = TextMemo(), []

    def derive(text: str):
        return lambda: derived.append(text) or text.upper()

    assert memo.get("a", derive("a")) == memo.get("a", derive("a")) == "A" and derived == ["a"]
    memo.start_build()
    assert memo.get("b", derive("b")) == "B"  # "a" not used in this build
    memo.start_build()
    assert memo.get("b", derive("b")) == "B" and memo.get("a", derive("a")) == "A"
    assert derived == ["a", "b", "a"]
