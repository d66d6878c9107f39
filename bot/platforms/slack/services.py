"""What every Slack listener shares: the core, the DB-backed Slack state, user and channel lookups,
and delivery of a neutral ``Outcome`` (the core's ``deliver`` through a ``SlackMessenger``)."""

from __future__ import annotations

import asyncio
import contextvars
import logging
import os
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.bootstrap import App
from bot.domain.events import Actor
from bot.domain.replies import Outcome, Reply
from bot.handlers.delivery import deliver
from bot.platforms.slack.channels import find_channel, join_once
from bot.platforms.slack.messenger import SlackMessenger, Target
from bot.platforms.slack.outbox import Outbox, retryable
from bot.platforms.slack.posting import post_message
from bot.platforms.slack.retries import retry_handlers
from bot.platforms.slack.store import EventLedger
from bot.scheduling.sender import DeliveryKey

if TYPE_CHECKING:
    from bot.handlers.core import Kindred

log = logging.getLogger(__name__)

PLATFORM = "slack"
T = TypeVar("T")


def core_workers() -> int:
    """Concurrent core calls: enough to meet in the embedder's batch, few enough not to thrash."""
    return 4 * (os.cpu_count() or 2)


@dataclass
class SlackServices:
    app: App
    ledger: EventLedger
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
    joined: set[str] = field(default_factory=set)  # help channels joined (see ``join_once``)

    @classmethod
    def create(cls, app: App) -> SlackServices:
        return cls(app=app, ledger=EventLedger(app.db), outbox=Outbox(app.db))

    @property
    def kindred(self) -> Kindred:
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

    async def deliver(
        self, client: AsyncWebClient, outcome: Outcome | None, target: Target, source_ts: str | None = None
    ) -> None:
        """The core's one delivery path, through a messenger bound to this event (``source_ts``: the
        message whose button was pressed)."""
        await deliver(outcome, SlackMessenger(self, client, target, source_ts), self.kindred)

    async def reply(self, client: AsyncWebClient, reply: Reply, target: Target) -> None:
        """Only the reply to the actor (Slack-only answers, e.g. ``/kindred quiet``)."""
        await SlackMessenger(self, client, target).reply(reply)

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


__all__ = ["PLATFORM", "SlackServices", "Target", "find_channel", "join_once", "retry_handlers"]
