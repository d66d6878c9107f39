"""Quiet channels: where nobody wants Kindred to chime in on help requests (``/kindred quiet here``)."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.storage.database import affected_rows
from bot.storage.models import QuietChannelRow


class QuietChannelRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def set(
        self, platform: str, workspace_id: str | None, channel_id: str, quiet: bool, user_id: str
    ) -> None:
        """Make the channel quiet (remembering who asked) or loud again; repeating either is harmless."""
        key = (platform, workspace_id or "", channel_id)
        row = self.session.get(QuietChannelRow, key)
        if quiet and row is None:
            self.session.add(
                QuietChannelRow(platform=platform, workspace_id=key[1], channel_id=channel_id, set_by=user_id)
            )
            self.session.flush()
        elif not quiet and row is not None:
            self.session.delete(row)
            self.session.flush()

    def is_quiet(self, platform: str, workspace_id: str | None, channel_id: str) -> bool:
        return self.session.get(QuietChannelRow, (platform, workspace_id or "", channel_id)) is not None

    def set_by(self, platform: str, user_id: str) -> list[tuple[str, str]]:
        """(workspace, channel) of the channels this platform user quieted."""
        found = self.session.execute(
            select(QuietChannelRow.workspace_id, QuietChannelRow.channel_id)
            .where(QuietChannelRow.platform == platform, QuietChannelRow.set_by == user_id)
            .order_by(QuietChannelRow.workspace_id, QuietChannelRow.channel_id)
        )
        return [(workspace, channel) for workspace, channel in found]

    def forget_setter(self, platform: str, user_id: str) -> bool:
        """The channels stay quiet (a channel setting) but no longer say who quieted them."""
        found = self.session.execute(
            update(QuietChannelRow)
            .where(QuietChannelRow.platform == platform, QuietChannelRow.set_by == user_id)
            .values(set_by="")
        )
        return bool(affected_rows(found))
