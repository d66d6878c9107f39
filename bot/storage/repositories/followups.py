"""Follow-up rows, nudges, human-reply tracking and the request facts the follow-up jobs check (the queue's
claim/renew/finish SQL is in ``followup_queue``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.domain.followups import RequestForFollowUp
from bot.domain.requests import RequestStatus
from bot.storage.database import affected_rows
from bot.storage.models import (
    CANCELLED,
    CLAIMED,
    DID_IT_HELP,
    ESCALATE,
    PENDING,
    FollowUpRow,
    HelpRequestRow,
    NudgeRow,
    SuggestionRow,
)
from bot.storage.repositories.requests import RequestRepository

__all__ = ["DID_IT_HELP", "ESCALATE", "FollowUpRepository"]  # the kinds handlers schedule


class FollowUpRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def schedule(
        self,
        kind: str,
        request_id: int,
        due_at: datetime,
        target_teacher_id: int | None = None,
        reset: bool = False,
    ) -> bool:
        """Insert the follow-up unless it exists; ``reset`` re-arms a finished one. True if (re)armed."""
        row = self._find(kind, request_id, target_teacher_id)
        if row is None:
            try:
                with self.session.begin_nested():
                    self.session.add(
                        FollowUpRow(
                            kind=kind,
                            request_id=request_id,
                            target_teacher_id=target_teacher_id,
                            due_at=due_at,
                            state=PENDING,
                            attempts=0,
                        )
                    )
                return True
            except IntegrityError:  # someone else scheduled it first: nothing is scheduled twice
                row = self._find(kind, request_id, target_teacher_id)
                if row is None:
                    raise
        if not reset or row.state == CLAIMED:
            return False
        row.state, row.due_at, row.attempts, row.last_error = PENDING, due_at, 0, None
        row.claim_token = row.claimed_at = row.sent_at = None
        self.session.flush()
        return True

    def cancel_pending(self, request_id: int) -> int:
        result = self.session.execute(
            update(FollowUpRow)
            .where(FollowUpRow.request_id == request_id, FollowUpRow.state == PENDING)
            .values(state=CANCELLED)
        )
        return affected_rows(result)

    def state(self, kind: str, request_id: int) -> str | None:
        """The state of the request-level row of ``kind`` (None when there is none)."""
        row = self._find(kind, request_id, None)
        return row.state if row else None

    def request(self, request_id: int) -> RequestForFollowUp | None:
        row = self.session.get(HelpRequestRow, request_id)
        if row is None:
            return None
        return RequestForFollowUp(
            id=row.id,
            asker_id=row.asker_id,
            text=row.text,
            platform=row.platform,
            status=RequestStatus(row.status),
            anonymous=row.anonymous,
            source=row.source,
            first_human_reply_at=row.first_human_reply_at,
        )

    def asked_privately(self, request_id: int) -> bool:
        """Asked with ``/ask`` (not in a channel), not anonymously, and never posted to the help channel."""
        row = self.session.get(HelpRequestRow, request_id)
        if row is None or row.source != "command" or row.anonymous:
            return False
        return not RequestRepository(self.session).is_posted(row.id)

    def nudged_teacher_ids(self, request_id: int) -> set[int]:
        return set(self.session.scalars(select(NudgeRow.teacher_id).where(NudgeRow.request_id == request_id)))

    def suggested_peer_ids(self, request_id: int) -> set[int]:
        rows = self.session.scalars(
            select(SuggestionRow.teacher_id).where(
                SuggestionRow.request_id == request_id, SuggestionRow.kind == "peer"
            )
        )
        return {tid for tid in rows if tid is not None}

    def nudge_counts(self, teacher_ids: Iterable[int], since: datetime) -> dict[int, int]:
        ids = list(teacher_ids)
        if not ids:
            return {}
        rows = self.session.execute(
            select(NudgeRow.teacher_id, func.count(NudgeRow.id))
            .where(NudgeRow.teacher_id.in_(ids), NudgeRow.created_at >= since)
            .group_by(NudgeRow.teacher_id)
        )
        return {int(tid): int(n) for tid, n in rows}

    def add_nudge(self, request_id: int, teacher_id: int, now: datetime) -> None:
        self.session.add(NudgeRow(request_id=request_id, teacher_id=teacher_id, created_at=now))
        self.session.flush()

    def human_reply_at(self, request_id: int) -> datetime | None:
        return self.session.scalar(
            select(HelpRequestRow.first_human_reply_at).where(HelpRequestRow.id == request_id)
        )

    def mark_human_reply(self, request_id: int, now: datetime) -> bool:
        """Set ``first_human_reply_at`` once; True when this was the first reply."""
        result = self.session.execute(
            update(HelpRequestRow)
            .where(HelpRequestRow.id == request_id, HelpRequestRow.first_human_reply_at.is_(None))
            .values(first_human_reply_at=now)
        )
        return bool(affected_rows(result))

    def clear_human_reply(self, request_id: int) -> None:
        """A reopened request counts as unanswered again, so escalation may reach new peers."""
        self.session.execute(
            update(HelpRequestRow).where(HelpRequestRow.id == request_id).values(first_human_reply_at=None)
        )

    def _find(self, kind: str, request_id: int, target_teacher_id: int | None) -> FollowUpRow | None:
        target = (
            FollowUpRow.target_teacher_id.is_(None)
            if target_teacher_id is None
            else FollowUpRow.target_teacher_id == target_teacher_id
        )
        return self.session.scalar(
            select(FollowUpRow).where(FollowUpRow.kind == kind, FollowUpRow.request_id == request_id, target)
        )
