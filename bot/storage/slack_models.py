"""Slack-only tables: handled event ids (deduplication across restarts) and channels that opted out."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models import Base, utcnow


class SlackEventRow(Base):
    """One Events API delivery: ``processing`` while being handled, ``done`` once handled successfully."""

    __tablename__ = "slack_events"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), default="processing")  # processing | done
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    claimed_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class SlackQuietChannelRow(Base):
    """A channel where Kindred must not answer help requests (``/kindred quiet here``)."""

    __tablename__ = "slack_quiet_channels"

    team_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    set_by: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
