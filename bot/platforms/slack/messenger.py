"""Slack's ``Messenger``: the core's ``deliver`` says what to send, this says it through the Web API
(Block Kit), bound to one event's actor and place."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.domain.replies import ChannelPost, DeletePost, DirectMessage, EditPost, Reply, ThreadPost
from bot.handlers.delivery import PostRefused
from bot.platforms.slack.channels import join_once
from bot.platforms.slack.render import message_payload, slack_text
from bot.platforms.slack.retries import retry_handlers
from bot.platforms.slack.sender import SlackSender
from bot.scheduling.sender import Sender

if TYPE_CHECKING:
    from bot.platforms.slack.services import SlackServices

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class Target:
    """Where the reply to the actor goes."""

    user_id: str
    team_id: str | None = None
    channel_id: str | None = None
    response_url: str | None = None
    thread_ts: str | None = None


class SlackMessenger:
    platform = "slack"

    def __init__(
        self,
        services: SlackServices,
        client: AsyncWebClient,
        target: Target,
        source_ts: str | None = None,
    ) -> None:
        self.services = services
        self.client = client
        self.target = target
        self.source_ts = source_ts  # the message whose button was pressed

    async def in_core(self, call: Callable[..., T], *args: Any) -> T:
        return await self.services.run(call, *args)

    async def reply(self, reply: Reply) -> None:
        """In place when not ephemeral; else response_url, then chat.postEphemeral, then a DM (raises
        when the last way fails, so a listener can let Slack retry)."""
        client, target = self.client, self.target
        payload = message_payload(reply)
        if not reply.ephemeral and target.channel_id:
            await self.services.post_or_queue(client, target.channel_id, target.thread_ts, payload)
            return
        if target.response_url:
            webhook = AsyncWebhookClient(target.response_url, retry_handlers=retry_handlers())
            response = await webhook.send(
                text=payload["text"],
                blocks=payload["blocks"],
                response_type="ephemeral",
                replace_original=False,
            )
            if response.status_code == 200:
                return
            log.warning("response_url failed; falling back", extra={"status": response.status_code})
        if target.channel_id and not target.channel_id.startswith("D"):
            try:
                await client.chat_postEphemeral(
                    channel=target.channel_id, user=target.user_id, thread_ts=target.thread_ts, **payload
                )
                return
            except SlackApiError as exc:  # not_in_channel, channel_not_found…: say it privately instead
                log.info("ephemeral failed; sending a DM", extra={"error": exc.response.get("error")})
        await client.chat_postMessage(channel=target.user_id, **payload)

    async def post(self, post: ChannelPost) -> tuple[str, str] | None:
        channel = post.channel_id or await self.services.help_channel_id(self.client, self.target.team_id)
        if channel is None:
            name = self.services.app.settings.slack_help_channel.lstrip("#")
            raise PostRefused(
                f"I couldn't find #{name}. Ask an admin to create it and invite me (`/invite @Kindred`)."
            )
        if post.request_id is not None:  # Slack sends thread replies only for channels the bot is in
            await join_once(self.client, channel, self.services.joined)
        posted = await self.client.chat_postMessage(channel=channel, **message_payload(post.reply))
        ts = posted.get("ts")
        return (str(posted.get("channel") or channel), str(ts)) if ts else None

    async def post_in_thread(self, post: ThreadPost) -> None:
        await _logged(
            "thread post",
            self.client.chat_postMessage(
                channel=post.channel_id, thread_ts=post.thread_id, text=slack_text(post.text)
            ),
        )

    async def direct_message(self, dm: DirectMessage) -> None:
        await _logged(
            "direct message",
            self.client.chat_postMessage(channel=dm.platform_user_id, **message_payload(dm.reply)),
        )

    async def edit(self, change: EditPost) -> None:
        await _logged(
            "post edit",
            self.client.chat_update(
                channel=change.channel_id, ts=change.message_id, text=slack_text(change.text)
            ),
        )

    async def delete(self, change: DeletePost) -> None:
        await _logged("post delete", self.client.chat_delete(channel=change.channel_id, ts=change.message_id))

    async def remove_source(self) -> None:
        if self.target.channel_id and self.source_ts:
            await self.client.chat_delete(channel=self.target.channel_id, ts=self.source_ts)

    async def wait(self, seconds: float) -> None:
        await asyncio.sleep(seconds)

    def follow_up_sender(self) -> Sender:
        help_channel = self.services.app.settings.slack_help_channel
        return SlackSender(self.client, asyncio.get_running_loop(), help_channel=help_channel)


async def _logged(what: str, call: Awaitable[object]) -> None:
    """A best-effort Web API call: Slack refusing it is one warning (``<what> failed``), never a crash."""
    try:
        await call
    except SlackApiError as exc:
        log.warning("%s failed", what, extra={"error": exc.response.get("error")})
