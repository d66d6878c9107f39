"""What every Slack listener shares: the core, the DB-backed Slack state, user and channel lookups,
and delivery of a neutral ``Outcome`` (reply, public posts, direct messages) through the Web API."""

from __future__ import annotations

import asyncio
import contextvars
import logging
import os
import re
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.bootstrap import App
from bot.domain.events import Actor
from bot.domain.replies import Outcome, Reply
from bot.platforms.slack.outbox import Outbox, retryable
from bot.platforms.slack.posting import post_message
from bot.platforms.slack.render import message_payload
from bot.platforms.slack.store import EventLedger, QuietChannels
from bot.scheduling.sender import DeliveryKey

log = logging.getLogger(__name__)

PLATFORM = "slack"
_CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{6,}$")
T = TypeVar("T")


# Calls that change nothing: safe to repeat when a connection drops. A post is never repeated blindly:
# Slack may have taken it before the connection dropped (the sender checks the history instead).
READ_ONLY_METHODS = frozenset(
    {
        "auth.test",
        "users.info",
        "conversations.list",
        "conversations.open",
        "conversations.history",
        "conversations.replies",
    }
)


class ReadOnlyConnectionRetry(AsyncConnectionErrorRetryHandler):
    """Retries a dropped connection only for read-only Web API methods."""

    async def _can_retry_async(self, *, state, request, response=None, error=None) -> bool:  # type: ignore[no-untyped-def, override]
        method = request.url.rstrip("/").rsplit("/", 1)[-1]
        if method not in READ_ONLY_METHODS:
            return False
        return await super()._can_retry_async(state=state, request=request, response=response, error=error)


def retry_handlers() -> list[Any]:
    """Retry on 429 (honouring Retry-After), and on dropped connections for read-only calls only."""
    return [ReadOnlyConnectionRetry(max_retry_count=2), AsyncRateLimitErrorRetryHandler(max_retry_count=3)]


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


@dataclass(frozen=True)
class Target:
    """Where the reply to the actor goes."""

    user_id: str
    team_id: str | None = None
    channel_id: str | None = None
    response_url: str | None = None
    thread_ts: str | None = None


def core_workers() -> int:
    """Concurrent core calls: enough to meet in the embedder's batch, few enough not to thrash."""
    return 4 * (os.cpu_count() or 2)


@dataclass
class SlackServices:
    app: App
    ledger: EventLedger
    quiet: QuietChannels
    outbox: Outbox
    _users: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    _help_channels: dict[str, str] = field(default_factory=dict)
    # The core is CPU-bound, but its questions' embeddings are batched (``BatchingEmbedder``): a few
    # threads per core let concurrent questions share one model call; requests beyond this bound wait
    # their turn after Slack has its ack (``make bench-load``).
    _core: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(max_workers=core_workers(), thread_name_prefix="core")
    )
    _emails: dict[str, str] = field(
        default_factory=dict
    )  # links teachers imported by email (users:read.email)
    _joined: set[str] = field(default_factory=set)

    @classmethod
    def create(cls, app: App) -> SlackServices:
        return cls(app=app, ledger=EventLedger(app.db), quiet=QuietChannels(app.db), outbox=Outbox(app.db))

    @property
    def kindred(self):  # type: ignore[no-untyped-def]
        return self.app.kindred

    async def run(self, func: Callable[..., T], *args: Any) -> T:
        """The core is sync and CPU-heavy: keep it off the event loop, on a pool as wide as the CPU."""
        context = contextvars.copy_context()
        return await asyncio.get_running_loop().run_in_executor(self._core, context.run, func, *args)

    # --- who -------------------------------------------------------------------------------------

    async def user_profile(self, client: AsyncWebClient, user_id: str) -> tuple[str | None, str | None]:
        """(display name, timezone) from users.info, cached per process; (None, None) if unavailable."""
        if user_id not in self._users:
            try:
                response = await client.users_info(user=user_id)
                user = response.get("user") or {}
                profile = user.get("profile") or {}
                name = profile.get("real_name") or profile.get("display_name") or user.get("real_name")
                self._users[user_id] = (name or None, user.get("tz") or None)
                if profile.get("email"):
                    self._emails[user_id] = str(profile["email"]).lower()
            except SlackApiError as exc:
                log.warning("users.info failed", extra={"error": exc.response.get("error")})
                return None, None
        return self._users[user_id]

    async def actor(self, client: AsyncWebClient, user_id: str, team_id: str | None) -> Actor:
        name, tz = await self.user_profile(client, user_id)
        email = self._emails.get(user_id)
        return Actor(PLATFORM, user_id, display_name=name, workspace_id=team_id, timezone=tz, email=email)

    # --- where -----------------------------------------------------------------------------------

    async def help_channel_id(self, client: AsyncWebClient, team_id: str | None) -> str | None:
        """``KINDRED_SLACK_HELP_CHANNEL`` as a channel id: taken as is when it is one, else looked up by
        name with conversations.list (cached per workspace)."""
        return await find_channel(client, self.app.settings.slack_help_channel, team_id, self._help_channels)

    # --- deliver ---------------------------------------------------------------------------------

    async def deliver(self, client: AsyncWebClient, outcome: Outcome | None, target: Target) -> None:
        """Send the reply to the actor (raising if that fails), then public posts and DMs (logged)."""
        if outcome is None:
            return
        if outcome.reply is not None and not outcome.reply.is_empty:
            await self.reply(client, outcome.reply, target)
        for post in outcome.posts:
            channel = post.channel_id or await self.help_channel_id(client, target.team_id)
            if channel is None:
                name = self.app.settings.slack_help_channel.lstrip("#")
                await self.reply(
                    client,
                    Reply(
                        f"I couldn't find #{name}. Ask an admin to create it and invite me"
                        " (`/invite @Kindred`)."
                    ),
                    target,
                )
                continue
            if post.request_id is not None:
                await join_once(client, channel, self._joined)
            posted = await client.chat_postMessage(channel=channel, **message_payload(post.reply))
            if post.request_id is not None and posted.get("ts"):  # so replies in its thread map back
                await self.run(
                    self.kindred.record_post,
                    post.request_id,
                    PLATFORM,
                    posted.get("channel") or channel,
                    posted["ts"],
                )
        for dm in outcome.direct_messages:
            try:
                await client.chat_postMessage(channel=dm.platform_user_id, **message_payload(dm.reply))
            except SlackApiError as exc:
                log.warning("direct message failed", extra={"error": exc.response.get("error")})

    async def post_or_queue(
        self, client: AsyncWebClient, channel: str, thread_ts: str | None, payload: dict[str, Any]
    ) -> None:
        """Post in a channel; if Slack refuses for now (500, 429s, dropped), queue it in the outbox."""
        key = uuid.uuid4().hex
        try:
            await post_message(client, channel, DeliveryKey(key, retry=False), thread_ts=thread_ts, **payload)
        except Exception as exc:
            if not retryable(exc):
                raise
            await self.run(self.outbox.add, channel, thread_ts, payload, key, type(exc).__name__)
            log.warning("slack post queued for retry", extra={"error": type(exc).__name__})

    async def reply(self, client: AsyncWebClient, reply: Reply, target: Target) -> None:
        payload = message_payload(reply)
        if not reply.ephemeral and target.channel_id:
            await self.post_or_queue(client, target.channel_id, target.thread_ts, payload)
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
