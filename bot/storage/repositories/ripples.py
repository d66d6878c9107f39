"""Ripples, derived from the tables that already record them plus ``ripple_events`` for the rest.

A teacher's own actions never ripple back to them, and a colleague who asked anonymously stays unnamed.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TypedDict

from sqlalchemy import ColumnElement, SQLColumnExpression, and_, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.domain.ripples import EVENT_KINDS, Ripple, RippleKind
from bot.storage.models import (
    AdaptationRow,
    FeedbackRow,
    HelpRequestRow,
    ResourceRow,
    RippleEventRow,
    SuggestionRow,
)

_FEEDBACK_KINDS = {"helped": RippleKind.RESOURCE_HELPED, "save": RippleKind.RESOURCE_SAVED}


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def once_key(kind: str, teacher_id: int, *others: int | None) -> str:
    """What a recorded ripple is once for: kind, teacher, colleague, request, answer ("-" for none)."""
    return ":".join([kind, str(teacher_id), *("-" if other is None else str(other) for other in others)])


def _not_by(column: SQLColumnExpression[int | None], teacher_id: int) -> ColumnElement[bool]:
    return or_(column.is_(None), column != teacher_id)


class RippleRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def record(
        self,
        kind: RippleKind,
        teacher_id: int,
        colleague_id: int | None = None,
        request_id: int | None = None,
        answer_id: int | None = None,
        note: str = "",
        at: datetime | None = None,
    ) -> bool:
        """Record a ripple no other table holds, once per (kind, teacher, colleague, request, answer).

        Returns False for a duplicate or a self-ripple. Two transactions recording the same ripple at once
        (two processes) store it once: the unique ``once_key`` refuses the second, inside a savepoint.
        """
        if kind not in EVENT_KINDS:
            raise ValueError(f"{kind} is derived from other tables, not recorded as an event")
        if colleague_id is not None and colleague_id == teacher_id:
            return False
        same = [
            RippleEventRow.kind == kind.value,
            RippleEventRow.teacher_id == teacher_id,
            *(
                col.is_(None) if value is None else col == value
                for col, value in (
                    (RippleEventRow.colleague_id, colleague_id),
                    (RippleEventRow.request_id, request_id),
                    (RippleEventRow.answer_id, answer_id),
                )
            ),
        ]
        if self.session.scalar(select(RippleEventRow.id).where(and_(*same))) is not None:
            return False
        row = RippleEventRow(
            kind=kind.value,
            teacher_id=teacher_id,
            colleague_id=colleague_id,
            request_id=request_id,
            answer_id=answer_id,
            note=note,
            once_key=once_key(kind.value, teacher_id, colleague_id, request_id, answer_id),
        )
        if at is not None:
            row.created_at = at
        try:
            with self.session.begin_nested():
                self.session.add(row)
        except IntegrityError:
            found = self.session.scalar(
                select(RippleEventRow.id).where(RippleEventRow.once_key == row.once_key)
            )
            if found is not None:
                return False  # recorded meanwhile by another transaction
            raise
        return True

    def for_teacher(self, teacher_id: int, since: datetime) -> list[Ripple]:
        """Every ripple of ``teacher_id`` since ``since``, newest first."""
        ripples = [
            *self._suggestions(teacher_id, since),
            *self._feedback(teacher_id, since),
            *self._adaptations(teacher_id, since),
            *self._events(teacher_id, since),
        ]
        return sorted(ripples, key=lambda r: r.at, reverse=True)

    def _suggestions(self, teacher_id: int, since: datetime) -> list[Ripple]:
        shared = select(ResourceRow.id).where(ResourceRow.shared_by == teacher_id)
        rows = self.session.execute(
            select(
                SuggestionRow.kind,
                SuggestionRow.resource_id,
                SuggestionRow.request_id,
                SuggestionRow.created_at,
                HelpRequestRow.asker_id,
                HelpRequestRow.anonymous,
            )
            .join(HelpRequestRow, HelpRequestRow.id == SuggestionRow.request_id)
            .where(
                SuggestionRow.created_at >= since,
                _not_by(HelpRequestRow.asker_id, teacher_id),
                or_(
                    and_(SuggestionRow.kind == "resource", SuggestionRow.resource_id.in_(shared)),
                    and_(SuggestionRow.kind == "peer", SuggestionRow.teacher_id == teacher_id),
                ),
            )
        )
        return [
            Ripple(
                kind=RippleKind.RESOURCE_SUGGESTED if kind == "resource" else RippleKind.PEER_SUGGESTED,
                teacher_id=teacher_id,
                at=_utc(created),
                resource_id=resource_id,
                request_id=request_id,
                **_colleague(asker_id, anonymous, f"request:{request_id}"),
            )
            for kind, resource_id, request_id, created, asker_id, anonymous in rows
        ]

    def _feedback(self, teacher_id: int, since: datetime) -> list[Ripple]:
        rows = self.session.execute(
            select(
                FeedbackRow.id,
                FeedbackRow.kind,
                FeedbackRow.resource_id,
                FeedbackRow.request_id,
                FeedbackRow.teacher_id,
                FeedbackRow.created_at,
                HelpRequestRow.anonymous,
            )
            .join(ResourceRow, ResourceRow.id == FeedbackRow.resource_id)
            .outerjoin(HelpRequestRow, HelpRequestRow.id == FeedbackRow.request_id)
            .where(
                ResourceRow.shared_by == teacher_id,
                FeedbackRow.kind.in_(tuple(_FEEDBACK_KINDS)),
                FeedbackRow.teacher_id != teacher_id,
                FeedbackRow.created_at >= since,
            )
        )
        return [
            Ripple(
                kind=_FEEDBACK_KINDS[kind],
                teacher_id=teacher_id,
                at=_utc(created),
                resource_id=resource_id,
                request_id=request_id,
                **_colleague(colleague_id, bool(anonymous), _key(request_id, f"feedback:{fid}")),
            )
            for fid, kind, resource_id, request_id, colleague_id, created, anonymous in rows
        ]

    def _adaptations(self, teacher_id: int, since: datetime) -> list[Ripple]:
        rows = self.session.execute(
            select(
                AdaptationRow.id,
                AdaptationRow.resource_id,
                AdaptationRow.teacher_id,
                AdaptationRow.note,
                AdaptationRow.created_at,
            )
            .join(ResourceRow, ResourceRow.id == AdaptationRow.resource_id)
            .where(
                ResourceRow.shared_by == teacher_id,
                _not_by(AdaptationRow.teacher_id, teacher_id),
                AdaptationRow.created_at >= since,
            )
        )
        return [
            Ripple(
                kind=RippleKind.ADAPTED,
                teacher_id=teacher_id,
                at=_utc(created),
                resource_id=resource_id,
                note=note,
                **_colleague(colleague_id, False, f"adaptation:{aid}"),
            )
            for aid, resource_id, colleague_id, note, created in rows
        ]

    def _events(self, teacher_id: int, since: datetime) -> list[Ripple]:
        rows = self.session.execute(
            select(RippleEventRow, HelpRequestRow.anonymous)
            .outerjoin(HelpRequestRow, HelpRequestRow.id == RippleEventRow.request_id)
            .where(RippleEventRow.teacher_id == teacher_id, RippleEventRow.created_at >= since)
        )
        return [
            Ripple(
                kind=RippleKind(row.kind),
                teacher_id=teacher_id,
                at=_utc(row.created_at),
                answer_id=row.answer_id,
                request_id=row.request_id,
                note=row.note,
                **_colleague(row.colleague_id, bool(anonymous), _key(row.request_id, f"event:{row.id}")),
            )
            for row, anonymous in rows
        ]


def _key(request_id: int | None, fallback: str) -> str:
    """An unnamed colleague is told apart by their question (one anonymous question, one colleague)."""
    return f"request:{request_id}" if request_id is not None else fallback


class _Colleague(TypedDict):
    colleague_id: int | None
    colleague_key: str


def _colleague(colleague_id: int | None, anonymous: bool, fallback_key: str) -> _Colleague:
    """Name the colleague unless they asked anonymously; either way give a key that tells them apart."""
    if colleague_id is None or anonymous:
        return {"colleague_id": None, "colleague_key": fallback_key}
    return {"colleague_id": colleague_id, "colleague_key": f"teacher:{colleague_id}"}
