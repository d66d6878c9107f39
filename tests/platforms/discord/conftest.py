"""A real ``KindredClient`` logged in against the local fake Discord, with one guild in its cache."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import discord
import pytest
from discord.http import Route

from bot.bootstrap import App
from bot.platforms.discord.client import KindredClient
from bot.storage.repositories import TeacherRepository
from tests.platforms.discord.fake_discord import GUILD_ID, FakeDiscord, guild_payload

PEER_ID = "900000000000000042"


@dataclass
class DiscordHarness:
    app: App
    client: KindredClient
    fake: FakeDiscord

    @property
    def state(self) -> Any:
        return self.client._connection

    @property
    def guild(self) -> discord.Guild:
        guild = self.client.get_guild(GUILD_ID)
        assert guild is not None
        return guild

    async def command(self, payload: dict[str, Any]) -> discord.Interaction:
        """Drive a slash command the way discord.py's own tests do: a real Interaction into tree._call."""
        interaction = discord.Interaction(data=payload, state=self.state)  # type: ignore[arg-type]
        await self.client.tree._call(interaction)
        return interaction

    async def dispatch(self, payload: dict[str, Any]) -> None:
        """A raw INTERACTION_CREATE (button, modal) through the gateway parser; waits for its tasks."""
        self.state.parse_interaction_create(payload)
        store = self.state._view_store
        tasks = list(store._ViewStore__tasks)
        for task in tasks:
            await task

    async def message(self, payload: dict[str, Any]) -> None:
        channel = self.guild.get_channel(int(payload["channel_id"]))
        message = discord.Message(state=self.state, channel=channel, data=payload)  # type: ignore[arg-type]
        await self.client.on_message(message)

    async def direct_message(self, payload: dict[str, Any]) -> None:
        """A message in the author's DM channel with the bot (no guild)."""
        channel = self.state.add_dm_channel(
            {"id": payload["channel_id"], "type": 1, "recipients": [payload["author"]]}
        )
        message = discord.Message(state=self.state, channel=channel, data=payload)  # type: ignore[arg-type]
        await self.client.on_message(message)

    async def gateway(self, parser: str, payload: dict[str, Any]) -> None:
        """A raw gateway event through discord.py's own parser (e.g. ``message_reaction_add``); waits for
        the listener tasks it dispatched."""
        before = asyncio.all_tasks()
        getattr(self.state, f"parse_{parser}")(payload)
        started = [t for t in asyncio.all_tasks() - before if t.get_name().startswith("discord.py: on_")]
        await asyncio.gather(*started)


@pytest.fixture
async def discord_env(app: App, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[DiscordHarness]:
    fake = FakeDiscord()
    monkeypatch.setattr(Route, "BASE", await fake.start())
    client = KindredClient(app)
    await client.login("fake-token")  # /users/@me, application info, then setup_hook (command sync)
    client._connection._add_guild_from_data(guild_payload())  # type: ignore[arg-type]
    try:
        yield DiscordHarness(app, client, fake)
    finally:
        await client.close()
        await fake.close()


def add_discord_teacher(app: App, user_id: str, fields: dict[str, Any]) -> None:
    with app.db.session() as session:
        TeacherRepository(session).upsert("discord", user_id, fields)
    app.indexer.prepare()


@pytest.fixture
def math_peer(app: App) -> str:
    """An onboarded 4th-grade math teacher on Discord, open to help: a likely kindred spirit."""
    add_discord_teacher(
        app,
        PEER_ID,
        {
            "name": "Dana Reyes",
            "subjects": ["math"],
            "grades": ["4"],
            "interests": ["fractions", "manipulatives", "fraction strips"],
            "bio": "I teach 4th grade math with hands-on fraction strips and manipulatives.",
            "open_to_help": True,
            "onboarded": True,
            "workspace_id": str(GUILD_ID),
        },
    )
    return PEER_ID
