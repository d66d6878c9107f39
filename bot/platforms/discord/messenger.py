"""Discord's ``Messenger``: the core's ``deliver`` says what to send, this sends it (embeds, views),
bound to one event: an interaction (answered with followups) or a channel message (answered as a reply)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import discord

from bot.domain.replies import ChannelPost, DeletePost, DirectMessage, EditPost, Reply, ThreadPost
from bot.handlers.delivery import PostRefused
from bot.platforms.discord.render import discord_text, render
from bot.platforms.discord.sender import DiscordSender
from bot.scheduling.sender import Sender

if TYPE_CHECKING:
    from bot.platforms.discord.client import KindredClient

log = logging.getLogger(__name__)
T = TypeVar("T")


class DiscordMessenger:
    platform = "discord"

    def __init__(
        self,
        client: KindredClient,
        guild: discord.Guild | None,
        interaction: discord.Interaction | None = None,
        message: discord.Message | None = None,
    ) -> None:
        self.client = client
        self.guild = guild
        self.interaction = interaction
        self.message = message  # the channel message being answered (no interaction)

    async def in_core(self, call: Callable[..., T], *args: Any) -> T:
        return await asyncio.to_thread(call, *args)

    async def reply(self, reply: Reply) -> None:
        if self.interaction is not None:
            await self.interaction.followup.send(**render(reply).kwargs(), ephemeral=reply.ephemeral)
        elif self.message is not None and self.message.guild is None:  # a DM: just answer, no quote
            await self.message.channel.send(**render(reply).kwargs())
        elif self.message is not None:
            await self.message.reply(**render(reply).kwargs(), mention_author=False)

    async def post(self, post: ChannelPost) -> tuple[str, str] | None:
        channel = self.client.channel_for(self.guild, post.channel_id)
        name = post.channel_id or self.client.app.settings.discord_help_channel.lstrip("#")
        if channel is None:
            log.warning("discord help channel not found", extra={"channel": name})
            raise PostRefused(
                f"I couldn't find the #{name} channel on this server, so nothing was posted. "
                "Ask an admin to create it (or set KINDRED_DISCORD_HELP_CHANNEL)."
            )
        try:
            sent = await channel.send(**render(post.reply).kwargs())
        except discord.Forbidden:
            log.warning("no permission to post in the help channel", extra={"channel_id": channel.id})
            raise PostRefused(
                f"I'm not allowed to post in <#{channel.id}>, so nothing was posted. Please tell an admin."
            ) from None
        return str(channel.id), str(sent.id)

    async def post_in_thread(self, post: ThreadPost) -> None:
        kwargs = render(Reply(post.text, ephemeral=False)).kwargs()
        try:
            thread = self.client.channel_for(self.guild, post.thread_id)
            if isinstance(thread, discord.Thread):
                await thread.send(**kwargs)
                return
            channel = self.client.channel_for(self.guild, post.channel_id)
            reference = discord.MessageReference(
                message_id=int(post.thread_id), channel_id=int(post.channel_id), fail_if_not_exists=False
            )
            await channel.send(**kwargs, reference=reference)
        except (discord.HTTPException, AttributeError, ValueError):
            log.warning("thread post failed", extra={"channel_id": post.channel_id})

    async def direct_message(self, dm: DirectMessage) -> None:
        if not dm.platform_user_id.isdigit():
            return
        user_id = int(dm.platform_user_id)
        try:
            user = self.client.get_user(user_id) or await self.client.fetch_user(user_id)
            await user.send(**render(dm.reply).kwargs())
        except discord.HTTPException:
            # Closed DMs (403) are normal; one unreachable colleague must not stop the others.
            log.warning("discord DM failed", extra={"user_id": dm.platform_user_id})

    async def edit(self, change: EditPost) -> None:
        try:
            await self._message(change.channel_id, change.message_id).edit(content=discord_text(change.text))
        except (discord.HTTPException, AttributeError, ValueError):
            log.warning("post edit failed", extra={"channel_id": change.channel_id})

    async def delete(self, change: DeletePost) -> None:
        try:
            await self._message(change.channel_id, change.message_id).delete()
        except (discord.HTTPException, AttributeError, ValueError):
            log.warning("post delete failed", extra={"channel_id": change.channel_id})

    def _message(self, channel_id: str, message_id: str) -> Any:
        return self.client.channel_for(self.guild, channel_id).get_partial_message(int(message_id))

    async def remove_source(self) -> None:
        source = self.interaction.message if self.interaction is not None else None
        if source is None:
            return
        try:
            await source.delete()
        except discord.HTTPException as exc:
            log.warning("could not remove the reply", extra={"status": exc.status})

    async def wait(self, seconds: float) -> None:
        await asyncio.sleep(seconds)

    def follow_up_sender(self) -> Sender:
        help_channel = self.client.app.settings.discord_help_channel
        return DiscordSender(self.client, asyncio.get_running_loop(), help_channel=help_channel)
