"""Over-fetching until re-ranking by fit cannot change the picks: same top-k as an exhaustive search."""

from dataclasses import dataclass

import numpy as np

from bot.matching.overfetch import rank_with_overfetch


@dataclass(frozen=True)
class Pick:
    item: int
    score: float


def test_widens_until_no_unseen_item_can_win_and_matches_exhaustive_ranking():
    rng = np.random.default_rng(0)
    similarity = np.sort(rng.uniform(0.2, 0.8, 5_000))[::-1]  # item i has the i-th best similarity
    bonus = {i: 0.2 for i in range(5_000) if i % 97 == 0}  # a few items fit the target perfectly
    searched: list[int] = []
    loaded: list[int] = []

    def search(k):
        searched.append(k)
        return [(i, float(similarity[i])) for i in range(min(k, 5_000))]

    def load(ids):
        loaded.extend(ids)
        return {i: i for i in ids}

    def rank(hits, items):
        scored = sorted((s + bonus.get(i, 0.0), i) for i, s in hits if i in items)[::-1]
        return [Pick(i, s) for s, i in scored[:3]]

    hits, _items, picks = rank_with_overfetch(
        search, load, rank, pool=50, max_pool=5_000, limit=3, max_bonus=0.2
    )
    exhaustive = rank(
        [(i, float(similarity[i])) for i in range(5_000)],
        dict.fromkeys(range(5_000)),
    )
    assert [p.item for p in picks] == [p.item for p in exhaustive]
    assert searched[0] == 50 and len(searched) > 1  # had to widen: only item 0 fits within the first 50
    assert len(loaded) == len(set(loaded)) == len(hits)  # nothing loaded twice


def test_stops_at_the_first_fetch_when_fit_cannot_matter_and_respects_max_pool():
    def search(k):
        return [(i, 1.0 - i / 100) for i in range(k)]

    def rank(hits, items):
        return [Pick(i, s) for i, s in hits[:3]]

    calls = []
    rank_with_overfetch(
        lambda k: calls.append(k) or search(k),
        dict.fromkeys,
        rank,
        pool=50,
        max_pool=800,
        limit=3,
        max_bonus=0.0,
    )
    assert calls == [50]
    calls.clear()
    rank_with_overfetch(
        lambda k: calls.append(k) or search(k),
        dict.fromkeys,
        rank,
        pool=50,
        max_pool=800,
        limit=3,
        max_bonus=5.0,
    )
    assert calls == [50, 200, 800]


def test_searched_once_serves_every_widening_from_one_search():
    from bot.matching.overfetch import searched_once

    calls: list[int] = []

    def search(k: int) -> list[tuple[int, float]]:
        calls.append(k)
        return [(i, 1.0 - i / 1000) for i in range(min(k, 120))]

    first = searched_once(search, 200)
    assert [i for i, _ in first(50)] == list(range(50))
    assert len(first(200)) == 120 and len(first(800)) == 120
    assert calls == [200]


def test_floor_check_counts_only_what_relevance_can_add_not_fit():
    """Fit reorders relevant items but never lifts one over the floor: an unseen item whose similarity plus
    the most tag/word matches can add stays below the floor can never be shown, however well it fits."""

    def search(k):
        return [(i, 0.5 - i / 1000) for i in range(k)]

    def rank(hits, items):  # nothing clears a floor of 0.6: no picks, so only the floor can stop widening
        return []

    def fetches(**bounds):
        calls: list[int] = []
        rank_with_overfetch(
            lambda k: calls.append(k) or search(k),
            dict.fromkeys,
            rank,
            pool=50,
            max_pool=800,
            limit=3,
            floor=0.6,
            **bounds,
        )
        return calls

    assert fetches(max_bonus=0.3) == [50, 200, 800]  # fit counted toward the floor: widened for nothing
    assert fetches(max_bonus=0.3, max_relevance=0.05) == [50]


def _fit_ranker(bonus: dict[int, float]):
    """Top 3 by similarity plus a per-item fit bonus, among the loaded items."""

    def rank(hits, items):
        scored = sorted(((s + bonus.get(i, 0.0), i) for i, s in hits if i in items), reverse=True)
        return [Pick(i, s) for s, i in scored[:3]]

    return rank


def _widen(similarity, load, rank, max_bonus):
    calls: list[int] = []
    hits, _items, picks = rank_with_overfetch(
        lambda k: calls.append(k) or [(i, similarity[i]) for i in range(k)],
        load,
        rank,
        pool=50,
        max_pool=800,
        limit=3,
        max_bonus=max_bonus,
    )
    exhaustive = rank(list(enumerate(similarity)), dict.fromkeys(range(len(similarity))))
    return calls, hits, [p.item for p in picks], [p.item for p in exhaustive]


def test_a_widened_fetch_is_ranked_only_down_to_the_last_item_that_could_still_win():
    """Items whose similarity plus the most fit can add is below the current third pick are never loaded
    or ranked, and the picks still equal an exhaustive ranking's."""
    similarity = [1.0 - i / 1000 for i in range(2_000)]
    rank = _fit_ranker({0: 0.1005, 1: 0.1005, 120: 0.1005})  # item 120 fits too, but is too far down
    loaded: list[int] = []

    def load(ids):
        loaded.extend(ids)
        return dict.fromkeys(ids)

    calls, hits, picks, exhaustive = _widen(similarity, load, rank, max_bonus=0.1005)
    assert picks == exhaustive == [0, 1, 2]
    # the third pick (item 2) scores 0.998: only similarities >= 0.8975 (items 0-102) could reach it
    assert calls == [50, 200]
    assert len(hits) == len(loaded) == 103


def test_the_cut_keeps_every_item_that_could_still_win_after_widening():
    similarity = [0.9 - i / 10_000 for i in range(2_000)]
    rank = _fit_ranker({150: 0.05})  # outside the first fetch, but its bonus lifts it to the top
    calls, hits, picks, exhaustive = _widen(similarity, dict.fromkeys, rank, max_bonus=0.05)
    assert picks == exhaustive == [150, 0, 1]
    # after widening to 800 the third pick scores 0.8999: only similarities >= 0.8499 can still reach it
    assert calls == [50, 200, 800]
    assert 500 <= len(hits) <= 502
