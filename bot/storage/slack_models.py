"""Slack-only tables: handled event ids (deduplication across restarts), channels that opted out, and the
OAuth installation and state tables of slack_sdk's stores."""

from __future__ import annotations

from datetime import datetime

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
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


# Slack app distribution (OAuth): the tables slack_sdk's SQLAlchemy installation and state stores use, built
# by slack_sdk's own table builders so they match exactly; migration 0010_oauth creates them.
SLACK_INSTALLATIONS = SQLAlchemyInstallationStore.build_installations_table(
    Base.metadata, "slack_installations"
)
SLACK_BOTS = SQLAlchemyInstallationStore.build_bots_table(Base.metadata, "slack_bots")
SLACK_OAUTH_STATES = SQLAlchemyOAuthStateStore.build_oauth_states_table(Base.metadata, "slack_oauth_states")
