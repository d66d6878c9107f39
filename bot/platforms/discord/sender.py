"""Follow-ups on Discord: DMs (fetch the user, ``user.send`` with the Discord renderer, buttons included)
and posts in the help channel (``KINDRED_DISCORD_HELP_CHANNEL``, by id or by name in the asker's server).

``send_dm`` is synchronous (the dispatcher runs in the scheduler's thread); the REST calls run on the
Discord client's event loop. Closed DMs (403) and unknown users (404) are non-retryable.
"""

from __future__ import annotations

import logging
from typing import Any

import discord

from bot.domain.replies import Reply
from bot.platforms.discord.channels import find_channel
from bot.platforms.discord.render import render
from bot.platforms.sending import PlatformSender
from bot.scheduling.sender import DeliveryError, DeliveryKey

log = logging.getLogger(__name__)

PLATFORM = "discord"


class DiscordSender(PlatformSender):
    platform = PLATFORM

    def user_ref(self, platform_user_id: str) -> int:
        if not platform_user_id.isdigit():
            raise DeliveryError("not a Discord user id", retryable=False)
        return int(platform_user_id)

    def help_channel_in(self, guild_id: str | None) -> Any:
        """The help channel, like ``KindredClient.channel_for``: by id anywhere, by name in the guild."""
        guild = self.client.get_guild(int(guild_id)) if guild_id and guild_id.isdigit() else None
        return find_channel(self.client, guild, self.help_channel)

    async def _post(
        self, guild_id: str | None, reply: Reply, delivery: DeliveryKey | None, channel_id: str | None
    ) -> tuple[str, str]:
        if channel_id and channel_id.isdigit():
            channel = self.client.get_channel(int(channel_id))
        else:
            channel = self.help_channel_in(guild_id)
        if channel is None:
            raise DeliveryError("discord: help channel not found", retryable=False)
        message = await channel.send(**render(reply).kwargs())
        return str(channel.id), str(message.id)

    async def _deliver(self, user_id: int, reply: Reply, delivery: DeliveryKey | None) -> int:
        user = self.client.get_user(user_id) or await self.client.fetch_user(user_id)
        message = await user.send(**render(reply).kwargs())
        return int(message.id)

    def client_error(self, exc: Exception, posting: bool) -> DeliveryError | None:
        if isinstance(exc, discord.Forbidden):  # DMs closed, no shared server, or blocked
            what = "not allowed to post in the help channel" if posting else "cannot DM this user"
            return DeliveryError(f"discord: {what} (403)", retryable=False)
        if isinstance(exc, discord.NotFound):
            return DeliveryError(
                f"discord: {'help channel gone' if posting else 'unknown user'} (404)", retryable=False
            )
        if isinstance(exc, discord.HTTPException):
            return DeliveryError(
                f"discord: HTTP {exc.status}", retryable=exc.status >= 500 or exc.status == 429
            )
        return None
