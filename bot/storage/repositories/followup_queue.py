"""The follow-up queue's claim, renewal and finish: the compare-and-set SQL behind exactly-once sends.

Each call is meant to be its own unit of work (the dispatcher commits a claim before the slow send, and
renews it in another transaction right before sending). Claims carry a fresh token per attempt; only the
holder of the token may renew or finish the row."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from sqlalchemy import and_, case, func, or_, select, update
from sqlalchemy.orm import Session

from bot.domain.followups import CLAIMED, PENDING, Job
from bot.storage.database import affected_rows
from bot.storage.models import FollowUpRow


class FollowUpQueue:
    def __init__(self, session: Session) -> None:
        self.session = session

    def claim(
        self, token: str, now: datetime, lease: timedelta, limit: int = 1, only: tuple[str, int] | None = None
    ) -> list[Job]:
        """Atomically take up to ``limit`` due (or abandoned) rows under ``token``; ``only`` = (kind,
        request id) limits it to that request-level row. Returns the claimed jobs, earliest due first."""
        due = or_(
            and_(FollowUpRow.state == PENDING, FollowUpRow.due_at <= now),
            and_(FollowUpRow.state == CLAIMED, FollowUpRow.claimed_at <= now - lease),
        )
        if only is not None:
            due = and_(
                due,
                FollowUpRow.kind == only[0],
                FollowUpRow.request_id == only[1],
                FollowUpRow.target_teacher_id.is_(None),
            )
        pick = select(FollowUpRow.id).where(due).order_by(FollowUpRow.due_at, FollowUpRow.id).limit(limit)
        claim = (
            update(FollowUpRow)
            .values(
                state=CLAIMED,
                claim_token=token,
                claimed_at=now,
                # Taking over an abandoned claim counts as an attempt, so a row that kills its
                # dispatcher every time still ends up ``failed`` instead of looping forever.
                attempts=FollowUpRow.attempts + case((FollowUpRow.state == CLAIMED, 1), else_=0),
            )
            .execution_options(synchronize_session=False)
        )
        if self.session.get_bind().dialect.name == "sqlite":  # one statement: SQLite serialises writers
            self.session.execute(claim.where(FollowUpRow.id.in_(pick.scalar_subquery())))
        else:
            ids = list(self.session.scalars(pick.with_for_update(skip_locked=True)))
            if ids:
                self.session.execute(claim.where(FollowUpRow.id.in_(ids)))
        rows = self.session.scalars(
            select(FollowUpRow).where(FollowUpRow.claim_token == token).order_by(FollowUpRow.due_at)
        )
        return [Job(r.id, r.kind, r.request_id, r.target_teacher_id, r.attempts) for r in rows]

    def renew(self, followup_id: int, token: str, now: datetime, lease: timedelta) -> bool:
        """Compare-and-set: still claimed under ``token`` and within the lease? Then extend it to ``now``."""
        result = self.session.execute(
            update(FollowUpRow)
            .where(
                FollowUpRow.id == followup_id,
                FollowUpRow.claim_token == token,
                FollowUpRow.state == CLAIMED,
                FollowUpRow.claimed_at > now - lease,
            )
            .values(claimed_at=now)
            .execution_options(synchronize_session=False)
        )
        return bool(affected_rows(result))

    def finish(self, followup_id: int, token: str, values: Mapping[str, object]) -> bool:
        """Record the result only while the claim under ``token`` still holds (idempotent per row)."""
        result = self.session.execute(
            update(FollowUpRow)
            .where(
                FollowUpRow.id == followup_id, FollowUpRow.claim_token == token, FollowUpRow.state == CLAIMED
            )
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        return bool(affected_rows(result))

    def state(self, followup_id: int) -> str | None:
        return self.session.scalar(select(FollowUpRow.state).where(FollowUpRow.id == followup_id))

    def next_due_at(self) -> datetime | None:
        """The earliest due moment of a pending follow-up."""
        return self.session.scalar(select(func.min(FollowUpRow.due_at)).where(FollowUpRow.state == PENDING))
