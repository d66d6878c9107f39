import numpy as np

from bot.matching.index_layout import IVF, Layout
from bot.matching.vector_index import VectorIndex


def unit(rows: int, dim: int = 8, seed: int = 0) -> np.ndarray:
    vectors = np.random.default_rng(seed).normal(size=(rows, dim)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_search_returns_stable_ids_best_first():
    vectors = unit(5)
    index = VectorIndex(8, "m")
    index.add(np.array([10, 20, 30, 40, 50]), vectors)
    hits = index.search(vectors[2], 3)
    assert hits[0][0] == 30
    assert abs(hits[0][1] - 1.0) < 1e-5
    assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)


def test_add_replaces_and_remove_deletes():
    vectors = unit(3)
    index = VectorIndex(8, "m")
    index.add(np.array([1, 2, 3]), vectors)
    index.add(np.array([2]), vectors[0:1])  # id 2 now points at vector 0
    assert len(index) == 3
    assert {i for i, _ in index.search(vectors[0], 2)} == {1, 2}
    assert index.remove([1]) == 1
    assert [i for i, _ in index.search(vectors[0], 1)] == [2]


def test_save_and_load_round_trip(tmp_path):
    vectors = unit(4)
    index = VectorIndex(8, "model-a")
    index.add(np.array([7, 8, 9, 11]), vectors)
    index.save(tmp_path, "resource")
    loaded = VectorIndex.load(tmp_path, "resource")
    assert loaded is not None
    assert loaded.meta == index.meta
    assert loaded.search(vectors[3], 1)[0][0] == 11


def test_corrupt_file_loads_as_none(tmp_path):
    (tmp_path / "resource.faiss").write_bytes(b"not an index")
    (tmp_path / "resource.meta.json").write_text('{"model": "m", "dimension": 8, "count": 1}')
    assert VectorIndex.load(tmp_path, "resource") is None


def test_empty_index_search_is_empty():
    assert VectorIndex(8, "m").search(unit(1)[0], 3) == []


def test_vectors_of_ids_come_from_memory_after_adds_updates_and_removals():
    vectors = unit(600, seed=3)
    ids = np.arange(100, 700)
    for layout in (None, Layout(IVF, nlist=4, nprobe=4)):
        index = VectorIndex.build(8, "m", ids, vectors, layout=layout)
        index.add(np.array([105]), vectors[0:1])  # an edit
        index.remove([110])
        index.add(np.array([9000]), vectors[1:2])  # a new item
        found, matrix = index.vectors([9000, 105, 110, 105, 42])
        assert found.tolist() == [105, 9000]  # by id, each once, only what the index holds
        tolerance = 0 if layout is None else 1e-3  # IVF keeps fp16
        assert np.abs(matrix - vectors[[0, 1]]).max() <= tolerance
        assert index.vectors([])[1].shape == (0, 8)
