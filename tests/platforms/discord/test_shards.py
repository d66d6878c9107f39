"""Sharding: the client class follows DISCORD_SHARD_COUNT, else Discord's recommendation (/gateway/bot)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import discord
import pytest
from discord.http import Route

from bot.bootstrap import App
from bot.platforms.discord.client import KindredClient
from bot.platforms.discord.shards import ShardedKindredClient, client_for
from bot.settings import load_settings
from tests.platforms.discord.fake_discord import FakeDiscord


@pytest.fixture
async def fake(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    fake = FakeDiscord()
    monkeypatch.setattr(Route, "BASE", await fake.start())
    yield fake
    await fake.close()


@pytest.mark.parametrize(
    ("setting", "recommended", "sharded", "count"),
    [
        (None, 1, False, None),  # a school: one shard, the plain client
        (None, 4, True, 4),  # Discord asks for shards: follow it
        (3, 1, True, 3),  # the setting wins over the recommendation
        (1, 4, False, None),  # ... also when it asks for one shard
    ],
)
async def test_the_client_class_follows_the_shard_count(
    app: App, fake: FakeDiscord, setting: int | None, recommended: int, sharded: bool, count: int | None
) -> None:
    app.settings = app.settings.model_copy(update={"discord_shard_count": setting})
    fake.recommended_shards = recommended
    client = await client_for(app, "fake-token")
    try:
        assert isinstance(client, KindredClient)
        assert isinstance(client, discord.AutoShardedClient) is sharded
        assert isinstance(client, ShardedKindredClient) is sharded
        assert client.shard_count == count
        asked = [c for c in fake.calls if c.path == "/gateway/bot"]
        assert len(asked) == (0 if setting else 1)
        assert {spec.name for spec in app.kindred.commands()} <= {c.name for c in client.tree.get_commands()}
    finally:
        await client.close()


async def test_an_unreachable_gateway_falls_back_to_one_shard(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Route, "BASE", "http://127.0.0.1:9/api/v10")  # nothing listens on port 9
    client = await client_for(app, "fake-token")
    try:
        assert type(client) is KindredClient
    finally:
        await client.close()


def test_the_shard_count_setting_is_validated(tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert load_settings(KINDRED_DATA_DIR=tmp_path, DISCORD_SHARD_COUNT="6").discord_shard_count == 6
    assert load_settings(KINDRED_DATA_DIR=tmp_path, DISCORD_SHARD_COUNT="").discord_shard_count is None
    with pytest.raises(Exception, match="DISCORD_SHARD_COUNT"):
        load_settings(KINDRED_DATA_DIR=tmp_path, DISCORD_SHARD_COUNT="0")
