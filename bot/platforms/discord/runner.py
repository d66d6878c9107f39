"""``run(app)``: connect Kindred to Discord and serve until cancelled (the launcher gathers runners)."""

from __future__ import annotations

import logging

from bot.bootstrap import App
from bot.platforms.discord.client import KindredClient

log = logging.getLogger(__name__)


class DiscordNotConfigured(RuntimeError):
    pass


async def run(app: App) -> None:
    token = app.settings.discord_token
    if not token:
        raise DiscordNotConfigured("DISCORD_TOKEN is not set — see docs/connect-discord.md")
    client = KindredClient(app)
    log.info("starting discord", extra={"guilds": app.settings.guild_ids or "global"})
    # ``async with`` closes the HTTP session and gateway on cancellation; discord.py reconnects on its own
    # and handles rate limits (429 + buckets) in its HTTP client.
    async with client:
        await client.start(token, reconnect=True)
