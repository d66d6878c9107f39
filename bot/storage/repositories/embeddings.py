"""Stored embedding vectors (float32 blobs keyed by kind, item id and model)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import numpy as np
from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from bot.storage.models import EmbeddingRow, IndexChangeRow, utcnow

CHANGES_CHANNEL = "kindred_index_changes"  # PostgreSQL NOTIFY channel: the feed has new rows


def _upsert(session: Session) -> Any:
    """``INSERT … ON CONFLICT (kind, item_id, model) DO UPDATE`` for the session's database."""
    dialect = session.get_bind().dialect.name
    statement = (postgresql_insert if dialect == "postgresql" else sqlite_insert)(EmbeddingRow)
    replaced = {name: statement.excluded[name] for name in ("dim", "text_hash", "vector", "created_at")}
    return statement.on_conflict_do_update(index_elements=["kind", "item_id", "model"], set_=replaced)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class EmbeddingRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def put(self, kind: str, item_id: int, model: str, vector: np.ndarray, source_text: str) -> None:
        """Insert or replace one vector."""
        self.put_many(kind, model, [(item_id, vector, source_text)])

    def put_many(self, kind: str, model: str, items: Sequence[tuple[int, np.ndarray, str]]) -> None:
        """Insert or replace many ``(item_id, vector, source_text)`` in one statement (bulk import).

        An upsert, so two processes embedding the same new item at once (both starting on a fresh
        import) both succeed instead of one failing on the primary key."""
        if not items:
            return
        now = utcnow()  # when the text was embedded: compared with the item's updated_at
        rows = []
        for item_id, vector, source_text in items:
            data = np.asarray(vector, dtype=np.float32)
            rows.append(
                {
                    "kind": kind,
                    "item_id": item_id,
                    "model": model,
                    "dim": int(data.shape[0]),
                    "text_hash": text_hash(source_text),
                    "vector": data.tobytes(),
                    "created_at": now,
                }
            )
        self.session.execute(_upsert(self.session), rows)
        self._record_changes(kind, [item_id for item_id, _, _ in items], model)
        self.session.flush()

    def count(self, kind: str, model: str) -> int:
        query = select(func.count()).where(EmbeddingRow.kind == kind, EmbeddingRow.model == model)
        return int(self.session.scalar(query) or 0)

    def iter_chunks(
        self, kind: str, model: str, chunk: int = 50_000
    ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """All vectors of a kind in id order, ``chunk`` rows at a time (bounded memory for big indexes)."""
        after = None
        while True:
            query = select(EmbeddingRow.item_id, EmbeddingRow.dim, EmbeddingRow.vector).where(
                EmbeddingRow.kind == kind, EmbeddingRow.model == model
            )
            if after is not None:
                query = query.where(EmbeddingRow.item_id > after)
            rows = self.session.execute(query.order_by(EmbeddingRow.item_id).limit(chunk)).all()
            if not rows:
                return
            ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
            matrix = np.empty((len(rows), rows[0][1]), dtype=np.float32)
            for i, row in enumerate(rows):
                matrix[i] = np.frombuffer(row[2], dtype=np.float32)
            after = int(ids[-1])
            del rows
            yield ids, matrix

    def hashes(self, kind: str, model: str) -> dict[int, str]:
        """item id -> hash of the text that was embedded (to find stale vectors)."""
        rows = self.session.execute(
            select(EmbeddingRow.item_id, EmbeddingRow.text_hash).where(
                EmbeddingRow.kind == kind, EmbeddingRow.model == model
            )
        )
        return {int(item_id): h for item_id, h in rows}

    def hashes_of(self, kind: str, model: str, item_ids: Sequence[int]) -> dict[int, str]:
        """item id -> hash of its embedded text, for these items only."""
        if not item_ids:
            return {}
        rows = self.session.execute(
            select(EmbeddingRow.item_id, EmbeddingRow.text_hash).where(
                EmbeddingRow.kind == kind, EmbeddingRow.model == model, EmbeddingRow.item_id.in_(item_ids)
            )
        )
        return {int(item_id): h for item_id, h in rows}

    def load(
        self, kind: str, model: str, item_ids: Iterable[int] | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """All vectors of a kind as (ids int64, matrix float32)."""
        query = select(EmbeddingRow.item_id, EmbeddingRow.dim, EmbeddingRow.vector).where(
            EmbeddingRow.kind == kind, EmbeddingRow.model == model
        )
        if item_ids is not None:
            query = query.where(EmbeddingRow.item_id.in_(list(item_ids)))
        return _as_matrix(self.session.execute(query.order_by(EmbeddingRow.item_id)).all())

    def load_for_texts(
        self, kind: str, model: str, items: Sequence[tuple[int, str]]
    ) -> tuple[np.ndarray, np.ndarray]:
        """Like ``load`` for ``(item id, text)``, but only the vectors embedded from that very text."""
        expected = {item_id: text_hash(text) for item_id, text in items}
        rows = self.session.execute(
            select(EmbeddingRow.item_id, EmbeddingRow.dim, EmbeddingRow.vector, EmbeddingRow.text_hash)
            .where(
                EmbeddingRow.kind == kind,
                EmbeddingRow.model == model,
                EmbeddingRow.item_id.in_(list(expected)),
            )
            .order_by(EmbeddingRow.item_id)
        ).all()
        return _as_matrix([r for r in rows if expected.get(r[0]) == r[3]])

    def delete(self, kind: str, item_id: int) -> None:
        self.session.execute(
            delete(EmbeddingRow).where(EmbeddingRow.kind == kind, EmbeddingRow.item_id == item_id)
        )
        self._record_changes(kind, [item_id], None)

    def _record_changes(self, kind: str, item_ids: Sequence[int], model: str | None) -> None:
        """Append to the change feed in the same transaction as the vectors (other processes follow it)."""
        self.session.execute(
            insert(IndexChangeRow),
            [{"kind": kind, "item_id": i, "model": model, "removed": model is None} for i in item_ids],
        )
        if self.session.get_bind().dialect.name == "postgresql":  # delivered at commit, once per transaction
            self.session.execute(text(f"NOTIFY {CHANGES_CHANNEL}"))

    def changes_after(self, after: int, model: str, limit: int = 5000) -> list[tuple[int, str, int, bool]]:
        """``(change id, kind, item id, removed)`` after ``after`` that concern ``model``, oldest first."""
        query = (
            select(IndexChangeRow.id, IndexChangeRow.kind, IndexChangeRow.item_id, IndexChangeRow.removed)
            .where(
                IndexChangeRow.id > after,
                (IndexChangeRow.model == model) | IndexChangeRow.model.is_(None),
            )
            .order_by(IndexChangeRow.id)
            .limit(limit)
        )
        return [(int(c), k, int(i), bool(r)) for c, k, i, r in self.session.execute(query)]

    def last_change_id(self) -> int:
        return int(self.session.scalar(select(func.max(IndexChangeRow.id))) or 0)


def _as_matrix(rows: Sequence[Any]) -> tuple[np.ndarray, np.ndarray]:
    """``(item id, dim, vector bytes, …)`` rows in id order as (ids int64, matrix float32)."""
    if not rows:
        return np.empty(0, dtype=np.int64), np.empty((0, 0), dtype=np.float32)
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    matrix = np.frombuffer(b"".join(r[2] for r in rows), dtype=np.float32).reshape(len(rows), rows[0][1])
    return ids, matrix
