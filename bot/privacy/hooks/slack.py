"""Slack tables keyed by a Slack user id: quiet channels remember who silenced them (event ids are not
personal data)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from bot.privacy.user_data import PersonHook, UserDataDeps
from bot.storage.database import affected_rows
from bot.storage.models import SlackQuietChannelRow


def export_quiet(deps: UserDataDeps, platform: str, user: str) -> dict[str, Any] | None:
    if platform != "slack":
        return None
    with deps.db.session() as session:
        rows = session.execute(
            select(SlackQuietChannelRow.team_id, SlackQuietChannelRow.channel_id).where(
                SlackQuietChannelRow.set_by == user
            )
        ).all()
    if not rows:
        return None
    return {"channels_you_quieted": [{"team_id": t, "channel_id": c} for t, c in rows]}


def forget_quiet(deps: UserDataDeps, platform: str, user: str) -> bool:
    """The channel stays quiet (a channel setting), but no longer says who quieted it."""
    if platform != "slack" or not user:
        return False
    with deps.db.session() as session:
        found = session.execute(
            update(SlackQuietChannelRow).where(SlackQuietChannelRow.set_by == user).values(set_by="")
        )
    return bool(affected_rows(found))


SLACK_QUIET_CHANNELS = PersonHook(
    "slack_quiet_channels", export_quiet, forget_quiet, ("slack_quiet_channels",)
)
