"""The browser benchmark (bench/browser.py) runs and prints its table: a benchmark nobody runs
breaks silently.  Its figures are not checked: speed is measured, never asserted."""

from __future__ import annotations

import subprocess
import sys

from conftest import CHROMIUM, ROOT


def test_the_browser_benchmark_prints_its_row(tmp_path):
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "browser.py"), "--papers", "20", "--repeat", "1"],
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATH": "/usr/bin:/bin", "CHROMIUM": CHROMIUM, "HOME": str(tmp_path), "RESEARCH_PROFILES_NO_CACHE": "1"},
    )
    assert result.returncode == 0, result.stderr
    rows = [line.split(" | ") for line in result.stdout.splitlines()[2:]]
    assert [row[0] for row in rows] == ["20"] and len(rows[0]) == 6
