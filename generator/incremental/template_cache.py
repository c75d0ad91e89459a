"""Compiled templates kept between builds, in the cache folder, each file sealed by its key."""

from __future__ import annotations

import hashlib
from contextlib import suppress
from pathlib import Path

import jinja2

from generator.incremental.cache_folder import CacheFolder, replace_file
from generator.render.environment import ENVIRONMENT_OPTIONS


def template_cache(cache: CacheFolder | None) -> jinja2.BytecodeCache | None:
    """Compiled templates kept between builds (compiling them is a fifth of a small build).

    Jinja keys each entry by template path and a checksum of its source; the file names also
    carry a digest of this environment's options and the Jinja version, so a template compiled
    with other settings is never loaded.  An unusable folder just means no cache.
    """
    folder = cache.folder("templates") if cache is not None else None
    if folder is None:
        return None
    settings = repr(sorted((key, repr(value)) for key, value in ENVIRONMENT_OPTIONS.items())) + jinja2.__version__
    namespace = hashlib.sha256(settings.encode()).hexdigest()[:16]
    return _SealedBytecodeCache(cache, folder, f"{namespace}-%s.cache")  # type: ignore[arg-type]


class _SealedBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates, each file sealed by the cache's key (:class:`CacheFolder`): a file this
    cache did not write is never unmarshalled.  An unreadable, damaged or foreign entry is a miss,
    a failed write is skipped."""

    def __init__(self, cache: CacheFolder, folder: Path, pattern: str) -> None:
        self.cache, self.folder, self.pattern = cache, folder, pattern

    def _path(self, bucket: jinja2.bccache.Bucket) -> Path:
        return self.folder / (self.pattern % bucket.key)

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            data = self.cache.unseal(bucket.key.encode(), self._path(bucket).read_bytes())
            if data is not None:
                bucket.bytecode_from_string(data)
        except Exception:  # a miss: any error reading or loading it
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with suppress(OSError):
            replace_file(self._path(bucket), self.cache.seal(bucket.key.encode(), bucket.bytecode_to_string()))
