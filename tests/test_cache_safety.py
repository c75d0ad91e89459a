"""The disk cache cannot be used against its user: planted pickles and compiled templates never run,
a folder others can write or a symbolic link is never used (one warning, the same site), and
nothing outside the cache is ever deleted."""

from __future__ import annotations

import marshal
import os
import pickle
import shutil
from pathlib import Path

import pytest
from conftest import SEEDS, run_cli, tree_bytes
from jinja2.bccache import bc_magic

OTHER_USER = 65534  # nobody
as_root = pytest.mark.skipif(os.getuid() != 0, reason="making a folder another user's needs root")


class Payload:
    """A pickle that, when loaded, creates ``marker``: what an attacker would plant."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return exec, (f"open({str(self.marker)!r}, 'w').close()",)


def build(tmp_path: Path, cache_home: Path, out: str = "out"):
    environment = dict(os.environ, XDG_CACHE_HOME=str(cache_home))
    return run_cli("build", "--seeds", SEEDS, "--out", tmp_path / out, env=environment)


@pytest.fixture
def plain_site(tmp_path) -> dict[str, bytes]:
    """The shipped site built without any cache."""
    environment = dict(os.environ, RESEARCH_PROFILES_NO_CACHE="1")
    result = run_cli("build", "--seeds", SEEDS, "--out", tmp_path / "plain", env=environment)
    assert result.returncode == 0, result.stderr
    return tree_bytes(tmp_path / "plain")


def fill_cache(tmp_path: Path, cache_home: Path) -> Path:
    """Build once so the cache holds every kind of file; its root."""
    cache_home.mkdir(mode=0o700, exist_ok=True)
    result = build(tmp_path, cache_home, "first")
    assert result.returncode == 0 and "cache not used" not in result.stderr, result.stderr
    return cache_home / "research-profiles"


def plant(root: Path, marker: Path) -> None:
    """Replace every pickle and compiled template in the cache by code that creates ``marker``,
    in the formats an unsealed cache would load (a bare pickle, Jinja's own bytecode file)."""
    payload = pickle.dumps(Payload(marker))
    for record in root.glob("sources/*/dedupe.pickle"):
        record.write_bytes(payload)
    for pack in root.glob("sources/*/pack-*"):
        pack.write_bytes(payload * 50)
    code = marshal.dumps(compile(f"open({str(marker)!r}, 'w').close()", "<planted>", "exec"))
    templates = list(root.glob("templates/*.cache"))
    assert templates
    for compiled in templates:
        checksum = compiled.read_bytes()  # a sealed file: the code, then Jinja's magic and checksum
        checksum = checksum[checksum.index(bc_magic) + len(bc_magic) :]
        length = len(pickle.dumps(pickle.loads(checksum), 2))
        compiled.write_bytes(bc_magic + checksum[:length] + code)


def assert_warned_once(stderr: str, folder: Path) -> None:
    warnings = [line for line in stderr.splitlines() if "cache not used" in line]
    assert len(warnings) == 1, stderr
    assert warnings[0].startswith(f"{folder}: warning: cache not used: "), warnings
    assert "hint: " in stderr and "Traceback" not in stderr


def test_planted_pickles_and_templates_in_the_users_own_cache_never_run(tmp_path, plain_site):
    root = fill_cache(tmp_path, tmp_path / "cache")
    marker = tmp_path / "pwned"
    plant(root, marker)
    result = build(tmp_path, tmp_path / "cache")
    assert result.returncode == 0, result.stderr
    assert not marker.exists(), "a planted file was loaded"
    assert tree_bytes(tmp_path / "out") == plain_site


@pytest.mark.parametrize("mode", [0o777, 0o1777, 0o770, 0o775])
def test_a_cache_in_a_folder_others_can_write_is_never_used(tmp_path, plain_site, mode):
    cache_home = tmp_path / "shared"
    root = fill_cache(tmp_path, cache_home)
    marker = tmp_path / "pwned"
    plant(root, marker)
    if mode & 0o1000:  # a sticky folder like /tmp: the danger is a research-profiles made by someone else
        root.chmod(0o777)
    cache_home.chmod(mode)
    result = build(tmp_path, cache_home)
    assert result.returncode == 0, result.stderr
    assert not marker.exists()
    assert_warned_once(result.stderr, root if mode & 0o1000 else cache_home)
    assert tree_bytes(tmp_path / "out") == plain_site


@pytest.mark.parametrize("level", ["research-profiles", "sources"])
def test_a_cache_folder_of_the_users_that_others_can_write_is_never_used(tmp_path, plain_site, level):
    root = fill_cache(tmp_path, tmp_path / "cache")
    marker = tmp_path / "pwned"
    plant(root, marker)
    folder = root if level == "research-profiles" else root / "sources"
    folder.chmod(0o770)
    result = build(tmp_path, tmp_path / "cache")
    assert result.returncode == 0 and not marker.exists()
    assert_warned_once(result.stderr, folder)
    assert tree_bytes(tmp_path / "out") == plain_site


@as_root
def test_a_cache_folder_of_another_user_is_never_used(tmp_path, plain_site):
    cache_home = tmp_path / "cache"
    root = fill_cache(tmp_path, cache_home)
    marker = tmp_path / "pwned"
    plant(root, marker)
    for path in (root, *root.rglob("*")):
        os.chown(path, OTHER_USER, OTHER_USER, follow_symlinks=False)
    result = build(tmp_path, cache_home)
    assert result.returncode == 0 and not marker.exists()
    assert_warned_once(result.stderr, root)
    assert tree_bytes(tmp_path / "out") == plain_site


def test_a_symbolic_link_in_the_cache_is_never_followed_nor_deleted_through(tmp_path, plain_site):
    root = fill_cache(tmp_path, tmp_path / "cache")
    [site_folder] = root.glob("sources/*")
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "thesis.tex").write_text("years of work", encoding="utf-8")
    (victim / "pack-old").write_bytes(b"named like the cache's own files")
    shutil.rmtree(site_folder)
    site_folder.symlink_to(victim, target_is_directory=True)
    result = build(tmp_path, tmp_path / "cache")
    assert result.returncode == 0, result.stderr
    assert_warned_once(result.stderr, site_folder)
    assert sorted(path.name for path in victim.iterdir()) == ["pack-old", "thesis.tex"]
    assert (victim / "thesis.tex").read_text(encoding="utf-8") == "years of work"
    assert tree_bytes(tmp_path / "out") == plain_site


def test_a_symbolic_link_as_the_cache_root_or_its_key_is_refused(tmp_path, plain_site):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    cache_home = tmp_path / "cache"
    cache_home.mkdir(mode=0o700)
    (cache_home / "research-profiles").symlink_to(elsewhere, target_is_directory=True)
    result = build(tmp_path, cache_home)
    assert result.returncode == 0
    assert_warned_once(result.stderr, cache_home / "research-profiles")
    assert list(elsewhere.iterdir()) == []
    (cache_home / "research-profiles").unlink()
    root = fill_cache(tmp_path, cache_home)
    (root / "secret.key").unlink()
    (elsewhere / "key").write_bytes(b"k" * 32)
    (root / "secret.key").symlink_to(elsewhere / "key")
    result = build(tmp_path, cache_home)
    assert result.returncode == 0
    assert_warned_once(result.stderr, root / "secret.key")
    assert tree_bytes(tmp_path / "out") == plain_site


def test_the_cache_is_made_private(tmp_path):
    root = fill_cache(tmp_path, tmp_path / "cache")
    folders = [root, *[path for path in root.rglob("*") if path.is_dir()]]
    assert len(folders) >= 4  # research-profiles, sources, the site's folder, templates
    assert {oct(path.stat().st_mode & 0o777) for path in folders} == {oct(0o700)}
    assert oct((root / "secret.key").stat().st_mode & 0o777) == oct(0o600)


def test_a_cache_an_older_version_made_readable_by_all_is_made_private_and_used(tmp_path):
    root = fill_cache(tmp_path, tmp_path / "cache")
    root.chmod(0o755)
    (root / "sources").chmod(0o755)
    result = build(tmp_path, tmp_path / "cache")
    assert result.returncode == 0 and result.stderr == ""
    assert oct(root.stat().st_mode & 0o777) == oct((root / "sources").stat().st_mode & 0o777) == oct(0o700)
