"""Quiet channels remember who silenced them (``/kindred quiet here``, on any platform); Slack's event
ids are not personal data. The table is still named for Slack, where quiet channels began."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, select, update

from bot.privacy.user_data import PersonHook, UserDataDeps
from bot.storage.database import affected_rows
from bot.storage.models import SlackQuietChannelRow
from bot.storage.repositories.quiet_channels import SLACK, team_key


def _set_by(platform: str, user: str) -> ColumnElement[bool]:
    """Rows ``user`` of ``platform`` quieted: Slack teams have no colon, others are "<platform>:…"."""
    team = SlackQuietChannelRow.team_id
    on_platform = ~team.contains(":") if platform == SLACK else team.startswith(team_key(platform, None))
    return (SlackQuietChannelRow.set_by == user) & on_platform


def export_quiet(deps: UserDataDeps, platform: str, user: str) -> dict[str, Any] | None:
    with deps.db.session() as session:
        rows = session.execute(
            select(SlackQuietChannelRow.team_id, SlackQuietChannelRow.channel_id).where(
                _set_by(platform, user)
            )
        ).all()
    if not rows:
        return None
    return {"channels_you_quieted": [{"team_id": t, "channel_id": c} for t, c in rows]}


def forget_quiet(deps: UserDataDeps, platform: str, user: str) -> bool:
    """The channel stays quiet (a channel setting), but no longer says who quieted it."""
    if not user:
        return False
    with deps.db.session() as session:
        found = session.execute(update(SlackQuietChannelRow).where(_set_by(platform, user)).values(set_by=""))
    return bool(affected_rows(found))


SLACK_QUIET_CHANNELS = PersonHook(
    "slack_quiet_channels", export_quiet, forget_quiet, ("slack_quiet_channels",)
)
