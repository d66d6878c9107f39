"""Gateway shards: a plain client for one shard, ``discord.AutoShardedClient`` when ``DISCORD_SHARD_COUNT``
(or, when unset, Discord's own recommendation from ``GET /gateway/bot``) is above 1.

Discord requires shards past 2,500 guilds; all of them run in this one process (run Discord in one
process only: two processes on the same shards would each handle every interaction).
"""

from __future__ import annotations

import asyncio
import logging

import discord
from discord.http import HTTPClient

from bot.bootstrap import App
from bot.platforms.discord.client import KindredClient

log = logging.getLogger(__name__)


class ShardedKindredClient(KindredClient, discord.AutoShardedClient):
    """The Kindred client over several gateway shards in one process."""

    async def close(self) -> None:
        # discord.py's AutoShardedClient.close needs the event queue that only ``connect`` creates: closing
        # after a failed login (or before connecting) would raise AttributeError instead of closing.
        if not hasattr(self, "_AutoShardedClient__queue"):
            await discord.Client.close(self)
            return
        await super().close()


def build_client(app: App, shard_count: int) -> KindredClient:
    if shard_count > 1:
        return ShardedKindredClient(app, shard_count=shard_count)
    return KindredClient(app)


async def recommended_shards(token: str) -> int:
    """Discord's recommended shard count for this bot; 1 when it cannot be asked (login still reports
    a bad token clearly)."""
    http = HTTPClient(asyncio.get_running_loop())
    try:
        await http.static_login(token)
        shards, _url, _limits = await http.get_bot_gateway()
        return max(1, int(shards))
    except (discord.HTTPException, discord.GatewayNotFound, OSError) as exc:
        log.warning("could not ask Discord for a shard count", extra={"error": type(exc).__name__})
        return 1
    finally:
        await http.close()


async def client_for(app: App, token: str) -> KindredClient:
    shard_count = app.settings.discord_shard_count or await recommended_shards(token)
    log.info("discord shards", extra={"shard_count": shard_count})
    return build_client(app, shard_count)
