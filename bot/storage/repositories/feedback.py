"""Reactions to suggested resources: helped, saved, not relevant."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.storage.models import FeedbackRow, ResourceRow

FEEDBACK_KINDS = ("helped", "save", "not_relevant")


class FeedbackRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def record(self, teacher_id: int, resource_id: int, request_id: int | None, kind: str) -> bool:
        """Record once; returns False when the same reaction was already recorded."""
        if kind not in FEEDBACK_KINDS:
            raise ValueError(f"unknown feedback kind: {kind}")
        existing = self.session.scalar(
            select(FeedbackRow.id).where(
                FeedbackRow.teacher_id == teacher_id,
                FeedbackRow.resource_id == resource_id,
                FeedbackRow.request_id.is_(None)
                if request_id is None
                else FeedbackRow.request_id == request_id,
                FeedbackRow.kind == kind,
            )
        )
        if existing is not None:
            return False
        self.session.add(
            FeedbackRow(teacher_id=teacher_id, resource_id=resource_id, request_id=request_id, kind=kind)
        )
        self.session.flush()
        return True

    def resource_ids(self, teacher_id: int, kind: str) -> list[int]:
        rows = self.session.scalars(
            select(FeedbackRow.resource_id)
            .where(FeedbackRow.teacher_id == teacher_id, FeedbackRow.kind == kind)
            .order_by(FeedbackRow.created_at.desc())
        )
        return list(dict.fromkeys(rows))

    def helpful_shares(self, teacher_id: int) -> list[tuple[int, str]]:
        """(sharer id, title) of the resources a teacher marked helped or saved, newest first (resources
        someone shared only)."""
        rows = self.session.execute(
            select(ResourceRow.shared_by, ResourceRow.title)
            .join(FeedbackRow, FeedbackRow.resource_id == ResourceRow.id)
            .where(
                FeedbackRow.teacher_id == teacher_id,
                FeedbackRow.kind.in_(("helped", "save")),
                ResourceRow.shared_by.is_not(None),
            )
            .order_by(FeedbackRow.created_at.desc())
        ).all()
        return [(sharer, title) for sharer, title in rows if sharer is not None]

    def reaction_counts(self) -> list[tuple[int, str, int]]:
        """(resource id, reaction kind, how many) over every reaction."""
        rows = self.session.execute(
            select(FeedbackRow.resource_id, FeedbackRow.kind, func.count(FeedbackRow.id)).group_by(
                FeedbackRow.resource_id, FeedbackRow.kind
            )
        ).all()
        return [(resource_id, kind, int(n)) for resource_id, kind, n in rows]
