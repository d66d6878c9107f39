"""Teacher profiles."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.domain.teachers import Teacher
from bot.storage.models import TeacherRow
from bot.storage.repositories.row_cache import cache_for
from bot.storage.repositories.row_memo import RowMemo, as_text, json_tuple

PROFILE_FIELDS: tuple[str, ...] = (
    "name",
    "subjects",
    "grades",
    "interests",
    "roles",
    "bio",
    "timezone",
    "open_to_help",
    "years_experience",
    "school",
    "workspace_id",
    "onboarded",
    "email",
)

PENDING_PREFIX = "email:"  # platform_user_id of a teacher imported by email, not yet linked to an account


def to_teacher(row: TeacherRow) -> Teacher:
    return Teacher(
        id=row.id,
        platform=row.platform,
        platform_user_id=row.platform_user_id,
        name=row.name,
        subjects=tuple(row.subjects or ()),
        grades=tuple(row.grades or ()),
        interests=tuple(row.interests or ()),
        roles=tuple(row.roles or ()),
        bio=row.bio or "",
        timezone=row.timezone,
        open_to_help=row.open_to_help,
        years_experience=row.years_experience,
        school=row.school or "",
        workspace_id=row.workspace_id,
        onboarded=row.onboarded,
        email=row.email,
    )


_C = TeacherRow.__table__.c
# The columns a Teacher is made of, JSON lists as text (``get_many``, see ``row_memo``).
_COLUMNS = (
    _C.id,
    _C.platform,
    _C.platform_user_id,
    _C.name,
    as_text(_C.subjects),
    as_text(_C.grades),
    as_text(_C.interests),
    _C.bio,
    _C.timezone,
    _C.open_to_help,
    _C.years_experience,
    _C.school,
    _C.workspace_id,
    _C.onboarded,
    _C.email,
    as_text(_C.roles),
)


def _from_columns(row: Sequence[Any]) -> Teacher:
    (item_id, platform, user_id, name, subjects, grades, interests, bio, timezone) = row[:9]
    open_to_help, years, school, workspace_id, onboarded, email, roles = row[9:]
    return Teacher(
        id=item_id,
        platform=platform,
        platform_user_id=user_id,
        name=name,
        subjects=json_tuple(subjects),
        grades=json_tuple(grades),
        interests=json_tuple(interests),
        roles=json_tuple(roles),
        bio=bio or "",
        timezone=timezone,
        open_to_help=open_to_help,
        years_experience=years,
        school=school or "",
        workspace_id=workspace_id,
        onboarded=onboarded,
        email=email,
    )


_MEMO = RowMemo(_C.id, _COLUMNS, _from_columns)


class TeacherRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, teacher_id: int) -> Teacher | None:
        row = self.session.get(TeacherRow, teacher_id)
        return to_teacher(row) if row else None

    def get_many(self, teacher_ids: Iterable[int]) -> dict[int, Teacher]:
        ids = list(teacher_ids)
        if not ids:
            return {}
        return cache_for(self.session, "teachers", _MEMO.get_many).get_many(self.session, ids)

    def find(self, platform: str, platform_user_id: str) -> Teacher | None:
        row = self._find_row(platform, platform_user_id)
        return to_teacher(row) if row else None

    def find_by_name(self, platform: str, name: str) -> Teacher | None:
        """Case-insensitive lookup by display name or handle (console ``/as``)."""
        needle = name.strip().lower()
        rows = self.session.scalars(select(TeacherRow).where(TeacherRow.platform == platform)).all()
        for row in rows:
            if needle in (row.name.lower(), row.platform_user_id.lower()):
                return to_teacher(row)
        for row in rows:
            if row.name.lower().startswith(needle) or row.platform_user_id.lower().startswith(needle):
                return to_teacher(row)
        return None

    def upsert(self, platform: str, platform_user_id: str, fields: Mapping[str, Any]) -> tuple[Teacher, bool]:
        """Create or update a profile; returns the teacher and whether it was created."""
        row = self._find_row(platform, platform_user_id)
        created = row is None
        if row is None:
            row = TeacherRow(platform=platform, platform_user_id=platform_user_id, name=platform_user_id)
            self.session.add(row)
        for key, value in fields.items():
            if key not in PROFILE_FIELDS:
                raise ValueError(f"unknown teacher field: {key}")
            if isinstance(value, tuple):
                value = list(value)
            setattr(row, key, value)
        self.session.flush()
        return to_teacher(row), created

    def find_by_email(self, platform: str, email: str) -> Teacher | None:
        row = self.session.scalar(
            select(TeacherRow)
            .where(TeacherRow.platform == platform, TeacherRow.email == email.strip().lower())
            .order_by(TeacherRow.id)
            .limit(1)
        )
        return to_teacher(row) if row else None

    def relink(self, teacher_id: int, platform_user_id: str) -> None:
        """Give a teacher imported by email their real platform id (first contact, lookup or sync)."""
        row = self.session.get(TeacherRow, teacher_id)
        if row is not None:
            if row.platform_user_id.startswith(PENDING_PREFIX):
                row.onboarded = True  # the district's imported profile, complete: now a possible helper
            row.platform_user_id = platform_user_id
            self.session.flush()

    def all(self) -> list[Teacher]:
        """Every row, by id (kept for the question path too: a full read warms its cache)."""

        def read() -> dict[int, Teacher]:
            rows = self.session.scalars(select(TeacherRow).order_by(TeacherRow.id))
            return {x.id: x for x in map(to_teacher, rows)}

        return list(cache_for(self.session, "teachers", _MEMO.get_many).fill(self.session, read).values())

    def count(self, platform: str | None = None) -> int:
        query = select(func.count(TeacherRow.id))
        if platform is not None:
            query = query.where(TeacherRow.platform == platform)
        return int(self.session.scalar(query) or 0)

    def _find_row(self, platform: str, platform_user_id: str) -> TeacherRow | None:
        return self.session.scalar(
            select(TeacherRow).where(_C.platform == platform, TeacherRow.platform_user_id == platform_user_id)
        )
