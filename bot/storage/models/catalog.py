"""The catalog: teachers, resources and the adaptations a teacher made of one."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models.base import Base, utcnow


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
    # Specialist roles ("sped", "counsellor", "instructional coach"…), see ``bot.domain.vocabulary.ROLES``
    roles: Mapped[list] = mapped_column(default=list, server_default="[]")
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
    # The workspace it was shared in (None: imported for the district). Kept when the sharer is forgotten,
    # so KINDRED_CATALOG_SCOPE=workspace still keeps it in its school.
    workspace_id: Mapped[str | None] = mapped_column(String(64), default=None)
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
