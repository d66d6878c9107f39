"""Splits opted-in teachers into packs: nobody left out, sizes in bounds, no recent pairs, mixed experience.

A partition is scored lexicographically, most important first:

1. pairs who were already together in the last N rounds (fewest wins — "where avoidable");
2. packs missing experience on either side of the median (every pack should span from someone newer
   to someone seasoned: mutual gain, and nobody is labelled a mentor — flat);
3. distance of pack sizes from the aim;
4. shared focus (grades, subjects, interests, stated focus) within packs, most wins.

Small communities (up to ``EXACT_LIMIT`` people) are solved exactly by enumerating every partition;
larger ones start from an experience-stratified split and improve it by swaps and moves.
"""

from __future__ import annotations

import math
import random
from collections.abc import Collection, Iterator, Sequence
from itertools import combinations

from bot.domain.packs import Formation, PackCandidate, PackPolicy

EXACT_LIMIT = 10
RESTARTS = 6

Pair = frozenset[int]
Score = tuple[int, int, int, int]


def pair(a: int, b: int) -> Pair:
    return frozenset((a, b))


def pack_count(n: int, policy: PackPolicy) -> int:
    """How many packs for ``n`` people: sizes closest to the aim, then more (smaller) packs."""
    lo, hi = max(1, math.ceil(n / policy.max_size)), n // policy.min_size
    if lo > hi:
        return 0
    return min(range(lo, hi + 1), key=lambda g: (_size_deviation(n, g, policy.size), -g))


def _size_deviation(n: int, g: int, aim: int) -> int:
    q, r = divmod(n, g)
    return r * abs(q + 1 - aim) + (g - r) * abs(q - aim)


class _Scorer:
    """Scores one pack; a partition's score is the element-wise sum over its packs."""

    def __init__(
        self, candidates: Sequence[PackCandidate], recent_pairs: Collection[Pair], policy: PackPolicy
    ) -> None:
        self.by_id = {c.teacher_id: c for c in candidates}
        self.recent = set(recent_pairs)
        self.aim = policy.size
        years = sorted(c.years for c in candidates if c.years is not None)
        self.has_years = len(years) >= 2
        self.low = years[(len(years) - 1) // 2] if years else 0  # lower median
        self.high = years[len(years) // 2] if years else 0  # upper median

    def pack(self, members: Sequence[int]) -> Score:
        repeats = focus = 0
        for a, b in combinations(members, 2):
            if pair(a, b) in self.recent:
                repeats += 1
            focus += len(self.by_id[a].focus & self.by_id[b].focus)
        mix = 0
        if self.has_years:
            years = [y for y in (self.by_id[m].years for m in members) if y is not None]
            mix = int(not any(y <= self.low for y in years)) + int(not any(y >= self.high for y in years))
        return (repeats, mix, abs(len(members) - self.aim), -focus)

    def total(self, packs: Sequence[Sequence[int]]) -> Score:
        return _add(*(self.pack(p) for p in packs))


def _add(*scores: Score) -> Score:
    if not scores:
        return (0, 0, 0, 0)
    repeats, mix, size, focus = (sum(parts) for parts in zip(*scores, strict=True))
    return (repeats, mix, size, focus)


def _sub(a: Score, b: Score) -> Score:
    return (a[0] - b[0], a[1] - b[1], a[2] - b[2], a[3] - b[3])


def form_packs(
    candidates: Sequence[PackCandidate],
    recent_pairs: Collection[Pair] = (),
    policy: PackPolicy = PackPolicy(),
    seed: int = 0,
) -> Formation:
    """Place everyone (when at least ``policy.min_size`` opted in) in packs within the size bounds."""
    people = sorted({c.teacher_id: c for c in candidates}.values(), key=lambda c: c.teacher_id)
    n = len(people)
    g = pack_count(n, policy)
    if g == 0:
        return Formation(packs=(), waiting=tuple(c.teacher_id for c in people))
    scorer = _Scorer(people, recent_pairs, policy)
    ids = [c.teacher_id for c in people]
    if n <= EXACT_LIMIT:
        best = min(_partitions(ids, policy.min_size, policy.max_size), key=scorer.total)
    else:
        best = _improve(_stratified(people, g, scorer), scorer, policy, random.Random(seed))
    packs = sorted((tuple(sorted(p)) for p in best), key=lambda p: p[0])
    return Formation(packs=tuple(packs))


def _partitions(ids: list[int], lo: int, hi: int) -> Iterator[list[list[int]]]:
    """Every split of ``ids`` into groups of lo..hi people, each exactly once (a group holds its first id)."""
    if not ids:
        yield []
        return
    first, rest = ids[0], ids[1:]
    for size in range(lo, hi + 1):
        if size - 1 > len(rest):
            break
        for mates in combinations(rest, size - 1):
            chosen = set(mates)
            remaining = [i for i in rest if i not in chosen]
            if remaining and len(remaining) < lo:
                continue
            for tail in _partitions(remaining, lo, hi):
                yield [[first, *mates], *tail]


def _stratified(people: Sequence[PackCandidate], g: int, scorer: _Scorer) -> list[list[int]]:
    """Each pack gets one of the g newest and one of the g most seasoned; the rest fill by shared focus."""
    known = sorted((c for c in people if c.years is not None), key=lambda c: (c.years, c.teacher_id))
    packs: list[list[int]] = [[] for _ in range(g)]
    placed: set[int] = set()
    if len(known) >= 2 * g:
        for i in range(g):
            packs[i] += [known[i].teacher_id, known[-1 - i].teacher_id]
            placed |= {known[i].teacher_id, known[-1 - i].teacher_id}
    for person in people:
        if person.teacher_id in placed:
            continue
        smallest = min(len(p) for p in packs)
        options = [p for p in packs if len(p) == smallest]
        best = max(options, key=lambda p: -scorer.pack([*p, person.teacher_id])[3] + scorer.pack(p)[3])
        best.append(person.teacher_id)
    return packs


def _improve(
    packs: list[list[int]], scorer: _Scorer, policy: PackPolicy, rng: random.Random
) -> list[list[int]]:
    """Hill-climb by swaps and moves; when pairs still repeat, shake the conflicted and climb again."""
    best = _climb([list(p) for p in packs], scorer, policy)
    best_score = scorer.total(best)
    current = best
    for _ in range(RESTARTS):
        if best_score[0] == 0:
            break
        current = _climb(_shake(current, scorer, rng), scorer, policy)
        score = scorer.total(current)
        if score < best_score:
            best, best_score = [list(p) for p in current], score
    return best


def _climb(packs: list[list[int]], scorer: _Scorer, policy: PackPolicy) -> list[list[int]]:
    scores = [scorer.pack(p) for p in packs]
    improved = True
    while improved:
        improved = False
        for i, j in combinations(range(len(packs)), 2):
            if _improve_pair(packs, scores, i, j, scorer, policy):
                improved = True
    return packs


def _improve_pair(
    packs: list[list[int]], scores: list[Score], i: int, j: int, scorer: _Scorer, policy: PackPolicy
) -> bool:
    """First improving swap or move between packs i and j (applied in place)."""
    a, b = packs[i], packs[j]
    before = _add(scores[i], scores[j])
    for x in list(a):
        for y in list(b):
            new_a = [y if m == x else m for m in a]
            new_b = [x if m == y else m for m in b]
            sa, sb = scorer.pack(new_a), scorer.pack(new_b)
            if _add(sa, sb) < before:
                packs[i], packs[j], scores[i], scores[j] = new_a, new_b, sa, sb
                return True
    for src, dst, s, d in ((a, b, i, j), (b, a, j, i)):
        if len(src) - 1 < policy.min_size or len(dst) + 1 > policy.max_size:
            continue
        for x in list(src):
            new_src, new_dst = [m for m in src if m != x], [*dst, x]
            ss, sd = scorer.pack(new_src), scorer.pack(new_dst)
            if _add(ss, sd) < before:
                packs[s], packs[d], scores[s], scores[d] = new_src, new_dst, ss, sd
                return True
    return False


def _shake(packs: list[list[int]], scorer: _Scorer, rng: random.Random) -> list[list[int]]:
    """Swap each member of a repeated pair with a random member of another pack (sizes unchanged)."""
    packs = [list(p) for p in packs]
    for i, members in enumerate(packs):
        conflicted = [m for m in members if any(pair(m, o) in scorer.recent for o in members if o != m)]
        for m in conflicted:
            j = rng.choice([k for k in range(len(packs)) if k != i])
            other = rng.choice(packs[j])
            if m in packs[i]:
                packs[i][packs[i].index(m)] = other
                packs[j][packs[j].index(other)] = m
    return packs


def repeated_pairs(packs: Sequence[Sequence[int]], recent_pairs: Collection[Pair]) -> int:
    """How many pairs inside ``packs`` were together recently (for stats and tests)."""
    recent = set(recent_pairs)
    return sum(pair(a, b) in recent for p in packs for a, b in combinations(p, 2))
