"""What separate builds of one site keep on disk: parsed sources, the last deduplication, and the
digests of the pages written.

Sources.  A source is loaded instead of parsed when its bytes, the name errors give it and the
generator itself (every module's code, the Python and library versions) are all as when it was
parsed: the key is a SHA-256 digest of all of them, so an edited source or an upgraded generator
always parses anew.  Only sources that parsed without errors are kept.  Each site (seeds folder)
has its own folder (removed once no build has used it for 30 days): pack files, each written by
one build with the sources it parsed, appended as they arrive (creating one file per source cost a
second at 2,000 sources; one sequential file costs a twentieth of that), and an index of where
each source's entry lies.  The index lists only
the sources the last build read; packs no longer listed are deleted, and packs mostly made of
such garbage are compacted.  The index is replaced atomically, after the pack it points to exists.
An unreadable or damaged entry is a miss (parsed again), a failed write is skipped: the cache can
only make a build faster, never different.  Every entry is sealed with the cache's key
(:mod:`generator.incremental.cache_folder`): one this cache did not write is a miss too, never unpickled.

Deduplication.  The clusters of the last build are kept (sealed) with a digest of its sources' keys, in
order: a build whose sources are all as then (only templates, site.yaml or papers.yaml changed,
or nothing) restores them instead of deduplicating again.

Pages.  After each build, the digest of every page's inputs (as the dev server computes it: the
templates, the site-wide values and each paper's fields) and the size and modification time of its
files are kept with the output folder they were written to and the generator's fingerprint.  The
next build of that output links a page whose digest is unchanged from the output, if the file is
still the one written, instead of rendering it again.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import json
import os
import pickle
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from generator.incremental.cache_folder import CacheFolder, replace_file

if TYPE_CHECKING:
    from generator.incremental.pages import PageCache

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # the generator package: every module of it
LIBRARIES = ("numpy", "ftfy", "yaml", "jinja2", "markupsafe", "nh3", "markdown", "orjson")  # change output
INDEX = "index.json"
PAGES = "pages.json"
DEDUPE = "dedupe.pickle"
PACK_PREFIX = "pack-"
COMPACT_WHEN = 2  # rewrite the packs when they hold more than this many times the live bytes

Location = tuple[str, int, int]  # pack file name, offset, length


@functools.cache
def code_fingerprint() -> str:
    """A digest of the generator's modules, Python's version and the installed libraries whose code
    shapes the output."""
    digest = hashlib.sha256(sys.version.encode())
    for library in LIBRARIES:
        digest.update(library_stamp(library).encode())
    for module in sorted(PACKAGE_DIR.rglob("*.py")):
        digest.update(module.relative_to(PACKAGE_DIR).as_posix().encode() + b"\0" + module.read_bytes())
    return digest.hexdigest()


def library_stamp(name: str) -> str:
    """Where a library is installed, and the size and time of its entry file: changed by any upgrade
    or reinstall, and found without importing it (asking the package metadata for versions cost
    a fifth of a small site's build)."""
    spec = importlib.util.find_spec(name)
    origin = spec.origin if spec is not None else None
    try:
        stat = os.stat(origin) if origin else None
    except OSError:
        stat = None
    return f"{name} {origin} {stat.st_size} {stat.st_mtime_ns}\n" if stat else f"{name} -\n"


class DiskCache:
    """One site's folder, ``<cache>/sources/<site digest>/``: its packs of parsed sources and their
    index, the last deduplication, and the digests of the pages last written."""

    def __init__(self, cache: CacheFolder, folder: Path) -> None:
        self.cache = cache
        self.folder = folder
        self.fingerprint = code_fingerprint()
        self.index: dict[str, Location] = _read_index(folder / INDEX)

    @classmethod
    def open(cls, cache: CacheFolder | None, seeds_dir: Path) -> DiskCache | None:
        """The site's cache, or None without a cache or where its folder cannot be used (the
        cache's warnings say why)."""
        site = hashlib.sha256(os.path.realpath(seeds_dir).encode()).hexdigest()[:16]
        folder = cache.folder("sources", site) if cache is not None else None
        if folder is None:
            return None
        _forget_unused_sites(folder)
        return cls(cache, folder) if os.access(folder, os.W_OK) else None  # type: ignore[arg-type]

    def key(self, shown_path: str, data: bytes) -> str:
        """The key of a source with these bytes, shown under this name, parsed by this generator."""
        header = f"{self.fingerprint}\0{shown_path}\0".encode()
        return hashlib.sha256(header + data).hexdigest()

    def load(self, key: str) -> bytes | None:
        """The entry stored under ``key``; None when there is none, it cannot be read whole or
        this cache did not write it."""
        if key not in self.index:
            return None
        pack, offset, length = self.index[key]
        try:
            with open(self.folder / pack, "rb") as stream:
                stream.seek(offset)
                blob = stream.read(length)
        except OSError:
            return None
        return self.cache.unseal(key.encode(), blob) if len(blob) == length else None

    def new_pack(self) -> PackWriter:
        """A pack to add this build's freshly parsed sources to, one at a time, as they come."""
        return PackWriter(self.folder, self.cache)

    def update(self, written: dict[str, Location], used: set[str]) -> None:
        """List the entries just ``written`` and the kept ones still ``used``; drop the rest."""
        with contextlib.suppress(OSError):
            kept = {key: self.index[key] for key in sorted(used) if key in self.index and key not in written}
            if _wasted(self.folder, kept):
                kept = self._compacted(kept)
            self.index = kept | written
            replace_file(self.folder / INDEX, json.dumps(self.index, sort_keys=True).encode())
            self._remove_unlisted()

    def _compacted(self, kept: dict[str, Location]) -> dict[str, Location]:
        """The kept entries copied into a new pack of their own (the old packs are then unlisted)."""
        pack = self.new_pack()
        for key in kept:
            if (blob := self.load(key)) is not None:
                pack.add(key, blob)
        return pack.finish()

    def sources_digest(self, keys: list[str]) -> str:
        """A digest of every source, in order, by their keys; "" when one of them has no key."""
        return hashlib.sha256("\0".join(keys).encode()).hexdigest() if all(keys) else ""

    def load_result(self, digest: str) -> object | None:
        """What :meth:`save_result` kept for sources with this digest (else None)."""
        try:
            record = self.cache.unseal(DEDUPE.encode(), (self.folder / DEDUPE).read_bytes())
            kept_digest, state = pickle.loads(record) if record is not None else (None, None)
        except Exception:  # missing or damaged: any error reading or unpickling it
            return None
        return state if kept_digest == digest else None

    def save_result(self, digest: str, state: object) -> None:
        """Keep a stage's result for the next build with the same sources (a failed write is skipped)."""
        record = pickle.dumps((digest, state), protocol=pickle.HIGHEST_PROTOCOL)
        with contextlib.suppress(OSError):
            replace_file(self.folder / DEDUPE, self.cache.seal(DEDUPE.encode(), record))

    def load_pages(self, out_dir: Path) -> PageCache:
        """The digests and files of the pages last written to ``out_dir`` by this generator (else none)."""
        try:
            kept = json.loads((self.folder / PAGES).read_bytes())
            if kept["output"] != os.path.realpath(out_dir) or kept["generator"] != self.fingerprint:
                return {}
            return {
                str(job): (str(digest), {str(name): (int(size), int(time)) for name, (size, time) in files.items()})
                for job, (digest, files) in kept["pages"].items()
            }
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return {}

    def save_pages(self, out_dir: Path, pages: PageCache) -> None:
        """Keep the pages just written to ``out_dir`` for the next build (a failed write is skipped)."""
        kept = {"output": os.path.realpath(out_dir), "generator": self.fingerprint, "pages": pages}
        with contextlib.suppress(OSError):
            replace_file(self.folder / PAGES, json.dumps(kept, sort_keys=True).encode())

    def _remove_unlisted(self) -> None:
        """Delete packs the index no longer points into, and left-over temporary files."""
        listed = {pack for pack, _, _ in self.index.values()} | {INDEX, PAGES, DEDUPE}
        for path in self.folder.iterdir():
            if path.name not in listed:
                with contextlib.suppress(OSError):
                    path.unlink()


UNUSED_DAYS = 30  # a site's folder not written by any build for this long is removed
SITE_FOLDER = re.compile(r"[0-9a-f]{16}")


def _forget_unused_sites(current: Path) -> None:
    """Remove the folders of sites (seeds folders) that no build has written to for
    :data:`UNUSED_DAYS` (every build replaces its site's index, which touches the folder): a
    seeds folder built once and then moved or deleted would otherwise keep its parsed sources,
    a few hundred megabytes for a large site, for ever.  Only folders named as this cache names
    them are looked at; what cannot be removed is left."""
    too_old = time.time() - UNUSED_DAYS * 86_400
    with contextlib.suppress(OSError), os.scandir(current.parent) as entries:
        for entry in entries:
            if entry.path == os.fspath(current) or not SITE_FOLDER.fullmatch(entry.name):
                continue
            with contextlib.suppress(OSError):
                if entry.is_dir(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_mtime < too_old:
                    shutil.rmtree(entry.path, ignore_errors=True)


class PackWriter:
    """A new pack file, written as entries are added (each sealed with the cache's key);
    :meth:`finish` names it (atomically) and gives where each entry lies.  Nothing is held in
    memory but the locations."""

    def __init__(self, folder: Path, cache: CacheFolder) -> None:
        self.cache = cache
        self.locations: dict[str, tuple[int, int]] = {}
        self.size = 0
        self.failed = False
        self.stream: BinaryIO | None = None
        try:
            handle, self.temporary = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
            self.stream = os.fdopen(handle, "wb")
        except OSError:
            self.failed = True

    def add(self, key: str, blob: bytes) -> None:
        """Append an entry; after a failed write the pack is given up (:meth:`finish` lists nothing)."""
        if self.failed or self.stream is None:
            return
        blob = self.cache.seal(key.encode(), blob)
        try:
            self.stream.write(blob)
        except OSError:
            self.failed = True
            return
        self.locations[key] = (self.size, len(blob))
        self.size += len(blob)

    def finish(self) -> dict[str, Location]:
        """Close the pack and give its entries' locations; an empty or failed pack is deleted."""
        if self.stream is None:
            return {}
        with contextlib.suppress(OSError):
            self.stream.close()
            if self.locations and not self.failed:
                name = PACK_PREFIX + Path(self.temporary).stem[1:]
                os.replace(self.temporary, Path(self.temporary).with_name(name))
                return {key: (name, offset, length) for key, (offset, length) in self.locations.items()}
            os.unlink(self.temporary)
        return {}


def _read_index(path: Path) -> dict[str, Location]:
    """The index, or an empty one when it is missing or damaged."""
    try:
        entries = json.loads(path.read_bytes())
        return {str(key): (str(pack), int(offset), int(length)) for key, (pack, offset, length) in entries.items()}
    except (OSError, ValueError, TypeError, AttributeError):
        return {}


def _wasted(folder: Path, kept: dict[str, Location]) -> bool:
    """Do the packs the kept entries lie in hold mostly entries no longer used?"""
    packs = {pack for pack, _, _ in kept.values()}
    stored = sum((folder / pack).stat().st_size for pack in packs)
    return stored > COMPACT_WHEN * sum(length for _, _, length in kept.values())
