"""Follow-ups on Slack: DMs (conversations.open, then chat.postMessage with the Block Kit renderer) and
posts in the help channel (``KINDRED_SLACK_HELP_CHANNEL``, by id or by name).

``send_dm`` is synchronous (the dispatcher runs in the scheduler's thread); the Web API calls run on the
Slack app's event loop. Slack errors that retrying cannot fix are reported as non-retryable.
"""

from __future__ import annotations

import asyncio
import logging

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.replies import Reply
from bot.platforms.bridge import DEFAULT_TIMEOUT, run_on_loop
from bot.platforms.slack.render import message_payload
from bot.platforms.slack.services import find_channel, join_once
from bot.scheduling.sender import DeliveryError

log = logging.getLogger(__name__)

PLATFORM = "slack"
# The person cannot be reached (now or ever): trying again only spams the logs.
PERMANENT_ERRORS = frozenset(
    {
        "user_not_found",
        "users_not_found",
        "cannot_dm_bot",
        "user_disabled",
        "account_inactive",
        "user_not_visible",
        "channel_not_found",
        "is_archived",
        "messages_tab_disabled",
        "restricted_action",
    }
)


class SlackSender:
    def __init__(
        self,
        client: AsyncWebClient,
        loop: asyncio.AbstractEventLoop,
        timeout: float = DEFAULT_TIMEOUT,
        help_channel: str = "help",
    ) -> None:
        self.client = client
        self.loop = loop
        self.timeout = timeout
        self.help_channel = help_channel
        self._help_channels: dict[str, str] = {}
        self._joined: set[str] = set()

    def send_dm(self, platform: str, platform_user_id: str, reply: Reply) -> None:
        if platform != PLATFORM:
            raise DeliveryError(f"the Slack sender cannot reach a {platform} user", retryable=False)
        run_on_loop(self.loop, self.deliver(platform_user_id, reply), self.timeout)

    def post_to_help(self, platform: str, workspace_id: str | None, reply: Reply) -> tuple[str, str]:
        if platform != PLATFORM:
            raise DeliveryError(f"the Slack sender cannot post on {platform}", retryable=False)
        return run_on_loop(self.loop, self.post(workspace_id, reply), self.timeout)

    async def post(self, team_id: str | None, reply: Reply) -> tuple[str, str]:
        """Post ``reply`` in the help channel; returns (channel id, message ts)."""
        try:
            channel = await find_channel(self.client, self.help_channel, team_id, self._help_channels)
            if channel is None:
                name = self.help_channel.strip().lstrip("#")
                raise DeliveryError(f"slack: help channel #{name} not found", retryable=False)
            await join_once(self.client, channel, self._joined)
            posted = await self.client.chat_postMessage(channel=channel, **message_payload(reply))
            ts = str(posted.get("ts") or "")
            if not ts:
                raise DeliveryError("slack: chat.postMessage returned no ts", retryable=False)
            return str(posted.get("channel") or channel), ts
        except SlackApiError as exc:
            error = str(exc.response.get("error") or "unknown_error")
            permanent = error in PERMANENT_ERRORS or error == "not_in_channel"
            raise DeliveryError(f"slack: {error}", retryable=not permanent) from None
        except (aiohttp.ClientError, SlackClientError, TimeoutError, OSError) as exc:
            raise DeliveryError(f"slack connection: {type(exc).__name__}", retryable=True) from None

    async def deliver(self, user_id: str, reply: Reply) -> str:
        """Open (or find) the DM with ``user_id`` and post ``reply``; returns the message ts."""
        try:
            opened = await self.client.conversations_open(users=user_id)
            channel = (opened.get("channel") or {}).get("id") or user_id
            posted = await self.client.chat_postMessage(channel=channel, **message_payload(reply))
            return str(posted.get("ts") or "")
        except SlackApiError as exc:
            error = str(exc.response.get("error") or "unknown_error")
            raise DeliveryError(f"slack: {error}", retryable=error not in PERMANENT_ERRORS) from None
        except (aiohttp.ClientError, SlackClientError, TimeoutError, OSError) as exc:
            raise DeliveryError(f"slack connection: {type(exc).__name__}", retryable=True) from None
