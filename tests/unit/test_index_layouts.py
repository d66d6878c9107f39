"""Index layouts chosen by size: exact flat while small, IVF (float16 cells) beyond; same interface."""

import numpy as np
import pytest

from bot.matching.index_layout import FLAT, FLAT_MAX, IVF, Layout, layout_for, needs_new_layout
from bot.matching.vector_index import VectorIndex

DIM = 32
IVF_SMALL = Layout(IVF, nlist=64, nprobe=16)


def clustered(rows: int, seed: int = 0, centres: int = 200) -> np.ndarray:
    """Unit vectors around a few hundred centres, like embeddings of a catalog with many similar items."""
    rng = np.random.default_rng(seed)
    centre = rng.normal(size=(centres, DIM)).astype(np.float32)
    vectors = centre[rng.integers(centres, size=rows)] + rng.normal(0, 0.1, (rows, DIM)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def exact_top(vectors: np.ndarray, ids: np.ndarray, queries: np.ndarray, k: int) -> list[set[int]]:
    order = np.argsort(-(queries @ vectors.T), axis=1)[:, :k]
    return [set(ids[row].tolist()) for row in order]


def test_layout_follows_size():
    assert layout_for(10).kind == FLAT
    assert layout_for(FLAT_MAX).kind == FLAT
    big = layout_for(100_000)
    assert (big.kind, big.nlist, big.nprobe) == (IVF, 512, 16)
    huge = layout_for(1_000_000)
    assert (huge.kind, huge.nlist, huge.nprobe) == (IVF, 2048, 64)
    assert needs_new_layout(Layout(FLAT), FLAT_MAX + 1)
    assert not needs_new_layout(Layout(FLAT), 100)
    assert not needs_new_layout(layout_for(100_000), 150_000)
    assert needs_new_layout(layout_for(100_000), 500_000)


def test_ivf_recall_at_10_against_exact_search():
    vectors = clustered(20_000)
    ids = np.arange(1, len(vectors) + 1, dtype=np.int64) * 7
    index = VectorIndex.build(DIM, "m", ids, vectors, layout=IVF_SMALL)
    assert index.meta.layout == IVF and index.meta.trained_on == len(vectors)
    queries = clustered(200, seed=1)
    truth = exact_top(vectors, ids, queries, 10)
    found = [{i for i, _ in index.search(q, 10)} for q in queries]
    recall = np.mean([len(t & f) / 10 for t, f in zip(truth, found, strict=True)])
    assert recall >= 0.95, recall
    scores = [s for _, s in index.search(queries[0], 10)]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize("layout", [Layout(FLAT), IVF_SMALL], ids=["flat", "ivf"])
def test_add_replace_remove_save_load(tmp_path, layout):
    vectors = clustered(3_000, seed=2)
    ids = np.arange(100, 3_100, dtype=np.int64)
    index = VectorIndex.build(DIM, "m", ids, vectors, layout=layout)
    assert index.search(vectors[5], 1)[0][0] == 105

    index.add(np.array([105]), vectors[7:8])  # id 105 now points at vector 7
    assert len(index) == 3_000
    assert {i for i, _ in index.search(vectors[7], 2)} == {105, 107}
    assert index.remove([105, 999_999]) == 1
    assert len(index) == 2_999
    assert 105 not in {i for i, _ in index.search(vectors[7], 5)}
    index.add(np.array([5_000]), vectors[9:10])
    assert sorted(index.ids().tolist()) == sorted([*range(100, 105), *range(106, 3_100), 5_000])

    index.save(tmp_path, "resource")
    loaded = VectorIndex.load(tmp_path, "resource")
    assert loaded is not None
    assert loaded.meta == index.meta
    assert loaded.layout == index.layout
    assert {i for i, _ in loaded.search(vectors[9], 2)} == {109, 5_000}
    assert loaded.remove([109]) == 1  # still removable by id after a load
    assert [i for i, _ in loaded.search(vectors[9], 1)] == [5_000]


def test_build_chooses_layout_by_size_and_small_stays_exact():
    vectors = clustered(500, seed=3)
    index = VectorIndex.build(DIM, "m", np.arange(500), vectors)
    assert index.layout.kind == FLAT
    assert not index.outgrown()
    assert (
        VectorIndex.build(DIM, "m", np.arange(0), np.empty((0, DIM), np.float32)).search(vectors[0], 3) == []
    )


def test_ivf_nprobe_trades_recall_for_speed():
    vectors = clustered(20_000, seed=4)
    ids = np.arange(len(vectors), dtype=np.int64)
    index = VectorIndex.build(DIM, "m", ids, vectors, layout=IVF_SMALL)
    queries = clustered(100, seed=5)
    truth = exact_top(vectors, ids, queries, 10)

    def recall() -> float:
        _, found = index.search_batch(queries, 10)
        return float(np.mean([len(t & set(f.tolist())) / 10 for t, f in zip(truth, found, strict=True)]))

    index.set_nprobe(1)
    low = recall()
    index.set_nprobe(64)  # every cell: exact up to float16 rounding
    assert recall() >= 0.99 > low
    assert index.meta.nprobe == 64


def test_old_meta_files_still_load(tmp_path):
    index = VectorIndex(DIM, "m")
    index.add(np.array([1, 2]), clustered(2))
    index.save(tmp_path, "teacher")
    (tmp_path / "teacher.meta.json").write_text('{"model": "m", "dimension": 32, "count": 2}')
    loaded = VectorIndex.load(tmp_path, "teacher")
    assert loaded is not None and loaded.layout.kind == FLAT and len(loaded) == 2
