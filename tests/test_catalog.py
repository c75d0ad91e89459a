"""The catalog matches profile globs against one listing of the seeds folder, as Path.glob would."""

from __future__ import annotations

import pytest

from generator.sources.catalog import list_seed_files

NAMES = [
    "000_list.txt",
    "000_page.txt",
    "001_list.txt",
    "a.bib",
    "b[1].txt",
    "notes.pdf",
    "sub/002_list.txt",
    "sub/deeper/003_page.txt",
    ".hidden.txt",
    "sub/.hidden/004.txt",
]
PATTERNS = [
    "000_*.txt",
    "00?_list.txt",
    "*.txt",
    "*",
    "sub/*.txt",
    "sub/**/*.txt",
    "**/*.txt",
    "**/*_page.txt",
    "[ab].bib",
    "[!a]*.txt",
    "0[0-9]1_*",
    "b[[]1].txt",
    "*.pdf",
    "sub",
    "missing-*.txt",
    "sub/**",
    "000_list.txt",
    "0*1*.txt",
    "*_*_*",
    "*list.txt*",
    "0*0*0*.txt",
    "*.t*t",
]


@pytest.fixture
def seeds(tmp_path):
    for name in NAMES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    (tmp_path / "broken.txt").symlink_to(tmp_path / "nowhere.txt")
    return tmp_path


@pytest.mark.parametrize("pattern", PATTERNS)
def test_matching_agrees_with_path_glob(seeds, pattern):
    """Files and links to files, a broken link too (reading reports it at its path)."""
    expected = sorted(
        path.relative_to(seeds).as_posix()
        for path in seeds.glob(pattern)
        if (path.is_file() or path.is_symlink())
        and not any(part.startswith(".") for part in path.relative_to(seeds).parts)
    )
    assert list_seed_files(seeds).matching(pattern) == expected


def test_sources_keep_broken_links_and_skip_other_suffixes(seeds):
    sources = list_seed_files(seeds).sources()
    assert "broken.txt" in sources, "a broken link is listed so that the build reports it"
    assert "notes.pdf" not in sources
    assert ".hidden.txt" not in sources and "sub/.hidden/004.txt" not in sources
