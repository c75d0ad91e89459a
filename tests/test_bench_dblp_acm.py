"""The DBLP-ACM runner (bench/dblp_acm.py) on a tiny data set of its own, in the benchmark's
format: the shifted rows repaired, the pairs counted as the benchmark defines them, and the
figures printed."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys

import pytest
from conftest import ROOT

DBLP = (
    "id%title%authors%venue%year\r\n"
    "0%Benchmarking Spatial Join Operations with Spatial Output%Erik G. Hoel, Hanan Samet%VLDB%1995\r\n"
    "1%The X-tree: An Index Structure for High-Dimensional Data%Stefan Berchtold, Daniel A. Keim%VLDB%1996\r\n"
    "2%Book Review Column%Karl Aberer%SIGMOD Record%2002\r\n"
)
ACM = (
    "id%title%authors%venue%year\r\n"
    "0%Benchmarking spatial join operations with spatial output%Erik G. Hoel, Hanan Samet%Very Large Data Bases%1995\r\n"
    "1%The TV-tree: an index structure for high-dimensional data%King-Ip Lin, H. V. Jagadish%The VLDB Journal%1994\r\n"
    '2%Book review column%"ACM SIGMOD Record%2002%%Book review column ACM SIGMOD Record 2002"%%\r\n'
)
TRUTH = "D1%D2\n0%0\n2%2\n"


@pytest.fixture
def data(tmp_path):
    for name, text in (("dblp.csv", DBLP), ("acm.csv", ACM), ("gt.csv", TRUTH)):
        (tmp_path / name).write_bytes(text.encode("utf-8"))
    return tmp_path


@pytest.fixture(scope="module")
def runner():
    spec = importlib.util.spec_from_file_location("dblp_acm", ROOT / "bench" / "dblp_acm.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["dblp_acm"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def run(*args) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, str(ROOT / "bench" / "dblp_acm.py"), *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def test_a_shifted_row_is_read_as_the_original_had_it(runner, data):
    shifted = runner.read_table(data / "acm.csv", "acm")[2]
    assert (shifted.title, shifted.authors, shifted.venue, shifted.year) == (
        "Book review column",
        "",
        "ACM SIGMOD Record",
        "2002",
    )


def test_pairs_are_counted_across_tables_and_merges_within_one(runner):
    clusters = [[("dblp", "0"), ("acm", "0")], [("dblp", "1"), ("dblp", "2"), ("acm", "5")]]
    quality = runner.quality_of(clusters, {("0", "0"), ("2", "2")})
    assert quality.found == {("0", "0"), ("1", "5"), ("2", "5")}
    assert quality.within == 1
    assert (quality.precision, quality.recall) == (1 / 3, 1 / 2)
    assert quality.f1 == pytest.approx(0.4)


def test_the_runner_prints_precision_recall_f1_and_within_table_merges(data):
    result = run(data)
    assert result.returncode == 0, result.stderr
    assert "6 records -> 5 papers" in result.stdout
    assert re.search(r"precision 1\.0000\s+recall 0\.5000\s+F1 0\.6667", result.stdout)
    assert "pairs merged within one table: 0" in result.stdout


def test_dirty_records_are_made_the_same_way_every_time(runner, data):
    records = runner.read_table(data / "dblp.csv", "dblp")
    once, again = runner.dirtied(records, 0.5), runner.dirtied(records, 0.5)
    assert once == again
    glued = runner.dirtied(records, 1.0)[0]
    assert glued.title == "Erik G. Hoel, Hanan Samet VLDB 1995 Benchmarking Spatial Join Operations with Spatial Output"
    assert (glued.authors, glued.venue, glued.year) == ("", "", "")
    assert runner.dirtied(records, 0.0)[0].year == "1995.0"
    assert run(data, "--dirty", "0.5").returncode == 0


def test_without_data_the_runner_says_what_it_needs(tmp_path):
    result = run(tmp_path)
    assert result.returncode != 0
    assert "dblp.csv" in result.stderr and "Traceback" not in result.stderr
