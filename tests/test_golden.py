"""Whole-site golden test: the fixture site must build to exactly the stored output.

After an intended change to the pages, regenerate with ``python scripts/regen_golden.py``
and review the diff of ``tests/golden/``.
"""

from __future__ import annotations

import json
from pathlib import Path

from conftest import ROOT, run_cli

FIXTURE = ROOT / "tests" / "fixtures" / "golden-site" / "seeds"
GOLDEN = ROOT / "tests" / "golden" / "golden-site"


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_fixture_site_matches_golden_output(tmp_path):
    result = run_cli("build", "--seeds", FIXTURE, "--out", tmp_path / "site")
    assert result.returncode == 0, result.stderr
    built, golden = files(tmp_path / "site"), files(GOLDEN)
    assets = {name: built.pop(name) for name in list(built) if name.startswith("static/")}
    assert assets == {f"static/{name}": content for name, content in files(ROOT / "static").items()}
    assert sorted(built) == sorted(golden)
    changed = [name for name in golden if built[name] != golden[name]]
    assert not changed, f"output differs from tests/golden in {changed}; run python scripts/regen_golden.py"


def test_golden_fixture_covers_the_hard_cases():
    papers = json.loads((GOLDEN / "papers.json").read_text(encoding="utf-8"))["papers"]
    ada = (GOLDEN / "ada-lovelace" / "index.html").read_text(encoding="utf-8")
    orcas = sorted(p["id"] for p in papers if "Orca" in p["abstract"])
    assert len(orcas) == 2 and "orca-7b" in orcas  # template look-alikes kept apart
    assert ada.count("<article ") == 3
    assert "Engine Lab &lt;profiles&gt;" in ada  # site title escaped
    assert "4× less memory &amp; compute" in ada  # LaTeX converted, then escaped
