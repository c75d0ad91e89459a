"""Reading: every catalogued source parsed, on every core, in workers that also compute what dedupe
needs of the entries (signature and blocking keys), so that work is spread over the cores too.

The incremental layer may offer two shortcuts (:func:`read_sources`): a source read before whose
file is unchanged (the dev server keeps them in memory), and a store of parsed sources by content
(the disk cache).  Without them, every source is parsed.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from generator.dedupe.signatures import Prepared, gram_arrays, prepare_each
from generator.errors import BuildError, Problem
from generator.executor import LOCAL, Executor, chunks
from generator.files import not_regular_problem, unreadable_problem
from generator.model import SourceDoc
from generator.sources.catalog import Catalog
from generator.sources.formats import SOURCE_SUFFIXES, parse_source, source_bytes

PARALLEL_FILES = 64  # below this many files to parse, a process pool costs more than it saves
GROUP_FILES = 16  # files read as one task: the blocking keys of their entries are computed together


@dataclass
class ParsedSource:
    """One parsed source file, with what dedupe prepared from its entries in the same worker."""

    fingerprint: tuple[int, int]  # modification time and size when it was parsed
    doc: SourceDoc
    prepared: Prepared
    key: str = ""  # its key in the persistent cache ("" when not kept there)


@dataclass
class Reading:
    """What a build read: the sources in catalogue order, the problems of files skipped with
    ``--keep-going``, and which files were parsed or loaded from the persistent cache (the
    others were kept in memory by the dev server)."""

    sources: list[ParsedSource]
    skipped: list[Problem]
    parsed: list[str]
    loaded: list[str]


class _Outcome(NamedTuple):
    """A worker's answer for one file: the parsed source (pickled when it goes to or came from the
    persistent cache) or the file's problems; its cache key; whether it was loaded."""

    result: tuple[SourceDoc, Prepared] | bytes | list[Problem]
    key: str = ""
    loaded: bool = False


FileStatus = tuple[int, int]  # a file's modification time and size
Remembered = Callable[[str, FileStatus], "ParsedSource | None"]  # a source read before, if still valid


class SourceStore(Protocol):
    """Parsed sources kept by content between builds: what the reading stage asks of the
    incremental layer's disk cache.  A source is stored pickled, under a key made of its bytes."""

    def key(self, shown_path: str, data: bytes) -> str: ...

    def load(self, key: str) -> bytes | None: ...

    def new_pack(self) -> Any: ...  # add(key, blob) each source parsed now; finish() → where they lie

    def update(self, written: Any, used: set[str]) -> None: ...


def read_sources(
    seeds_dir: Path,
    catalog: Catalog,
    max_bytes: int,
    keep_going: bool = False,
    executor: Executor = LOCAL,
    remembered: Remembered | None = None,
    store: SourceStore | None = None,
) -> Reading:
    """Read every catalogued source, on every core (:data:`GROUP_FILES` files a task).

    Every file's problems are reported together; with ``keep_going`` a bad file is skipped and
    its problems become warnings (an entry a file could not read: only that entry is skipped).  The incremental layer may offer sources read before
    (``remembered``, while their files are unchanged) and a ``store`` of parsed sources by content;
    the store keeps the sources that parsed, and only them.
    """
    statuses, problems = _fingerprints(seeds_dir, catalog.files)
    sources: dict[str, ParsedSource] = {}
    for name, status in statuses.items():
        if remembered is not None and (source := remembered(name, status)) is not None:
            sources[name] = source
    stale = [name for name in statuses if name not in sources]
    outcomes, written = read_many([(seeds_dir / name, name) for name in stale], max_bytes, executor, store)
    for name, outcome in zip(stale, outcomes, strict=True):
        if isinstance(outcome.result, list):
            problems += outcome.result
        else:
            doc, prepared = outcome.result  # type: ignore[misc]
            sources[name] = ParsedSource(statuses[name], doc, prepared, key=outcome.key)
    read = [sources[name] for name in catalog.files if name in sources]
    if store is not None:  # also when other files fail: the sources that did parse are kept
        store.update(written, {source.key for source in read})
    problems += [error for source in read for error in source.doc.errors]  # entries left out of a file
    if problems and not keep_going:
        raise BuildError(problems)
    loaded = [name for name, outcome in zip(stale, outcomes, strict=True) if outcome.loaded]
    skipped = [Problem(p.path, p.line, f"skipped (--keep-going): {p.message}", p.hint) for p in problems]
    return Reading(read, skipped, [name for name in stale if name in sources and name not in loaded], loaded)


def _fingerprints(seeds_dir: Path, names: list[str]) -> tuple[dict[str, tuple[int, int]], list[Problem]]:
    """Modification time and size of each file; a problem for each file that cannot be read or is
    not a regular file (a named pipe would never end)."""
    fingerprints, problems, folder = {}, [], os.fspath(seeds_dir)
    for name in names:
        try:
            stat = os.stat(os.path.join(folder, name))
        except OSError as error:
            problems.append(unreadable_problem(name, error))
            continue
        if (problem := not_regular_problem(name, stat.st_mode)) is not None:
            problems.append(problem)
        else:
            fingerprints[name] = (stat.st_mtime_ns, stat.st_size)
    return fingerprints, problems


def read_many(
    files: list[tuple[Path, str]], max_bytes: int, executor: Executor = LOCAL, store: SourceStore | None = None
) -> tuple[list[_Outcome], Any]:
    """Load or parse ``(path, shown path)`` files, in order: each a parsed source or its problems;
    and where the sources parsed now were written in the disk cache (one new pack, appended to as
    each arrives, so that they are never all held at once).  Many files are read on every core,
    :data:`GROUP_FILES` to a task.

    A cached entry that cannot be unpickled (damaged) is parsed again, and written again.
    """
    pack = store.new_pack() if store is not None else None
    parallel = len(files) >= PARALLEL_FILES
    state = (max_bytes, parallel, store)
    if parallel:
        gram_arrays()  # NumPy, imported once here, before the workers fork, not once in each
    groups = [
        files[part.start : part.stop] for part in chunks(len(files), GROUP_FILES if parallel else max(1, len(files)))
    ]
    outcomes = chain.from_iterable(executor.map(_read_group, state, groups, 2))
    read = [_unpickled(outcome, file, state, pack) for outcome, file in zip(outcomes, files, strict=True)]
    return read, pack.finish() if pack is not None else {}


ReadState = tuple[int, bool, "SourceStore | None"]  # size limit, prepare blocking grams?, the disk cache


def _unpickled(outcome: _Outcome, file: tuple[Path, str], state: ReadState, pack: Any) -> _Outcome:
    """The outcome with its source unpickled; a source parsed now goes into the ``pack``."""
    if not isinstance(outcome.result, bytes):
        return outcome
    try:
        doc, prepared = pickle.loads(outcome.result)
    except Exception:  # a damaged cache entry: any error unpickling it
        doc = prepared = None
    if not (isinstance(doc, SourceDoc) and isinstance(prepared, Prepared)):
        if not outcome.loaded:
            raise RuntimeError(f"{file[1]}: a source just parsed does not unpickle")
        return _unpickled(_read_group(state, [file], load=False)[0], file, state, pack)
    if pack is not None and not outcome.loaded:
        pack.add(outcome.key, outcome.result)
    return _Outcome((doc, prepared), outcome.key, outcome.loaded)


class _Parsed(NamedTuple):
    """A source parsed now, before what dedupe needs of its entries is prepared, and its cache key."""

    doc: SourceDoc
    key: str


def _read_group(state: ReadState, files: list[tuple[Path, str]], load: bool = True) -> list[_Outcome]:
    """:func:`_read_one` each file; what dedupe needs of the sources parsed now is prepared for all
    of them at once."""
    found = [_read_one(state, file, load) for file in files]
    parsed = [item for item in found if isinstance(item, _Parsed)]
    prepared = iter(prepare_each([item.doc.entries for item in parsed], with_grams=state[1]))
    return [_prepared(item, next(prepared)) if isinstance(item, _Parsed) else item for item in found]


def _read_one(state: ReadState, file: tuple[Path, str], load: bool = True) -> _Outcome | _Parsed:
    """Load a source from the disk cache (unless ``load`` is false: its entry was damaged), else
    parse it.  The bytes its key is made of are the bytes parsed: a file saved again meanwhile can
    never be kept under the key of its former text."""
    max_bytes, _, store = state
    data = _cacheable_bytes(file, max_bytes) if store is not None else None
    key = store.key(file[1], data) if store is not None and data is not None else ""
    if store is not None and key and load and (blob := store.load(key)) is not None:
        return _Outcome(blob, key, loaded=True)
    try:
        return _Parsed(parse_source(file[0], file[1], max_bytes, data), key)
    except BuildError as error:
        return _Outcome(error.problems)


def _prepared(parsed: _Parsed, prepared: Prepared) -> _Outcome:
    """A source parsed now, with what dedupe needs of it; with a cache key, pickled here, once: the
    same bytes go to the main process and into the disk cache."""
    result = parsed.doc, prepared
    if not parsed.key:
        return _Outcome(result)
    return _Outcome(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL), parsed.key)


def _cacheable_bytes(file: tuple[Path, str], max_bytes: int) -> bytes | None:
    """The file's bytes, if it is a source type that is read within the size limit (else parsing
    reports why, and nothing is cached)."""
    if file[0].suffix.lower() not in SOURCE_SUFFIXES:
        return None
    try:
        return source_bytes(file[0], file[1], max_bytes)
    except BuildError:
        return None
