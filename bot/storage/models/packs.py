"""Pack tables: who opted in, each round, its packs and who is in them (with "did you meet?" answers)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models.base import Base, utcnow


class PackMembershipRow(Base):
    """A teacher's opt-in. Nobody has a row until they say yes (``/pack join``)."""

    __tablename__ = "pack_members"

    teacher_id: Mapped[int] = mapped_column(ForeignKey("teachers.id", ondelete="CASCADE"), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), default="active")  # active | left
    focus: Mapped[str] = mapped_column(String(200), default="")
    snoozed_until: Mapped[datetime | None] = mapped_column(default=None)
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class PackRoundRow(Base):
    """One round of pack forming. ``day`` is unique: two schedulers on the same day form one round."""

    __tablename__ = "pack_rounds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[str] = mapped_column(String(10), unique=True)  # YYYY-MM-DD (UTC)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    waiting: Mapped[int] = mapped_column(Integer, default=0)  # opted in but too few to form a pack


class PackRow(Base):
    __tablename__ = "packs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("pack_rounds.id", ondelete="CASCADE"), index=True)
    focus: Mapped[str] = mapped_column(String(200), default="")
    starter: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PackAssignmentRow(Base):
    """One member of one pack: intro delivery, the due "did you meet?" check-in and its answer."""

    __tablename__ = "pack_assignments"
    __table_args__ = (
        UniqueConstraint("round_id", "teacher_id", name="uq_pack_assignments_once_per_round"),
        Index("ix_pack_assignments_teacher", "teacher_id", "round_id"),
        Index("ix_pack_assignments_checkin_due", "checkin_sent_at", "checkin_due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("pack_rounds.id", ondelete="CASCADE"))
    pack_id: Mapped[int] = mapped_column(ForeignKey("packs.id", ondelete="CASCADE"), index=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("teachers.id", ondelete="CASCADE"))
    introduced_at: Mapped[datetime | None] = mapped_column(default=None)
    checkin_due_at: Mapped[datetime] = mapped_column()
    checkin_sent_at: Mapped[datetime | None] = mapped_column(default=None)
    check_in: Mapped[str | None] = mapped_column(String(16), default=None)  # met | skipped
    answered_at: Mapped[datetime | None] = mapped_column(default=None)
