"""No hubs: an item close to everything must not show up for everything.

An item's mean similarity to the whole catalog is its dot product with the catalog's mean vector, so
mean-similarity centering (similarity minus ``weight`` × the item's mean similarity) is a search with the
query moved away from the mean: ``q - weight * mean``. The mean is computed from the stored vectors at
index time and recomputed when enough items changed (one item barely moves the mean of many).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

import numpy as np

from bot.storage.database import Database

RECOMPUTE_SHARE = 0.02  # recompute once this share of the catalog changed since the last mean
RECOMPUTE_MIN = 20


class CorpusMeans:
    def __init__(self, db: Database, model: str) -> None:
        self.db = db
        self.model = model
        self._means: dict[str, tuple[np.ndarray, int]] = {}  # kind -> (mean vector, item count)
        self._changes: dict[str, int] = {}
        self._lock = threading.Lock()

    def mean(self, kind: str) -> np.ndarray | None:
        """The mean stored vector of ``kind`` (None when there are none)."""
        with self._lock:
            known = self._means.get(kind)
            changes = self._changes.get(kind, 0)
            if known is None or changes > max(RECOMPUTE_MIN, RECOMPUTE_SHARE * known[1]):
                known = self._compute(kind)
                self._means[kind] = known
                self._changes[kind] = 0
        mean, count = known
        return mean if count else None

    def centred(self, kind: str, query: np.ndarray, weight: float) -> np.ndarray:
        """The query moved away from the catalog mean (unchanged for ``weight`` 0 or an empty catalog)."""
        mean = self.mean(kind) if weight else None
        if mean is None or mean.shape != query.shape:
            return query
        return (query - weight * mean).astype(np.float32)

    def changed(self, kind: str, ids: Iterable[int] | None) -> None:
        with self._lock:
            if ids is None:
                self._means.pop(kind, None)
            else:
                self._changes[kind] = self._changes.get(kind, 0) + len(list(ids))

    def _compute(self, kind: str) -> tuple[np.ndarray, int]:
        total: np.ndarray | None = None
        count = 0
        with self.db.committed_reads() as uow:  # may run while a question is ranked: no lock on its event
            for _, chunk in uow.embeddings.iter_chunks(kind, self.model):
                part = chunk.sum(axis=0, dtype=np.float64)
                total = part if total is None else total + part
                count += len(chunk)
        if total is None or not count:
            return np.empty(0, dtype=np.float32), 0
        return (total / count).astype(np.float32), count
