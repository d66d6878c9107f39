"""Goals and the private learning log (reflections are only ever shown to their author)."""

from __future__ import annotations

import math
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.domain.clock import as_utc
from bot.domain.goals import Goal, GoalProgress, LogEntry
from bot.storage.database import affected_rows
from bot.storage.models import GoalLogRow, GoalRow


def to_goal(row: GoalRow) -> Goal:
    return Goal(
        id=row.id,
        teacher_id=row.teacher_id,
        text=row.text,
        created_at=as_utc(row.created_at),
        framework=row.framework,
        component_code=row.component_code,
        component_name=row.component_name,
    )


def to_entry(row: GoalLogRow) -> LogEntry:
    return LogEntry(row.id, row.goal_id, row.text, as_utc(row.created_at))


class GoalRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def active(self, teacher_id: int) -> Goal | None:
        row = self.session.scalar(
            select(GoalRow)
            .where(GoalRow.teacher_id == teacher_id, GoalRow.active.is_(True))
            .order_by(GoalRow.id.desc())
            .limit(1)
        )
        return to_goal(row) if row else None

    def get(self, goal_id: int) -> tuple[Goal, bool] | None:
        """The goal and whether it is still active."""
        row = self.session.get(GoalRow, goal_id)
        return (to_goal(row), row.active) if row else None

    def all_active(self) -> list[Goal]:
        return [to_goal(r) for r in self.session.scalars(select(GoalRow).where(GoalRow.active.is_(True)))]

    def set_goal(
        self,
        teacher_id: int,
        text: str,
        now: datetime,
        framework: str | None = None,
        code: str | None = None,
        name: str | None = None,
    ) -> Goal:
        """The new goal becomes the active one; earlier goals (and their logs) are kept, inactive."""
        self.session.execute(
            update(GoalRow)
            .where(GoalRow.teacher_id == teacher_id, GoalRow.active.is_(True))
            .values(active=False)
        )
        row = GoalRow(
            teacher_id=teacher_id,
            text=text,
            framework=framework,
            component_code=code,
            component_name=name,
            active=True,
            created_at=as_utc(now),
        )
        self.session.add(row)
        self.session.flush()
        return to_goal(row)

    def clear(self, teacher_id: int) -> int:
        result = self.session.execute(
            update(GoalRow)
            .where(GoalRow.teacher_id == teacher_id, GoalRow.active.is_(True))
            .values(active=False)
        )
        return affected_rows(result)

    def add_log(self, goal_id: int, text: str, now: datetime) -> LogEntry:
        row = GoalLogRow(goal_id=goal_id, text=text, created_at=as_utc(now))
        self.session.add(row)
        self.session.flush()
        return to_entry(row)

    def logs(self, goal_id: int, limit: int = 20) -> list[LogEntry]:
        rows = self.session.scalars(
            select(GoalLogRow)
            .where(GoalLogRow.goal_id == goal_id)
            .order_by(GoalLogRow.created_at.desc(), GoalLogRow.id.desc())
            .limit(limit)
        )
        return [to_entry(r) for r in rows]

    def progress(self, goal: Goal, now: datetime) -> GoalProgress:
        entries = self.session.scalar(select(func.count(GoalLogRow.id)).where(GoalLogRow.goal_id == goal.id))
        last = self.logs(goal.id, limit=1)
        days = max(0.0, (as_utc(now) - goal.created_at).total_seconds() / 86400)
        weeks = max(1, math.ceil(days / 7)) if days else 1
        return GoalProgress(goal, weeks, int(entries or 0), last[0] if last else None)
