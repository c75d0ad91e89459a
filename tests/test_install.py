"""The lock files: what the README's commands install is what pyproject.toml asks for, exactly
pinned and hash-checked, and the two locks agree."""

from __future__ import annotations

import re
import tomllib

import pytest
from conftest import ROOT
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

LOCKS = ROOT / "requirements"
PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^ ;\\]+)(?: ; ([^\\]+?))? \\$", re.MULTILINE)


def pins(name: str) -> dict[tuple[str, str], str]:
    """(package, environment marker) → pinned version, from one lock file."""
    text = (LOCKS / name).read_text(encoding="utf-8")
    return {(canonicalize_name(m[1]), m[3] or ""): m[2] for m in PIN.finditer(text)}


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


@pytest.mark.parametrize("lock", ["runtime.txt", "test.txt", "oldest.txt"])
def test_every_package_is_pinned_with_hashes(lock):
    text = (LOCKS / lock).read_text(encoding="utf-8")
    blocks = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2].strip())
    assert len(blocks) == len(pins(lock)) > 5
    for block in blocks:
        assert "==" in block.splitlines()[0] and "--hash=sha256:" in block, block[:200]
    assert "bash scripts/lock.sh" in text.splitlines()[1]  # the documented command made it


def test_runtime_lock_pins_what_the_test_lock_pins():
    runtime, test = pins("runtime.txt"), pins("test.txt")
    assert {key: test.get(key) for key in runtime} == runtime


@pytest.mark.parametrize("lock", ["runtime.txt", "oldest.txt"])
def test_locked_versions_satisfy_the_declared_ranges(lock):
    locked = pins(lock)
    for line in project()["dependencies"]:
        requirement = Requirement(line)
        versions = [v for (name, _), v in locked.items() if name == canonicalize_name(requirement.name)]
        assert versions, f"{requirement.name} is not in {lock}"
        assert all(requirement.specifier.contains(v) for v in versions), (requirement, versions)


def test_oldest_lock_holds_each_floor_itself():
    locked = pins("oldest.txt")
    for line in project()["dependencies"]:
        requirement = Requirement(line)
        [floor] = [spec.version for spec in requirement.specifier if spec.operator == ">="]
        assert locked[(canonicalize_name(requirement.name), "")] == floor, requirement
