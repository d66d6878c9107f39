"""Reads and writes of the anonymity tables (one session, owned by the caller)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain.anonymous import AnonymousQuestion
from bot.domain.requests import RequestStatus
from bot.storage.models import (
    AnonymityAuditRow,
    AnonymousBlockRow,
    AnonymousFlagRow,
    AnonymousQuestionRow,
    HelpChannelRow,
    HelpRequestRow,
    RequestPostRow,
)


class AnonymityStore:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add_question(
        self,
        request_id: int,
        platform: str,
        workspace_id: str | None,
        pseudonym: str,
        identity: bytes,
        fingerprint: str,
    ) -> None:
        self.session.add(
            AnonymousQuestionRow(
                request_id=request_id,
                platform=platform,
                workspace_id=workspace_id,
                pseudonym=pseudonym,
                identity=identity,
                fingerprint=fingerprint,
            )
        )
        self.session.flush()

    def open_questions_of(self, platform: str, fingerprint: str) -> list[tuple[int, str]]:
        """(request id, text) of one asker's (by keyed fingerprint) open anonymous questions, newest first."""
        rows = self.session.execute(
            select(HelpRequestRow.id, HelpRequestRow.text)
            .join(AnonymousQuestionRow, AnonymousQuestionRow.request_id == HelpRequestRow.id)
            .where(
                AnonymousQuestionRow.platform == platform,
                AnonymousQuestionRow.fingerprint == fingerprint,
                AnonymousQuestionRow.deleted.is_(False),
                HelpRequestRow.status.in_([RequestStatus.OPEN.value, RequestStatus.ANSWERED.value]),
            )
            .order_by(HelpRequestRow.id.desc())
        )
        return [(int(i), text) for i, text in rows]

    def question(self, request_id: int) -> AnonymousQuestionRow | None:
        return self.session.get(AnonymousQuestionRow, request_id)

    def summary(self, request_id: int) -> AnonymousQuestion | None:
        """The question's pseudonym, community and flags (no identity), or None when it is not anonymous."""
        row = self.session.get(AnonymousQuestionRow, request_id)
        if row is None:
            return None
        return AnonymousQuestion(
            row.request_id, row.platform, row.workspace_id, row.pseudonym, row.hidden, row.deleted
        )

    def recent_pseudonyms(self, platform: str, days: int = 60) -> set[str]:
        since = datetime.now(UTC) - timedelta(days=days)
        rows = self.session.scalars(
            select(AnonymousQuestionRow.pseudonym).where(
                AnonymousQuestionRow.platform == platform, AnonymousQuestionRow.created_at >= since
            )
        )
        return set(rows)

    def post_of(self, request_id: int) -> tuple[str, str] | None:
        row = self.session.scalars(
            select(RequestPostRow).where(RequestPostRow.request_id == request_id).order_by(RequestPostRow.id)
        ).first()
        return (row.channel_id, row.message_id) if row else None

    def is_blocked(self, platform: str, fingerprint: str) -> bool:
        found = self.session.scalar(
            select(AnonymousBlockRow.id).where(
                AnonymousBlockRow.platform == platform, AnonymousBlockRow.fingerprint == fingerprint
            )
        )
        return found is not None

    def block(self, platform: str, fingerprint: str, request_id: int, moderator: str) -> None:
        if not self.is_blocked(platform, fingerprint):
            self.session.add(AnonymousBlockRow(platform=platform, fingerprint=fingerprint,
                                               request_id=request_id, blocked_by=moderator))  # fmt: skip
            self.session.flush()

    def flag(self, request_id: int, flagged_by: str) -> bool:
        exists = self.session.scalar(
            select(AnonymousFlagRow.id).where(
                AnonymousFlagRow.request_id == request_id, AnonymousFlagRow.flagged_by == flagged_by
            )
        )
        if exists is None:
            self.session.add(AnonymousFlagRow(request_id=request_id, flagged_by=flagged_by))
            self.session.flush()
        return exists is None

    def audit(
        self, action: str, request_id: int | None, platform: str, actor_id: str, detail: str = ""
    ) -> None:
        self.session.add(AnonymityAuditRow(action=action, request_id=request_id, actor_platform=platform,
                                           actor_id=actor_id, detail=detail))  # fmt: skip
        self.session.flush()

    def help_channel(self, platform: str, workspace_id: str | None) -> str | None:
        if not workspace_id:
            return None
        return self.session.scalar(
            select(HelpChannelRow.channel_id).where(
                HelpChannelRow.platform == platform, HelpChannelRow.workspace_id == workspace_id
            )
        )

    def set_help_channel(self, platform: str, workspace_id: str, channel_id: str) -> None:
        row = self.session.scalars(
            select(HelpChannelRow).where(
                HelpChannelRow.platform == platform, HelpChannelRow.workspace_id == workspace_id
            )
        ).first()
        if row is None:
            self.session.add(
                HelpChannelRow(platform=platform, workspace_id=workspace_id, channel_id=channel_id)
            )
        else:
            row.channel_id = channel_id
        self.session.flush()
