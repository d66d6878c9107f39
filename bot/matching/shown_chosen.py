"""Hubs learned from use: an item shown often but rarely chosen is pushed down.

Centring on the catalog mean (``hubness``) removes what the model makes close to everything; this removes
what teachers keep being shown and keep passing over. For each resource shown at least ``min_shown`` times,
its choice rate ("This helped" or "Save", smoothed towards the catalog's rate) is compared with the
catalog's: an item chosen at the catalog's rate or more gets no penalty, one never chosen gets ``weight``.
"Not relevant" counts against it twice. The counts are two grouped queries, re-read at most every
``ttl`` seconds, so /ask does a dictionary lookup per candidate, never a scan.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from bot.storage.database import Database

CHOSEN = ("helped", "save")


@dataclass(frozen=True)
class ShownChosenWeights:
    weight: float = 0.06  # the most subtracted from an item's relevance (a never-chosen, often-shown hub)
    min_shown: int = 20  # fewer showings say nothing yet
    prior: float = 10.0  # showings' worth of the catalog's rate mixed into each item's rate


def penalties(
    shown: Mapping[int, int],
    chosen: Mapping[int, int],
    rejected: Mapping[int, int],
    weights: ShownChosenWeights = ShownChosenWeights(),
    base: float | None = None,
) -> dict[int, float]:
    """resource id -> penalty for items shown often and chosen less than the catalog's rate ``base``
    (chosen / shown over every item; by default over the items given)."""
    if base is None:
        total_shown = sum(shown.values())
        base = sum(chosen.get(i, 0) for i in shown) / total_shown if total_shown else 0.0
    if base <= 0:
        return {}  # nothing was ever chosen: no signal to tell hubs from the rest
    out: dict[int, float] = {}
    for item, n in shown.items():
        if n < weights.min_shown:
            continue
        picked = max(0.0, chosen.get(item, 0) - 2 * rejected.get(item, 0))
        rate = (picked + weights.prior * base) / (n + weights.prior)
        if rate < base:
            out[item] = round(weights.weight * (1 - rate / base), 4)
    return out


@dataclass
class ShownVsChosen:
    db: Database
    ttl: float = 600.0
    weights: ShownChosenWeights = field(default_factory=ShownChosenWeights)
    monotonic: Callable[[], float] = time.monotonic
    _cached: dict[int, float] = field(default_factory=dict, init=False)
    _read_at: float | None = field(default=None, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)

    def current(self) -> Mapping[int, float]:
        """The penalties, re-read from the counts when older than ``ttl``."""
        now = self.monotonic()
        with self._lock:
            if self._read_at is None or now - self._read_at >= self.ttl:
                self._cached = self._read()
                self._read_at = now
            return self._cached

    def forget(self) -> None:
        """Re-read on the next question (after a bulk change, or in tests)."""
        with self._lock:
            self._read_at = None

    def _read(self) -> dict[int, float]:
        with self.db.committed_reads() as uow:  # read while a question is ranked: no lock on its event
            shown = uow.requests.resource_showings(self.weights.min_shown)
            if not shown:
                return {}
            reactions = uow.feedback.reaction_counts()
            all_shown = uow.requests.resource_showings_total()
        chosen: dict[int, int] = {}
        rejected: dict[int, int] = {}
        for resource_id, kind, n in reactions:
            target = chosen if kind in CHOSEN else rejected if kind == "not_relevant" else None
            if target is not None:
                target[resource_id] = target.get(resource_id, 0) + n
        return penalties(
            shown,
            chosen,
            rejected,
            self.weights,
            base=sum(chosen.values()) / all_shown if all_shown else 0.0,
        )
