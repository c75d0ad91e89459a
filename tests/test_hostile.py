"""Hostile input: markup and script in sources never becomes markup on the page."""

from __future__ import annotations

import json

import pytest
from conftest import run_cli, tree_bytes, write_corpus

from generator.config.yamlfile import parse_yaml
from generator.errors import BuildError

PAGE = """<script>alert('name')</script>

CL
h-index3

1 Papers

70.8CVApr 29, 2022
<img src=x onerror=alert(1)> "quoted" & <b>bold</b>

Eve <i>Hacker</i>, Bob et al. · <a href="javascript:alert(1)">evil</a>

An abstract with </article><script>alert(2)</script> inside, &lt;tags&gt; and a "quote" that is long enough.
"""


def test_markup_in_sources_is_escaped_everywhere(tmp_path):
    site = 'title: "<script>alert(3)</script>"\nprofiles:\n  - name: "<b>Eve</b>"\n    slug: eve\n    sources: [page.txt]\n'
    seeds = write_corpus(tmp_path / "seeds", {"page.txt": PAGE, "site.yaml": site})
    out = tmp_path / "out"
    result = run_cli("build", "--seeds", seeds, "--out", out)
    assert result.returncode == 0, result.stderr
    for page in (out / "index.html", out / "eve" / "index.html", out / "report.html"):
        html = page.read_text(encoding="utf-8")
        assert "<script>alert" not in html
        assert "<img src=x" not in html and "<b>Eve</b>" not in html and 'href="javascript' not in html
    profile = (out / "eve" / "index.html").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=alert(1)&gt;" in profile
    assert profile.count("<article ") == 1 and profile.count("</article>") == 1
    paper = json.loads((out / "papers.json").read_text(encoding="utf-8"))["papers"][0]
    assert paper["abstract"].startswith("An abstract with </article><script>")  # data keeps the text as text
    assert "<tags>" in paper["abstract"]


PAYLOADS = [
    "<script>window.__pwned=1;alert(1)</script>",
    '"><img src=x onerror="window.__pwned=2;alert(2)">',
    "<svg onload=alert(3)>",
    "{{ 7*7 }} {% if true %}jinja{% endif %}",
    "javascript:alert(4)",
]
EVIL = " ".join(PAYLOADS)


def hostile_corpus(folder):
    page = (
        f"Eve {PAYLOADS[1]}\n\nCL\n\n1 Papers\n\n"
        f"70.8CVApr 29, 2022\nTitle {EVIL}\n\nEve Hacker, {PAYLOADS[2]} · {PAYLOADS[0]}\n\n"
        f"An abstract long enough to be one, with {EVIL} inside it and more words after.\n"
    )
    bib = (
        "@misc{evil, title={Bib " + PAYLOADS[0] + "}, author={Hacker, Eve}, year={2023},"
        " url={javascript:alert(5)}, journal={" + PAYLOADS[1] + "}}\n"
    )
    site = (
        f"title: '{PAYLOADS[1]}'\nprofiles:\n  - name: 'Eve {PAYLOADS[3]}'\n    slug: eve\n"
        "    sources: [page.txt, evil.bib]\n"
        "    bio: \"Hi [click](javascript:alert(6)) <iframe src='javascript:alert(7)'></iframe> "
        '<script>alert(8)</script> **bold**"\n'
    )
    return write_corpus(folder, {"page.txt": page, "evil.bib": bib, "site.yaml": site})


def test_no_script_runs_and_no_dialog_opens_in_a_browser(tmp_path):
    from conftest import CHROMIUM
    from playwright.sync_api import sync_playwright

    seeds = hostile_corpus(tmp_path / "seeds")
    out = tmp_path / "out"
    result = run_cli("build", "--seeds", seeds, "--out", out)
    assert result.returncode == 0, result.stderr
    dialogs: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        for path in ("index.html", "eve/index.html", "report.html", "404.html"):
            page.goto((out / path).as_uri())
            page.wait_for_load_state("load")
            for card in page.locator(".cite summary").all():
                card.click()
            assert page.evaluate("typeof window.__pwned") == "undefined", path
        page.goto((out / "eve" / "index.html").as_uri())
        assert "{{ 7*7 }}" in page.locator("h1").inner_text()  # shown as text, never evaluated
        assert page.locator("a[href^='javascript:']").count() == 0
        assert page.locator("iframe, .bio script").count() == 0
        assert page.locator(".bio strong").inner_text() == "bold"
        browser.close()
    assert dialogs == []
    html = (out / "eve" / "index.html").read_text(encoding="utf-8")
    assert "49" not in html.split("<main", 1)[1].split("</main>", 1)[0] or "{{ 7*7 }}" in html


def test_yaml_nested_without_end_is_refused_cleanly(tmp_path):
    """Hundreds of thousands of brackets would overflow the stack of YAML composing: a located error
    with a hint instead, and the last good output untouched.  (Which sentence says so depends on
    whether PyYAML or this tool's own depth limit refuses it first: not asserted.)"""
    out = tmp_path / "out"
    good = write_corpus(tmp_path / "good", {"page.txt": PAGE})
    assert run_cli("build", "--seeds", good, "--out", out).returncode == 0
    before = tree_bytes(out)
    deep = "title: Deep\nprofiles: " + "[" * 300_000 + "]" * 300_000 + "\n"
    papers = "- match: x\n  tags: " + "[" * 300_000 + "]" * 300_000 + "\n"
    for name, text in (("site.yaml", deep), ("papers.yaml", papers)):
        seeds = write_corpus(tmp_path / name, {"page.txt": PAGE, name: text})
        result = run_cli("build", "--seeds", seeds, "--out", out)
        assert result.returncode == 1, result.stderr[-500:]
        assert result.stderr.startswith(f"{name}:2: ") and "\n    hint: " in result.stderr, result.stderr[-500:]
        assert "Traceback" not in result.stderr
        assert tree_bytes(out) == before


def test_yaml_nested_deeper_than_a_configuration_needs_is_refused(tmp_path):
    """This tool's own limit, below any parser's: 33 levels of lists."""
    path = tmp_path / "site.yaml"
    path.write_text("profiles: " + "[" * 33 + "]" * 33 + "\n", encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        parse_yaml(path, "site.yaml", [])
    [problem] = caught.value.problems
    assert (problem.path, problem.line) == ("site.yaml", 1) and problem.hint


CONTROLLED = (
    "@article{a1,\n title = {Control\x0bChars in \x08Titles},\n author = {Lee, Ann},\n journal = {J},\n"
    " year = {2020},\n note = {A \x1b[31mterminal colour},\n"
    " abstract = {Copied from a PDF\x0cpage with a \x01 start of heading, a \x7f and a \ufffe non-character.},\n}\n"
)


def test_control_characters_from_a_pdf_or_a_terminal_never_reach_a_page_or_feed(tmp_path):
    """A form feed or an escape sequence pasted into a source would make every feed invalid XML and
    every page invalid HTML: they are dropped (or become spaces) wherever the text is shown."""
    import re
    import xml.etree.ElementTree as ElementTree

    site = "profiles:\n  - name: Ann Lee\n    sources: [lee.bib]\n"
    seeds = write_corpus(tmp_path / "seeds", {"site.yaml": site, "lee.bib": CONTROLLED})
    result = run_cli("build", "--seeds", seeds, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    written = {path: path.read_text(encoding="utf-8") for path in (tmp_path / "out").rglob("*") if path.is_file()}
    forbidden = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe]")
    assert [path.name for path, text in written.items() if path.suffix != ".png" and forbidden.search(text)] == []
    for path in written:
        if path.suffix == ".xml":
            ElementTree.parse(path)  # well-formed: a control character would raise here
    page = written[tmp_path / "out" / "ann-lee" / "index.html"]
    assert "Control Chars in Titles" in page and "Copied from a PDF page with a start of heading" in page
