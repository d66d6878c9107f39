"""FAISS inner-product search over normalised vectors with stable ids, persisted in the data dir.

One interface over two layouts (see ``index_layout``): exact flat search while an index is small, an
inverted file with float16 vectors beyond that. ``VectorIndex.build`` picks the layout from the size.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import faiss
import numpy as np

from bot.matching.index_layout import (
    FLAT,
    IVF,
    Layout,
    layout_for,
    make_faiss_index,
    needs_new_layout,
    train_sample_size,
)

log = logging.getLogger(__name__)

ADD_CHUNK = 65_536  # vectors per add call while building: bounded temporary memory in FAISS
# Removal by id without scanning every cell; faiss's type stubs do not declare the DirectMap enum.
HASHTABLE_DIRECT_MAP: int = faiss.DirectMap.Hashtable  # type: ignore[attr-defined]


@dataclass(frozen=True)
class IndexMeta:
    """What an index file was built from; a mismatch means it is stale."""

    model: str
    dimension: int
    count: int
    layout: str = FLAT
    nlist: int = 0
    nprobe: int = 0
    trained_on: int = 0
    watermark: int = 0  # the last change-feed id this file reflects (see ``Indexer.follow_changes``)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> IndexMeta:
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


class VectorIndex:
    """Inner-product search (cosine on normalised vectors) keyed by our own row ids.

    Thread-safe: searches and updates may come from different threads (the event loop and a worker pool).
    A rebuild makes a new ``VectorIndex`` and swaps it in; searches on the old one go on meanwhile.
    """

    def __init__(self, dimension: int, model: str, layout: Layout | None = None) -> None:
        self.dimension = dimension
        self.model = model
        self.layout = layout or Layout()
        self._index = make_faiss_index(dimension, self.layout)
        self._lock = threading.RLock()
        self.watermark = 0

    @classmethod
    def build(
        cls,
        dimension: int,
        model: str,
        ids: np.ndarray,
        vectors: np.ndarray,
        layout: Layout | None = None,
        threads: int | None = None,
    ) -> VectorIndex:
        """A new index over ``vectors``, its layout chosen by size unless given.

        ``threads``: FAISS threads for training and adding (in this thread only); searches stay as set.
        """
        ids = np.ascontiguousarray(ids, dtype=np.int64)
        layout = layout or layout_for(len(ids))
        if layout.kind == IVF and layout.trained_on != len(ids):
            layout = dataclasses.replace(layout, trained_on=len(ids))
        index = cls(dimension, model, layout)
        with omp_threads(threads):
            if layout.kind == IVF and len(ids):
                index._train(vectors)
            for start in range(0, len(ids), ADD_CHUNK):
                index.add(ids[start : start + ADD_CHUNK], vectors[start : start + ADD_CHUNK])
        return index

    def __len__(self) -> int:
        return int(self._index.ntotal)

    @property
    def meta(self) -> IndexMeta:
        return IndexMeta(
            model=self.model,
            dimension=self.dimension,
            count=len(self),
            layout=self.layout.kind,
            nlist=self.layout.nlist,
            nprobe=self.layout.nprobe,
            trained_on=self.layout.trained_on,
            watermark=self.watermark,
        )

    def outgrown(self) -> bool:
        """True when the index's size calls for another layout (flat grown past the limit, IVF 4× its
        training size): the owner should rebuild it."""
        return needs_new_layout(self.layout, len(self))

    def set_nprobe(self, nprobe: int) -> None:
        """IVF: how many cells a search scans (recall/speed trade-off); no effect on a flat index."""
        if self.layout.kind == IVF:
            with self._lock:
                faiss.extract_index_ivf(self._index).nprobe = nprobe
                self.layout = dataclasses.replace(self.layout, nprobe=nprobe)

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Add or replace vectors for ``ids``."""
        ids = np.ascontiguousarray(ids, dtype=np.int64)
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if len(ids) == 0:
            return
        if vectors.shape != (len(ids), self.dimension):
            raise ValueError(f"expected vectors of shape ({len(ids)}, {self.dimension}), got {vectors.shape}")
        with self._lock:
            if not self._index.is_trained:
                self._train(vectors)
            self._remove(ids)
            self._index.add_with_ids(vectors, ids)

    def remove(self, ids: np.ndarray | list[int]) -> int:
        with self._lock:
            return self._remove(np.ascontiguousarray(ids, dtype=np.int64))

    def search(self, query: np.ndarray, k: int) -> list[tuple[int, float]]:
        """The ``k`` nearest ids with their cosine similarity, best first."""
        if len(self) == 0 or k <= 0:
            return []
        scores, ids = self.search_batch(np.asarray(query, dtype=np.float32).reshape(1, -1), k)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i != -1]

    def search_batch(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """FAISS-style (scores, ids) arrays for many queries at once; missing hits have id -1."""
        q = np.ascontiguousarray(queries, dtype=np.float32).reshape(-1, self.dimension)
        k = max(1, min(k, len(self)))
        with self._lock:
            if len(self) == 0:
                return np.zeros((len(q), k), np.float32), np.full((len(q), k), -1, np.int64)
            return self._index.search(q, k)

    def vectors(self, ids: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
        """(ids held, their stored vectors) for ``ids``, in ascending id order (an IVF index's are fp16).

        The vectors of a few candidates from memory, instead of a database read on every question."""
        wanted = sorted(set(ids))
        found: list[int] = []
        rows: list[np.ndarray] = []
        with self._lock:
            for item_id in wanted:
                try:
                    rows.append(np.asarray(self._index.reconstruct(item_id), dtype=np.float32))
                except RuntimeError:  # not in the index
                    continue
                found.append(item_id)
        if not rows:
            return np.empty(0, dtype=np.int64), np.empty((0, self.dimension), dtype=np.float32)
        return np.asarray(found, dtype=np.int64), np.stack(rows).astype(np.float32, copy=False)

    def ids(self) -> np.ndarray:
        with self._lock:
            if self.layout.kind == FLAT:  # the flat layout is an IndexIDMap2 (``make_faiss_index``)
                return faiss.vector_to_array(cast(faiss.IndexIDMap2, self._index).id_map).astype(np.int64)
            return _ivf_ids(faiss.extract_index_ivf(self._index))

    def save(self, folder: Path, name: str) -> None:
        """Write atomically: a crash mid-write leaves the previous file intact."""
        folder.mkdir(parents=True, exist_ok=True)
        index_path, meta_path = _paths(folder, name)
        with self._lock:
            tmp = index_path.with_suffix(".tmp")
            faiss.write_index(self._index, str(tmp))
            os.replace(tmp, index_path)
            meta_tmp = meta_path.with_suffix(".tmp")
            meta_tmp.write_text(json.dumps(dataclasses.asdict(self.meta)))
            os.replace(meta_tmp, meta_path)

    @classmethod
    def load(cls, folder: Path, name: str) -> VectorIndex | None:
        """Load a saved index, or ``None`` when it is missing or unreadable."""
        index_path, meta_path = _paths(folder, name)
        if not index_path.exists() or not meta_path.exists():
            return None
        try:
            meta = IndexMeta.from_json(json.loads(meta_path.read_text()))
            raw = faiss.read_index(str(index_path))
            layout = Layout(meta.layout, meta.nlist, meta.nprobe, meta.trained_on)
            if layout.kind == IVF:
                faiss.extract_index_ivf(raw).nprobe = layout.nprobe
            if raw.d != meta.dimension or int(raw.ntotal) != meta.count:
                raise ValueError("index file does not match its meta file")
        except Exception as exc:  # corrupt files are rebuilt, never fatal
            log.warning("index file unreadable; it will be rebuilt", extra={"index": name, "error": str(exc)})
            return None
        index = cls(meta.dimension, meta.model, layout)
        index._index = raw
        index.watermark = meta.watermark
        return index

    def _train(self, vectors: np.ndarray) -> None:
        """Fit the IVF cells to an evenly spaced sample of ``vectors``."""
        n = len(vectors)
        sample = train_sample_size(self.layout, n)
        rows = np.linspace(0, n - 1, sample).astype(np.int64) if sample < n else slice(None)
        self._index.train(np.ascontiguousarray(vectors[rows], dtype=np.float32))
        if self.layout.kind == IVF:
            faiss.extract_index_ivf(self._index).set_direct_map_type(HASHTABLE_DIRECT_MAP)

    def _remove(self, ids: np.ndarray) -> int:
        if len(ids) == 0 or len(self) == 0:
            return 0
        if self.layout.kind == IVF:
            # The hash-table direct map removes by id without scanning every cell (IDSelectorArray only).
            return int(self._index.remove_ids(faiss.IDSelectorArray(len(ids), faiss.swig_ptr(ids))))
        return int(self._index.remove_ids(faiss.IDSelectorBatch(len(ids), faiss.swig_ptr(ids))))


@contextmanager
def omp_threads(threads: int | None) -> Iterator[None]:
    """FAISS's OpenMP threads for the calling thread only, restored afterwards."""
    if not threads:
        yield
        return
    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(threads)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(before)


def _ivf_ids(index: faiss.IndexIVF) -> np.ndarray:
    invlists = index.invlists
    if invlists is None:
        return np.empty(0, dtype=np.int64)
    parts = []
    for cell in range(index.nlist):
        size = invlists.list_size(cell)
        if size:
            pointer = invlists.get_ids(cell)
            parts.append(faiss.rev_swig_ptr(pointer, size).copy())
            invlists.release_ids(cell, pointer)  # type: ignore[attr-defined]  # missing from faiss's stubs
    return np.sort(np.concatenate(parts)).astype(np.int64) if parts else np.empty(0, dtype=np.int64)


def _paths(folder: Path, name: str) -> tuple[Path, Path]:
    return folder / f"{name}.faiss", folder / f"{name}.meta.json"
