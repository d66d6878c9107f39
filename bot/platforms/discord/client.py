"""The Discord adapter's client: connection lifecycle, and each event routed to its room —
``interactions`` (slash commands, modals, buttons), ``events`` (gateway messages) and ``messenger``
(delivery of the core's ``Outcome``). Every core call is synchronous and CPU-heavy, so it runs in a
worker thread.
"""

from __future__ import annotations

import logging
from typing import Any

import discord

from bot.bootstrap import App
from bot.domain.replies import Outcome
from bot.handlers.delivery import deliver
from bot.platforms.discord import ways_to_ask
from bot.platforms.discord.channels import find_channel
from bot.platforms.discord.components import KindredButton
from bot.platforms.discord.events import MessageEvents, actor_for, thread_reply_for
from bot.platforms.discord.interactions import (
    ANONYMOUS_REFUSAL,
    Interactions,
    KindredTree,
    answer_privately,
    has_role,
)
from bot.platforms.discord.messenger import DiscordMessenger
from bot.platforms.discord.sync import STATE_FILE, SyncState, sync_commands

log = logging.getLogger(__name__)

PLATFORM = "discord"
__all__ = [
    "ANONYMOUS_REFUSAL",
    "KindredClient",
    "actor_for",
    "answer_privately",
    "default_intents",
    "has_role",
    "thread_reply_for",
]


def default_intents() -> discord.Intents:
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_messages = True
    intents.message_content = True  # privileged: switch it on in the Developer Portal (see docs)
    intents.dm_messages = True  # a DM to Kindred is an /ask
    intents.guild_reactions = True  # the ask reaction (🙋)
    return intents


class KindredClient(discord.Client):
    def __init__(self, app: App, intents: discord.Intents | None = None, **options: Any) -> None:
        super().__init__(
            intents=intents or default_intents(),
            allowed_mentions=discord.AllowedMentions.none(),
            **options,
        )
        self.app = app
        self.kindred = app.kindred
        self.tree = KindredTree(self)
        self.interactions = Interactions(self)
        self.events = MessageEvents(self)
        self.ready_count = 0
        self.synced_scopes: list[str] = []
        guilds = [discord.Object(id=gid) for gid in app.settings.guild_ids]
        for spec in self.kindred.commands():
            command = self.interactions.build(spec)
            if guilds:
                self.tree.add_command(command, guilds=guilds)
            else:
                self.tree.add_command(command)
        ways_to_ask.register(self)  # "Find help for this", the ask reaction

    # --- lifecycle -------------------------------------------------------------------------------

    async def setup_hook(self) -> None:
        self.add_dynamic_items(KindredButton)
        state = SyncState(self.app.settings.data_dir / STATE_FILE)
        self.synced_scopes = await sync_commands(
            self.tree, self.application_id, self.app.settings.guild_ids, state
        )

    async def on_ready(self) -> None:
        # Fires again after every resume/reconnect: only log, never re-register anything here.
        self.ready_count += 1
        if self.ready_count == 1:
            log.info(
                "discord connected",
                extra={"user": str(self.user), "guilds": len(self.guilds)},
            )

    # --- routing: each kind of event to its room -----------------------------------------------

    async def on_message(self, message: discord.Message) -> None:
        await self.events.on_message(message)

    async def on_kindred_button(self, interaction: discord.Interaction, action: str, value: str) -> None:
        """Called by ``KindredButton`` for every press, including on messages sent before a restart."""
        await self.interactions.on_button(interaction, action, value)

    async def thread_reply(self, message: discord.Message) -> bool:
        """``message`` under a known question goes to the core's thread listeners (True), else False."""
        return await self.events.thread_reply(message)

    # --- delivering outcomes -------------------------------------------------------------------

    async def answer(self, message: discord.Message, outcome: Outcome | None) -> None:
        """The core's one delivery path, answering a gateway ``message`` (a reply to it)."""
        await self.events.answer(message, outcome)

    async def deliver(self, interaction: discord.Interaction, outcome: Outcome) -> None:
        """The core's one delivery path, answering ``interaction`` with followups."""
        messenger = DiscordMessenger(self, interaction.guild, interaction=interaction)
        await deliver(outcome, messenger, self.kindred)

    def channel_for(self, guild: discord.Guild | None, channel_id: str | None) -> Any:
        """``channel_id`` None means the configured help channel, given by id or by name."""
        return find_channel(self, guild, channel_id or self.app.settings.discord_help_channel)
