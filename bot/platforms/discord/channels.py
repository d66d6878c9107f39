"""The Discord channel Kindred posts in: an id anywhere, or a name in the asker's server."""

from __future__ import annotations

from typing import Any

import discord


def find_channel(client: discord.Client, guild: discord.Guild | None, wanted: str) -> Any:
    """``wanted`` (an id, or a name with or without "#"): the channel or thread, or None."""
    wanted = wanted.strip().lstrip("#")
    if wanted.isdigit():
        if guild is not None:
            return guild.get_channel_or_thread(int(wanted))
        return client.get_channel(int(wanted))
    if guild is None:
        return None
    return discord.utils.get(guild.text_channels, name=wanted.lower())
