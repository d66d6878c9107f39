"""Discord gateway messages → the core: a reply under a known question is a ``ThreadReply``, any other
guild message a ``ChannelMessage``; the answer goes back through the one ``deliver``."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import discord

from bot.domain.events import Actor, ChannelMessage, ThreadReply
from bot.domain.replies import Outcome
from bot.handlers.delivery import deliver
from bot.platforms.discord import ways_to_ask
from bot.platforms.discord.messenger import DiscordMessenger

if TYPE_CHECKING:
    from bot.platforms.discord.client import KindredClient

log = logging.getLogger(__name__)

PLATFORM = "discord"


def actor_for(user: discord.abc.User, guild_id: int | None) -> Actor:
    return Actor(
        platform=PLATFORM,
        user_id=str(user.id),
        display_name=getattr(user, "display_name", None) or user.name,
        workspace_id=str(guild_id) if guild_id else None,
    )


def thread_reply_for(message: discord.Message) -> ThreadReply | None:
    """The question ``message`` may answer: the message it replies to, else the thread it is in (a thread
    started from a message has that message's id, and lives under the message's channel)."""
    actor = actor_for(message.author, message.guild.id if message.guild else None)
    reference = message.reference
    if reference is not None and reference.message_id is not None:
        channel_id = reference.channel_id or message.channel.id
        return ThreadReply(
            actor, str(channel_id), str(reference.message_id), message.content, str(message.id)
        )
    if isinstance(message.channel, discord.Thread) and message.channel.parent_id is not None:
        thread = message.channel
        return ThreadReply(actor, str(thread.parent_id), str(thread.id), message.content, str(message.id))
    return None


class MessageEvents:
    """What the client does with a gateway ``MESSAGE_CREATE``."""

    def __init__(self, client: KindredClient) -> None:
        self.client = client

    async def on_message(self, message: discord.Message) -> None:
        user = self.client.user
        if message.author.bot or (user is not None and message.author.id == user.id):
            return
        if await ways_to_ask.on_message(self.client, message):  # a DM, or a message mentioning Kindred
            return
        if message.guild is None or not message.content.strip():
            return
        if await self.thread_reply(message):
            return
        event = ChannelMessage(
            actor=actor_for(message.author, message.guild.id),
            channel_id=str(message.channel.id),
            text=message.content,
            message_id=str(message.id),
            thread_id=str(message.channel.id) if isinstance(message.channel, discord.Thread) else None,
        )
        try:
            outcome = await asyncio.to_thread(self.client.kindred.handle_message, event)
            await self.answer(message, outcome)
        except Exception:
            # The channel never sees our errors; the core logs its own, this covers Discord failures.
            log.exception("discord message handling failed", extra={"channel_id": event.channel_id})

    async def thread_reply(self, message: discord.Message) -> bool:
        """A reply to a known question (a message reply, or a message in the question's thread): hand it
        to the core and return True; False when it is not under a question Kindred knows."""
        reply = thread_reply_for(message)
        if reply is None:
            return False
        try:
            outcome = await asyncio.to_thread(self.client.kindred.handle_thread_reply, reply)
            if outcome is None:
                return False
            await self.answer(message, outcome)
        except Exception:
            log.exception("discord thread reply handling failed", extra={"channel_id": reply.channel_id})
        return True

    async def answer(self, message: discord.Message, outcome: Outcome | None) -> None:
        """Replies to ``message`` in its channel; posts and DMs as the outcome says."""
        await deliver(
            outcome, DiscordMessenger(self.client, message.guild, message=message), self.client.kindred
        )
