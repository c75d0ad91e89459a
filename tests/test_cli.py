"""The command line end to end: shipped seeds, small corpora, bad input."""

from __future__ import annotations

import json

import pytest
from conftest import SEEDS, run_cli, tree_bytes, write_corpus

from generator.output.files import MARKER

GOOD_LIST = "Abstract: We introduce a method for testing generators that is long enough to compare.\n"


def assert_clean_failure(result, *fragments: str) -> None:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


# ---- the shipped seeds ------------------------------------------------------------------------


def test_shipped_seeds_build_and_summary(tmp_path):
    result = run_cli("build", "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert "Read 5 sources: 44 entries → 31 papers after deduplication, 4 profiles" in result.stdout
    assert "0 warnings" in result.stdout and result.stderr == ""  # papers.yaml titles every paper


def test_shipped_papers_json(shipped_site):
    data = json.loads((shipped_site / "papers.json").read_text(encoding="utf-8"))
    papers = {paper["id"]: paper for paper in data["papers"]}
    assert len(papers) == 31
    assert len({p["id"] for p in data["papers"]}) == 31
    profiles = {profile["slug"]: profile for profile in data["profiles"]}
    assert set(profiles) == {"arthur-mensch", "szymon-antoniak", "baptiste-roziere", "amelie-heliou"}
    assert len(profiles["arthur-mensch"]["papers"]) == 14
    entries = sum(len(paper["sources"]) for paper in papers.values())
    assert entries == 44
    arthur_entries = [s for p in papers.values() for s in p["sources"] if s["file"][:3] in ("000", "004")]
    assert len(arthur_entries) == 22
    assert profiles["arthur-mensch"]["metrics"]["citations"]["value"] == 18536


def test_shipped_merges_match_the_seed_facts(shipped_site):
    papers = json.loads((shipped_site / "papers.json").read_text(encoding="utf-8"))["papers"]
    by_start = {paper["abstract"][:40]: paper for paper in papers}
    pixtral = next(p for start, p in by_start.items() if start.startswith("We introduce Pixtral"))
    assert len(pixtral["profiles"]) == 4 and len(pixtral["sources"]) == 4
    mixtral = next(p for p in papers if p["title"] == "Mixtral of Experts")
    assert len(mixtral["sources"]) == 3
    mistral = next(p for p in papers if p["title"] == "Mistral 7B")
    assert mistral["id"] != mixtral["id"]
    gemini = next(p for start, p in by_start.items() if "Gemini, that exhibit" in p["abstract"])
    assert gemini["profiles"] == ["amelie-heliou", "arthur-mensch"]
    chinchilla = next(p for p in papers if p["title"] == "Training Compute-Optimal Large Language Models")
    assert "Chinchilla" in chinchilla["abstract"] and "\\" not in chinchilla["abstract"]
    assert chinchilla["provenance"]["abstract"].startswith("004_")
    flamingo = next(p for p in papers if p["title"].startswith("Flamingo"))
    assert flamingo["date"] == "2022-04-29" and flamingo["score"] == 70.8 and flamingo["category"] == "CV"
    assert sorted(s["file"][:3] for s in flamingo["sources"]) == ["000", "004"]
    assert all("\\" not in p["abstract"] and "$" not in p["abstract"] for p in papers)


def test_shipped_report_explains_every_merge(shipped_site):
    report = json.loads((shipped_site / "report.json").read_text(encoding="utf-8"))
    assert report["summary"]["entries"] == 44 and report["summary"]["papers"] == 31
    for merged in report["merged"]:
        assert len(merged["decisions"]) == len(merged["entries"]) - 1
        assert all(d["reason"] and d["scores"] for d in merged["decisions"])
    html = (shipped_site / "report.html").read_text(encoding="utf-8")
    assert "Flamingo: a Visual Language Model for Few-Shot Learning" in html


def test_profile_page_hooks(shipped_site):
    html = (shipped_site / "arthur-mensch" / "index.html").read_text(encoding="utf-8")
    assert html.count("<article ") == 14
    assert '<button type="button" class="chip" data-category="CL" aria-pressed="false"' in html
    assert 'id="flamingo-a-visual-language-model-for-few-shot-learning" data-category="CV"' in html
    assert "<strong>Arthur Mensch</strong>" in html
    assert "18,536" in html and "DMA · PARIETAL" in html
    assert "../static/site.js" in html and "../static/style.css" in html


def test_index_page_lists_profiles(shipped_site):
    html = (shipped_site / "index.html").read_text(encoding="utf-8")
    for slug in ("arthur-mensch", "szymon-antoniak", "baptiste-roziere", "amelie-heliou"):
        assert f'href="{slug}/index.html"' in html
    assert "Baptiste Rozière" in html and "14 papers" in html


def test_two_builds_are_byte_identical(tmp_path):
    assert run_cli("build", "--out", tmp_path / "one").returncode == 0
    assert run_cli("build", "--out", tmp_path / "two").returncode == 0
    assert tree_bytes(tmp_path / "one") == tree_bytes(tmp_path / "two")


def test_untitled_papers_are_listed_in_a_warning(tmp_path, seeds_copy):
    (seeds_copy / "papers.yaml").unlink()
    result = run_cli("build", "--seeds", seeds_copy, "--out", tmp_path / "out")
    assert result.returncode == 0
    assert "warning: 19 paper(s) have no title in any source" in result.stderr
    assert "- 003_92fefb7f3d1db5b1.txt:3: This work introduces Gemma" in result.stderr


def test_without_site_yaml_every_source_is_a_profile(tmp_path, seeds_copy):
    (seeds_copy / "site.yaml").unlink()
    (seeds_copy / "papers.yaml").unlink()
    out = tmp_path / "out"
    result = run_cli("build", "--seeds", seeds_copy, "--out", out)
    assert result.returncode == 0, result.stderr
    profiles = json.loads((out / "papers.json").read_text(encoding="utf-8"))["profiles"]
    names = sorted(profile["name"] for profile in profiles)
    assert "Arthur Mensch" in names and "000_0a0db6147ccc09af" in names and len(names) == 5


def test_config_option_and_default_config(tmp_path):
    seeds = write_corpus(tmp_path / "s", {"x.txt": GOOD_LIST})
    config = write_corpus(
        tmp_path / "conf", {"custom.yaml": "title: Custom\nprofiles:\n  - name: X Y\n    sources: [x.txt]\n"}
    )
    result = run_cli("build", "--seeds", seeds, "--out", tmp_path / "out", "--config", config / "custom.yaml")
    assert result.returncode == 0, result.stderr
    assert "<title>Custom</title>" in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert (tmp_path / "out" / "x-y" / "index.html").is_file()


# ---- bad input --------------------------------------------------------------------------------


def test_unknown_format(tmp_path):
    seeds = write_corpus(
        tmp_path / "s", {"good.txt": GOOD_LIST, "notes.txt": "\n" + "Nothing to see here. " * 20 + "\n"}
    )
    assert_clean_failure(
        run_cli("build", "--seeds", seeds, "--out", tmp_path / "o"), "notes.txt:2: unknown source format"
    )


def test_unreadable_file(tmp_path):
    seeds = write_corpus(tmp_path / "s", {"good.txt": GOOD_LIST})
    (seeds / "gone.txt").symlink_to(seeds / "missing-target.txt")
    assert_clean_failure(run_cli("build", "--seeds", seeds, "--out", tmp_path / "o"), "gone.txt:1: cannot read file")


def test_binary_and_undecodable_files(tmp_path):
    seeds = write_corpus(tmp_path / "s", {"a.txt": b"Abstract: ok\n\x00\x01\x02", "b.txt": b"Abstract: \x81\x8d\n"})
    assert_clean_failure(
        run_cli("build", "--seeds", seeds, "--out", tmp_path / "o"),
        "a.txt:2: binary data",
        "b.txt:1: not UTF-8 text (byte 0x81 at offset 10)",
    )


def test_problems_in_several_files_are_all_reported(tmp_path):
    seeds = write_corpus(tmp_path / "s", {"a.txt": "Abstract: x\n\nstray\n", "b.txt": "Abstract:\n"})
    result = run_cli("build", "--seeds", seeds, "--out", tmp_path / "o")
    assert_clean_failure(result, "a.txt:3: text outside any entry", "b.txt:1: empty abstract", "hint:")


def test_bad_yaml(tmp_path):
    seeds = write_corpus(tmp_path / "s", {"a.txt": GOOD_LIST, "site.yaml": "profiles:\n  - name: [x\n"})
    assert_clean_failure(run_cli("build", "--seeds", seeds, "--out", tmp_path / "o"), "site.yaml:", "invalid YAML")


def test_unmatched_source_and_empty_glob(tmp_path):
    site = "profiles:\n  - name: A B\n    sources: [a.txt, 'nothing-*.txt']\n"
    seeds = write_corpus(tmp_path / "s", {"a.txt": GOOD_LIST, "b.txt": GOOD_LIST, "site.yaml": site})
    result = run_cli("build", "--seeds", seeds, "--out", tmp_path / "o")
    assert_clean_failure(result, "b.txt:1: source matched by no profile", "site.yaml:3: source glob 'nothing-*.txt'")


def test_duplicate_slugs(tmp_path):
    site = "profiles:\n  - name: A B\n    sources: [a.txt]\n  - name: a b\n    sources: [b.txt]\n"
    seeds = write_corpus(tmp_path / "s", {"a.txt": GOOD_LIST, "b.txt": GOOD_LIST, "site.yaml": site})
    assert_clean_failure(
        run_cli("build", "--seeds", seeds, "--out", tmp_path / "o"), "site.yaml:4: duplicate slug 'a-b'"
    )


def test_profiles_named_alike_get_distinct_slugs(tmp_path):
    """Without site.yaml each file is a profile named after it: ``Ada``, ``ada`` and ``ada-2`` give
    three pages, the second copy of ``ada`` numbered past the slug ``ada-2`` already stands for."""
    lists = {"Ada.txt": GOOD_LIST, "ada-2.txt": GOOD_LIST, "ada.txt": GOOD_LIST}
    seeds = write_corpus(tmp_path / "s", lists)
    result = run_cli("build", "--seeds", seeds, "--out", tmp_path / "o")
    assert result.returncode == 0, result.stderr
    profiles = json.loads((tmp_path / "o" / "papers.json").read_text(encoding="utf-8"))["profiles"]
    assert sorted(profile["slug"] for profile in profiles) == ["ada", "ada-2", "ada-3"]
    assert all((tmp_path / "o" / slug / "index.html").is_file() for slug in ("ada", "ada-2", "ada-3"))


def test_missing_seeds_folder(tmp_path):
    assert_clean_failure(run_cli("build", "--seeds", tmp_path / "nope", "--out", tmp_path / "o"), "seeds folder")


@pytest.mark.parametrize("arguments", [["frobnicate"], ["build", "--nope"], [], ["build", "--config", "missing.yaml"]])
def test_usage_errors_exit_2(arguments):
    result = run_cli(*arguments)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_help_documents_the_options():
    result = run_cli("build", "--help")
    assert result.returncode == 0
    for option in ("--seeds", "--out", "--config"):
        assert option in result.stdout


# ---- the output folder ------------------------------------------------------------------------


def test_failed_build_leaves_previous_output_intact(tmp_path, seeds_copy):
    out = tmp_path / "out"
    assert run_cli("build", "--seeds", seeds_copy, "--out", out).returncode == 0
    before = tree_bytes(out)
    (seeds_copy / "004_60683de6a3f97cc2.txt").write_text("Arthur Mensch\nthis is not a card\n70.8CVApr 29, 2022\n")
    assert_clean_failure(run_cli("build", "--seeds", seeds_copy, "--out", out), "004_60683de6a3f97cc2.txt:")
    assert tree_bytes(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.lock", "out", "seeds"]  # no temporary folders left


def test_rebuild_replaces_output_and_removes_stale_files(tmp_path, seeds_copy):
    out = tmp_path / "out"
    assert run_cli("build", "--seeds", seeds_copy, "--out", out).returncode == 0
    assert (out / "amelie-heliou" / "index.html").is_file()
    site = (seeds_copy / "site.yaml").read_text(encoding="utf-8").replace("Amélie Héliou", "Amelie H")
    (seeds_copy / "site.yaml").write_text(site, encoding="utf-8")
    assert run_cli("build", "--seeds", seeds_copy, "--out", out).returncode == 0
    assert not (out / "amelie-heliou").exists() and (out / "amelie-h" / "index.html").is_file()
    assert (out / MARKER).is_file()


def test_refuses_to_replace_a_folder_it_did_not_write(tmp_path):
    out = write_corpus(tmp_path / "precious", {"thesis.tex": "do not delete"})
    result = run_cli("build", "--out", out)
    assert_clean_failure(result, "refusing to replace")
    assert (out / "thesis.tex").read_text() == "do not delete"


def test_refuses_to_replace_an_output_folder_with_a_file_added_by_hand(tmp_path):
    out = tmp_path / "out"
    assert run_cli("build", "--out", out).returncode == 0
    (out / "CNAME").write_text("profiles.example.org")
    (out / "arthur-mensch" / "notes.md").write_text("mine")
    assert_clean_failure(
        run_cli("build", "--out", out), "files this tool did not write", "CNAME", "arthur-mensch/notes.md"
    )
    assert (out / "CNAME").read_text() == "profiles.example.org"
    (out / "CNAME").unlink()
    (out / "arthur-mensch" / "notes.md").unlink()
    assert run_cli("build", "--out", out).returncode == 0


def test_refuses_output_overlapping_the_seeds(seeds_copy):
    assert_clean_failure(run_cli("build", "--seeds", seeds_copy, "--out", seeds_copy), "overlaps the seeds")
    assert_clean_failure(run_cli("build", "--seeds", seeds_copy, "--out", seeds_copy.parent), "overlaps the seeds")
    assert (seeds_copy / "site.yaml").is_file()


def test_empty_existing_output_folder_is_fine(tmp_path):
    (tmp_path / "out").mkdir()
    assert run_cli("build", "--seeds", SEEDS, "--out", tmp_path / "out").returncode == 0


def test_shipped_site_is_complete(shipped_site):
    data = json.loads((shipped_site / "papers.json").read_text(encoding="utf-8"))
    for paper in data["papers"]:
        assert not paper["title_derived"], paper["id"]
        assert paper["date"] and paper["category"] and paper["checked"] and paper["arxiv"], paper["id"]
    unverified = [p["title"] for p in data["papers"] if p["checked"].startswith("unverified")]
    assert unverified == ["Three ways to improve feature alignment for open vocabulary detection"]
    # checked against public records: the reference facts of the shipped seeds
    facts = {p["title"]: (p["arxiv"], p["date"]) for p in data["papers"]}
    assert facts["Individual Treatment Prescription Effect Estimation in a Low Compliance Setting"] == (
        "2008.03235",
        "2020-08-07",
    )
    assert facts["Exponentially fast convergence to (strict) equilibrium via hedging"] == ("1607.08863", "2016-07-29")
    assert facts["Online non-convex optimization with imperfect feedback"] == ("2010.08496", "2020-10")
    assert facts["Zeroth-order non-convex learning via hierarchical dual averaging"] == ("2109.05829", "2021-09-13")
    pixtral = next(p for p in data["papers"] if p["title"] == "Pixtral 12B")
    assert (pixtral["arxiv"], pixtral["date"], pixtral["category"]) == ("2410.07073", "2024-10", "CV")
    flamingo = next(p for p in data["papers"] if p["title"].startswith("Flamingo"))
    assert flamingo["category"] == "CV" and flamingo["date"] == "2022-04-29"  # card values stay


def test_shipped_cards_link_and_cite(shipped_site):
    html = (shipped_site / "arthur-mensch" / "index.html").read_text(encoding="utf-8")
    assert '<a href="https://arxiv.org/abs/2410.07073">Pixtral 12B</a>' in html
    assert html.count("arXiv (unverified)") == 1  # the one id not checked against public records
    assert html.count('<details class="cite">') == 14
    assert 'href="papers.bib"' in html
    bib = (shipped_site / "arthur-mensch" / "papers.bib").read_text(encoding="utf-8")
    assert bib.count("\n@") + bib.startswith("@") == 14
    keys = [line.split("{", 1)[1].rstrip(",") for line in bib.splitlines() if line.startswith("@")]
    assert len(keys) == len(set(keys)) and "hoffmann2022training" in keys
    for key in keys:
        assert f"{{{key}," in html  # each card's Cite entry has the same key as papers.bib


def test_source_size_limit_and_keep_going(tmp_path):
    site = "max_source_mb: 1\nprofiles:\n  - name: A B\n    sources: ['*.txt']\n"
    big = "Abstract: " + "many words here " * 80_000 + "\n"
    seeds = write_corpus(
        tmp_path / "s", {"good.txt": GOOD_LIST, "big.txt": big, "bad.txt": "\n" + "prose " * 60, "site.yaml": site}
    )
    result = run_cli("build", "--seeds", seeds, "--out", tmp_path / "o")
    assert_clean_failure(result, "big.txt:1: file is 1 MB, over the 1 MB limit", "bad.txt:2: unknown source format")
    kept = run_cli("build", "--seeds", seeds, "--out", tmp_path / "o", "--keep-going")
    assert kept.returncode == 0, kept.stderr
    assert "big.txt:1: warning: skipped (--keep-going)" in kept.stderr and "1 papers" in kept.stdout


def test_yaml_billion_laughs_is_refused_quickly(tmp_path):
    laughs = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(9)
    )
    seeds = write_corpus(tmp_path / "s", {"a.txt": GOOD_LIST, "site.yaml": laughs})
    assert_clean_failure(
        run_cli("build", "--seeds", seeds, "--out", tmp_path / "o"), "YAML aliases (*name) are not supported"
    )
