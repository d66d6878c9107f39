"""Corrections to the help-request detector: labelled embeddings only, never the message text."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models.base import Base, utcnow

NOT_A_QUESTION = "not_a_question"  # the "Not a question" button on an unsolicited reply: label 0
MISSED_REQUEST = "missed_request"  # a mention, reaction or shortcut on a skipped message: label 1


class IntentCorrectionRow(Base):
    __tablename__ = "intent_corrections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(32))
    label: Mapped[int] = mapped_column(Integer)
    model: Mapped[str] = mapped_column(String(200))  # the embedder's tag; vectors of other models are unused
    vector: Mapped[bytes] = mapped_column(LargeBinary)  # float32, L2-normalised
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
