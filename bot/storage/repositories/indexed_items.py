"""The catalog rows the vector indexes are built from: resources and teachers, read as domain values.

Reads stream (``yield_per``): at a million rows, holding every ORM object at once costs gigabytes."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from bot.domain.resources import Resource
from bot.domain.teachers import Teacher
from bot.storage.models import EmbeddingRow, ResourceRow, TeacherRow
from bot.storage.repositories.resources import to_resource
from bot.storage.repositories.teachers import to_teacher

STREAM_CHUNK = 10_000  # rows per fetch when reading every resource or teacher
ID_CHUNK = 1000  # ids per IN (...) when reading some of them
# The embedding kind of each item table ("answer" vectors belong to the knowledge base, not to a table here).
Row = TypeVar("Row", ResourceRow, TeacherRow)
_TABLES: dict[str, type[ResourceRow] | type[TeacherRow]] = {"resource": ResourceRow, "teacher": TeacherRow}


class IndexedItems:
    def __init__(self, session: Session) -> None:
        self.session = session

    def resources(self, only: Sequence[int] | None = None) -> Iterator[Resource]:
        """Every resource (or the ``only`` ids among them), by id within each chunk of ids."""
        for row in self._rows(ResourceRow, only):
            yield to_resource(row)

    def teachers(self, only: Sequence[int] | None = None) -> Iterator[Teacher]:
        """Every teacher (or the ``only`` ids among them), onboarded or not."""
        for row in self._rows(TeacherRow, only):
            yield to_teacher(row)

    def stale_ids(self, kind: str, model: str) -> list[int]:
        """Items of ``kind`` with no vector of ``model``, or edited since theirs was stored."""
        table = _TABLES[kind]
        vector = and_(
            EmbeddingRow.kind == kind, EmbeddingRow.item_id == table.id, EmbeddingRow.model == model
        )
        # Compared by the database, so a start over an unchanged catalog reads no row at all (in Python, the
        # two timestamps of every row cost about 0.6 s at 100k). SQLite stores both columns as UTC text in
        # one fixed format (``UTCDateTime``), so its text comparison orders them as times.
        query = (
            select(table.id)
            .outerjoin(EmbeddingRow, vector)
            .where(
                or_(
                    EmbeddingRow.created_at.is_(None),
                    table.updated_at.is_(None),
                    table.updated_at > EmbeddingRow.created_at,
                )
            )
        )
        return [int(item_id) for item_id in self.session.scalars(query)]

    def live_ids(self, kind: str) -> Iterator[int]:
        """Ids of the items of ``kind`` that belong in its index (teachers: onboarded ones)."""
        if kind == "resource":
            return iter(self.session.scalars(select(ResourceRow.id)))
        return iter(self.session.scalars(select(TeacherRow.id).where(TeacherRow.onboarded.is_(True))))

    def _rows(self, table: type[Row], only: Sequence[int] | None) -> Iterator[Row]:
        chunks = [None] if only is None else [only[i : i + ID_CHUNK] for i in range(0, len(only), ID_CHUNK)]
        for chunk in chunks:
            query = select(table).order_by(table.id)
            if chunk is not None:
                query = query.where(table.id.in_(chunk))
            yield from self.session.scalars(query.execution_options(yield_per=STREAM_CHUNK))
