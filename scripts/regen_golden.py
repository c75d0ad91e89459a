"""Rebuild the golden whole-site output after an intended change to what the site looks like.

Usage: python scripts/regen_golden.py   (then review `git diff tests/golden`)
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.pipeline import BuildOptions, build, default_config_path  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "golden-site" / "seeds"
GOLDEN = ROOT / "tests" / "golden" / "golden-site"


def main() -> None:
    if GOLDEN.exists():
        shutil.rmtree(GOLDEN)
    build(BuildOptions(FIXTURE, GOLDEN, default_config_path(FIXTURE)))
    shutil.rmtree(GOLDEN / "static")  # copies of static/, checked by the test against the originals
    print(f"golden output written to {GOLDEN.relative_to(ROOT)}; review it with git diff")


if __name__ == "__main__":
    main()
