"""site.yaml validation: every problem at its line, with a hint."""

from __future__ import annotations

import pytest

from generator.config.site import load_config
from generator.errors import BuildError


def load(tmp_path, text):
    path = tmp_path / "site.yaml"
    path.write_text(text, encoding="utf-8")
    return load_config(path, "site.yaml")


def problems(tmp_path, text):
    with pytest.raises(BuildError) as caught:
        load(tmp_path, text)
    return caught.value.problems


def test_valid_config(tmp_path):
    config = load(
        tmp_path,
        "title: Lab\nbase_url: /lab\nprofiles:\n"
        "  - name: Amélie Héliou\n    sources: ['003_*.txt']\n"
        "  - name: A B\n    slug: custom\n    affiliations: [X, Y]\n    sources: [a.txt, b.txt]\n",
    )
    assert config.title == "Lab" and config.base_url == "/lab/"
    first, second = config.profiles
    assert (first.slug, first.affiliations, first.line) == ("amelie-heliou", None, 4)
    assert (second.slug, second.affiliations, second.sources) == ("custom", ["X", "Y"], ["a.txt", "b.txt"])
    assert second.source_lines == [9, 9]


def test_unknown_keys_get_a_suggestion_and_all_problems_come_at_once(tmp_path):
    found = problems(tmp_path, "titel: Lab\nprofiles:\n  - name: A\n    source: [a.txt]\n    slgu: a\n")
    by_line = {p.line: p for p in found}
    assert "unknown key 'titel'" in by_line[1].message and "did you mean 'title'" in by_line[1].hint
    assert "did you mean 'sources'" in by_line[4].hint
    assert "did you mean 'slug'" in by_line[5].hint
    assert any("missing 'sources'" in p.message for p in found)


def test_wrong_types(tmp_path):
    found = problems(tmp_path, "title: [a]\nprofiles:\n  - name: A\n    sources: a.txt\n")
    messages = {p.line: p.message for p in found}
    assert messages[1] == "'title' must be a string, not a list"
    assert messages[4] == "'sources' must be a list, not a string"


def test_duplicate_slugs_name_both_lines(tmp_path):
    found = problems(
        tmp_path,
        "profiles:\n  - name: Ann Lee\n    sources: [a.txt]\n  - name: Ann  Lee\n    sources: [b.txt]\n",
    )
    [problem] = found
    assert problem.line == 4 and "duplicate slug 'ann-lee'" in problem.message and "line 2" in problem.hint


def test_invalid_yaml_reports_its_line(tmp_path):
    [problem] = problems(tmp_path, "title: Lab\nprofiles:\n  - name: [unclosed\n")
    assert problem.path == "site.yaml" and problem.line >= 3
    assert problem.message.startswith("invalid YAML")


def test_yaml_is_loaded_safely(tmp_path):
    [problem] = problems(tmp_path, "title: !!python/object/apply:os.system ['echo hacked']\n")
    assert problem.line == 1 and "unsupported YAML value" in problem.message


def test_duplicate_keys_and_bad_slug_and_base_url(tmp_path):
    found = problems(
        tmp_path, "title: a\ntitle: b\nbase_url: lab\nprofiles:\n  - name: A\n    slug: Not OK\n    sources: [a]\n"
    )
    assert [p.line for p in found] == [2, 3, 6]


def test_empty_file_gives_defaults(tmp_path):
    config = load(tmp_path, "# nothing yet\n")
    assert config.title == "Research profiles" and config.profiles == []
