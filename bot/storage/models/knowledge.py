"""What teachers learn from each other: answered questions, linked look-alike questions, ripple events."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models.base import Base, utcnow


class AnsweredQuestionRow(Base):
    """A solved question with the answer that helped, credited to its helper (never to the asker)."""

    __tablename__ = "answered_questions"
    __table_args__ = (UniqueConstraint("request_id", "helper_id", name="uq_answered_questions_once"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("help_requests.id", ondelete="CASCADE"))
    helper_id: Mapped[int] = mapped_column(ForeignKey("teachers.id", ondelete="CASCADE"), index=True)
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    platform: Mapped[str] = mapped_column(String(16))
    workspace_id: Mapped[str | None] = mapped_column(String(64), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ThreadAnswerRow(Base):
    """A colleague's reply in a question's thread, kept so "did this help?" can quote it and a yes can save
    it as the answer that helped. Never the asker's own words (those are not answers)."""

    __tablename__ = "thread_answers"
    __table_args__ = (UniqueConstraint("request_id", "message_id", name="uq_thread_answers_message"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("help_requests.id", ondelete="CASCADE"), index=True)
    helper_id: Mapped[int] = mapped_column(ForeignKey("teachers.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    message_id: Mapped[str | None] = mapped_column(String(64), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RequestLinkRow(Base):
    """A new question that is a near-duplicate of a still-open one asked recently."""

    __tablename__ = "request_links"
    __table_args__ = (UniqueConstraint("request_id", "similar_request_id", name="uq_request_links_pair"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("help_requests.id", ondelete="CASCADE"), index=True)
    similar_request_id: Mapped[int] = mapped_column(
        ForeignKey("help_requests.id", ondelete="CASCADE"), index=True
    )
    score: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RippleEventRow(Base):
    """A ripple recorded nowhere else: an answer marked helpful, a thank-you, an answer shown again.

    ``once_key`` names what the ripple is once for (kind, teacher, colleague, request, answer) as it was
    recorded; it is unique, so two processes recording the same ripple at once store it once. Forgetting a
    colleague or a question clears it (the columns it names are nulled, and NULL keys never collide).
    """

    __tablename__ = "ripple_events"
    __table_args__ = (
        Index("ix_ripple_events_teacher_created", "teacher_id", "created_at"),
        Index("uq_ripple_events_once", "once_key", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(24))
    teacher_id: Mapped[int] = mapped_column(ForeignKey("teachers.id", ondelete="CASCADE"))  # credited
    colleague_id: Mapped[int | None] = mapped_column(
        ForeignKey("teachers.id", ondelete="SET NULL"), default=None
    )  # who was helped
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("help_requests.id", ondelete="SET NULL"), default=None
    )
    answer_id: Mapped[int | None] = mapped_column(
        ForeignKey("answered_questions.id", ondelete="CASCADE"), default=None
    )
    note: Mapped[str] = mapped_column(Text, default="")
    once_key: Mapped[str | None] = mapped_column(String(120), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
