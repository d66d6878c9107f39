"""Follow-ups on Discord: DMs (fetch the user, ``user.send`` with the Discord renderer, buttons included)
and posts in the help channel (``KINDRED_DISCORD_HELP_CHANNEL``, by id or by name in the asker's server).

``send_dm`` is synchronous (the dispatcher runs in the scheduler's thread); the REST calls run on the
Discord client's event loop. Closed DMs (403) and unknown users (404) are non-retryable.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiohttp
import discord

from bot.domain.replies import Reply
from bot.platforms.bridge import DEFAULT_TIMEOUT, run_on_loop
from bot.platforms.discord.channels import find_channel
from bot.platforms.discord.render import render
from bot.scheduling.sender import DeliveryError

log = logging.getLogger(__name__)

PLATFORM = "discord"


class DiscordSender:
    def __init__(
        self,
        client: discord.Client,
        loop: asyncio.AbstractEventLoop,
        timeout: float = DEFAULT_TIMEOUT,
        help_channel: str = "help",
    ) -> None:
        self.client = client
        self.loop = loop
        self.timeout = timeout
        self.help_channel = help_channel

    def send_dm(self, platform: str, platform_user_id: str, reply: Reply) -> None:
        if platform != PLATFORM:
            raise DeliveryError(f"the Discord sender cannot reach a {platform} user", retryable=False)
        if not platform_user_id.isdigit():
            raise DeliveryError("not a Discord user id", retryable=False)
        run_on_loop(self.loop, self.deliver(int(platform_user_id), reply), self.timeout)

    def post_to_help(
        self, platform: str, workspace_id: str | None, reply: Reply, channel_id: str | None = None
    ) -> tuple[str, str]:
        if platform != PLATFORM:
            raise DeliveryError(f"the Discord sender cannot post on {platform}", retryable=False)
        return run_on_loop(self.loop, self.post(workspace_id, reply, channel_id), self.timeout)

    def help_channel_in(self, guild_id: str | None) -> Any:
        """The help channel, like ``KindredClient.channel_for``: by id anywhere, by name in the guild."""
        guild = self.client.get_guild(int(guild_id)) if guild_id and guild_id.isdigit() else None
        return find_channel(self.client, guild, self.help_channel)

    async def post(
        self, guild_id: str | None, reply: Reply, channel_id: str | None = None
    ) -> tuple[str, str]:
        """Post ``reply`` in ``channel_id`` or the help channel of ``guild_id``: (channel, message)."""
        if channel_id and channel_id.isdigit():
            channel = self.client.get_channel(int(channel_id))
        else:
            channel = self.help_channel_in(guild_id)
        if channel is None:
            raise DeliveryError("discord: help channel not found", retryable=False)
        try:
            message = await channel.send(**render(reply).kwargs())
            return str(channel.id), str(message.id)
        except discord.Forbidden:
            raise DeliveryError(
                "discord: not allowed to post in the help channel (403)", retryable=False
            ) from None
        except discord.NotFound:
            raise DeliveryError("discord: help channel gone (404)", retryable=False) from None
        except discord.HTTPException as exc:
            retryable = exc.status >= 500 or exc.status == 429
            raise DeliveryError(f"discord: HTTP {exc.status}", retryable=retryable) from None
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            raise DeliveryError(f"discord connection: {type(exc).__name__}", retryable=True) from None

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
