"""Parsed sources kept between separate builds, keyed by content.

A source is loaded instead of parsed when its bytes, the name errors give it and the generator
itself (every module's code, the Python and library versions) are all as when it was parsed: the
key is a SHA-256 digest of all of them, so an edited source or an upgraded generator always parses
anew.  Only sources that parsed without errors are kept.  Each site (seeds folder) has its own
folder, which a build prunes to the sources it read; an unreadable or damaged entry is a miss and
a failed write is skipped, so the cache can only make a build faster, never different.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import sys
import tempfile
from importlib import metadata
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
LIBRARIES = ("numpy", "bibtexparser", "pyyaml")  # whose versions can change what a parse gives
SUFFIX = ".parsed"


@functools.cache
def code_fingerprint() -> str:
    """A digest of the generator's modules and the versions of Python and the libraries parsing uses."""
    digest = hashlib.sha256(sys.version.encode())
    for library in LIBRARIES:
        with contextlib.suppress(metadata.PackageNotFoundError):
            digest.update(f"{library} {metadata.version(library)}".encode())
    for module in sorted(PACKAGE_DIR.rglob("*.py")):
        digest.update(module.relative_to(PACKAGE_DIR).as_posix().encode() + b"\0" + module.read_bytes())
    return digest.hexdigest()


class SourceCache:
    """One site's folder of parsed sources: ``<cache>/sources/<site digest>/<key>.parsed``."""

    def __init__(self, cache_dir: Path, seeds_dir: Path) -> None:
        site = hashlib.sha256(str(seeds_dir.resolve()).encode()).hexdigest()[:16]
        self.folder = cache_dir / "sources" / site
        self.fingerprint = code_fingerprint()

    @classmethod
    def open(cls, cache_dir: Path | None, seeds_dir: Path) -> SourceCache | None:
        """The site's cache, or None without a cache folder or where it cannot be made and written."""
        if cache_dir is None:
            return None
        cache = cls(cache_dir, seeds_dir)
        try:
            cache.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError:
            return None
        return cache if os.access(cache.folder, os.W_OK) else None

    def key(self, shown_path: str, data: bytes) -> str:
        """The key of a source with these bytes, shown under this name, parsed by this generator."""
        header = f"{self.fingerprint}\0{shown_path}\0".encode()
        return hashlib.sha256(header + data).hexdigest()

    def load(self, key: str) -> bytes | None:
        try:
            return (self.folder / (key + SUFFIX)).read_bytes()
        except OSError:
            return None

    def store(self, key: str, blob: bytes) -> None:
        """Write an entry atomically (a reader never sees half of one); a failed write is skipped."""
        with contextlib.suppress(OSError):
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".", suffix=".tmp")
            try:
                with os.fdopen(handle, "wb") as stream:
                    stream.write(blob)
                os.replace(temporary, self.folder / (key + SUFFIX))
            except OSError:
                os.unlink(temporary)
                raise

    def prune(self, used: set[str]) -> None:
        """Delete the entries (and left-over temporary files) of sources this build did not read."""
        with contextlib.suppress(OSError):
            for path in self.folder.iterdir():
                if path.name.endswith(SUFFIX) and path.name[: -len(SUFFIX)] in used:
                    continue
                with contextlib.suppress(OSError):
                    path.unlink()
