"""How well an item's grades and subjects fit the grades and subjects a question targets."""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable
from functools import lru_cache

from bot.domain.vocabulary import GRADES, broad_subjects

Fit = Callable[[Collection[str], Collection[str]], float]


def _once_per_pair(fit: Fit) -> Fit:
    """``fit`` worked out once per distinct (target, item) pair when both are hashable (tuples, frozensets):
    a question's candidates share few distinct grade and subject lists."""
    cached = lru_cache(maxsize=65_536)(fit)

    def pair_fit(target: Collection[str], item: Collection[str]) -> float:
        if isinstance(target, Hashable) and isinstance(item, Hashable):
            return cached(target, item)
        return fit(target, item)

    pair_fit.__doc__ = fit.__doc__
    return pair_fit


@_once_per_pair
def grade_fit(target: Collection[str], item: Collection[str]) -> float:
    """1 when they share a grade, 0 when either side is unknown, down to -1 when far apart."""
    if not target or not item:
        return 0.0
    if set(target) & set(item):
        return 1.0
    distance = min(
        abs(GRADES.index(a) - GRADES.index(b)) for a in target for b in item if a in GRADES and b in GRADES
    )
    return -min(1.0, distance / 3)


@_once_per_pair
def subject_fit(target: Collection[str], item: Collection[str]) -> float:
    """1 when they share a broad subject (chemistry fits science), 0 when either is unknown, -1 otherwise."""
    if not target or not item:
        return 0.0
    return 1.0 if broad_subjects(target) & broad_subjects(item) else -1.0
