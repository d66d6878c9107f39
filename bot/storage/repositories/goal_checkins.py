"""Weekly goal check-in rows (unique per goal and week): scheduling, and the compare-and-set claim that keeps
several workers from sending the same check-in twice."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.domain.followups import CLAIMED, PENDING
from bot.storage.database import affected_rows
from bot.storage.models import GoalCheckinRow


def _due(now: datetime, lease: timedelta) -> ColumnElement[bool]:
    """Pending and due, or claimed longer than ``lease`` ago (its worker died)."""
    return or_(
        and_(GoalCheckinRow.state == PENDING, GoalCheckinRow.due_at <= now),
        and_(GoalCheckinRow.state == CLAIMED, GoalCheckinRow.claimed_at <= now - lease),
    )


class GoalCheckinRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def schedule(self, goal_id: int, week_start: date, due_at: datetime) -> bool:
        """Insert the goal's check-in for the week unless it exists; True when this call created it."""
        exists = self.session.scalar(
            select(GoalCheckinRow.id).where(
                GoalCheckinRow.goal_id == goal_id, GoalCheckinRow.week_start == week_start
            )
        )
        if exists is not None:
            return False
        try:
            with self.session.begin_nested():
                self.session.add(
                    GoalCheckinRow(goal_id=goal_id, week_start=week_start, due_at=due_at, state=PENDING)
                )
        except IntegrityError:  # another worker scheduled it first
            return False
        return True

    def due_ids(self, now: datetime, lease: timedelta, limit: int) -> list[int]:
        """Ids of the check-ins to send now, earliest due first."""
        query = select(GoalCheckinRow.id).where(_due(now, lease)).order_by(GoalCheckinRow.due_at).limit(limit)
        return list(self.session.scalars(query))

    def claim(self, checkin_id: int, now: datetime, lease: timedelta) -> bool:
        """Take the check-in if it is still due (counts an attempt); False when another worker has it."""
        result = self.session.execute(
            update(GoalCheckinRow)
            .where(GoalCheckinRow.id == checkin_id, _due(now, lease))
            .values(state=CLAIMED, claimed_at=now, attempts=GoalCheckinRow.attempts + 1)
            .execution_options(synchronize_session=False)
        )
        return bool(affected_rows(result))

    def goal_id(self, checkin_id: int) -> int | None:
        return self.session.scalar(select(GoalCheckinRow.goal_id).where(GoalCheckinRow.id == checkin_id))

    def attempts(self, checkin_id: int) -> int:
        found = self.session.scalar(select(GoalCheckinRow.attempts).where(GoalCheckinRow.id == checkin_id))
        return found or 0

    def finish(self, checkin_id: int, values: Mapping[str, object]) -> None:
        """Record the outcome of a claimed check-in (a row no longer claimed is left alone)."""
        self.session.execute(
            update(GoalCheckinRow)
            .where(GoalCheckinRow.id == checkin_id, GoalCheckinRow.state == CLAIMED)
            .values(**values)
            .execution_options(synchronize_session=False)
        )

    def next_due_at(self) -> datetime | None:
        """The earliest due moment of a pending check-in."""
        return self.session.scalar(
            select(func.min(GoalCheckinRow.due_at)).where(GoalCheckinRow.state == PENDING)
        )
