"""Reads and writes of the anonymity tables (one session, owned by the caller)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.orm import Session

from bot.domain.anonymous import AnonymousQuestion, EscrowedQuestion
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

# Re-seals one sealed identity under a new key: (new sealed identity, new fingerprint).
Reseal = Callable[[bytes], tuple[bytes, str]]


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

    def question(self, request_id: int) -> EscrowedQuestion | None:
        """The question with its fingerprint and sealed identity (for the escrow), or None."""
        row = self.session.get(AnonymousQuestionRow, request_id)
        if row is None:
            return None
        return EscrowedQuestion(
            row.request_id,
            row.platform,
            row.workspace_id,
            row.pseudonym,
            row.hidden,
            row.deleted,
            fingerprint=row.fingerprint,
            identity=row.identity,
        )

    def hide(self, request_id: int) -> None:
        """A moderator hid it: replies no longer reach the asker."""
        self._change(request_id, hidden=True)

    def mark_deleted(self, request_id: int) -> None:
        """Its asker deleted it."""
        self._change(request_id, deleted=True)

    def mark_revealed(self, request_id: int, at: datetime) -> None:
        """Its asker chose to show their name in the thread."""
        self._change(request_id, revealed_at=at)

    def _change(self, request_id: int, **values: object) -> None:
        row = self.session.get(AnonymousQuestionRow, request_id)
        if row is None:
            raise LookupError(f"no anonymous question {request_id}")
        for name, value in values.items():
            setattr(row, name, value)
        self.session.flush()

    def summary(self, request_id: int) -> AnonymousQuestion | None:
        """The question's pseudonym, community and flags (no identity), or None when it is not anonymous."""
        row = self.session.get(AnonymousQuestionRow, request_id)
        if row is None:
            return None
        return AnonymousQuestion(
            row.request_id, row.platform, row.workspace_id, row.pseudonym, row.hidden, row.deleted
        )

    def rekey(self, reseal: Reseal) -> tuple[int, int, int]:
        """Re-seal every identity and re-key every fingerprint; a block follows its author's new one, and a
        block whose author's questions are gone is dropped. (identities, blocks re-keyed, blocks dropped).

        The caller's transaction makes it all or nothing: ``reseal`` raising leaves a rollback to do."""
        renamed: dict[tuple[str, str], str] = {}
        questions = self.session.scalars(select(AnonymousQuestionRow)).all()
        for row in questions:
            row.identity, fingerprint = reseal(row.identity)
            renamed[(row.platform, row.fingerprint)] = fingerprint
            row.fingerprint = fingerprint
        blocks, orphans = 0, 0
        for block in self.session.scalars(select(AnonymousBlockRow)).all():
            renamed_to = renamed.get((block.platform, block.fingerprint))
            if renamed_to is None:
                self.session.delete(block)
                orphans += 1
            else:
                block.fingerprint = renamed_to
                blocks += 1
        self.session.flush()
        return len(questions), blocks, orphans

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

    # --- one platform user's rows (export and forget-me) ------------------------------------------------

    def request_ids_of(self, fingerprint: str) -> list[int]:
        """The anonymous questions of the asker with this keyed fingerprint."""
        return list(
            self.session.scalars(
                select(AnonymousQuestionRow.request_id).where(AnonymousQuestionRow.fingerprint == fingerprint)
            )
        )

    def questions_with_pseudonyms(self, request_ids: list[int]) -> list[tuple[int, str, datetime, str]]:
        """(request id, text, asked at, pseudonym), oldest first."""
        if not request_ids:
            return []
        rows = self.session.execute(
            select(
                HelpRequestRow.id,
                HelpRequestRow.text,
                HelpRequestRow.created_at,
                AnonymousQuestionRow.pseudonym,
            )
            .join(AnonymousQuestionRow, AnonymousQuestionRow.request_id == HelpRequestRow.id)
            .where(HelpRequestRow.id.in_(request_ids))
            .order_by(HelpRequestRow.id)
        )
        return [(request_id, text, at, pseudonym) for request_id, text, at, pseudonym in rows]

    def flags_raised_by(self, platform: str, user_id: str) -> list[int]:
        """The questions this platform user flagged."""
        return list(
            self.session.scalars(select(AnonymousFlagRow.request_id).where(_flags(platform, user_id)))
        )

    def actions_taken_by(self, platform: str, user_id: str) -> list[tuple[str, int | None, datetime]]:
        """(action, request id, when) of the moderator actions this platform user took, in order."""
        rows = self.session.execute(
            select(AnonymityAuditRow.action, AnonymityAuditRow.request_id, AnonymityAuditRow.created_at)
            .where(_audit(platform, user_id))
            .order_by(AnonymityAuditRow.id)
        )
        return [(action, request_id, at) for action, request_id, at in rows]

    def forget_actor(self, platform: str, user_id: str, forgotten: str) -> bool:
        """Their flags go; audit and block rows they wrote as a moderator stay, naming ``forgotten`` instead.
        True when there was a flag or an audit row of theirs."""
        flags = self.session.scalar(
            select(func.count()).select_from(AnonymousFlagRow).where(_flags(platform, user_id))
        )
        audits = self.session.scalar(
            select(func.count()).select_from(AnonymityAuditRow).where(_audit(platform, user_id))
        )
        self.session.execute(delete(AnonymousFlagRow).where(_flags(platform, user_id)))
        self.session.execute(
            update(AnonymityAuditRow).where(_audit(platform, user_id)).values(actor_id=forgotten)
        )
        self.session.execute(
            update(AnonymousBlockRow)
            .where(AnonymousBlockRow.platform == platform, AnonymousBlockRow.blocked_by == user_id)
            .values(blocked_by=forgotten)
        )
        return bool(flags or audits)

    def delete_questions(self, request_ids: list[int]) -> None:
        """The escrow rows of these questions (the questions themselves are deleted separately)."""
        self.session.execute(
            delete(AnonymousQuestionRow).where(AnonymousQuestionRow.request_id.in_(request_ids))
        )


def _flags(platform: str, user_id: str) -> ColumnElement[bool]:
    on_platform = select(HelpRequestRow.id).where(HelpRequestRow.platform == platform).scalar_subquery()
    return (AnonymousFlagRow.flagged_by == user_id) & AnonymousFlagRow.request_id.in_(on_platform)


def _audit(platform: str, user_id: str) -> ColumnElement[bool]:
    return (AnonymityAuditRow.actor_platform == platform) & (AnonymityAuditRow.actor_id == user_id)
