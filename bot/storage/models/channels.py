"""Channel settings of any platform: channels where nobody wants Kindred to chime in."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models.base import Base, utcnow


class QuietChannelRow(Base):
    """A channel where Kindred must not answer help requests (``/kindred quiet here``), on any platform."""

    __tablename__ = "quiet_channels"

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    workspace_id: Mapped[str] = mapped_column(String(64), primary_key=True)  # "" when the platform has none
    channel_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    set_by: Mapped[str] = mapped_column(String(64), default="")  # platform user id; "" after forget-me
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
