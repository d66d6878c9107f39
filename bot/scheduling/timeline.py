"""When the next piece of scheduled work falls due (the console's ``/wait`` steps from one to the next)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from bot.scheduling.working_hours import as_utc
from bot.storage.database import Database
from bot.storage.models import PENDING, FollowUpRow, GoalCheckinRow


def next_due_at(db: Database) -> datetime | None:
    """The earliest due moment of a pending follow-up or goal check-in, or None when nothing waits."""
    with db.session() as session:
        moments = [
            session.scalar(select(func.min(FollowUpRow.due_at)).where(FollowUpRow.state == PENDING)),
            session.scalar(select(func.min(GoalCheckinRow.due_at)).where(GoalCheckinRow.state == PENDING)),
        ]
    found = [as_utc(m) for m in moments if m is not None]
    return min(found) if found else None
