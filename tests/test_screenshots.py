"""The screenshot script the docs point to: it runs, and takes every page it names in both sizes
and both themes (a script nobody runs breaks silently, as this one once did)."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT
from PIL import Image


def test_the_screenshot_script_takes_every_page_in_both_sizes_and_themes(tmp_path):
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "screenshots.py"), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    shots = {path.stem: Image.open(path) for path in tmp_path.glob("*.png")}
    expected = {
        f"{page}-{view}-{scheme}"
        for page in ("profile", "index", "paper", "home")
        for view in ("desktop", "phone")
        for scheme in ("light", "dark")
    }
    assert set(shots) == expected
    for name, shot in shots.items():
        assert shot.size == ((1280, 900) if "-desktop-" in name else (390, 844))
    corner = (5, 5)  # the page's background: the themes differ
    assert shots["home-phone-light"].getpixel(corner) != shots["home-phone-dark"].getpixel(corner)
