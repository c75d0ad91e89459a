"""Words and sampled word 3-grams of many texts as NumPy arrays: every word hashed at once
(:func:`word_hashes`, the same hash as :func:`generator.dedupe.blocking_keys.word_hash`), and the
grams of each text sampled by the blocking rule, as 64-bit keys.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from generator.dedupe.blocking_keys import (
    DENSE_EVERY,
    DENSE_UNTIL,
    HASH_BASE,
    LEADING_GRAMS,
    LENGTH_STEP,
    MIX_MULTIPLIERS,
    MIX_SHIFTS,
    SAMPLE_EVERY,
    SPACELESS,
    VARIANT_BASE,
    VARIANT_DELETIONS_UP_TO,
    VARIANT_EDGE,
    word_hash,
)


@dataclass
class HashedTexts:
    """Many texts as one array of word hashes (see :func:`word_hashes`) and each text's word count."""

    words: np.ndarray
    lengths: np.ndarray

    @classmethod
    def of(cls, texts: Sequence[str]) -> HashedTexts:
        """Hash comparison keys (lowercase words separated by single spaces), all in one pass."""
        lengths = np.fromiter((text.count(" ") + 1 if text else 0 for text in texts), dtype=np.int64, count=len(texts))
        return cls(word_hashes(" ".join(text for text in texts if text)), lengths)


def word_hashes(text: str) -> np.ndarray:
    """:func:`~generator.dedupe.blocking_keys.word_hash` of each word of a comparison key (words separated by
    single spaces), all at once: the polynomial of a word is the difference of two running sums
    of the text's bytes, divided by a power of the base (a multiplication: the base is odd)."""
    data = text.encode()
    if not data:
        return np.zeros(0, dtype=np.uint32)
    return np.concatenate([_piece_hashes(piece) for piece in _pieces(data)])


PIECE_BYTES = 1 << 16  # a long text is hashed in pieces of about this size, cut between words


SPACE = ord(" ")


def _pieces(data: bytes) -> Iterator[bytes]:
    start = 0
    while (cut := data.find(b" ", start + PIECE_BYTES)) >= 0:
        yield data[start:cut]
        start = cut + 1
    yield data[start:]


def _piece_hashes(piece: bytes) -> np.ndarray:
    powers, inverse_powers = _power_tables()
    if len(piece) > len(powers):  # a piece holding a giant word: hashed word by word
        return np.array([word_hash(word) for word in piece.decode().split(" ")], dtype=np.uint32)
    codes = np.frombuffer(piece, dtype=np.uint8)
    running = np.zeros(len(codes) + 1, dtype=np.uint64)  # running[k]: the sum of the first k terms
    np.multiply(codes.astype(np.uint64), powers[: len(codes)], out=running[1:])  # one type: NumPy's fast loop
    np.cumsum(running[1:], out=running[1:])
    spaces = np.flatnonzero(codes == SPACE)
    starts = np.concatenate(([0], spaces + 1))
    ends = np.concatenate((spaces, [len(codes)]))
    return _mixed((running[ends] - running[starts]) * inverse_powers[starts])


@functools.cache
def _power_tables() -> tuple[np.ndarray, np.ndarray]:
    """Powers 0, 1, 2… of the hash base and of its inverse modulo 2**64 (NumPy's integers wrap)."""
    count = 4 * PIECE_BYTES
    return _powers(HASH_BASE, count), _powers(pow(HASH_BASE, -1, 1 << 64), count)


def _powers(base: int, count: int) -> np.ndarray:
    factors = np.full(count, base, dtype=np.uint64)
    factors[0] = 1
    return np.cumprod(factors, dtype=np.uint64)


def _mixed(values: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser of each value (see :func:`~generator.dedupe.blocking_keys.mix64`), top 32 bits."""
    for shift, multiplier in zip(MIX_SHIFTS, MIX_MULTIPLIERS, strict=False):
        values ^= values >> np.uint64(shift)
        values *= np.uint64(multiplier)
    values ^= values >> np.uint64(MIX_SHIFTS[-1])
    return (values >> np.uint64(32)).astype(np.uint32)


@dataclass
class _Grams:
    """Word 3-grams of many texts: the ids of their three words and the text each belongs to."""

    owners: np.ndarray
    first: np.ndarray
    middle: np.ndarray
    last: np.ndarray


def sampled_grams(texts: HashedTexts, sampled: bool) -> _Grams:
    """All 3-grams of ``texts``; with ``sampled``, only the blocking sample of them."""
    words, lengths = texts.words, texts.lengths
    positions = np.arange(len(words), dtype=np.int32) - np.repeat(
        (np.cumsum(lengths) - lengths).astype(np.int32), lengths
    )
    keep = positions < np.repeat(lengths.astype(np.int32) - 2, lengths)  # a gram needs two more words of its text
    if sampled:
        keep &= _sample_mask(words, positions)
    del positions
    index = np.flatnonzero(keep)
    del keep
    owners = np.repeat(np.arange(len(lengths), dtype=np.int32), lengths)[index]
    return _Grams(owners, words[index], words[index + 1], words[index + 2])


def _sample_mask(words: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """Which grams (by their first word's place) the blocking sample keeps: the leading ones, then
    those whose middle word's hash falls in the sampled part (a third, then an eighth)."""
    middle = np.zeros_like(words)
    middle[:-1] = words[1:]
    return (
        (positions < LEADING_GRAMS)
        | ((positions < DENSE_UNTIL) & (middle % DENSE_EVERY == 0))
        | ((positions >= DENSE_UNTIL) & (middle % SAMPLE_EVERY == 0))
    )


def gram_keys(grams: _Grams, kind: int) -> np.ndarray:
    """One 64-bit key per gram, equal for equal grams of the same ``kind`` (0: abstract, 1: title)."""
    first_two = (grams.first.astype(np.uint64) << np.uint64(32)) | grams.middle.astype(np.uint64)
    last = grams.last.astype(np.uint64) * np.uint64(2) + np.uint64(kind)
    mixed = first_two * np.uint64(0x9E3779B97F4A7C15) ^ last * np.uint64(0xC2B2AE3D27D4EB4F)
    return mixed.view(np.int64)


@dataclass
class VariantRows:
    """Title variants of many titles (see :func:`~generator.dedupe.blocking_keys.title_variants`):
    each row's title (by its place) and key, and each title's id (its whole-title key; 0 for none)."""

    owners: np.ndarray
    keys: np.ndarray
    title_ids: np.ndarray


def title_variant_rows(titles: Sequence[str]) -> VariantRows:
    """:func:`~generator.dedupe.blocking_keys.title_variants` of every title, computed at once from
    running sums of the words' hashes times powers of the base (a sequence's polynomial is the
    difference of two running sums, moved to its first word by an inverse power)."""
    texts = HashedTexts.of(titles)
    lengths = texts.lengths
    count = int(lengths.sum())
    starts = np.cumsum(lengths) - lengths
    powers, inverse = _variant_powers(count + 1)
    running = np.zeros(count + 1, dtype=np.uint64)
    np.multiply(texts.words.astype(np.uint64), powers[:count], out=running[1:])
    np.cumsum(running[1:], out=running[1:])
    titled = np.flatnonzero(lengths > 0)
    ids = np.zeros(len(titles), dtype=np.int64)
    ids[titled] = _keyed(running, inverse, starts[titled], starts[titled] + lengths[titled])
    parts = [(titled, ids[titled]), (titled, _spaceless_keys(titles, titled))]
    edged = np.flatnonzero(lengths > VARIANT_EDGE)
    ends = starts[edged] + lengths[edged]
    parts.append((edged, _keyed(running, inverse, starts[edged], starts[edged] + VARIANT_EDGE)))
    parts.append((edged, _keyed(running, inverse, ends - VARIANT_EDGE, ends)))
    parts.append(_deletion_keys(running, inverse, starts, lengths))
    owners = np.concatenate([owner for owner, _ in parts]).astype(np.int32)
    return VariantRows(owners, np.concatenate([keys for _, keys in parts]), ids)


def _keyed(running: np.ndarray, inverse: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The keys of the word sequences from ``starts`` to ``ends`` (global word places)."""
    return _sequence_keys((running[ends] - running[starts]) * inverse[starts], ends - starts)


def _deletion_keys(
    running: np.ndarray, inverse: np.ndarray, starts: np.ndarray, lengths: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each short title's keys with one word left out: the words before it, and those after it
    moved down one place."""
    short = np.flatnonzero((lengths >= VARIANT_EDGE) & (lengths <= VARIANT_DELETIONS_UP_TO))
    owners = np.repeat(short, lengths[short])
    first = starts[owners]
    left_out = first + np.arange(len(owners)) - np.repeat(np.cumsum(lengths[short]) - lengths[short], lengths[short])
    ends = first + lengths[owners]
    polynomial = (running[left_out] - running[first]) * inverse[first] + (
        running[ends] - running[left_out + 1]
    ) * inverse[first + 1]
    return owners, _sequence_keys(polynomial, lengths[owners] - 1)


def _sequence_keys(polynomials: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """:func:`~generator.dedupe.blocking_keys.sequence_key` from the polynomials and lengths."""
    return _mixed64(polynomials + lengths.astype(np.uint64) * np.uint64(LENGTH_STEP)).view(np.int64)


def _spaceless_keys(titles: Sequence[str], titled: np.ndarray) -> np.ndarray:
    joined = " ".join(titles[index].replace(" ", "") for index in titled.tolist())
    hashes = word_hashes(joined).astype(np.uint64) if len(titled) else np.zeros(0, dtype=np.uint64)
    return _mixed64(hashes ^ np.uint64(SPACELESS)).view(np.int64)


@functools.cache
def _variant_power_table() -> tuple[np.ndarray, np.ndarray]:
    return _powers(VARIANT_BASE, 1 << 16), _powers(pow(VARIANT_BASE, -1, 1 << 64), 1 << 16)


def _variant_powers(count: int) -> tuple[np.ndarray, np.ndarray]:
    """Powers 0 … ``count`` − 1 of the variant base and of its inverse modulo 2**64."""
    powers, inverse = _variant_power_table()
    if count > len(powers):
        return _powers(VARIANT_BASE, count), _powers(pow(VARIANT_BASE, -1, 1 << 64), count)
    return powers[:count], inverse[:count]


def _mixed64(values: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser of each value, all 64 bits (a copy)."""
    values = values.copy()
    for shift, multiplier in zip(MIX_SHIFTS, MIX_MULTIPLIERS, strict=False):
        values ^= values >> np.uint64(shift)
        values *= np.uint64(multiplier)
    values ^= values >> np.uint64(MIX_SHIFTS[-1])
    return values
