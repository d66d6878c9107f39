"""Recent questions' vectors held in memory, so each new question is compared with the open ones without
reading and decoding every stored vector again.

The database stays the source of truth: which questions are compared is always read from it (open, recent,
same community), and a vector missing here (another process's question, or one evicted) is loaded from it
once. Each vector is kept with its question's text fingerprint and used only for the same text, so a row id
that SQLite hands out again after a delete can never bring back another question's vector. No text is kept.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np
from sqlalchemy.orm import Session

from bot.storage.repositories import EmbeddingRepository

REQUEST = "request"  # stored question vectors (no FAISS index: only recent open ones are compared)


class QuestionVectors:
    """A bounded, thread-safe cache of question vectors by request id (oldest evicted first)."""

    def __init__(self, model: str, capacity: int = 20_000) -> None:
        self.model = model
        self.capacity = capacity
        self._vectors: dict[int, tuple[int, np.ndarray]] = {}  # request id -> (text fingerprint, vector)
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._vectors)

    def put(self, request_id: int, text: str, vector: np.ndarray) -> None:
        """Remember a question's vector (the caller also stores it in the database)."""
        entry = (_fingerprint(text), np.asarray(vector, dtype=np.float32))
        with self._lock:
            self._vectors.pop(request_id, None)
            self._vectors[request_id] = entry
            while len(self._vectors) > self.capacity:
                del self._vectors[next(iter(self._vectors))]

    def load(self, session: Session, questions: Sequence[tuple[int, str]]) -> tuple[np.ndarray, np.ndarray]:
        """``(ids, matrix)`` for those ``(request id, text)`` that have a vector, in ascending id order: from
        memory, the rest from the database (and kept)."""
        texts = dict(questions)
        found: dict[int, np.ndarray] = {}
        with self._lock:
            for request_id, text in texts.items():
                entry = self._vectors.get(request_id)
                if entry is not None and entry[0] == _fingerprint(text):
                    found[request_id] = entry[1]
        missing = [i for i in texts if i not in found]
        if missing:
            stored_ids, matrix = EmbeddingRepository(session).load_for_texts(
                REQUEST, self.model, [(i, texts[i]) for i in missing]
            )
            for request_id, vector in zip(stored_ids.tolist(), matrix, strict=True):
                found[request_id] = vector
                self.put(request_id, texts[request_id], vector)
        if not found:
            return np.empty(0, dtype=np.int64), np.empty((0, 0), dtype=np.float32)
        ids = sorted(found)
        return np.asarray(ids, dtype=np.int64), np.stack([found[i] for i in ids])


def _fingerprint(text: str) -> int:
    return hash(text)  # per process, like the cache itself
