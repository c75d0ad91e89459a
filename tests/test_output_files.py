"""The files of one build (``OutputFiles``): each path inside the output folder, and only once."""

from __future__ import annotations

import pytest

from generator.output.files import OutputFiles


@pytest.mark.parametrize("path", ["/etc/passwd", "../outside.html", "papers/../../x", "", ".", "./", "a/.."])
def test_a_path_outside_the_output_folder_is_refused(path):
    with pytest.raises(ValueError, match="inside the output folder"):
        OutputFiles().add(path, b"", "a test")


@pytest.mark.parametrize("path", ["index.html", "papers/a-b/index.html", "./feed.xml", "a..b/c.html"])
def test_a_path_inside_it_is_taken(path):
    files = OutputFiles()
    files.add(path, b"x", "a test")
    assert path in files.files and files.collisions == []


def test_a_second_file_at_one_path_is_a_collision_naming_both_origins():
    files = OutputFiles()
    files.add("papers/x/index.html", b"1", "a paper page")
    files.add("papers/x/index.html", b"2", "a file a paper links (x.pdf)")
    [problem] = files.collisions
    assert "written twice" in problem.message and "a paper page" in problem.hint
    assert files.files["papers/x/index.html"] == b"1"
