"""Follow-up DMs on Discord: fetch the user, ``user.send`` with the Discord renderer (buttons included).

``send_dm`` is synchronous (the dispatcher runs in the scheduler's thread); the REST calls run on the
Discord client's event loop. Closed DMs (403) and unknown users (404) are non-retryable.
"""

from __future__ import annotations

import asyncio
import logging

import aiohttp
import discord

from bot.domain.replies import Reply
from bot.platforms.bridge import DEFAULT_TIMEOUT, run_on_loop
from bot.platforms.discord.render import render
from bot.scheduling.sender import DeliveryError

log = logging.getLogger(__name__)

PLATFORM = "discord"


class DiscordSender:
    def __init__(
        self, client: discord.Client, loop: asyncio.AbstractEventLoop, timeout: float = DEFAULT_TIMEOUT
    ) -> None:
        self.client = client
        self.loop = loop
        self.timeout = timeout

    def send_dm(self, platform: str, platform_user_id: str, reply: Reply) -> None:
        if platform != PLATFORM:
            raise DeliveryError(f"the Discord sender cannot reach a {platform} user", retryable=False)
        if not platform_user_id.isdigit():
            raise DeliveryError("not a Discord user id", retryable=False)
        run_on_loop(self.loop, self.deliver(int(platform_user_id), reply), self.timeout)

    async def deliver(self, user_id: int, reply: Reply) -> int:
        """DM ``reply`` to ``user_id``; returns the message id."""
        try:
            user = self.client.get_user(user_id) or await self.client.fetch_user(user_id)
            message = await user.send(**render(reply).kwargs())
            return message.id
        except discord.Forbidden:  # DMs closed, no shared server, or blocked
            raise DeliveryError("discord: cannot DM this user (403)", retryable=False) from None
        except discord.NotFound:
            raise DeliveryError("discord: unknown user (404)", retryable=False) from None
        except discord.HTTPException as exc:
            retryable = exc.status >= 500 or exc.status == 429
            raise DeliveryError(f"discord: HTTP {exc.status}", retryable=retryable) from None
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            raise DeliveryError(f"discord connection: {type(exc).__name__}", retryable=True) from None
