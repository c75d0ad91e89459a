"""Hostile input: markup and script in sources never becomes markup on the page."""

from __future__ import annotations

import json

from conftest import run_cli, write_corpus

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
