"""Quiet channels: where nobody wants Kindred to chime in on help requests (``/kindred quiet here``).

The rows live in ``slack_quiet_channels`` (team, channel): a Slack channel is keyed by its team id as
before; another platform's by ``"<platform>:<workspace>"`` (Slack team ids never hold a colon).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.storage.models import SlackQuietChannelRow

SLACK = "slack"


def team_key(platform: str, workspace_id: str | None) -> str:
    """The ``team_id`` a channel of ``platform`` is stored under."""
    return workspace_id or "" if platform == SLACK else f"{platform}:{workspace_id or ''}"


def platform_of(team_id: str) -> str:
    """The platform a stored ``team_id`` belongs to (the inverse of ``team_key``)."""
    return team_id.partition(":")[0] if ":" in team_id else SLACK


class QuietChannelRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def set(
        self, platform: str, workspace_id: str | None, channel_id: str, quiet: bool, user_id: str
    ) -> None:
        """Make the channel quiet (remembering who asked) or loud again; repeating either is harmless."""
        key = (team_key(platform, workspace_id), channel_id)
        row = self.session.get(SlackQuietChannelRow, key)
        if quiet and row is None:
            self.session.add(SlackQuietChannelRow(team_id=key[0], channel_id=channel_id, set_by=user_id))
            self.session.flush()
        elif not quiet and row is not None:
            self.session.delete(row)
            self.session.flush()

    def is_quiet(self, platform: str, workspace_id: str | None, channel_id: str) -> bool:
        key = (team_key(platform, workspace_id), channel_id)
        return self.session.get(SlackQuietChannelRow, key) is not None
