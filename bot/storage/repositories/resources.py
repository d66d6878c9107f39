"""The resource catalog and its adaptation notes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.domain.resources import Resource
from bot.storage.models import AdaptationRow, ResourceRow
from bot.storage.repositories.row_cache import cache_for
from bot.storage.repositories.row_memo import RowMemo, as_text, json_tuple

RESOURCE_FIELDS: tuple[str, ...] = (
    "title",
    "url",
    "description",
    "subjects",
    "grades",
    "tags",
    "kind",
    "shared_by",
    "workspace_id",
)


def to_resource(row: ResourceRow) -> Resource:
    return Resource(
        id=row.id,
        title=row.title,
        url=row.url,
        description=row.description or "",
        subjects=tuple(row.subjects or ()),
        grades=tuple(row.grades or ()),
        tags=tuple(row.tags or ()),
        kind=row.kind,
        shared_by=row.shared_by,
        workspace_id=row.workspace_id,
    )


_C = ResourceRow.__table__.c
# The columns a Resource is made of, JSON lists as text (``get_many``, see ``row_memo``).
_COLUMNS = (
    _C.id,
    _C.title,
    _C.url,
    _C.description,
    as_text(_C.subjects),
    as_text(_C.grades),
    as_text(_C.tags),
    _C.kind,
    _C.shared_by,
    _C.workspace_id,
)


def _from_columns(row: Sequence[Any]) -> Resource:
    item_id, title, url, description, subjects, grades, tags, kind, shared_by, workspace_id = row
    return Resource(
        id=item_id,
        title=title,
        url=url,
        description=description or "",
        subjects=json_tuple(subjects),
        grades=json_tuple(grades),
        tags=json_tuple(tags),
        kind=kind,
        shared_by=shared_by,
        workspace_id=workspace_id,
    )


_MEMO = RowMemo(_C.id, _COLUMNS, _from_columns)


class ResourceRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, resource_id: int) -> Resource | None:
        row = self.session.get(ResourceRow, resource_id)
        return to_resource(row) if row else None

    def get_many(self, resource_ids: Iterable[int]) -> dict[int, Resource]:
        ids = list(resource_ids)
        if not ids:
            return {}
        return cache_for(self.session, "resources", _MEMO.get_many).get_many(self.session, ids)

    def upsert(self, fields: Mapping[str, Any]) -> tuple[Resource, bool]:
        """Insert or update, keyed by URL when there is one, else by title: re-import never duplicates."""
        unknown = set(fields) - set(RESOURCE_FIELDS)
        if unknown:
            raise ValueError(f"unknown resource field(s): {', '.join(sorted(unknown))}")
        row = self._find_row(fields.get("url"), fields["title"])
        created = row is None
        if row is None:
            row = ResourceRow(title=fields["title"])
            self.session.add(row)
        for key, value in fields.items():
            setattr(row, key, list(value) if isinstance(value, tuple) else value)
        self.session.flush()
        return to_resource(row), created

    def find_by_url(self, url: str) -> Resource | None:
        row = self.session.scalar(select(ResourceRow).where(ResourceRow.url == url))
        return to_resource(row) if row else None

    def find_unlinked(self, title: str) -> Resource | None:
        """A resource without a link whose title is exactly ``title`` (how link-less shares are keyed)."""
        row = self._find_row(None, title) if title else None
        return to_resource(row) if row else None

    def find_by_title(self, text: str, limit: int = 6) -> list[Resource]:
        """Resources whose title is ``text`` (any case), else whose title contains it; best first."""
        needle = " ".join(text.split()).lower()
        if not needle:
            return []
        title = func.lower(ResourceRow.title)
        exact = self.session.scalars(select(ResourceRow).where(title == needle).order_by(ResourceRow.id))
        rows = list(exact) or list(
            self.session.scalars(
                select(ResourceRow)
                .where(title.contains(needle, autoescape=True))
                .order_by(ResourceRow.id)
                .limit(limit)
            )
        )
        return [to_resource(r) for r in rows[:limit]]

    def all(self) -> list[Resource]:
        """Every row, by id (kept for the question path too: a full read warms its cache)."""

        def read() -> dict[int, Resource]:
            rows = self.session.scalars(select(ResourceRow).order_by(ResourceRow.id))
            return {x.id: x for x in map(to_resource, rows)}

        return list(cache_for(self.session, "resources", _MEMO.get_many).fill(self.session, read).values())

    def count(self) -> int:
        return int(self.session.scalar(select(func.count(ResourceRow.id))) or 0)

    def add_adaptation(self, resource_id: int, teacher_id: int | None, note: str) -> None:
        self.session.add(AdaptationRow(resource_id=resource_id, teacher_id=teacher_id, note=note))
        self.session.flush()

    def adaptation_notes(self, resource_ids: Iterable[int], per_resource: int = 2) -> dict[int, list[str]]:
        """Newest "how I used it" notes per resource."""
        ids = list(resource_ids)
        if not ids:
            return {}
        rows = self.session.scalars(
            select(AdaptationRow)
            .where(AdaptationRow.resource_id.in_(ids))
            .order_by(AdaptationRow.created_at.desc(), AdaptationRow.id.desc())
        )
        notes: dict[int, list[str]] = {}
        for row in rows:
            bucket = notes.setdefault(row.resource_id, [])
            if len(bucket) < per_resource:
                bucket.append(row.note)
        return notes

    def _find_row(self, url: str | None, title: str) -> ResourceRow | None:
        if url:
            return self.session.scalar(select(ResourceRow).where(ResourceRow.url == url))
        return self.session.scalar(
            select(ResourceRow).where(ResourceRow.title == title, ResourceRow.url.is_(None)).limit(1)
        )
