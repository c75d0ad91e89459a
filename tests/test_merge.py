"""Merging: the order papers are listed in."""

from __future__ import annotations

import re
from types import SimpleNamespace

from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator.incremental import merge as remembered
from generator.merge import Papers, fields
from generator.merge.profiles import sort_papers
from generator.model import Entry, Location


def paper(identifier: str, date: str | None, title: str) -> SimpleNamespace:
    return SimpleNamespace(id=identifier, date=date, title=title)


def test_newest_first_vaguer_date_first_undated_last_then_title():
    papers = [
        paper("u2", None, "b"),
        paper("a", "2021-12", "x"),
        paper("b", "2022-04-29", "x"),
        paper("c", "2022", "y"),
        paper("d", "2022-04", "z"),
        paper("u1", None, "A"),
        paper("e", "2022-04", "B"),
        paper("f", "2023", "x"),
        paper("g", "2022-04", "a"),
    ]
    order = [p.id for p in sort_papers(papers)]
    assert order == ["f", "c", "g", "e", "d", "b", "a", "u1", "u2"]


values = st.sampled_from(["", "x", "Deep Nets. A study of nets."])
one_entry = st.builds(
    Entry,
    location=st.builds(Location, st.sampled_from(["a.txt", "b.txt"]), st.integers(1, 9)),
    abstract=values,
    title=values,
    authors=st.lists(st.sampled_from(["A. One", "B. Two"]), max_size=2),
    authors_truncated=st.booleans(),
    affiliation=values,
    date=st.sampled_from([None, "", "2022", "2022-04-29"]),
    category=st.sampled_from(["", "cs.LG"]),
    score=st.sampled_from([None, 0.0, 7.5]),
    code=st.booleans(),
    venue=values,
    arxiv=st.sampled_from(["", "2204.14198"]),
    doi=st.sampled_from(["", "10.1/x"]),
    url=st.sampled_from(["", "https://example.org/p"]),
)


@given(one_entry)
def test_a_paper_of_one_entry_is_what_the_general_merge_rules_give(entry):
    owners = {"a.txt": ["ann", "bob"], "b.txt": []}
    assert fields._from_one(entry, owners) == fields._from_many([entry], owners)


TITLES = ["Orca", "Orca 2", "Other", "orca!", "", "A long title about orca models", "Orca 3", "Deep nets 4"]


@given(
    st.lists(st.sampled_from(TITLES), min_size=1, max_size=8),
    st.lists(
        st.lists(
            st.tuples(st.sampled_from(["retitle", "add", "remove"]), st.integers(0, 40), st.sampled_from(TITLES)),
            max_size=3,
        ),
        max_size=5,
    ),
    st.sampled_from([0.0, 1.0]),
)
@example(["Orca", "orca!"], [[("add", 10, "Orca 2")], [("remove", 10, "")], [("retitle", 0, "Orca 2")]], 1.0)
@example(["Orca", "Orca"], [[("add", 2, "Orca"), ("remove", 0, "Orca")]], 1.0)  # a kept paper takes another's id
@settings(max_examples=300, deadline=None)
def test_the_dev_servers_merge_after_edits_equals_merging_anew(titles, builds, share):
    """Papers retitled, added and removed build after build (ids numbered apart, titles derived from
    the abstract, profiles' lists): the dev server's merge, updated in place (share 1.0) or anew
    past a share of changed papers (0.0), gives what merging anew gives."""
    original, remembered.RENAMED_SHARE = remembered.RENAMED_SHARE, share
    try:
        _check_merge_after_edits(titles, builds)
    finally:
        remembered.RENAMED_SHARE = original


def _check_merge_after_edits(titles, builds):
    from generator.merge.overrides import Resolution
    from generator.model import Cluster

    owners = {"a.txt": ["ann"], "b.txt": ["bob"]}

    def cluster(line: int, title: str) -> Cluster:
        location = Location("a.txt" if line % 3 else "b.txt", line)
        return Cluster([Entry(location, abstract=f"Deep nets {line}. A study of nets.", title=title)])

    clusters = [cluster(line, title) for line, title in enumerate(titles, 1)]
    memo = remembered.MergeMemo()
    for edits in [[], *builds]:
        for operation, place, title in edits:
            index = place % len(clusters)
            if operation == "retitle":
                clusters[index] = cluster(clusters[index].entries[0].location.line, title)
            elif operation == "add" and place + 1 not in {c.entries[0].location.line for c in clusters}:
                clusters.append(cluster(place + 1, title))
            elif operation == "remove" and len(clusters) > 1:
                del clusters[index]
        clusters.sort(key=lambda c: c.entries[0].location)  # clusters come in location order
        remembering = remembered.RememberedPapers(memo)
        shown = remembering.shown(remembering.merged(Resolution(list(clusters), {}, []), owners))
        plain = Papers()
        expected = plain.shown(plain.merged(Resolution(list(clusters), {}, []), owners))
        assert [(paper.id, paper.title) for paper in shown.papers] == [
            (paper.id, paper.title) for paper in expected.papers
        ]
        assert {slug: [paper.id for paper in own] for slug, own in shown.papers_of.items()} == {
            slug: [paper.id for paper in own] for slug, own in expected.papers_of.items()
        }
        assert shown.untitled == expected.untitled


PREPRINT_AND_JOURNAL = """@article{lee2020biorxiv,
  title={Single-cell atlas of the developing mouse cortex},
  author={Lee, Ann and Chen, Bo and Garcia, Maria},
  journal={bioRxiv},
  pages={2020--05},
  year={2020},
  doi={10.1101/2020.05.01.123456},
  publisher={Cold Spring Harbor Laboratory}
}
@article{lee2021single,
  title={Single-cell atlas of the developing mouse cortex},
  author={Lee, Ann and Chen, Bo and Garcia, Maria and Smith, John},
  journal={Nature},
  volume={590},
  pages={123--130},
  year={2021},
  doi={10.1038/s41586-021-00001-1}
}
@article{lee2022med,
  title={Cortical organoids model early human brain development},
  author={Lee, Ann and Chen, Bo},
  journal={medRxiv},
  year={2022}
}
"""


def test_a_preprint_and_its_journal_version_show_the_journal_never_a_mix(tmp_path):
    """Google Scholar exports a bioRxiv preprint as @article{…, journal={bioRxiv}}: merged with its
    Nature version, the paper takes venue, DOI, volume, pages and Cite from the Nature entry (it
    had taken bioRxiv, the preprint's DOI and pages "2020--05" with Nature's volume); a paper
    only on medRxiv is a preprint."""
    import json

    from conftest import run_cli, write_corpus

    site = "profiles:\n  - name: Ann Lee\n    sources: [lee.bib]\n"
    seeds = write_corpus(tmp_path / "seeds", {"site.yaml": site, "lee.bib": PREPRINT_AND_JOURNAL})
    result = run_cli("build", "--seeds", seeds, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    papers = {p["title"]: p for p in json.loads((tmp_path / "out" / "papers.json").read_text())["papers"]}
    atlas = papers["Single-cell atlas of the developing mouse cortex"]
    assert (atlas["venue"], atlas["doi"], atlas["volume"], atlas["pages"]) == (
        "Nature",
        "10.1038/s41586-021-00001-1",
        "590",
        "123–130",
    )
    assert atlas.get("publisher") is None  # the preprint server's publisher is not the journal's
    assert atlas["date"] == "2021"  # the journal's year, not the preprint's
    html = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "@article{lee2021single," in html and "@article{lee2020biorxiv," not in html
    types = dict(re.findall(r'<article class="card" id="([^"]+)"[^>]* data-type="([a-z]+)"', html))
    assert sorted(types.values()) == ["journal", "preprint"]


def test_an_arxiv_preprint_of_december_and_its_conference_paper_show_the_conferences_year(tmp_path):
    """arXiv in December 2023, ICLR in 2024: the card said "ICLR, 2023"."""
    import json

    from conftest import run_cli, write_corpus

    bib = (
        "@misc{lee2023flows,\n  title={Flow Matching for Molecules},\n  author={Lee, Ann and Chen, Bo},\n"
        "  year={2023},\n  month={dec},\n  eprint={2312.01234},\n  archivePrefix={arXiv},\n}\n"
        "@inproceedings{lee2024flows,\n  title={Flow Matching for Molecules},\n  author={Lee, Ann and Chen, Bo},\n"
        "  booktitle={International Conference on Learning Representations},\n  year={2024},\n}\n"
    )
    site = "profiles:\n  - name: Ann Lee\n    sources: [lee.bib]\n"
    seeds = write_corpus(tmp_path / "seeds", {"site.yaml": site, "lee.bib": bib})
    result = run_cli("build", "--seeds", seeds, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    [paper] = json.loads((tmp_path / "out" / "papers.json").read_text())["papers"]
    assert (paper["venue"], paper["date"], paper["arxiv"]) == (
        "International Conference on Learning Representations",
        "2024",
        "2312.01234",
    )


def test_preprint_servers_are_told_by_their_doi_prefix_and_their_name():
    from generator.text.identifiers import is_preprint_doi
    from generator.text.venues import is_preprint_server

    preprints = ["10.1101/2020.05.01.123456", "10.1101/123456", "10.48550/arXiv.2203.15556", "10.21203/rs.3.rs-1/v1"]
    publications = ["10.1101/gr.123456.111", "10.1038/s41586-021-00001-1", "10.1145/3292500.3330701"]
    assert [is_preprint_doi(doi) for doi in preprints + publications] == [True] * 4 + [False] * 3
    assert [is_preprint_server(name) for name in ("bioRxiv", "SSRN Electronic Journal", "Research Square")] == [
        True
    ] * 3
    assert [is_preprint_server(name) for name in ("Nature", "Genome Research", "Squares and Research")] == [False] * 3
