"""Help requests, where they were posted, what Kindred suggested and what the asker said of it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import text as sql
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models.base import Base, utcnow


class HelpRequestRow(Base):
    """A question. The ask reaction answers a message once: one ``reaction`` request per message (the
    partial unique index holds across processes; a mention or a look-up may still ask about it again)."""

    __tablename__ = "help_requests"
    __table_args__ = (
        Index(
            "uq_help_requests_reaction_once",
            "platform",
            "channel_id",
            "message_id",
            unique=True,
            sqlite_where=sql("source = 'reaction'"),
            postgresql_where=sql("source = 'reaction'"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    asker_id: Mapped[int | None] = mapped_column(ForeignKey("teachers.id", ondelete="SET NULL"), index=True)
    text: Mapped[str] = mapped_column(Text)
    platform: Mapped[str] = mapped_column(String(16))
    channel_id: Mapped[str | None] = mapped_column(String(64), default=None)
    message_id: Mapped[str | None] = mapped_column(String(64), default=None)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(16), default="command")  # command | channel
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    first_human_reply_at: Mapped[datetime | None] = mapped_column(default=None)  # follow-ups stop on a reply
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class RequestPostRow(Base):
    """Where a question was published (help channel post), so replies in its thread map back to it."""

    __tablename__ = "request_posts"
    __table_args__ = (
        UniqueConstraint("platform", "channel_id", "message_id", name="uq_request_posts_message"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("help_requests.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(16))
    channel_id: Mapped[str] = mapped_column(String(64))
    message_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SuggestionRow(Base):
    """One resource or peer suggested for one request: the raw material of ripples."""

    __tablename__ = "suggestions"
    __table_args__ = (Index("ix_suggestions_peer_recent", "kind", "teacher_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("help_requests.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # resource | peer
    resource_id: Mapped[int | None] = mapped_column(ForeignKey("resources.id", ondelete="CASCADE"))
    teacher_id: Mapped[int | None] = mapped_column(ForeignKey("teachers.id", ondelete="CASCADE"))
    rank: Mapped[int] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class FeedbackRow(Base):
    """A teacher's reaction to a suggested resource: helped, saved, not relevant."""

    __tablename__ = "feedback"
    __table_args__ = (
        UniqueConstraint("teacher_id", "resource_id", "request_id", "kind", name="uq_feedback_once"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("teachers.id", ondelete="CASCADE"), index=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("resources.id", ondelete="CASCADE"), index=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("help_requests.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(16))  # helped | save | not_relevant
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
