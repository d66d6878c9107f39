"""The lexical (BM25) indexes of resources and colleagues, kept in step with the vector indexes.

Built from the database on first search (a big catalog in a thread, searched by embedding only until
then; changes made meanwhile are re-read after the build); afterwards the indexer tells it which items
changed (the same path that applies the change feed to FAISS), and it re-reads just those items' texts.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable

from bot.matching.lexical import Bm25Index
from bot.matching.memory import freeze_long_lived
from bot.storage.database import Database

log = logging.getLogger(__name__)

BUILD_INLINE = 20_000  # items indexed on the first search itself (about 4 s); more are built in a thread
RESOURCE = "resource"
TEACHER = "teacher"
KINDS = (RESOURCE, TEACHER)


class LexicalIndexes:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._indexes: dict[str, Bm25Index] = {}
        self._building: set[str] = set()
        self._pending: dict[str, set[int]] = {}  # changed while building
        self._lock = threading.Lock()

    def search(self, kind: str, text: str, k: int) -> list[tuple[int, float]]:
        """BM25 hits; none while a big catalog's index is still being built in the background."""
        with self._lock:
            if kind not in self._indexes and not self._start_build(kind):
                return []
            return self._indexes[kind].search(text, k)

    def _start_build(self, kind: str) -> bool:
        """Build a small catalog's index now (True); a big one's in a thread, searched once it is done."""
        if kind in self._building:
            return False
        with self.db.committed_reads() as uow:  # on a question's first search: no lock on its event
            size = uow.resources.count() if kind == RESOURCE else uow.teachers.count()
        if size <= BUILD_INLINE:
            self._indexes[kind] = self._build(kind)
            return True
        self._building.add(kind)

        def build() -> None:
            index = self._build(kind)
            with self._lock:
                self._indexes[kind] = index
                self._building.discard(kind)
                pending = self._pending.pop(kind, set())
            if pending:
                self.changed(kind, sorted(pending))
            # the postings and the rows read for them: out of the collector's walks
            freeze_long_lived(len(index))
            log.info("lexical index built", extra={"index": kind, "size": len(index)})

        threading.Thread(target=build, name=f"bm25-{kind}", daemon=True).start()
        return False

    def warm(self) -> None:
        """Build every index now, in this thread (benchmarks; a process that wants no build under traffic)."""
        built = 0
        for kind in KINDS:
            with self._lock:
                if kind in self._indexes or kind in self._building:
                    continue
            index = self._build(kind)
            built += len(index)
            with self._lock:
                self._indexes.setdefault(kind, index)
        freeze_long_lived(built)

    def changed(self, kind: str, ids: Iterable[int] | None) -> None:
        """These items were added, edited or removed (``None``: anything may have changed)."""
        if kind not in KINDS:
            return
        with self._lock:
            if kind in self._building and ids is not None:
                self._pending.setdefault(kind, set()).update(ids)
                return
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
        # A whole build (on a question's first search) reads committed rows on its own session, holding no
        # lock on the question's event; the changed items of an event are read in that event's transaction.
        reads = self.db.committed_reads() if ids is None else self.db.unit_of_work(writes=False)
        with reads as uow:
            if kind == RESOURCE:
                repo = uow.resources
                found = repo.all() if ids is None else list(repo.get_many(ids).values())
                return [(r.id, r.embedding_text()) for r in found]
            teachers = uow.teachers
            people = teachers.all() if ids is None else list(teachers.get_many(ids).values())
            return [(t.id, t.profile_text()) for t in people if t.onboarded]
