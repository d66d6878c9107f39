"""Keeps the resource, teacher and answered-question vector indexes in step with the database.

Vectors are stored in the database (so a lost index file costs a rebuild, not a re-embed); index files
live in the data dir and are rebuilt when missing or stale (other model, other count, or a size that calls
for another layout — see ``index_layout``). A rebuild builds a new index beside the live one and swaps it in;
searches go on against the old one meanwhile, and upserts/removals made during the build are replayed on
the new one before the swap.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from bot.matching.embedder import Embedder
from bot.matching.hubness import CorpusMeans
from bot.matching.lexical_sync import LexicalIndexes
from bot.matching.memory import freeze_long_lived, release_free_memory
from bot.matching.question_vectors import QuestionVectors
from bot.matching.vector_index import VectorIndex
from bot.storage.database import Database
from bot.storage.repositories.embeddings import text_hash

log = logging.getLogger(__name__)

RESOURCE = "resource"
TEACHER = "teacher"
ANSWER = "answer"  # answered questions: the knowledge base
KINDS = (RESOURCE, TEACHER, ANSWER)

Progress = Callable[[int, int], None]
# Change ids are handed out at insert but become visible at commit, so a slow writer's id can show up after
# later ones: each poll looks this many ids behind its watermark again (re-applying is harmless).
FEED_LOOKBACK = 200
FOLLOW_SAVE_EVERY = 60.0  # seconds between saves of indexes changed only by other processes


class Indexer:
    def __init__(self, db: Database, embedder: Embedder, folder: Path, batch_size: int = 256) -> None:
        self.db = db
        self.embedder = embedder
        self.folder = folder
        self.batch_size = batch_size
        self._indexes: dict[str, VectorIndex] = {}
        # Upserts/removals seen while a kind is being rebuilt, replayed on the new index before the swap.
        self._journal: dict[str, list[tuple[int, np.ndarray | None]]] = {}
        self._swap = threading.Lock()
        self.build_threads = os.cpu_count() or 1  # FAISS threads while building (the rebuilding thread only)
        self.watermark = 0  # every change-feed row up to here is in the live indexes
        self._applied: set[int] = set()  # change ids in the lookback window already applied
        self._follow_lock = threading.Lock()
        self._unsaved: set[str] = set()
        self._last_save = time.monotonic()
        # Beside each vector index: its BM25 twin and the catalog mean (hub centering), told of every change.
        self.lexical = LexicalIndexes(db)
        self.means = CorpusMeans(db, embedder.model_name)
        self.questions = QuestionVectors(embedder.model_name)  # recent questions, for near-duplicates

    def _side_indexes_changed(self, kind: str, ids: Sequence[int] | None) -> None:
        """The one hook for the lexical index and the catalog mean (``None``: rebuilt, anything changed)."""
        self.lexical.changed(kind, ids)
        self.means.changed(kind, ids)

    def index(self, kind: str) -> VectorIndex:
        if kind not in self._indexes:
            self._indexes[kind] = VectorIndex(self.embedder.dimension, self.embedder.model_name)
        return self._indexes[kind]

    def prepare(self, progress: Progress | None = None, force_rebuild: bool = False) -> dict[str, int]:
        """Embed whatever is new or changed, then load or rebuild every index. Returns sizes.

        A loaded index first catches up on the change feed after its file's watermark, so vectors written
        by other processes since it was saved cost a few additions, not a rebuild.
        """
        with self.db.unit_of_work(writes=False) as uow:
            start_mark = uow.embeddings.last_change_id()
        self.watermark = max(self.watermark, start_mark)  # what a rebuilt index reflects (saved with it)
        for kind in KINDS:
            embedded = self.embed_missing(kind, progress)
            loaded = None if (force_rebuild or embedded) else VectorIndex.load(self.folder, kind)
            if loaded is not None:  # a file saved at an empty feed (watermark 0) catches up too
                self._catch_up(kind, loaded)
            if loaded is not None and self._is_current(kind, loaded) and not loaded.outgrown():
                self._indexes[kind] = loaded
                log.info("index loaded", extra={"index": kind, "size": len(loaded)})
            else:
                self.rebuild(kind)
        release_free_memory()
        sizes = {kind: len(self.index(kind)) for kind in KINDS}
        freeze_long_lived(sum(sizes.values()))  # what a ready process keeps: out of the collector's walks
        return sizes

    def follow_changes(self) -> int:
        """Apply vectors other processes wrote or removed since the last call; returns how many changes.

        Cheap when nothing changed (one indexed query); ``kindred run`` calls it every few seconds.
        """
        with self._follow_lock:
            model = self.embedder.model_name
            with self.db.unit_of_work(writes=False) as uow:
                changes = uow.embeddings.changes_after(self.watermark - FEED_LOOKBACK, model)
            fresh = [c for c in changes if c[0] not in self._applied and c[0] > 0]
            for kind in {kind for _, kind, _, _ in fresh}:
                self._apply_changes(
                    kind, [(item_id, removed) for _, k, item_id, removed in fresh if k == kind]
                )
            if changes:
                self.watermark = max(self.watermark, changes[-1][0])
            self._applied = {c[0] for c in changes if c[0] > self.watermark - FEED_LOOKBACK}
            self._save_if_due()
            return len(fresh)

    def _catch_up(self, kind: str, index: VectorIndex) -> None:
        """Bring a just-loaded index up to the feed (before it is checked against the stored count)."""
        model = self.embedder.model_name
        with self.db.unit_of_work(writes=False) as uow:
            changes = uow.embeddings.changes_after(index.watermark - FEED_LOOKBACK, model)
        mine = [(item_id, removed) for _, k, item_id, removed in changes if k == kind]
        self._apply_changes(kind, mine, index)
        if mine:
            log.info("index caught up on the change feed", extra={"index": kind, "changes": len(mine)})

    def _apply_changes(
        self, kind: str, changes: Sequence[tuple[int, bool]], target: VectorIndex | None = None
    ) -> None:
        """The stored state of each changed item goes into ``target`` (default: the live index)."""
        latest = dict(changes)  # the last change of an item wins
        gone = [item_id for item_id, removed in latest.items() if removed]
        with self.db.unit_of_work(writes=False) as uow:
            ids, matrix = uow.embeddings.load(
                kind, self.embedder.model_name, [i for i, removed in latest.items() if not removed]
            )
        with self._swap:
            index = target or self.index(kind)
            present = set(ids.tolist())
            index.remove([i for i in latest if i not in present or i in gone])
            if len(ids) and matrix.shape[1] == index.dimension:
                index.add(ids, matrix)
            if target is None and kind in self._journal:
                self._journal[kind] += [(i, None) for i in gone]
                self._journal[kind] += list(zip(ids.tolist(), matrix, strict=True))
        if target is None:
            self._unsaved.add(kind)
            self._side_indexes_changed(kind, list(latest))

    def _save_if_due(self) -> None:
        if self._unsaved and time.monotonic() - self._last_save >= FOLLOW_SAVE_EVERY:
            for kind in sorted(self._unsaved):
                self._save(kind, self.index(kind))
            self._unsaved.clear()
            self._last_save = time.monotonic()

    def _save(self, kind: str, index: VectorIndex) -> None:
        index.watermark = max(index.watermark, self.watermark)
        index.save(self.folder, kind)

    def embed_missing(self, kind: str, progress: Progress | None = None) -> int:
        """Embed items whose text has no stored vector for this model yet (or changed). Returns how many.

        Only items edited after their vector was stored (``updated_at``) or without one are read and hashed:
        a start over an unchanged catalog reads ids and two timestamps per row, not every text.
        """
        model = self.embedder.model_name
        items = self._changed_texts(kind)
        with self.db.unit_of_work(writes=False) as uow:
            known = uow.embeddings.hashes_of(kind, model, [item_id for item_id, _ in items])
        todo = [(item_id, text) for item_id, text in items if known.get(item_id) != text_hash(text)]
        del items, known
        # Texts of similar length batch together: less padding, so the model runs at its bulk speed.
        todo.sort(key=lambda item: len(item[1]))
        for start in range(0, len(todo), self.batch_size):
            batch = todo[start : start + self.batch_size]
            vectors = self.embedder.embed([text for _, text in batch])
            with self.db.unit_of_work() as uow:
                uow.embeddings.put_many(
                    kind,
                    model,
                    [(item_id, vector, text) for (item_id, text), vector in zip(batch, vectors, strict=True)],
                )
            if progress:
                progress(min(start + len(batch), len(todo)), len(todo))
        return len(todo)

    def rebuild(self, kind: str) -> VectorIndex:
        """Build the index from stored vectors only (no model calls), swap it in, save it.

        The live index keeps answering searches during the build; the layout (exact or IVF) follows size.
        """
        with self._swap:
            self._journal[kind] = []
        try:
            ids, matrix = self._stored_vectors(kind)
            index = VectorIndex.build(
                self.embedder.dimension, self.embedder.model_name, ids, matrix, threads=self.build_threads
            )
            del ids, matrix
            with self._swap:
                for item_id, vector in self._journal.pop(kind, []):
                    if vector is None:
                        index.remove([item_id])
                    else:
                        index.add(np.array([item_id]), vector.reshape(1, -1))
                self._indexes[kind] = index
        finally:
            with self._swap:
                self._journal.pop(kind, None)
        release_free_memory()
        self._side_indexes_changed(kind, None)
        self._save(kind, index)
        log.info("index rebuilt", extra={"index": kind, "size": len(index), "layout": index.layout.label})
        return index

    def upsert(self, kind: str, item_id: int, text: str) -> None:
        """Embed one new or edited item and put it in its index at once."""
        vector = self.embedder.embed([text])[0]
        with self.db.unit_of_work() as uow:
            uow.embeddings.put(kind, item_id, self.embedder.model_name, vector, text)
        with self._swap:
            index = self.index(kind)
            index.add(np.array([item_id]), vector.reshape(1, -1))
            if kind in self._journal:
                self._journal[kind].append((item_id, vector))
        self._side_indexes_changed(kind, [item_id])
        self._save(kind, index)

    def remove(self, kind: str, item_id: int) -> None:
        with self.db.unit_of_work() as uow:
            uow.embeddings.delete(kind, item_id)
        with self._swap:
            index = self.index(kind)
            index.remove([item_id])
            if kind in self._journal:
                self._journal[kind].append((item_id, None))
        self._side_indexes_changed(kind, [item_id])
        self._save(kind, index)

    def search(self, kind: str, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        return self.index(kind).search(vector, k)

    def _stored_vectors(self, kind: str) -> tuple[np.ndarray, np.ndarray]:
        """Stored vectors of live items, read in chunks into one matrix (no second full-size copy)."""
        live_ids = self._live_ids(kind)
        model = self.embedder.model_name
        with self.db.unit_of_work(writes=False) as uow:
            repo = uow.embeddings
            capacity = repo.count(kind, model)
            ids = np.empty(capacity, dtype=np.int64)
            matrix = np.empty((capacity, self.embedder.dimension), dtype=np.float32)
            filled = 0
            for chunk_ids, chunk in repo.iter_chunks(kind, model):
                if chunk.shape[1] != self.embedder.dimension:
                    continue
                keep = np.isin(chunk_ids, live_ids)
                n = int(keep.sum())
                if filled + n > capacity:  # rows added since the count: grow (rare)
                    ids = np.resize(ids, filled + n)
                    matrix = np.resize(matrix, (filled + n, self.embedder.dimension))
                ids[filled : filled + n] = chunk_ids[keep]
                matrix[filled : filled + n] = chunk[keep]
                filled += n
        return ids[:filled], matrix[:filled]

    def _is_current(self, kind: str, index: VectorIndex) -> bool:
        with self.db.unit_of_work(writes=False) as uow:
            stored = uow.embeddings.count(kind, self.embedder.model_name)
        return (
            index.model == self.embedder.model_name
            and index.dimension == self.embedder.dimension
            and len(index) == stored
        )

    def _texts(self, kind: str, only: Sequence[int] | None = None) -> Sequence[tuple[int, str]]:
        """(id, embedded text) of every live item, or of the ``only`` ids among them."""
        with self.db.unit_of_work(writes=False) as uow:
            if kind == ANSWER:
                return [(a.id, a.embedding_text()) for a in uow.knowledge.all()]
            if kind == RESOURCE:
                return [(r.id, r.embedding_text()) for r in uow.indexed_items.resources(only)]
            return [(t.id, t.profile_text()) for t in uow.indexed_items.teachers(only) if t.onboarded]

    def _changed_texts(self, kind: str) -> Sequence[tuple[int, str]]:
        """Texts of items with no vector for this model, or edited since theirs was stored (answers: all)."""
        if kind == ANSWER:  # a few hundred answered questions: not worth a watermark
            return self._texts(kind)
        with self.db.unit_of_work(writes=False) as uow:
            stale = uow.indexed_items.stale_ids(kind, self.embedder.model_name)
        return self._texts(kind, stale) if stale else []

    def _live_ids(self, kind: str) -> np.ndarray:
        if kind == ANSWER:
            return np.fromiter((item_id for item_id, _ in self._texts(kind)), dtype=np.int64)
        with self.db.unit_of_work(writes=False) as uow:
            return np.fromiter(uow.indexed_items.live_ids(kind), dtype=np.int64)
