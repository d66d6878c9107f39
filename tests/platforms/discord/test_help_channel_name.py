"""On Discord too, replies name the help channel set in ``KINDRED_DISCORD_HELP_CHANNEL``, not "#help"."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from discord.http import Route

from bot.bootstrap import App
from bot.platforms.discord.client import KindredClient
from bot.settings import Settings, load_settings
from tests.platforms.discord.conftest import DiscordHarness
from tests.platforms.discord.fake_discord import (
    GENERAL_ID,
    FakeDiscord,
    button_interaction,
    channel_payload,
    guild_payload,
)
from tests.platforms.discord.test_buttons import ask, button

TEACHER_HELP_ID = 800000000000000077


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return load_settings(
        KINDRED_DATA_DIR=tmp_path / "data",
        KINDRED_DATABASE_URL=database_url,
        KINDRED_DISCORD_HELP_CHANNEL="teacher-help",
    )


@pytest.fixture
async def discord_env(app: App, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[DiscordHarness]:
    """A server whose help channel is #teacher-help (there is no #help)."""
    fake = FakeDiscord()
    monkeypatch.setattr(Route, "BASE", await fake.start())
    client = KindredClient(app)
    await client.login("fake-token")
    channels = [
        channel_payload(GENERAL_ID, "general", 0),
        channel_payload(TEACHER_HELP_ID, "teacher-help", 1),
    ]
    client._connection._add_guild_from_data(guild_payload(channels))  # type: ignore[arg-type]
    try:
        yield DiscordHarness(app, client, fake)
    finally:
        await client.close()
        await fake.close()


async def test_the_answer_and_the_post_name_the_configured_channel(
    discord_env: DiscordHarness, math_peer: str
) -> None:
    message = await ask(discord_env)
    labels = [
        c["label"] for row in discord_env.fake.followups()[-1].json["components"] for c in row["components"]
    ]
    assert "Post my question to #teacher-help" in labels

    await discord_env.dispatch(button_interaction(button(message, "post_to_help"), message))
    (post,) = discord_env.fake.channel_messages(TEACHER_HELP_ID)
    assert post.json["content"].startswith("**Question from")
    assert discord_env.fake.followups()[-1].json["content"].startswith("Posted to #teacher-help")
