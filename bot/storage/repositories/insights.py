"""The rows leader insights count: questions, what was ranked first for them, reuse, goals, helpers.

Only ids, timestamps, statuses, subjects and tags leave here; never question text or names. Every list is
of rows created at or after ``since`` (the caller filters the upper bound in Python, in UTC).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.storage.models import FeedbackRow, GoalRow, HelpRequestRow, ResourceRow, SuggestionRow

USED = ("helped", "save")  # feedback that says a resource was used
_CHUNK = 500


class InsightsRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def questions_since(
        self, since: datetime
    ) -> list[tuple[int, int | None, datetime, datetime | None, str]]:
        """(id, asker id, asked at, first human reply at, status) of the questions asked since ``since``."""
        rows = self.session.execute(
            select(
                HelpRequestRow.id,
                HelpRequestRow.asker_id,
                HelpRequestRow.created_at,
                HelpRequestRow.first_human_reply_at,
                HelpRequestRow.status,
            ).where(HelpRequestRow.created_at >= since)
        )
        return [(i, asker, created, replied, status) for i, asker, created, replied, status in rows]

    def top_resources(self, request_ids: Sequence[int]) -> dict[int, tuple[list[str], list[str]]]:
        """request id -> (subjects, tags) of the resource ranked first for it."""
        out: dict[int, tuple[list[str], list[str]]] = {}
        for start in range(0, len(request_ids), _CHUNK):
            chunk = request_ids[start : start + _CHUNK]
            rows = self.session.execute(
                select(SuggestionRow.request_id, ResourceRow.subjects, ResourceRow.tags)
                .join(ResourceRow, ResourceRow.id == SuggestionRow.resource_id)
                .where(
                    SuggestionRow.request_id.in_(chunk),
                    SuggestionRow.kind == "resource",
                    SuggestionRow.rank == 1,
                )
            )
            for request_id, subjects, tags in rows:
                out[request_id] = (list(subjects or ()), list(tags or ()))
        return out

    def uses_since(self, since: datetime) -> list[tuple[int, int, datetime, str]]:
        """(resource id, teacher id, when, resource title) of each "helped" or "save" since ``since``."""
        rows = self.session.execute(
            select(FeedbackRow.resource_id, FeedbackRow.teacher_id, FeedbackRow.created_at, ResourceRow.title)
            .join(ResourceRow, ResourceRow.id == FeedbackRow.resource_id)
            .where(FeedbackRow.kind.in_(USED), FeedbackRow.created_at >= since)
        )
        return [(resource_id, teacher_id, at, title) for resource_id, teacher_id, at, title in rows]

    def danielson_goal_components(self) -> list[tuple[int, str | None, str | None]]:
        """(teacher id, component code, component name) of each active goal linked to a Danielson one."""
        rows = self.session.execute(
            select(GoalRow.teacher_id, GoalRow.component_code, GoalRow.component_name).where(
                GoalRow.active.is_(True),
                GoalRow.framework == "danielson",
                GoalRow.component_code.is_not(None),
            )
        )
        return [(teacher_id, code, name) for teacher_id, code, name in rows]

    def shares_since(self, since: datetime) -> list[tuple[int | None, datetime]]:
        """(sharer, when) of each resource shared since ``since``."""
        rows = self.session.execute(
            select(ResourceRow.shared_by, ResourceRow.created_at).where(
                ResourceRow.shared_by.is_not(None), ResourceRow.created_at >= since
            )
        )
        return [(sharer, at) for sharer, at in rows]

    def shared_uses_since(self, since: datetime) -> list[tuple[int | None, int, datetime]]:
        """(sharer, user, when) of each "helped" or "save" of a shared resource since ``since``."""
        rows = self.session.execute(
            select(ResourceRow.shared_by, FeedbackRow.teacher_id, FeedbackRow.created_at)
            .join(ResourceRow, ResourceRow.id == FeedbackRow.resource_id)
            .where(
                ResourceRow.shared_by.is_not(None),
                FeedbackRow.kind.in_(USED),
                FeedbackRow.created_at >= since,
            )
        )
        return [(sharer, user, at) for sharer, user, at in rows]
