"""Profile bios (Markdown, sanitised) and profile links (validated, shown as icons)."""

from __future__ import annotations

import json

from conftest import run_cli, write_corpus

from generator.merge.bios import render_bio

LIST = "Abstract: We study difference engines that print tables of polynomials, in enough words to be a paper.\n"


def test_markdown_is_rendered_and_sanitised():
    html = render_bio(
        "# Title\n\nHello **world** [site](https://example.org) [bad](javascript:alert(1))\n\n"
        "<script>alert(2)</script><img src=x onerror=alert(3)>\n\n- one\n- two\n"
    )
    assert (
        "<strong>world</strong>" in html and '<a href="https://example.org" rel="noopener noreferrer nofollow">' in html
    )
    assert "<h3>Title</h3>" in html and "<li>one</li>" in html
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html and "<img" not in html


def build(tmp_path, site_yaml: str, extra: dict[str, str] | None = None):
    seeds = write_corpus(tmp_path / "seeds", {"a.txt": LIST, "site.yaml": site_yaml} | (extra or {}))
    return run_cli("build", "--seeds", seeds, "--out", tmp_path / "out"), tmp_path / "out"


def test_bio_and_links_from_site_yaml(tmp_path):
    site = (
        "profiles:\n  - name: Ada Lovelace\n    sources: [a.txt]\n"
        '    bio: "Writes *programs* for engines. <script>alert(1)</script>"\n'
        "    links:\n      homepage: https://ada.example.org\n      orcid: 0000-0002-1825-0097\n"
        "      github: https://github.com/ada\n      mastodon: https://mastodon.social/@ada\n"
    )
    result, out = build(tmp_path, site)
    assert result.returncode == 0, result.stderr
    html = (out / "ada-lovelace" / "index.html").read_text(encoding="utf-8")
    assert "Writes <em>programs</em> for engines." in html and "alert(1)" not in html
    assert 'href="https://orcid.org/0000-0002-1825-0097"' in html and 'href="https://github.com/ada"' in html
    assert html.count('<svg class="icon"') == 4
    json_ld = json.loads(html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0])
    assert json_ld["sameAs"][0] == "https://ada.example.org"


def test_bio_from_a_markdown_file_and_stray_files_warn(tmp_path):
    site = "profiles:\n  - name: Ada Lovelace\n    sources: [a.txt]\n"
    result, out = build(tmp_path, site, {"ada-lovelace.md": "From **a file**.\n", "nobody.md": "x"})
    assert result.returncode == 0, result.stderr
    assert "From <strong>a file</strong>." in (out / "ada-lovelace" / "index.html").read_text(encoding="utf-8")
    assert "nobody.md:1: warning: bio file matches no profile slug" in result.stderr


def test_invalid_links_are_errors_at_their_lines(tmp_path):
    site = (
        "profiles:\n  - name: Ada Lovelace\n    sources: [a.txt]\n    links:\n"
        "      github: https://gitlab.com/ada\n      orcid: 1234-5678\n      x: javascript:alert(1)\n"
        "      homepge: https://ada.example.org\n"
    )
    result, _ = build(tmp_path, site)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    for expected in (
        "site.yaml:5: invalid GitHub link",
        "site.yaml:6: invalid ORCID link",
        "site.yaml:7: invalid X link",
        "site.yaml:8: unknown key 'homepge'",
        "did you mean 'homepage'",
    ):
        assert expected in result.stderr, expected


def test_shipped_bio(shipped_site):
    html = (shipped_site / "arthur-mensch" / "index.html").read_text(encoding="utf-8")
    assert '<div class="bio">' in html and "<strong>Parietal</strong>" in html


def test_one_bio_never_leaks_into_the_next():
    first = render_bio("See [the lab][lab].\n\n[lab]: https://lab.example.org/")
    assert 'href="https://lab.example.org/"' in first
    second = render_bio("See [the lab][lab].")
    assert "href" not in second and "[the lab][lab]" in second
