"""Recent questions' vectors cached in memory: served without a read, but only for the text they came from."""

from __future__ import annotations

import numpy as np

from bot.matching.question_vectors import REQUEST, QuestionVectors
from bot.storage.repositories import EmbeddingRepository

MODEL = "model-a"


def _vectors(n: int) -> np.ndarray:
    return np.random.default_rng(7).normal(size=(n, 8)).astype(np.float32)


def _store(db, items):  # type: ignore[no-untyped-def]
    with db.session() as session:
        for request_id, text, vector in items:
            EmbeddingRepository(session).put(REQUEST, request_id, MODEL, vector, text)


def test_misses_are_read_once_then_served_from_memory(db):
    vectors = _vectors(3)
    _store(db, [(1, "fractions?", vectors[0]), (2, "photosynthesis lab", vectors[1])])
    cache = QuestionVectors(MODEL)
    with db.session() as session:
        ids, matrix = cache.load(
            session, [(2, "photosynthesis lab"), (1, "fractions?"), (3, "no vector yet")]
        )
    assert ids.tolist() == [1, 2]
    np.testing.assert_array_equal(matrix, vectors[:2])
    with db.session() as session:  # the stored rows are gone: only memory can answer now
        EmbeddingRepository(session).delete(REQUEST, 1)
        EmbeddingRepository(session).delete(REQUEST, 2)
    with db.session() as session:
        ids, matrix = cache.load(session, [(1, "fractions?"), (2, "photosynthesis lab")])
    assert ids.tolist() == [1, 2]
    np.testing.assert_array_equal(matrix, vectors[:2])


def test_a_reused_row_id_never_brings_back_another_questions_vector(db):
    vectors = _vectors(2)
    cache = QuestionVectors(MODEL)
    cache.put(5, "an old question, since deleted", vectors[0])
    _store(db, [(5, "a new question with the same id", vectors[1])])
    with db.session() as session:
        ids, matrix = cache.load(session, [(5, "a new question with the same id")])
    assert ids.tolist() == [5]
    np.testing.assert_array_equal(matrix[0], vectors[1])


def test_a_stored_vector_of_other_text_is_not_used(db):
    _store(db, [(9, "what the question said before", _vectors(1)[0])])
    with db.session() as session:
        ids, _ = QuestionVectors(MODEL).load(session, [(9, "what it says now")])
    assert ids.tolist() == []


def test_the_oldest_vectors_are_evicted_past_capacity(db):
    vectors = _vectors(3)
    cache = QuestionVectors(MODEL, capacity=2)
    for i, vector in enumerate(vectors, start=1):
        cache.put(i, f"question {i}", vector)
    with db.session() as session:  # nothing stored: only what memory kept comes back
        ids, _ = cache.load(session, [(i, f"question {i}") for i in (1, 2, 3)])
    assert ids.tolist() == [2, 3]
