"""``run(app)``: connect Kindred to Discord and serve until cancelled (the launcher gathers runners)."""

from __future__ import annotations

import asyncio
import logging

from bot.bootstrap import App
from bot.platforms.discord.sender import PLATFORM, DiscordSender
from bot.platforms.discord.shards import client_for
from bot.scheduling.runtime import PlatformSenders

log = logging.getLogger(__name__)


class DiscordNotConfigured(RuntimeError):
    pass


async def run(app: App, senders: PlatformSenders | None = None) -> None:
    token = app.settings.discord_token
    if not token:
        raise DiscordNotConfigured("DISCORD_TOKEN is not set — see docs/connect-discord.md")
    client = await client_for(app, token)  # sharded when DISCORD_SHARD_COUNT / Discord asks for >1
    log.info("starting discord", extra={"guilds": app.settings.guild_ids or "global"})
    # ``async with`` closes the HTTP session and gateway on cancellation; discord.py reconnects on its own
    # and handles rate limits (429 + buckets) in its HTTP client.
    if app.health is not None:
        app.health.set(PLATFORM, lambda: client.is_ready() and not client.is_closed())
    async with client:
        await client.login(token)  # ``start`` = login + connect; the REST client works from here on
        if senders is not None:  # follow-up DMs go through this client, on this loop
            sender = DiscordSender(
                client, asyncio.get_running_loop(), help_channel=app.settings.discord_help_channel
            )
            senders.register(PLATFORM, sender)
        await client.connect(reconnect=True)
