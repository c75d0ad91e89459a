"""Template problems are located build errors, never tracebacks."""

from __future__ import annotations

import pytest

from generator.errors import BuildError
from generator.render import Renderer


def test_template_syntax_error_names_the_template_and_line(tmp_path):
    (tmp_path / "page.html").write_text("<p>fine</p>\n{% if %}\n")
    with pytest.raises(BuildError) as caught:
        Renderer(tmp_path)
    [problem] = caught.value.problems
    assert (problem.path, problem.line) == ("templates/page.html", 2)


def test_undefined_name_at_render_time_names_the_line(tmp_path):
    (tmp_path / "page.html").write_text("<p>{{ known }}</p>\n<p>{{ unknown }}</p>\n")
    renderer = Renderer(tmp_path)
    assert renderer.render("page.html", {"known": "<b>", "unknown": 1}) == "<p>&lt;b&gt;</p>\n<p>1</p>\n"
    with pytest.raises(BuildError) as caught:
        renderer.render("page.html", {"known": "x"})
    [problem] = caught.value.problems
    assert (problem.path, problem.line) == ("templates/page.html", 2)
    assert "unknown" in problem.message
