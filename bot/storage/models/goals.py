"""Tables for teacher-controlled follow-ups and goals: preferences, goals, the private learning log,
and the weekly goal check-ins (one row per goal per week; the unique key makes scheduling idempotent)."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, Time, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from bot.domain.followups import GOAL_CHECKIN
from bot.storage.models.base import Base, utcnow

__all__ = ["GOAL_CHECKIN", "GoalCheckinRow", "GoalLogRow", "GoalRow", "TeacherPrefsRow"]


class TeacherPrefsRow(Base):
    """Follow-up preferences; no row means the gentle defaults (school hours, weekdays, 3 nudges/week)."""

    __tablename__ = "teacher_prefs"

    teacher_id: Mapped[int] = mapped_column(ForeignKey("teachers.id", ondelete="CASCADE"), primary_key=True)
    nudges_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    work_days: Mapped[str] = mapped_column(String(20), default="0,1,2,3,4")  # Monday = 0
    day_start: Mapped[time] = mapped_column(Time, default=time(8, 0))
    day_end: Mapped[time] = mapped_column(Time, default=time(16, 0))
    quiet_start: Mapped[time | None] = mapped_column(Time, default=None)
    quiet_end: Mapped[time | None] = mapped_column(Time, default=None)
    weekly_nudge_limit: Mapped[int | None] = mapped_column(Integer, default=None)  # None: the bot's default
    snoozed_until: Mapped[datetime | None] = mapped_column(default=None)
    checkin_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    checkin_day: Mapped[int] = mapped_column(Integer, default=0)
    checkin_time: Mapped[time] = mapped_column(Time, default=time(8, 30))
    # "always post my unanswered questions": the asker's standing yes to the help-channel post
    post_unanswered: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class GoalRow(Base):
    """A teacher's professional goal; at most one is active at a time (older ones are kept, inactive)."""

    __tablename__ = "goals"
    __table_args__ = (Index("ix_goals_teacher_active", "teacher_id", "active"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("teachers.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    framework: Mapped[str | None] = mapped_column(String(32), default=None)  # "danielson" | "school"
    component_code: Mapped[str | None] = mapped_column(String(32), default=None)
    component_name: Mapped[str | None] = mapped_column(String(200), default=None)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class GoalLogRow(Base):
    """One reflection in a teacher's private learning log (shown to nobody else)."""

    __tablename__ = "goal_logs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goals.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class GoalCheckinRow(Base):
    """The weekly "what did you try?" DM for one goal; ``week_start`` is the Monday of that week."""

    __tablename__ = "goal_checkins"
    __table_args__ = (
        UniqueConstraint("goal_id", "week_start", name="uq_goal_checkins_weekly"),
        Index("ix_goal_checkins_state_due", "state", "due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goals.id", ondelete="CASCADE"))
    week_start: Mapped[date] = mapped_column(Date)
    due_at: Mapped[datetime] = mapped_column()
    state: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    claimed_at: Mapped[datetime | None] = mapped_column(default=None)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
