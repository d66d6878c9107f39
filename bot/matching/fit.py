"""How well an item's grades and subjects fit the grades and subjects a question targets."""

from __future__ import annotations

from collections.abc import Collection, Hashable
from functools import lru_cache

from bot.domain.vocabulary import GRADES, broad_subjects


def grade_fit(target: Collection[str], item: Collection[str]) -> float:
    """1 when they share a grade, 0 when either side is unknown, down to -1 when far apart."""
    if isinstance(target, Hashable) and isinstance(item, Hashable):  # few distinct pairs: each once
        return _grade_fit(target, item)
    return _grade_fit_of(target, item)


@lru_cache(maxsize=65_536)
def _grade_fit(target: Collection[str], item: Collection[str]) -> float:
    return _grade_fit_of(target, item)


def _grade_fit_of(target: Collection[str], item: Collection[str]) -> float:
    if not target or not item:
        return 0.0
    if set(target) & set(item):
        return 1.0
    distance = min(
        abs(GRADES.index(a) - GRADES.index(b)) for a in target for b in item if a in GRADES and b in GRADES
    )
    return -min(1.0, distance / 3)


def subject_fit(target: Collection[str], item: Collection[str]) -> float:
    """1 when they share a broad subject (chemistry fits science), 0 when either is unknown, -1 otherwise."""
    if isinstance(target, Hashable) and isinstance(item, Hashable):
        return _subject_fit(target, item)
    return _subject_fit_of(target, item)


@lru_cache(maxsize=65_536)
def _subject_fit(target: Collection[str], item: Collection[str]) -> float:
    return _subject_fit_of(target, item)


def _subject_fit_of(target: Collection[str], item: Collection[str]) -> float:
    if not target or not item:
        return 0.0
    return 1.0 if broad_subjects(target) & broad_subjects(item) else -1.0
