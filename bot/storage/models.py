"""SQLAlchemy 2.x table models. The Alembic migrations in ``migrations/`` create exactly these tables."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bot.storage.types import UTCDateTime


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime(), list: JSON}


class TeacherRow(Base):
    __tablename__ = "teachers"
    __table_args__ = (UniqueConstraint("platform", "platform_user_id", name="uq_teachers_platform_user"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    platform_user_id: Mapped[str] = mapped_column(String(64))
    workspace_id: Mapped[str | None] = mapped_column(String(64), default=None)
    name: Mapped[str] = mapped_column(String(200))
    subjects: Mapped[list] = mapped_column(default=list)
    grades: Mapped[list] = mapped_column(default=list)
    interests: Mapped[list] = mapped_column(default=list)
    bio: Mapped[str] = mapped_column(Text, default="")
    timezone: Mapped[str] = mapped_column(String(64), default="America/New_York")
    open_to_help: Mapped[bool] = mapped_column(Boolean, default=True)
    years_experience: Mapped[int | None] = mapped_column(Integer, default=None)
    school: Mapped[str] = mapped_column(String(200), default="")
    onboarded: Mapped[bool] = mapped_column(Boolean, default=True)
    email: Mapped[str | None] = mapped_column(String(254), default=None, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ResourceRow(Base):
    __tablename__ = "resources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    url: Mapped[str | None] = mapped_column(String(1000), default=None, unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    subjects: Mapped[list] = mapped_column(default=list)
    grades: Mapped[list] = mapped_column(default=list)
    tags: Mapped[list] = mapped_column(default=list)
    kind: Mapped[str] = mapped_column(String(32), default="link")
    shared_by: Mapped[int | None] = mapped_column(
        ForeignKey("teachers.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When its embedded text may have changed: a start re-checks only rows newer than their vector.
    updated_at: Mapped[datetime | None] = mapped_column(default=utcnow, onupdate=utcnow)


class AdaptationRow(Base):
    """A "how I used it" note: the soul of a resource."""

    __tablename__ = "adaptations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("resources.id", ondelete="CASCADE"), index=True)
    teacher_id: Mapped[int | None] = mapped_column(ForeignKey("teachers.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class HelpRequestRow(Base):
    __tablename__ = "help_requests"

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


class EmbeddingRow(Base):
    """A stored float32 vector, so indexes can be rebuilt without re-embedding."""

    __tablename__ = "embeddings"

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)  # resource | teacher
    item_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    model: Mapped[str] = mapped_column(String(200), primary_key=True)
    dim: Mapped[int] = mapped_column(Integer)
    text_hash: Mapped[str] = mapped_column(String(64))
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class IndexChangeRow(Base):
    """The change feed: one row per stored vector written or removed, so every process can bring its
    FAISS indexes up to date by reading the rows after its watermark (``removed``: gone for every model)."""

    __tablename__ = "index_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))
    item_id: Mapped[int] = mapped_column(Integer)
    model: Mapped[str | None] = mapped_column(String(200), default=None)
    removed: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
