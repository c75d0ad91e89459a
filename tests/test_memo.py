"""The dev server's memo of values derived from papers: reused only for the same paper with the same id."""

from __future__ import annotations

from generator.incremental.kept_values import PaperMemo, Same, TextMemo
from generator.model import Location, Paper


def paper(title: str) -> Paper:
    return Paper("", title, False, "Abstract.", [], False, "", None, "", None, False, [], [Location("a.txt", 1)], {})


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


def test_a_value_of_all_papers_is_derived_again_only_when_a_paper_or_its_id_or_place_changes():
    memo, derived = PaperMemo(), []
    one, two = paper("One"), paper("Two")
    one.id, two.id = "one", "two"

    def derive(papers: list[Paper]):
        return lambda: derived.append(len(derived)) or "|".join(item.id for item in papers)

    assert memo.get_for_all("json", [one, two], derive([one, two])) == "one|two"
    assert memo.get_for_all("json", [one, two], derive([one, two])) == "one|two" and len(derived) == 1
    assert memo.get_for_all("json", [two, one], derive([two, one])) == "two|one"  # another order
    assert memo.get_for_all("json", [one, two], derive([one, two]), inputs="names") == "one|two"  # other inputs
    twin = paper("Two")
    twin.id = "two"
    assert memo.get_for_all("json", [one, twin], derive([one, twin])) == "one|two"  # an equal, new paper
    two.id = "two-2"
    assert memo.get_for_all("json", [one, two], derive([one, two])) == "one|two-2"  # a new id
    assert len(derived) == 5


def test_a_kind_no_build_looked_up_keeps_its_values_until_a_build_uses_it_again():
    memo, derived = PaperMemo(), []
    item = paper("One")

    def derive() -> str:
        derived.append(1)
        return "part"

    memo.get_for_all("json", [item], derive)
    for _ in range(3):  # builds that found the whole file kept and looked up no part
        memo.start_build()
        memo.get_for_all("digests", [item], derive)
    assert memo.get_for_all("json", [item], derive) == "part" and len(derived) == 2  # the part was kept
    memo.start_build()
    assert memo.get_for_all("json", [item], derive) == "part" and len(derived) == 2  # used last build: kept
    memo.start_build()
    memo.get_for_all("json", [paper("Two")], derive)
    memo.start_build()
    memo.get_for_all("json", [paper("Three")], derive)
    assert memo.get_for_all("json", [item], derive) == "part" and len(derived) == 5  # a build used "json" without it


def test_same_is_equal_only_to_the_very_object():
    first, twin = paper("One"), paper("One")
    assert first == twin
    assert Same(first) == Same(first) and hash(Same(first)) == hash(Same(first))
    assert Same(first) != Same(twin) and Same(first) != first


def titled(count: int) -> list[Paper]:
    papers = [paper(f"Paper {number}") for number in range(count)]
    for number, item in enumerate(papers):
        item.id = f"paper-{number}"
    return papers


def test_runs_rederive_only_the_run_of_a_changed_paper():
    memo, derived = PaperMemo(), []

    def derive(run: list[Paper]) -> str:
        derived.append(len(run))
        return "|".join(item.id for item in run)

    papers = titled(1000)
    whole = "|".join(item.id for item in papers)
    runs = memo.runs("json", papers, derive)
    assert "|".join(runs) == whole and 4 <= len(runs) <= 200  # runs of some 64 papers
    assert sum(derived) == 1000
    memo.start_build()
    changed = paper("Paper 500")
    changed.id = "paper-500"
    papers[500] = changed  # a new object for one paper
    derived.clear()
    assert "|".join(memo.runs("json", papers, derive)) == whole
    assert len(derived) == 1, "only the run holding the new paper is derived again"
    memo.start_build()
    derived.clear()
    extra, inserted = paper("Extra"), list(papers)
    extra.id = "extra"
    inserted.insert(300, extra)
    assert "|".join(memo.runs("json", inserted, derive)).count("|") == 1000
    assert len(derived) <= 2, "an added paper changes its own run, not every run after it"


def test_runs_are_derived_again_when_a_paper_is_renamed_in_place_or_their_inputs_change():
    memo, derived = PaperMemo(), []
    papers = titled(200)

    def derive(run: list[Paper]) -> str:
        derived.append(1)
        return "|".join(item.id for item in run)

    memo.runs("search", papers, derive)
    count = len(derived)
    memo.start_build()
    memo.runs("search", papers, derive)
    assert len(derived) == count, "the same papers, in the same places: nothing derived"
    memo.start_build()
    papers[120].id = "renamed"  # the same object with another id (ids are given again on every build)
    assert "|".join(memo.runs("search", papers, derive)).split("|")[120] == "renamed"
    assert len(derived) in (count + 1, count + 2), "only the renamed paper's run (split in two if it ends one now)"
    memo.start_build()
    memo.runs("search", papers, derive, inputs="other names")
    assert len(derived) in (2 * count + 1, 2 * count + 2)


def test_a_value_held_by_an_object_is_kept_while_the_object_and_its_key_are_the_same():
    memo, derived = PaperMemo(), []

    def derive(held: list[str], key: tuple[str, str]) -> str:
        derived.append(key)
        return f"{held[0]}:{key[0]}"

    decision, twin = ["apart"], ["apart"]
    assert memo.get_held("apart", decision, ("a", "b"), derive) == "apart:a"
    assert memo.get_held("apart", decision, ("a", "b"), derive) == "apart:a" and len(derived) == 1
    assert memo.get_held("apart", twin, ("a", "b"), derive) == "apart:a" and len(derived) == 2  # another object
    assert memo.get_held("apart", decision, ("a-2", "b"), derive) == "apart:a-2" and len(derived) == 3  # an id changed
