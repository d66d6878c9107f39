"""Keeps the resource, teacher and answered-question vector indexes in step with the database.

Vectors are stored in the database (so a lost index file costs a rebuild, not a re-embed); index files
live in the data dir and are rebuilt when missing or stale (other model, other count).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from bot.matching.embedder import Embedder
from bot.matching.vector_index import VectorIndex
from bot.storage.database import Database
from bot.storage.repositories import EmbeddingRepository, ResourceRepository, TeacherRepository
from bot.storage.repositories.embeddings import text_hash
from bot.storage.repositories.knowledge import KnowledgeRepository

log = logging.getLogger(__name__)

RESOURCE = "resource"
TEACHER = "teacher"
ANSWER = "answer"  # answered questions: the knowledge base
KINDS = (RESOURCE, TEACHER, ANSWER)

Progress = Callable[[int, int], None]


class Indexer:
    def __init__(self, db: Database, embedder: Embedder, folder: Path, batch_size: int = 256) -> None:
        self.db = db
        self.embedder = embedder
        self.folder = folder
        self.batch_size = batch_size
        self._indexes: dict[str, VectorIndex] = {}

    def index(self, kind: str) -> VectorIndex:
        if kind not in self._indexes:
            self._indexes[kind] = VectorIndex(self.embedder.dimension, self.embedder.model_name)
        return self._indexes[kind]

    def prepare(self, progress: Progress | None = None, force_rebuild: bool = False) -> dict[str, int]:
        """Embed whatever is new or changed, then load or rebuild every index. Returns sizes."""
        for kind in KINDS:
            embedded = self.embed_missing(kind, progress)
            loaded = None if (force_rebuild or embedded) else VectorIndex.load(self.folder, kind)
            if loaded is not None and self._is_current(kind, loaded):
                self._indexes[kind] = loaded
                log.info("index loaded", extra={"index": kind, "size": len(loaded)})
            else:
                self.rebuild(kind)
        return {kind: len(self.index(kind)) for kind in KINDS}

    def embed_missing(self, kind: str, progress: Progress | None = None) -> int:
        """Embed items whose text has no stored vector for this model yet (or changed). Returns how many."""
        items = self._texts(kind)
        model = self.embedder.model_name
        with self.db.session() as session:
            known = EmbeddingRepository(session).hashes(kind, model)
        todo = [(item_id, text) for item_id, text in items if known.get(item_id) != text_hash(text)]
        for start in range(0, len(todo), self.batch_size):
            batch = todo[start : start + self.batch_size]
            vectors = self.embedder.embed([text for _, text in batch])
            with self.db.session() as session:
                repo = EmbeddingRepository(session)
                for (item_id, text), vector in zip(batch, vectors, strict=True):
                    repo.put(kind, item_id, model, vector, text)
            if progress:
                progress(min(start + len(batch), len(todo)), len(todo))
        return len(todo)

    def rebuild(self, kind: str) -> VectorIndex:
        """Build the index from stored vectors only (no model calls), swap it in, save it."""
        live_ids = {item_id for item_id, _ in self._texts(kind)}
        with self.db.session() as session:
            ids, matrix = EmbeddingRepository(session).load(kind, self.embedder.model_name)
        keep = np.fromiter((i in live_ids for i in ids), dtype=bool, count=len(ids))
        index = VectorIndex(self.embedder.dimension, self.embedder.model_name)
        if keep.any():
            index.add(ids[keep], matrix[keep])
        self._indexes[kind] = index
        index.save(self.folder, kind)
        log.info("index rebuilt", extra={"index": kind, "size": len(index)})
        return index

    def upsert(self, kind: str, item_id: int, text: str) -> None:
        """Embed one new or edited item and put it in its index at once."""
        vector = self.embedder.embed([text])[0]
        with self.db.session() as session:
            EmbeddingRepository(session).put(kind, item_id, self.embedder.model_name, vector, text)
        index = self.index(kind)
        index.add(np.array([item_id]), vector.reshape(1, -1))
        index.save(self.folder, kind)

    def remove(self, kind: str, item_id: int) -> None:
        with self.db.session() as session:
            EmbeddingRepository(session).delete(kind, item_id)
        index = self.index(kind)
        index.remove([item_id])
        index.save(self.folder, kind)

    def search(self, kind: str, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        return self.index(kind).search(vector, k)

    def _is_current(self, kind: str, index: VectorIndex) -> bool:
        with self.db.session() as session:
            stored = len(EmbeddingRepository(session).hashes(kind, self.embedder.model_name))
        return (
            index.model == self.embedder.model_name
            and index.dimension == self.embedder.dimension
            and len(index) == stored
        )

    def _texts(self, kind: str) -> Sequence[tuple[int, str]]:
        with self.db.session() as session:
            if kind == RESOURCE:
                return [(r.id, r.embedding_text()) for r in ResourceRepository(session).all()]
            if kind == ANSWER:
                return [(a.id, a.embedding_text()) for a in KnowledgeRepository(session).all()]
            return [(t.id, t.profile_text()) for t in TeacherRepository(session).all() if t.onboarded]
