"""BibTeX in (three real-world export styles, macros, accents, errors) and out (keys, round trip)."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import run_cli, write_corpus

from generator.model import Location, Paper
from generator.render.bibtex import bibliography, bibtex_entries, citation_keys
from generator.sources.bibtex import parse_authors
from generator.sources.formats import parse_source

FIXTURES = Path(__file__).parent / "fixtures" / "bibtex"


def entries(name: str):
    return {entry.title: entry for entry in parse_source(FIXTURES / name, name).entries}


def test_google_scholar_export():
    found = entries("google_scholar.bib")
    chinchilla = found["Training compute-optimal large language models"]
    assert chinchilla.location.line == 1
    assert chinchilla.arxiv == "2203.15556"  # from journal={arXiv preprint arXiv:…}
    assert chinchilla.authors[:3] == ["Jordan Hoffmann", "Sebastian Borgeaud", "Arthur Mensch"]
    assert chinchilla.authors_truncated and chinchilla.date == "2022" and chinchilla.venue == ""
    flamingo = found["Flamingo: a visual language model for few-shot learning"]
    assert flamingo.venue == "Advances in Neural Information Processing Systems"
    assert flamingo.location.line == 8


def test_dblp_export():
    found = entries("dblp.bib")
    scaling = found["Scaling Laws for Fine-Grained Mixture of Experts"]
    assert "Maciej Pióro" in scaling.authors and "Michał Krutul" in scaling.authors
    assert scaling.venue.startswith("Forty-first International Conference on Machine Learning, ICML 2024")
    assert scaling.url == "https://openreview.net/forum?id=yoqdlynCRs"
    magnus = found["Magnushammer: A Transformer-based Approach to Premise Selection"]
    assert magnus.arxiv == "2303.04488" and magnus.doi == "10.48550/arxiv.2303.04488"
    assert magnus.venue == ""  # CoRR is arXiv
    assert magnus.location.line == 19


def test_arxiv_export_with_string_macro_month_accents_and_abstract():
    [pixtral] = entries("arxiv.bib").values()
    assert pixtral.title == "Pixtral 12B"
    assert (pixtral.arxiv, pixtral.category, pixtral.date) == ("2410.07073", "CV", "2024-10")
    assert "Amélie Héliou" in pixtral.authors and "Baptiste Rozière" in pixtral.authors
    assert pixtral.abstract.startswith("We introduce Pixtral-12B, a 12–billion-parameter")
    assert pixtral.location.line == 3


def test_names_braces_and_others():
    assert parse_authors(r"{Barnes and Noble} and M{\"u}ller, K. and others") == (
        ["Barnes and Noble", "K. Müller"],
        True,
    )
    assert parse_authors("de la Fontaine, Jean and Doe, Jr, John") == (["Jean de la Fontaine", "John Doe, Jr"], False)


def test_dblps_homonym_numbers_are_not_part_of_a_name(tmp_path):
    """dblp tells homonyms apart with a number (``Wei Wang 0001``): not shown, not compared, so the
    person is bold on the card and counted once among co-authors."""
    assert parse_authors("Wei Wang 0001 and Zhang, Lei 0003 and {Class of 0001}") == (
        ["Wei Wang", "Lei Zhang", "Class of 0001"],
        False,
    )
    bib = (
        "@inproceedings{DBLP:conf/x/WangZ21,\n  author = {Wei Wang 0001 and Lei Zhang 0003},\n"
        "  title = {Graph Queries at Scale},\n  booktitle = {ICDE},\n  year = {2021},\n}\n"
        "@article{DBLP:journals/x/ZhangW22,\n  author = {Lei Zhang and Wei Wang},\n"
        "  title = {Streams of Graphs},\n  journal = {VLDB J.},\n  year = {2022},\n}\n"
    )
    site = "profiles:\n  - name: Wei Wang\n    sources: [dblp.bib]\n"
    seeds = write_corpus(tmp_path / "seeds", {"site.yaml": site, "dblp.bib": bib})
    result = run_cli("build", "--seeds", seeds, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    authors = re.findall(r'<div class="authors">(.*?)</div>', html)
    assert authors == ["Lei Zhang, <strong>Wei Wang</strong>", "<strong>Wei Wang</strong>, Lei Zhang"]
    assert '<li>Lei Zhang <span class="count">2</span></li>' in html
    assert "{Wei Wang 0001 and Lei Zhang 0003}" in html  # Cite gives the entry as dblp wrote it


def test_braces_in_titles_and_string_macros(tmp_path):
    path = (
        write_corpus(
            tmp_path,
            {
                "x.bib": (
                    '@string{icml = "International Conference on Machine Learning"}\n'
                    "@inproceedings{k, title = {{BERT}: Pre-training of {D}eep {T}ransformers},\n"
                    "  booktitle = icml, year = 2019, month = {March}, doi = {https://doi.org/10.18653/V1/N19-1423}}\n"
                )
            },
        )
        / "x.bib"
    )
    [entry] = parse_source(path, "x.bib").entries
    assert entry.title == "BERT: Pre-training of Deep Transformers"
    assert entry.venue == "International Conference on Machine Learning"
    assert entry.date == "2019-03" and entry.doi == "10.18653/v1/n19-1423"


def test_an_unreadable_entry_is_an_error_at_its_line_and_keep_going_skips_only_it(tmp_path):
    seeds = write_corpus(
        tmp_path / "seeds",
        {
            "bad.bib": (
                "@article{good, title={Fine}, year={2020}}\n\n"
                "@article{broken,\n  title = {Unclosed,\n  year = 2020\n\n"
                "@misc{after, title={After}}\n"
            )
        },
    )
    result = run_cli("build", "--seeds", seeds, "--out", tmp_path / "out")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("bad.bib:3: unreadable BibTeX entry: ") and "\n    hint: " in result.stderr
    assert not (tmp_path / "out").exists()
    result = run_cli("build", "--seeds", seeds, "--out", tmp_path / "out", "--keep-going")
    assert result.returncode == 0, result.stderr
    assert "bad.bib:3: warning: skipped (--keep-going): unreadable BibTeX entry" in result.stderr
    import json

    titles = {paper["title"] for paper in json.loads((tmp_path / "out" / "papers.json").read_text())["papers"]}
    assert titles == {"Fine", "After"}  # the file's other entries are kept


def test_bib_sources_join_the_same_dedup(tmp_path):
    page = (
        "Abstract: We introduce Pixtral-12B, a 12--billion-parameter multimodal language model. Pixtral-12B is "
        "trained to understand both natural images and documents, achieving leading performance on various "
        "multimodal benchmarks, surpassing a number of larger models.\n"
    )
    arxiv = (FIXTURES / "arxiv.bib").read_text(encoding="utf-8")
    scholar = "@article{a, title={Pixtral 12B}, author={Agrawal, Pravesh}, journal={arXiv preprint arXiv:2410.07073v2}, year={2024}}\n"
    seeds = write_corpus(tmp_path / "seeds", {"list.txt": page, "arxiv.bib": arxiv, "scholar.bib": scholar})
    out = tmp_path / "out"
    result = run_cli("build", "--seeds", seeds, "--out", out)
    assert result.returncode == 0, result.stderr
    import json

    papers = json.loads((out / "papers.json").read_text(encoding="utf-8"))["papers"]
    [pixtral] = papers
    assert {(s["file"], s["line"]) for s in pixtral["sources"]} == {
        ("list.txt", 1),
        ("arxiv.bib", 3),
        ("scholar.bib", 1),
    }
    assert pixtral["title"] == "Pixtral 12B" and pixtral["arxiv"] == "2410.07073"


def paper(paper_id: str, title: str, authors: list[str], date: str | None, **extra) -> Paper:
    return Paper(
        id=paper_id,
        title=title,
        title_derived=False,
        abstract="",
        authors=authors,
        authors_truncated=False,
        affiliation="",
        date=date,
        category=extra.pop("category", ""),
        score=None,
        code=False,
        profiles=[],
        sources=[Location("x", 1)],
        provenance={},
        **extra,
    )


def test_citation_keys_are_stable_and_unique():
    papers = [
        paper("a", "Training Compute-Optimal Models", ["Jordan Hoffmann"], "2022-03-29"),
        paper("b", "The Training of Things", ["Jordan Hoffmann"], "2022"),
        paper("c", "Untitled Abstract Paper", [], "2023-10"),
    ]
    keys = citation_keys(papers, "Arthur Mensch")
    assert keys == {"a": "hoffmann2022traininga", "b": "hoffmann2022trainingb", "c": "mensch2023untitled"}


def test_our_bibtex_reads_back_to_the_same_titles_years_and_ids(tmp_path):
    papers = [
        paper(
            "a",
            "Scaling & Co: 100% of {Braces} $x$_y #1",
            ["Amélie Héliou", "K. Müller"],
            "2024-10",
            arxiv="2410.07073",
            category="CV",
        ),
        paper("b", "A Journal Paper", ["Ada Lovelace"], "1843", venue="Royal Society Journal", doi="10.1000/xyz_1"),
        paper("c", "Conference Paper", ["Charles Babbage"], "2020-07-12", venue="ICML 2020", url="https://x.org/p?q=1"),
    ]
    text = bibliography(papers, bibtex_entries(papers, "Someone"))
    assert "@misc{heliou2024scaling," in text and "@article{lovelace1843journal," in text
    assert "@inproceedings{babbage2020conference," in text and "primaryClass = {cs.CV}" in text
    back = {
        e.title: e for e in parse_source(write_corpus(tmp_path, {"ours.bib": text}) / "ours.bib", "ours.bib").entries
    }
    assert set(back) == {p.title for p in papers}
    for original in papers:
        copy = back[original.title]
        assert copy.date[:4] == original.date[:4]
        assert (copy.arxiv, copy.doi, copy.url) == (original.arxiv, original.doi, original.url)
        assert copy.authors == original.authors


def test_the_bibtex_syntax_real_files_use(tmp_path):
    """Parentheses, @string and #, a field commented out inside an entry, an apostrophe in a key,
    crossref to a proceedings volume (which is no paper), arXiv: in primaryClass, month macros."""
    from generator.sources.bibtex import parse

    text = (
        "Front matter a reference manager wrote.\n"
        '@String(conf = "Proceedings of the")\n'
        "@inproceedings(paper1,\n"
        "  author = {Ann Lee},\n"
        "  title = {A paper},\n"
        "  % note = {a field commented out},\n"
        "  crossref = {conf2020},\n"
        "  primaryClass = {arXiv:quant-ph},\n"
        "  pages = {1--2}\n"
        ")\n"
        "@proceedings{conf2020,\n"
        '  title = conf # " 2020 Conference",\n'
        "  year = {2020}, month = mar,\n"
        "  publisher = {ACM}\n"
        "}\n"
        "@article{O'Neil2019, title={Apostrophe key}, year=2019}\n"
    )
    doc = parse(text.splitlines(), "x.bib")
    assert doc.errors == [] and doc.notes == []
    paper, apostrophe = doc.entries
    assert (paper.venue, paper.date, paper.publisher, paper.category) == (
        "Proceedings of the 2020 Conference",
        "2020-03",
        "ACM",
        "quant-ph",
    )
    assert paper.note == "" and dict(paper.citation.fields)["booktitle"] == "{Proceedings of the 2020 Conference}"
    assert "crossref" not in dict(paper.citation.fields)
    assert apostrophe.citation.key == "O'Neil2019" and apostrophe.date == "2019"


def test_an_undefined_macro_and_a_field_given_twice_are_warnings_at_their_lines():
    from generator.sources.bibtex import parse

    doc = parse("@article{a,\n  title = {T},\n  journal = nosuchmacro,\n  title = {Later}\n}".splitlines(), "x.bib")
    assert [(note.line, note.message.split(" ")[0]) for note in doc.notes] == [(3, "@string"), (4, "field")]
    assert doc.entries[0].title == "T" and doc.entries[0].venue == "nosuchmacro"


def test_biblatex_dates_and_latex_escapes_in_addresses():
    """biblatex's date (a day, a range, a time) and journaltitle; \\_ and \\% in a DOI or link."""
    from generator.sources.bibtex import parse

    text = (
        "@article{a, title={Range}, date={2020-03-15/2020-03-20}, journaltitle={Journal A}}\n"
        "@article{b, title={Time}, date={2021-07-01T10:00}, year={1999}}\n"
        "@article{c, title={Year only}, year={1998.0}, doi={10.1000/x\\_1}, url={https://ex.org/a\\%20b},\n"
        "  code={https://github.com/ex/a\\_b}}\n"
        "@article{d, title={Bad date}, date={spring}, year={2001}}\n"
    )
    found = {entry.title: entry for entry in parse(text.splitlines(), "x.bib").entries}
    assert (found["Range"].date, found["Range"].venue) == ("2020-03-15", "Journal A")
    assert found["Time"].date == "2021-07-01"
    assert (found["Year only"].date, found["Year only"].doi) == ("1998", "10.1000/x_1")
    assert (
        found["Year only"].url == "https://ex.org/a%20b" and found["Year only"].code_url == "https://github.com/ex/a_b"
    )
    assert found["Bad date"].date == "2001"


def test_biblatex_entry_types_give_their_venue_and_eprintclass_its_category():
    """Zotero and Better BibTeX write biblatex: @thesis and @report name the ``institution``, @online
    the ``organization``; the arXiv class is ``eprintclass``."""
    from generator.sources.bibtex import parse

    text = (
        "@thesis{a, title={Thesis}, type={phdthesis}, institution={ENS}, date={2016}}\n"
        "@report{b, title={Report}, institution={INRIA}, type={Research Report}, number={RR-1}}\n"
        "@online{c, title={Post}, organization={Example Blog}, url={https://example.org/p}}\n"
        "@phdthesis{d, title={Old style}, school={ETH}, institution={ignored}}\n"
        "@article{e, title={Preprint}, eprinttype={arxiv}, eprint={2301.01234}, eprintclass={cs.LG}}\n"
        "@misc{f, title={Plain}, organization={Not a venue for misc}}\n"
    )
    found = {entry.title: entry for entry in parse(text.splitlines(), "x.bib").entries}
    assert {title: entry.venue for title, entry in found.items()} == {
        "Thesis": "ENS",
        "Report": "INRIA",
        "Post": "Example Blog",
        "Old style": "ETH",
        "Preprint": "",
        "Plain": "",
    }
    assert (found["Preprint"].arxiv, found["Preprint"].category) == ("2301.01234", "LG")


def test_a_date_not_on_the_calendar_is_cut_to_what_is_with_a_warning_at_its_line():
    """A 31st of June or a 13th month would make the feeds' timestamps and the pages' dates invalid."""
    from generator.sources.bibtex import parse

    text = (
        "@article{a, title={June}, year={2021}, month={jun},\n  day={31}}\n"
        "@article{b, title={Leap}, date={2020-02-29}}\n"
        "@article{c, title={February}, date={2021-02-29}}\n"
        "@article{d, title={Month}, date={2021-13}}\n"
    )
    doc = parse(text.splitlines(), "x.bib")
    assert [entry.date for entry in doc.entries] == ["2021-06", "2020-02-29", "2021-02", "2021"]
    assert [(note.line, note.message) for note in doc.notes] == [
        (2, "2021-06-31 is not a date on the calendar: 2021-06 is used"),
        (4, "2021-02-29 is not a date on the calendar: 2021-02 is used"),
        (5, "2021-13 is not a date on the calendar: 2021 is used"),
    ]


def test_an_entry_without_a_key_lends_its_fields_to_no_other_entry():
    """JabRef keeps entries whose key was never set (``@Article{,``); one of them was taken as the
    crossref volume of every entry that has no crossref, whose venue became its title."""
    from generator.sources.bibtex import parse

    text = (
        "@Article{,\n  title = {An Entry Without a Key},\n  journal = {Keyless Journal},\n  year = {2019},\n}\n"
        "@Article{withkey,\n  title = {An Entry With a Key},\n  year = {2020},\n}\n"
        "@InProceedings{talk,\n  title = {A Talk},\n  year = {2021},\n}\n"
    )
    found = {entry.title: entry for entry in parse(text.splitlines(), "jabref.bib").entries}
    assert {title: entry.venue for title, entry in found.items()} == {
        "An Entry Without a Key": "Keyless Journal",
        "An Entry With a Key": "",
        "A Talk": "",
    }


def test_zoteros_note_restating_the_arxiv_id_is_not_shown_but_other_notes_are():
    from generator.sources.bibtex import parse

    text = (
        "@misc{a, title={Flows}, doi={10.48550/arXiv.2312.01234}, note={arXiv:2312.01234 [cs]}}\n"
        "@misc{b, title={Other}, eprint={2401.00001}, archivePrefix={arXiv}, note={arXiv:2312.01234 [cs]}}\n"
        "@misc{c, title={Talk}, eprint={2401.00002}, archivePrefix={arXiv}, note={Oral presentation}}\n"
    )
    assert [entry.note for entry in parse(text.splitlines(), "zotero.bib").entries] == [
        "",
        "arXiv:2312.01234 [cs]",  # another id than the entry's: kept, it says something
        "Oral presentation",
    ]
