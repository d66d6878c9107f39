"""Slack tables keyed by a Slack user id: quiet channels remember who silenced them (event ids are not
personal data)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from bot.privacy.user_data import UserDataDeps, UserDataHook
from bot.storage.models import TeacherRow
from bot.storage.slack_models import SlackQuietChannelRow


def user_data_hooks() -> list[UserDataHook]:
    return [UserDataHook("slack_quiet_channels", export_quiet, forget_quiet, ("slack_quiet_channels",))]


def _slack_user(deps: UserDataDeps, teacher_id: int) -> str | None:
    with deps.db.session() as session:
        row = session.get(TeacherRow, teacher_id)
        return row.platform_user_id if row is not None and row.platform == "slack" else None


def export_quiet(deps: UserDataDeps, teacher_id: int) -> dict[str, Any]:
    user = _slack_user(deps, teacher_id)
    if user is None:
        return {"channels_you_quieted": []}
    with deps.db.session() as session:
        rows = session.execute(
            select(SlackQuietChannelRow.team_id, SlackQuietChannelRow.channel_id).where(
                SlackQuietChannelRow.set_by == user
            )
        ).all()
    return {"channels_you_quieted": [{"team_id": t, "channel_id": c} for t, c in rows]}


def forget_quiet(deps: UserDataDeps, teacher_id: int) -> None:
    """The channel stays quiet (a channel setting), but no longer says who quieted it."""
    user = _slack_user(deps, teacher_id)
    if user is None:
        return
    with deps.db.session() as session:
        session.execute(
            update(SlackQuietChannelRow).where(SlackQuietChannelRow.set_by == user).values(set_by="")
        )
