"""Slack-only tables: handled event ids (deduplication across restarts), the outbox of channel posts to
retry, and the OAuth installation and state tables of slack_sdk's stores."""

from __future__ import annotations

from datetime import datetime

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models.base import Base, utcnow


class SlackEventRow(Base):
    """One Events API delivery: ``processing`` while being handled, ``done`` once handled successfully."""

    __tablename__ = "slack_events"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), default="processing")  # processing | done
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    claimed_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class SlackOutboxRow(Base):
    """A channel post Slack refused (500, or 429 beyond the retry budget), retried with backoff.

    The payload is the rendered public message (a channel post anyone there would have seen); it is
    cleared once the post went out.
    """

    __tablename__ = "slack_outbox"
    __table_args__ = (Index("ix_slack_outbox_state_due", "state", "due_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(64))
    thread_ts: Mapped[str | None] = mapped_column(String(32), default=None)
    payload: Mapped[str] = mapped_column(Text)
    delivery_key: Mapped[str] = mapped_column(String(36))  # the post's metadata key, kept across attempts
    state: Mapped[str] = mapped_column(String(16), default="pending")  # pending | claimed | sent | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    due_at: Mapped[datetime] = mapped_column()
    claim_token: Mapped[str | None] = mapped_column(String(36), default=None)
    claimed_at: Mapped[datetime | None] = mapped_column(default=None)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# Slack app distribution (OAuth): the tables slack_sdk's SQLAlchemy installation and state stores use, built
# by slack_sdk's own table builders so they match exactly; migration 0010_oauth creates them.
SLACK_INSTALLATIONS = SQLAlchemyInstallationStore.build_installations_table(
    Base.metadata, "slack_installations"
)
SLACK_BOTS = SQLAlchemyInstallationStore.build_bots_table(Base.metadata, "slack_bots")
SLACK_OAUTH_STATES = SQLAlchemyOAuthStateStore.build_oauth_states_table(Base.metadata, "slack_oauth_states")
