"""Anonymity tables: the escrowed (encrypted) identity behind an anonymous question, flags, blocks,
per-workspace help channels and the audit log of moderator actions.

No column here holds a platform user id or a name in clear text for an anonymous asker: ``identity`` is
Fernet ciphertext and ``fingerprint`` is a keyed HMAC (used to recognise the asker and blocked authors
without decrypting).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models.base import Base, utcnow


class AnonymousQuestionRow(Base):
    __tablename__ = "anonymous_questions"

    request_id: Mapped[int] = mapped_column(
        ForeignKey("help_requests.id", ondelete="CASCADE"), primary_key=True
    )
    platform: Mapped[str] = mapped_column(String(16))
    workspace_id: Mapped[str | None] = mapped_column(String(64), default=None)
    pseudonym: Mapped[str] = mapped_column(String(64))
    identity: Mapped[bytes] = mapped_column(LargeBinary)  # Fernet token of {"user_id", "name"}
    fingerprint: Mapped[str] = mapped_column(String(64), index=True)  # HMAC-SHA256(platform:user_id)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    revealed_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AnonymousFlagRow(Base):
    __tablename__ = "anonymous_flags"
    __table_args__ = (UniqueConstraint("request_id", "flagged_by", name="uq_anonymous_flags_once"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("help_requests.id", ondelete="CASCADE"), index=True)
    flagged_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AnonymousBlockRow(Base):
    __tablename__ = "anonymous_blocks"
    __table_args__ = (UniqueConstraint("platform", "fingerprint", name="uq_anonymous_blocks_once"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    fingerprint: Mapped[str] = mapped_column(String(64))
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("help_requests.id", ondelete="SET NULL"), default=None
    )
    blocked_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class HelpChannelRow(Base):
    """``/kindred setup help-channel``: the help channel of one workspace/guild."""

    __tablename__ = "help_channels"
    __table_args__ = (UniqueConstraint("platform", "workspace_id", name="uq_help_channels_workspace"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    workspace_id: Mapped[str] = mapped_column(String(64))
    channel_id: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class AnonymityAuditRow(Base):
    """Every moderator action on an anonymous question (and every escrow reveal attempt)."""

    __tablename__ = "anonymity_audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action: Mapped[str] = mapped_column(String(32))
    request_id: Mapped[int | None] = mapped_column(Integer, default=None, index=True)
    actor_platform: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[str] = mapped_column(String(64))  # the moderator (never the anonymous asker)
    detail: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
