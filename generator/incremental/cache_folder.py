"""The cache's folder: private to the user who builds, and nothing loaded from it unsigned.

What is kept between builds (parsed sources, the last deduplication, compiled templates) is read
back with ``pickle`` and ``marshal``, which run code.  So the cache is used only where nobody else
can write:

* its folder (``$XDG_CACHE_HOME/research-profiles``) and every folder below it that a build uses
  belong to the user who builds, are no symbolic link and are private (mode 0700; a folder of
  theirs that nobody else can write, as older versions made them, is made 0700 first), and each
  folder above it belongs to that user or to root and is writable by nobody else, unless its
  sticky bit keeps others from renaming what is not theirs (``/tmp``);
* every blob that is unpickled or unmarshalled carries an HMAC-SHA256 keyed by a secret that only
  this folder holds (``secret.key``, 32 random bytes, mode 0600): a blob whose code does not match
  is a miss, never loaded.

A folder that fails these checks is not used at all: the build goes on without a cache and says
so in one warning (naming the folder and what is wrong with it).
"""

from __future__ import annotations

import contextlib
import hmac
import os
import stat
import tempfile
from pathlib import Path

from generator.errors import Problem

KEY_FILE = "secret.key"
KEY_SIZE = 32
MAC_SIZE = 32  # HMAC-SHA256
NO_CACHE_HINT = "set RESEARCH_PROFILES_NO_CACHE=1 to build without a cache and without this warning"


class UnsafeFolder(Exception):
    """A cache folder that must not be used, and why."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.problem = Problem(
            str(path),
            0,
            f"cache not used: {reason}",
            f"make the folder yours and private (chmod 700), or point XDG_CACHE_HOME at one that is; {NO_CACHE_HINT}",
        )


def default_cache_dir() -> Path | None:
    """``$XDG_CACHE_HOME/research-profiles`` (``~/.cache/…``); None when ``RESEARCH_PROFILES_NO_CACHE`` is set."""
    if os.environ.get("RESEARCH_PROFILES_NO_CACHE"):
        return None
    try:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    except RuntimeError:  # no home folder known
        return None
    return Path(base) / "research-profiles"


class CacheFolder:
    """The cache's private root folder and its secret: private subfolders, sealed blobs.  Why a
    folder could not be used goes to ``warnings`` (one warning per folder)."""

    def __init__(self, root: Path, secret: bytes, warnings: list[Problem]) -> None:
        self.root = root
        self.secret = secret
        self.warnings = warnings

    @classmethod
    def open(cls, cache_dir: Path | None, warnings: list[Problem]) -> CacheFolder | None:
        """The cache at ``cache_dir`` (made if missing); None, with a warning saying why, when it
        cannot be used (and without one when there is no cache folder: the cache is turned off)."""
        if cache_dir is None:
            return None
        try:
            root = _private_folder(_trusted_parent(cache_dir.parent) / cache_dir.name)
            return cls(root, _secret(root), warnings)
        except UnsafeFolder as unsafe:
            warnings.append(unsafe.problem)
        except OSError as error:
            warnings.append(_unusable(cache_dir, error))
        return None

    def folder(self, *parts: str) -> Path | None:
        """A private folder below the root, made if missing; None (and a warning) when it cannot be used."""
        path = self.root
        try:
            for part in parts:
                path = _private_folder(path / part)
        except UnsafeFolder as unsafe:
            self.warnings.append(unsafe.problem)
            return None
        except OSError as error:
            self.warnings.append(_unusable(path, error))
            return None
        return path

    def seal(self, label: bytes, data: bytes) -> bytes:
        """``data`` behind the code that proves this cache wrote it under ``label``."""
        return self._mac(label, data) + data

    def unseal(self, label: bytes, sealed: bytes) -> bytes | None:
        """The data :meth:`seal` sealed under ``label``; None when the code does not match."""
        code, data = sealed[:MAC_SIZE], memoryview(sealed)[MAC_SIZE:]
        return bytes(data) if hmac.compare_digest(code, self._mac(label, data)) else None

    def _mac(self, label: bytes, data: bytes | memoryview) -> bytes:
        mac = hmac.new(self.secret, len(label).to_bytes(4, "big") + label, "sha256")
        mac.update(data)
        return mac.digest()


def _unusable(path: Path, error: OSError) -> Problem:
    """The warning for a cache folder that cannot be made or read."""
    return Problem(str(path), 0, f"cache not used: {error.strerror or error}", NO_CACHE_HINT)


def _trusted_parent(folder: Path) -> Path:
    """``folder`` made if missing and resolved, once every folder from it up to ``/`` is checked:
    each is owned by this user or root and writable by nobody else, or sticky."""
    folder.mkdir(parents=True, exist_ok=True)
    real = Path(os.path.realpath(folder))
    for ancestor in (real, *real.parents):
        info = os.lstat(ancestor)
        if info.st_uid not in (0, os.getuid()):
            raise UnsafeFolder(ancestor, "a folder above the cache belongs to another user")
        if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH) and not info.st_mode & stat.S_ISVTX:
            raise UnsafeFolder(ancestor, f"a folder above the cache is writable by others (mode {_mode(info)})")
    return real


def _private_folder(path: Path) -> Path:
    """``path``, a folder of this user's that only they can use (made 0700 if missing)."""
    with contextlib.suppress(FileExistsError):
        os.mkdir(path, 0o700)
    info = os.lstat(path)
    if stat.S_ISLNK(info.st_mode):
        raise UnsafeFolder(path, "the folder is a symbolic link")
    if not stat.S_ISDIR(info.st_mode):
        raise UnsafeFolder(path, "not a folder")
    if info.st_uid != os.getuid():
        raise UnsafeFolder(path, "the folder belongs to another user")
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise UnsafeFolder(path, f"the folder is writable by others (mode {_mode(info)})")
    if stat.S_IMODE(info.st_mode) != 0o700:
        os.chmod(path, 0o700, follow_symlinks=False)  # only its owner could write it: safe to keep
    return path


def _secret(root: Path) -> bytes:
    """The key blobs are sealed with: read from ``root``, made there first if missing."""
    path = root / KEY_FILE
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except FileNotFoundError:
        _make_secret(path)
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError as error:
        raise UnsafeFolder(path, f"the cache's key cannot be read ({error.strerror})") from None
    with os.fdopen(handle, "rb") as stream:
        info = os.fstat(stream.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
            raise UnsafeFolder(path, "the cache's key is not a private file of yours")
        secret = stream.read(KEY_SIZE + 1)
    if len(secret) != KEY_SIZE:
        raise UnsafeFolder(path, "the cache's key is damaged (delete the cache folder to start afresh)")
    return secret


def _make_secret(path: Path) -> None:
    """Write a new random key, whole or not at all (a build racing this one may make its own: the
    first one linked into place wins)."""
    temporary = path.with_name(f".{KEY_FILE}.{os.getpid()}")
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(os.urandom(KEY_SIZE))
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        os.unlink(temporary)


def _mode(info: os.stat_result) -> str:
    return f"{stat.S_IMODE(info.st_mode):04o}"


def replace_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (a reader never sees half of it)."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
