"""Which FAISS layout an index of a given size gets, and how to make it.

Small indexes stay exact (a flat scan of every vector). Past ``FLAT_MAX`` vectors a flat scan costs more than
the rest of a question put together (≈6 ms at 100k, ≈58 ms at 1M on one core), so the index becomes an
inverted file (IVF): k-means cells over the vectors, a question scans only the ``nprobe`` nearest cells.
Vectors inside cells are stored as float16 (half the memory of float32; cosine scores change by < 1e-3)
and scored exactly against the question, so recall depends only on how many cells are probed.

HNSW was tried and rejected: on catalogs with many near-duplicate resources (one lesson in many versions)
its graph fragments — recall@10 0.83 at efSearch 256 on 100k — and it cannot remove vectors.
The numbers behind each constant are in ``benchmarks/`` (``python -m benchmarks.run``) and the README.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import faiss

FLAT = "flat"
IVF = "ivf"

FLAT_MAX = 50_000  # at most this many vectors: exact search
MIN_NLIST, MAX_NLIST = 256, 8192
TRAIN_PER_CELL = 64  # k-means trains on at most nlist × this many vectors (FAISS warns below 39)
MIN_NPROBE, MAX_NPROBE = 16, 256
REBUILD_GROWTH = 4.0  # an IVF index re-trains once it holds this many times what it was trained on


@dataclass(frozen=True)
class Layout:
    """How an index is laid out: ``flat``, or ``ivf`` with ``nlist`` cells of which ``nprobe`` are scanned."""

    kind: str = FLAT
    nlist: int = 0
    nprobe: int = 0
    trained_on: int = 0  # how many vectors the cells were fitted to (IVF)

    @property
    def label(self) -> str:
        return "flat (exact)" if self.kind == FLAT else f"ivf{self.nlist},fp16 nprobe={self.nprobe}"


def layout_for(count: int, flat_max: int = FLAT_MAX) -> Layout:
    """The layout for an index of ``count`` vectors.

    ``nlist`` ≈ 2·√count (a power of two): 512 cells at 100k, 2048 at 1M; ``nprobe`` = nlist / 32 (at least
    16), so a question scans ≈3% of the vectors — recall@10 ≥ 0.99 against exact search on the benchmark
    data at 100k and 1M, for 0.3-1 ms a search.
    """
    if count <= flat_max:
        return Layout(FLAT)
    nlist = 2 ** round(math.log2(2 * math.sqrt(count)))
    nlist = max(MIN_NLIST, min(MAX_NLIST, nlist))
    nprobe = max(MIN_NPROBE, min(MAX_NPROBE, nlist // 32))
    return Layout(IVF, nlist=nlist, nprobe=nprobe, trained_on=count)


def needs_new_layout(current: Layout, count: int, flat_max: int = FLAT_MAX) -> bool:
    """True when an index of ``count`` vectors has outgrown (or shrunk out of) its layout."""
    wanted = layout_for(count, flat_max)
    if wanted.kind != current.kind:
        return True
    if current.kind == IVF:
        trained = max(current.trained_on, 1)
        return count > trained * REBUILD_GROWTH or count < trained / REBUILD_GROWTH
    return False


def make_faiss_index(dimension: int, layout: Layout) -> faiss.Index:
    """An empty index with ids of our own (IVF: a hash-table direct map, so removal by id is cheap)."""
    if layout.kind == FLAT:
        return faiss.IndexIDMap2(faiss.IndexFlatIP(dimension))
    quantizer = faiss.IndexFlatIP(dimension)
    index = faiss.IndexIVFScalarQuantizer(
        quantizer, dimension, layout.nlist, faiss.ScalarQuantizer.QT_fp16, faiss.METRIC_INNER_PRODUCT
    )
    index.nprobe = layout.nprobe
    return index


def train_sample_size(layout: Layout, count: int) -> int:
    return min(count, layout.nlist * TRAIN_PER_CELL)
