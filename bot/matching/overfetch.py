"""Fetch enough nearest neighbours that re-ranking by fit cannot miss a better item further down.

The rankers add grade/subject/interest fit to the cosine similarity, so an item just outside the fetched
candidates could outrank the last one shown. Every item not fetched has a similarity at most the last
fetched one's, and fit can add at most ``max_bonus``: once ``last similarity + max_bonus`` is below
the score of the ``limit``-th pick, no unseen item can displace it — the picks equal those of an exhaustive
search. Likewise once ``last similarity + max_relevance`` is below the relevance ``floor``, nothing unseen
can be shown: the floor applies to relevance, which fit does not raise, so only what relevance can add to
a similarity (``max_relevance``, tag and word matches; ``max_bonus`` when not given) counts there.
Otherwise fetch four times more, up to ``max_pool``. Usually the first fetch is enough.

A widened fetch is ranked only as far down as an item could still matter: an item's score does not depend
on the other candidates (the same assumption as the stop rule), so the ``limit``-th pick's score only rises
as candidates are added, and once ``similarity + max_bonus`` falls below the ``limit``-th pick's score so far
(or ``similarity + max_relevance`` below the floor), that item and every one after it (hits come best
first) can be left unloaded and unranked: the same picks, for far fewer candidates.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Protocol, TypeVar

Hit = tuple[int, float]
T = TypeVar("T")


class Scored(Protocol):
    @property
    def score(self) -> float: ...


M = TypeVar("M", bound=Scored)


def rank_with_overfetch(
    search: Callable[[int], Sequence[Hit]],
    load: Callable[[list[int]], Mapping[int, T]],
    rank: Callable[[list[Hit], Mapping[int, T]], list[M]],
    *,
    pool: int,
    max_pool: int,
    limit: int,
    max_bonus: float,
    floor: float = float("-inf"),
    max_relevance: float | None = None,
) -> tuple[list[Hit], dict[int, T], list[M]]:
    """(hits, loaded items, ranked picks); ``load`` is called only for ids not loaded before."""
    k = max(pool, limit)
    # below this similarity even the most tag and word matches cannot lift an item over the floor
    floor_least = floor - (max_bonus if max_relevance is None else max_relevance)
    items: dict[int, T] = {}
    ranked: list[M] = []
    while True:
        hits = list(search(k))
        least = _least_that_matters(ranked, limit, max_bonus, floor_least)
        cut = next((n for n, (_, similarity) in enumerate(hits) if similarity < least), len(hits))
        proven = cut < len(hits)  # the first item past the cut cannot win: neither can any after it
        hits = hits[:cut]
        items.update(load([i for i, _ in hits if i not in items]))
        ranked = rank(hits, items)
        if proven or len(hits) < k or k >= max_pool or not hits:
            return hits, items, ranked
        # nothing further down can displace the picks, nor clear the relevance floor
        if hits[-1][1] < _least_that_matters(ranked, limit, max_bonus, floor_least):
            return hits, items, ranked
        k = min(max_pool, k * 4)


def _least_that_matters(ranked: Sequence[Scored], limit: int, max_bonus: float, floor_least: float) -> float:
    """The similarity an item needs to still matter: with the most fit can add, to reach the ``limit``-th
    pick's score (once there are ``limit`` picks); and ``floor_least``, to clear the relevance floor."""
    if len(ranked) < limit:
        return floor_least
    return max(floor_least, ranked[limit - 1].score - max_bonus)


def searched_once(search: Callable[[int], Sequence[Hit]], max_k: int) -> Callable[[int], Sequence[Hit]]:
    """``search`` run once for ``max_k`` hits; each call takes the first ``k`` of them.

    The widening loop above would search again for every step; the nearest ``k`` are a prefix of the
    nearest ``max_k``, and one search for more costs about what one for fewer does."""
    found: list[Sequence[Hit]] = []

    def first(k: int) -> Sequence[Hit]:
        if not found:
            found.append(search(max_k))
        return found[0][: min(k, max_k)]

    return first
