"""Template problems are located build errors, never tracebacks."""

from __future__ import annotations

import jinja2
import markupsafe
import pytest

from generator.errors import BuildError
from generator.incremental.cache_folder import CacheFolder
from generator.incremental.template_cache import template_cache
from generator.render.environment import ENVIRONMENT_OPTIONS, scores_text
from generator.render.escaping import escaped_text
from generator.render.pages import Renderer


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


def test_template_cache_never_serves_a_changed_template(tmp_path):
    templates, cache = tmp_path / "templates", tmp_path / "cache"
    templates.mkdir()
    (templates / "page.html").write_text("<p>first {{ x }}</p>\n")
    assert (
        Renderer(templates, template_cache(CacheFolder.open(cache, []))).render("page.html", {"x": 1})
        == "<p>first 1</p>\n"
    )
    assert list((cache / "templates").iterdir()), "the compiled template was kept"
    (templates / "page.html").write_text("<p>second {{ x }}</p>\n")
    assert (
        Renderer(templates, template_cache(CacheFolder.open(cache, []))).render("page.html", {"x": 2})
        == "<p>second 2</p>\n"
    )


def test_template_cache_is_namespaced_by_environment_options(tmp_path, monkeypatch):
    from generator.render import environment as render

    templates, cache = tmp_path / "templates", tmp_path / "cache"
    templates.mkdir()
    (templates / "page.html").write_text("{% if x %}\n<p>{{ x }}</p>\n{% endif %}\n")
    assert (
        Renderer(templates, template_cache(CacheFolder.open(cache, []))).render("page.html", {"x": "<b>"})
        == "<p>&lt;b&gt;</p>\n"
    )
    monkeypatch.setitem(render.ENVIRONMENT_OPTIONS, "autoescape", False)
    monkeypatch.setitem(render.ENVIRONMENT_OPTIONS, "trim_blocks", False)
    assert (
        Renderer(templates, template_cache(CacheFolder.open(cache, []))).render("page.html", {"x": "<b>"})
        == "\n<p><b></p>\n\n"
    )
    assert len(list((cache / "templates").iterdir())) == 2


def test_unusable_cache_folder_means_no_cache(tmp_path):
    (tmp_path / "page.html").write_text("<p>ok</p>\n")
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    assert Renderer(tmp_path, template_cache(CacheFolder.open(blocker, []))).render("page.html", {}) == "<p>ok</p>\n"


def test_damaged_or_unwritable_cache_only_means_compiling_afresh(tmp_path):
    templates, cache = tmp_path / "templates", tmp_path / "cache"
    templates.mkdir()
    (templates / "page.html").write_text("<p>{{ x }}</p>\n")
    Renderer(templates, template_cache(CacheFolder.open(cache, []))).render("page.html", {"x": 1})
    for entry in (cache / "templates").iterdir():
        entry.write_bytes(b"\x00garbage")
    assert (
        Renderer(templates, template_cache(CacheFolder.open(cache, []))).render("page.html", {"x": 2}) == "<p>2</p>\n"
    )


def test_a_failed_cache_write_is_skipped(tmp_path):
    templates, cache = tmp_path / "templates", tmp_path / "cache"
    templates.mkdir()
    (templates / "page.html").write_text("<p>{{ x }}</p>\n")
    folder = CacheFolder.open(cache, [])
    (cache / "templates").mkdir()
    (cache / "templates").chmod(0o500)  # nothing can be written in it (but by root)
    try:
        assert Renderer(templates, template_cache(folder)).render("page.html", {"x": 1}) == "<p>1</p>\n"
    finally:
        (cache / "templates").chmod(0o700)


def test_a_report_rows_similarities_read_as_one_text_in_their_order():
    assert scores_text({"title": 100.0, "abstract": 97.5, "prefix": 99.1}) == "title 100.0, abstract 97.5, prefix 99.1"
    assert scores_text({}) == ""


class _OwnHtml:
    def __html__(self) -> str:
        return "<em>own</em>"


@pytest.mark.parametrize(
    "value",
    [
        '<script>alert("x")</script>',
        "a & b ' \" <>",
        "Zoë – “x”",
        "",
        markupsafe.Markup("<b>ok</b>"),
        3,
        2.5,
        None,
        _OwnHtml(),
    ],
)
def test_escaped_text_is_the_text_of_markupsafes_escape(value):
    assert escaped_text(value) == str(markupsafe.escape(value))


EVERY_KIND_OF_OUTPUT = """\
{% macro item(x) %}<li title="{{ x }}">{{ x }}{{ caller() if caller is defined else "" }}</li>{% endmacro %}
<ul>{% for x in values %}{{ item(x) }}{% endfor %}</ul>
{% call item(values[0]) %}<i>{{ values[1] }}</i>{% endcall %}
{% set captured %}<p>{{ values[2] }}</p>{% endset %}{{ captured }} {{ captured|length }}
{% filter upper %}{{ values[0] }}{% endfilter %}
{{ values[0] ~ values[1] }} {{ values[1]|e }} {{ safe }} {{ safe ~ values[0] }} {{ number }} {{ values|join(", ") }}
"""


def test_pages_render_exactly_as_with_markupsafes_escape_never_escaped_twice_or_not_at_all(tmp_path):
    (tmp_path / "page.html").write_text(EVERY_KIND_OF_OUTPUT)
    context = {
        "values": ['<script>alert("x")</script>', "a & b", 'it\'s "quoted"'],
        "safe": markupsafe.Markup("<b>bold</b>"),
        "number": 4.5,
    }
    plain = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)), **ENVIRONMENT_OPTIONS)
    expected = plain.get_template("page.html").render(context)
    assert "&lt;script&gt;" in expected and "<script>" not in expected and "&amp;lt;" not in expected
    renderer = Renderer(tmp_path)
    assert renderer.templates["page.html"].root_render_func.__globals__["escape"] is escaped_text
    assert renderer.render("page.html", context) == expected
