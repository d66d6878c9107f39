"""Membership of a Slack usergroup (the moderator and leader settings name one)."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)


async def in_usergroup(client: AsyncWebClient, group: str | None, user_id: str) -> bool:
    if not group:
        return False
    try:
        response = await client.usergroups_users_list(usergroup=group)
    except SlackApiError as exc:
        log.warning("usergroups.users.list failed", extra={"error": exc.response.get("error")})
        return False
    return user_id in (response.get("users") or [])
