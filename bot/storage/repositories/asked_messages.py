"""Which channel messages Kindred already answered, and how: once per message for the ask reaction."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.storage.models import HelpRequestRow

# Request sources whose answer went into the message's thread for everyone to see.
PUBLIC_SOURCES = ("channel", "mention", "reaction", "shortcut_thread")
POSTED_SHORTCUT = "shortcut_thread"  # a shortcut's private answer, then posted with "Post in thread"


class AskedMessages:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _sources(self, platform: str, channel_id: str, message_id: str) -> list[str]:
        rows = self.session.scalars(
            select(HelpRequestRow.source).where(
                HelpRequestRow.platform == platform,
                HelpRequestRow.channel_id == channel_id,
                HelpRequestRow.message_id == message_id,
            )
        )
        return list(rows)

    def asked_before(self, platform: str, channel_id: str, message_id: str) -> bool:
        """Is there any request for this message (detected, mentioned, reacted to, looked up)?"""
        return bool(self._sources(platform, channel_id, message_id))

    def answered_in_thread(self, platform: str, channel_id: str, message_id: str) -> bool:
        """Did Kindred already answer this message publicly in its thread?"""
        return any(s in PUBLIC_SOURCES for s in self._sources(platform, channel_id, message_id))

    def request_for(self, request_id: int, platform: str, channel_id: str, message_id: str) -> str | None:
        """The source of request ``request_id`` if it was asked about exactly this message, else None."""
        row = self.session.get(HelpRequestRow, request_id)
        if row is None or (row.platform, row.channel_id, row.message_id) != (
            platform,
            channel_id,
            message_id,
        ):
            return None
        return row.source

    def mark_posted(self, request_id: int) -> None:
        row = self.session.get(HelpRequestRow, request_id)
        if row is not None:
            row.source = POSTED_SHORTCUT
            self.session.flush()
