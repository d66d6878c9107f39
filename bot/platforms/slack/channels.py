"""Slack channels Kindred posts in: the help channel by id or by name, joined once so its threads are seen."""

from __future__ import annotations

import logging
import re

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)
_CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{6,}$")


async def find_channel(
    client: AsyncWebClient, wanted: str, team_id: str | None, cache: dict[str, str]
) -> str | None:
    """A channel id for ``wanted`` (an id, or a name with or without "#"); names are looked up with
    conversations.list and cached in ``cache`` per workspace. None when there is no such channel."""
    wanted = wanted.strip().lstrip("#")
    if _CHANNEL_ID.match(wanted):
        return wanted
    key = team_id or ""
    if key in cache:
        return cache[key]
    cursor = None
    while True:
        response = await client.conversations_list(
            types="public_channel,private_channel", exclude_archived=True, limit=1000, cursor=cursor
        )
        for channel in response.get("channels") or []:
            if channel.get("name") == wanted:
                cache[key] = channel["id"]
                return channel["id"]
        cursor = (response.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            return None


async def join_once(client: AsyncWebClient, channel: str, joined: set[str]) -> None:
    """Join the public channel Kindred posts questions in: ``chat:write.public`` lets the bot post without
    being a member, but Slack sends ``message`` events (the replies in the question's thread) only for
    channels the bot is in. Private channels need an invite; that failure is logged once."""
    if channel in joined:
        return
    joined.add(channel)
    try:
        await client.conversations_join(channel=channel)
    except SlackApiError as exc:
        log.warning(
            "could not join the help channel; replies there won't be seen until the bot is invited",
            extra={"error": exc.response.get("error")},
        )
