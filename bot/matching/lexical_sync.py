"""The lexical (BM25) indexes of resources and colleagues, kept in step with the vector indexes.

Built from the database on first search; afterwards the indexer tells it which items changed (the same
path that applies the change feed to FAISS), and it re-reads just those items' texts.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from bot.matching.lexical import Bm25Index
from bot.storage.database import Database
from bot.storage.repositories import ResourceRepository, TeacherRepository

RESOURCE = "resource"
TEACHER = "teacher"
KINDS = (RESOURCE, TEACHER)


class LexicalIndexes:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._indexes: dict[str, Bm25Index] = {}
        self._lock = threading.Lock()

    def search(self, kind: str, text: str, k: int) -> list[tuple[int, float]]:
        with self._lock:
            if kind not in self._indexes:
                self._indexes[kind] = self._build(kind)
            return self._indexes[kind].search(text, k)

    def changed(self, kind: str, ids: Iterable[int] | None) -> None:
        """These items were added, edited or removed (``None``: anything may have changed)."""
        if kind not in KINDS:
            return
        with self._lock:
            if kind not in self._indexes:
                return  # built from scratch on first search
            if ids is None:
                del self._indexes[kind]
                return
            index = self._indexes[kind]
            wanted = list(ids)
            texts = dict(self._texts(kind, wanted))
            for item_id in wanted:
                if item_id in texts:
                    index.add(item_id, texts[item_id])
                else:
                    index.remove(item_id)

    def _build(self, kind: str) -> Bm25Index:
        index = Bm25Index()
        index.add_many(self._texts(kind, None))
        return index

    def _texts(self, kind: str, ids: list[int] | None) -> list[tuple[int, str]]:
        with self.db.session() as session:
            if kind == RESOURCE:
                repo = ResourceRepository(session)
                found = repo.all() if ids is None else list(repo.get_many(ids).values())
                return [(r.id, r.embedding_text()) for r in found]
            teachers = TeacherRepository(session)
            people = teachers.all() if ids is None else list(teachers.get_many(ids).values())
            return [(t.id, t.profile_text()) for t in people if t.onboarded]
