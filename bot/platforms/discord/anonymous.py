"""Discord side of anonymous questions: translate ``AnonResult`` effects into Discord calls."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import discord

from bot.anonymity.effects import AnonResult, DeletePost, EditPost
from bot.domain.events import Actor, Command
from bot.domain.replies import Reply
from bot.handlers import anonymous
from bot.platforms.discord.render import render
from bot.platforms.discord.sender import DiscordSender
from bot.scheduling import anon_posts
from bot.storage.models import FAILED

log = logging.getLogger(__name__)
PLATFORM = "discord"
ACTIONS = anonymous.SUBCOMMANDS


def is_moderator(client: Any, user: Any) -> bool:
    role = client.kindred.deps.anonymity.discord_moderator_role
    return bool(role) and any(str(r.id) == str(role) for r in getattr(user, "roles", []) or [])


def actor(interaction: discord.Interaction) -> Actor:
    user = interaction.user
    name = getattr(user, "display_name", None) or user.name
    guild = str(interaction.guild_id) if interaction.guild_id else None
    return Actor(PLATFORM, str(user.id), display_name=name, workspace_id=guild)


async def ask(client: Any, interaction: discord.Interaction, question: str) -> None:
    """Private answer first; the public post follows after a random delay, always in the help channel."""
    await interaction.response.defer(ephemeral=True, thinking=True)
    deps = client.kindred.deps
    result = await asyncio.to_thread(anonymous.ask, deps, actor(interaction), question)
    await interaction.followup.send(**render(result.reply).kwargs(), ephemeral=True)
    if result.question is None:
        return
    # A durable row first, so a restart within the delay still posts it (the heartbeat picks it up).
    delay, request_id, db = deps.anonymity.post_delay(), result.question.request_id, client.app.db
    await asyncio.to_thread(anon_posts.schedule, db, request_id, deps.clock(), delay)
    await asyncio.sleep(delay)
    help_channel = client.app.settings.discord_help_channel
    sender = DiscordSender(client, asyncio.get_running_loop(), help_channel=help_channel)
    if await asyncio.to_thread(anon_posts.post_now, db, sender, request_id) == FAILED:
        await interaction.followup.send(
            "I couldn't find the help channel, so nothing was posted.", ephemeral=True
        )


async def command(client: Any, interaction: discord.Interaction, action: str, value: str | None) -> None:
    await interaction.response.defer(ephemeral=True, thinking=True)
    options = {"moderator": is_moderator(client, interaction.user)}
    event = Command(actor(interaction), "kindred", f"{action} {value or ''}".strip(), options=options)
    result = await asyncio.to_thread(anonymous.subcommand, client.kindred.deps, event)
    await apply(client, interaction.guild, result)
    await interaction.followup.send(**render(result.reply).kwargs(), ephemeral=True)


async def apply(client: Any, guild: discord.Guild | None, result: AnonResult) -> None:
    for post in result.thread_posts:
        try:
            thread = client.channel_for(guild, post.thread_id)
            if isinstance(thread, discord.Thread):
                await thread.send(**render(Reply(post.text, ephemeral=False)).kwargs())
                continue
            channel = client.channel_for(guild, post.channel_id)
            reference = discord.MessageReference(
                message_id=int(post.thread_id), channel_id=int(post.channel_id), fail_if_not_exists=False
            )
            await channel.send(**render(Reply(post.text, ephemeral=False)).kwargs(), reference=reference)
        except (discord.HTTPException, AttributeError, ValueError):
            log.warning("anonymous thread post failed", extra={"channel_id": post.channel_id})
    for change in result.changes:
        try:
            channel = client.channel_for(guild, change.channel_id)
            message = channel.get_partial_message(int(change.message_id))
            if isinstance(change, DeletePost):
                await message.delete()
            elif isinstance(change, EditPost):
                await message.edit(content=change.text)
        except (discord.HTTPException, AttributeError, ValueError):
            log.warning("anonymous post change failed", extra={"channel_id": change.channel_id})
