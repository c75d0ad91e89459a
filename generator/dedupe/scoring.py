"""Judging candidate pairs: the similarities every decision looks at, computed for many pairs at
once by rapidfuzz (in C++ threads, outside the interpreter lock, while this thread decides the
pairs of the batch before), then each pair decided by :func:`generator.dedupe.rules.decide`.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from itertools import chain
from typing import TYPE_CHECKING, TypeAlias

from rapidfuzz import fuzz, process

from generator.dedupe.rules import decide
from generator.dedupe.signatures import Signature
from generator.executor import chunks
from generator.model import PairDecision

if TYPE_CHECKING:
    pass


PAIRWISE_FROM = 6_000  # texts compared (three per pair); fewer are scored one call each, without loading NumPy


SCORE_BATCH = 2_000  # candidate pairs scored at once (a thread scores the next batches while pairs are decided)


def judge_all(signatures: list[Signature], pairs: list[tuple[int, int]]) -> dict[tuple[int, int], PairDecision]:
    """Judge every candidate pair.  The similarities are computed in batches by rapidfuzz's
    pairwise scorer, in C++ threads outside the interpreter lock, while this thread decides the
    pairs of the batch before: both cores work without a forked worker (no memory pages copied,
    no decisions sent back through a pipe)."""
    batches = [pairs[part.start : part.stop] for part in chunks(len(pairs), SCORE_BATCH)]
    with ThreadPoolExecutor(1) as scorer:
        decided = [_decide_all(signatures, *scored) for scored in _scored_ahead(signatures, batches, scorer)]
    return dict(zip(pairs, chain.from_iterable(decided), strict=True))


Batch: TypeAlias = "list[tuple[int, int]]"


def _scored_ahead(
    signatures: list[Signature], batches: list[Batch], scorer: ThreadPoolExecutor
) -> Iterator[tuple[Batch, list[dict[str, float]]]]:
    """Each batch with its :func:`pair_scores`; the ``scorer`` computes the next batch's similarities
    while the caller works on this one (only the C++ scoring runs there: Python work in two
    threads would take turns)."""
    ahead: tuple[Batch, Future[Ratios]] | None = None
    for batch in batches:
        computing = scorer.submit(_ratios, *_compared_texts(signatures, batch))
        if ahead is not None:
            yield ahead[0], _scores(signatures, ahead[0], ahead[1].result())
        ahead = batch, computing
    if ahead is not None:
        yield ahead[0], _scores(signatures, ahead[0], ahead[1].result())


def _decide_all(
    signatures: list[Signature], pairs: list[tuple[int, int]], scores: list[dict[str, float]]
) -> list[PairDecision]:
    return [decide(signatures[i], signatures[j], each) for (i, j), each in zip(pairs, scores, strict=True)]


def pair_scores(signatures: list[Signature], pairs: list[tuple[int, int]]) -> list[dict[str, float]]:
    """The cheap similarities every decision looks at, of each pair: titles, abstracts, and the
    shorter abstract against the start of the longer.  ``token_set`` (word sets, five times
    dearer) is added by :func:`_abstract_verdict` only for the pairs whose decision needs it."""
    return _scores(signatures, pairs, _ratios(*_compared_texts(signatures, pairs)))


Ratios: TypeAlias = "list[float]"  # the pairs' title ratios, then their abstract ratios, then their prefix ratios


def _compared_texts(signatures: list[Signature], pairs: list[tuple[int, int]]) -> tuple[list[str], list[str]]:
    """What :func:`_ratios` compares, as two lists: each pair's titles, its shorter and longer
    abstract, its shorter abstract and the start of the longer one."""
    texts = [sorted((signatures[i].abstract_key, signatures[j].abstract_key), key=len) for i, j in pairs]
    shorts = [short for short, _ in texts]
    return (
        [signatures[i].title_key for i, _ in pairs] + shorts + shorts,
        [signatures[j].title_key for _, j in pairs]
        + [long for _, long in texts]
        + [long[: len(short)] for short, long in texts],
    )


def _scores(signatures: list[Signature], pairs: list[tuple[int, int]], ratios: Ratios) -> list[dict[str, float]]:
    lefts, rights, count = [signatures[i] for i, _ in pairs], [signatures[j] for _, j in pairs], len(pairs)
    return list(map(_scores_of, lefts, rights, ratios[:count], ratios[count : 2 * count], ratios[2 * count :]))


def _ratios(texts: list[str], others: list[str]) -> list[float]:
    """``fuzz.ratio`` of each text with its other; many at once by rapidfuzz's pairwise scorer (the
    same function, called from C++; it needs NumPy, which a small site need not load).  With more
    than one worker thread it releases the interpreter lock, also on one core."""
    if len(texts) < PAIRWISE_FROM:
        return list(map(fuzz.ratio, texts, others))
    numpy = importlib.import_module("numpy")
    workers = max(2, os.cpu_count() or 1)
    return process.cpdist(texts, others, scorer=fuzz.ratio, dtype=numpy.float64, workers=workers).tolist()


def _scores_of(left: Signature, right: Signature, title: float, abstract: float, prefix: float) -> dict[str, float]:
    """The scores that apply (both texts given), rounded by Python's ``round`` (NumPy rounds some
    halves the other way)."""
    scores: dict[str, float] = {}
    if left.title_key and right.title_key:
        scores["title"] = round(title, 1)
    if left.abstract_key and right.abstract_key:
        scores["abstract"] = round(abstract, 1)
        scores["prefix"] = round(prefix, 1)  # of equal lengths, the whole abstract: the same score
    return scores
