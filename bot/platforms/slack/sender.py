"""Follow-ups on Slack: DMs (conversations.open, then chat.postMessage with the Block Kit renderer) and
posts in the help channel (``KINDRED_SLACK_HELP_CHANNEL``, by id or by name). With OAuth installs each goes
out with the bot token of the workspace it belongs to.

``send_dm`` is synchronous (the dispatcher runs in the scheduler's thread); the Web API calls run on the
Slack app's event loop. Slack errors that retrying cannot fix are reported as non-retryable.
"""

from __future__ import annotations

import asyncio
import logging

from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.replies import Reply
from bot.platforms.bridge import DEFAULT_TIMEOUT
from bot.platforms.sending import CONNECTION_ERRORS, PlatformSender
from bot.platforms.slack.channels import find_channel, join_once
from bot.platforms.slack.oauth import WorkspaceClients
from bot.platforms.slack.posting import post_message
from bot.platforms.slack.render import message_payload
from bot.scheduling.sender import DeliveryError, DeliveryKey

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


class SlackSender(PlatformSender):
    platform = PLATFORM
    connection_errors = (*CONNECTION_ERRORS, SlackClientError)

    def __init__(
        self,
        client: AsyncWebClient,
        loop: asyncio.AbstractEventLoop,
        timeout: float = DEFAULT_TIMEOUT,
        help_channel: str = "help",
        workspaces: WorkspaceClients | None = None,
    ) -> None:
        super().__init__(client, loop, timeout, help_channel)
        self.workspaces = workspaces  # OAuth installs: each workspace's own bot token
        self._help_channels: dict[str, str] = {}
        self._joined: set[str] = set()

    async def _post(
        self, team_id: str | None, reply: Reply, delivery: DeliveryKey | None, channel_id: str | None
    ) -> tuple[str, str]:
        client = await self._client(team_id=team_id)
        wanted = channel_id or self.help_channel
        channel = await find_channel(client, wanted, team_id, {} if channel_id else self._help_channels)
        if channel is None:
            name = self.help_channel.strip().lstrip("#")
            raise DeliveryError(f"slack: help channel #{name} not found", retryable=False)
        await join_once(client, channel, self._joined)
        posted = await post_message(client, channel, delivery, **message_payload(reply))
        ts = str(posted.get("ts") or "")
        if not ts:
            raise DeliveryError("slack: chat.postMessage returned no ts", retryable=False)
        return str(posted.get("channel") or channel), ts

    async def _deliver(self, user_id: str, reply: Reply, delivery: DeliveryKey | None) -> str:
        """Open (or find) the DM with ``user_id`` and post ``reply``; returns the message ts."""
        client = await self._client(user_id=user_id)
        opened = await client.conversations_open(users=user_id)
        channel = (opened.get("channel") or {}).get("id") or user_id
        posted = await post_message(client, channel, delivery, **message_payload(reply))
        return str(posted.get("ts") or "")

    def client_error(self, exc: Exception, posting: bool) -> DeliveryError | None:
        if not isinstance(exc, SlackApiError):
            return None
        error = str(exc.response.get("error") or "unknown_error")
        permanent = error in PERMANENT_ERRORS or (posting and error == "not_in_channel")
        return DeliveryError(f"slack: {error}", retryable=not permanent)

    async def _client(self, *, team_id: str | None = None, user_id: str | None = None) -> AsyncWebClient:
        """The single bot token's client, or (OAuth) the client of the workspace posted in / the user's."""
        if self.workspaces is None:
            return self.client
        if user_id is not None:
            client = await self.workspaces.for_user(user_id)
        else:
            client = await self.workspaces.for_team(team_id)
        if client is None:  # uninstalled, or never installed: nothing to retry
            raise DeliveryError("slack: no installation for this workspace", retryable=False)
        return client
