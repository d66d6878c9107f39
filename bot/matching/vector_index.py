"""FAISS inner-product search over normalised vectors with stable ids, persisted in the data dir."""

from __future__ import annotations

import json
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class IndexMeta:
    """What an index file was built from; a mismatch means it is stale."""

    model: str
    dimension: int
    count: int


class VectorIndex:
    """Exact inner-product search (cosine on normalised vectors) keyed by our own row ids.

    Thread-safe: searches and updates may come from different threads (the event loop and a worker pool).
    """

    def __init__(self, dimension: int, model: str) -> None:
        self.dimension = dimension
        self.model = model
        self._index = faiss.IndexIDMap2(faiss.IndexFlatIP(dimension))
        self._lock = threading.RLock()

    def __len__(self) -> int:
        return int(self._index.ntotal)

    @property
    def meta(self) -> IndexMeta:
        return IndexMeta(model=self.model, dimension=self.dimension, count=len(self))

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Add or replace vectors for ``ids``."""
        ids = np.ascontiguousarray(ids, dtype=np.int64)
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if len(ids) == 0:
            return
        if vectors.shape != (len(ids), self.dimension):
            raise ValueError(f"expected vectors of shape ({len(ids)}, {self.dimension}), got {vectors.shape}")
        with self._lock:
            self._index.remove_ids(ids)
            self._index.add_with_ids(vectors, ids)

    def remove(self, ids: np.ndarray | list[int]) -> int:
        with self._lock:
            return int(self._index.remove_ids(np.asarray(ids, dtype=np.int64)))

    def search(self, query: np.ndarray, k: int) -> list[tuple[int, float]]:
        """The ``k`` nearest ids with their cosine similarity, best first."""
        if len(self) == 0 or k <= 0:
            return []
        q = np.ascontiguousarray(query, dtype=np.float32).reshape(1, -1)
        with self._lock:
            scores, ids = self._index.search(q, min(k, len(self)))
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i != -1]

    def ids(self) -> np.ndarray:
        with self._lock:
            return faiss.vector_to_array(self._index.id_map).astype(np.int64)

    def save(self, folder: Path, name: str) -> None:
        """Write atomically: a crash mid-write leaves the previous file intact."""
        folder.mkdir(parents=True, exist_ok=True)
        index_path, meta_path = _paths(folder, name)
        with self._lock:
            tmp = index_path.with_suffix(".tmp")
            faiss.write_index(self._index, str(tmp))
            os.replace(tmp, index_path)
            meta_tmp = meta_path.with_suffix(".tmp")
            meta_tmp.write_text(json.dumps(self.meta.__dict__))
            os.replace(meta_tmp, meta_path)

    @classmethod
    def load(cls, folder: Path, name: str) -> VectorIndex | None:
        """Load a saved index, or ``None`` when it is missing or unreadable."""
        index_path, meta_path = _paths(folder, name)
        if not index_path.exists() or not meta_path.exists():
            return None
        try:
            meta = IndexMeta(**json.loads(meta_path.read_text()))
            raw = faiss.read_index(str(index_path))
        except Exception as exc:  # corrupt files are rebuilt, never fatal
            log.warning("index file unreadable; it will be rebuilt", extra={"index": name, "error": str(exc)})
            return None
        index = cls(meta.dimension, meta.model)
        index._index = raw
        return index


def _paths(folder: Path, name: str) -> tuple[Path, Path]:
    return folder / f"{name}.faiss", folder / f"{name}.meta.json"
