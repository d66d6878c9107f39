"""When the next piece of scheduled work falls due (the console's ``/wait`` steps from one to the next)."""

from __future__ import annotations

from datetime import datetime

from bot.domain.clock import as_utc
from bot.storage.database import Database


def next_due_at(db: Database) -> datetime | None:
    """The earliest due moment of a pending follow-up or goal check-in, or None when nothing waits."""
    with db.unit_of_work(writes=False) as uow:
        moments = [uow.followup_queue.next_due_at(), uow.goal_checkins.next_due_at()]
    found = [as_utc(m) for m in moments if m is not None]
    return min(found) if found else None
