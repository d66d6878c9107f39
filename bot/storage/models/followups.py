"""Follow-up tables: scheduled follow-ups (the durable job queue) and nudges sent to helpers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from bot.domain.followups import (  # kinds and states: plain strings in the database
    ANON_POST,
    CANCELLED,
    CLAIMED,
    DID_IT_HELP,
    ESCALATE,
    FAILED,
    PENDING,
    POST_PUBLIC,
    SENT,
)
from bot.storage.models.base import Base, utcnow

__all__ = [
    "ANON_POST",
    "CANCELLED",
    "CLAIMED",
    "DID_IT_HELP",
    "ESCALATE",
    "FAILED",
    "PENDING",
    "POST_PUBLIC",
    "SENT",
    "FollowUpRow",
    "NudgeRow",
]


class FollowUpRow(Base):
    """One follow-up to run at ``due_at``. Carries ids only: never message text or personal data.

    A request-level row has ``target_teacher_id`` NULL; the partial unique index keeps those unique too
    (NULLs are distinct in an ordinary unique constraint).
    """

    __tablename__ = "followups"
    __table_args__ = (
        UniqueConstraint("kind", "request_id", "target_teacher_id", name="uq_followups_once"),
        Index(
            "uq_followups_once_per_request",
            "kind",
            "request_id",
            unique=True,
            sqlite_where=text("target_teacher_id IS NULL"),
            postgresql_where=text("target_teacher_id IS NULL"),
        ),
        Index("ix_followups_state_due", "state", "due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    request_id: Mapped[int] = mapped_column(ForeignKey("help_requests.id", ondelete="CASCADE"), index=True)
    target_teacher_id: Mapped[int | None] = mapped_column(
        ForeignKey("teachers.id", ondelete="CASCADE"), default=None
    )
    due_at: Mapped[datetime] = mapped_column()
    state: Mapped[str] = mapped_column(String(16), default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    claim_token: Mapped[str | None] = mapped_column(String(36), default=None, index=True)
    claimed_at: Mapped[datetime | None] = mapped_column(default=None)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class NudgeRow(Base):
    """A helper was asked about a request: never nudge the same person about the same request twice."""

    __tablename__ = "nudges"
    __table_args__ = (
        UniqueConstraint("request_id", "teacher_id", name="uq_nudges_once"),
        Index("ix_nudges_teacher_created", "teacher_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("help_requests.id", ondelete="CASCADE"))
    teacher_id: Mapped[int] = mapped_column(ForeignKey("teachers.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
