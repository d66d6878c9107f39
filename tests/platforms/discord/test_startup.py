"""Start-up: intents, command sync only when the command set changed, idempotent on_ready, runner."""

from __future__ import annotations

import pytest

from bot.bootstrap import App
from bot.domain.replies import Outcome
from bot.platforms.discord import runner
from bot.platforms.discord.client import KindredClient, default_intents
from tests.platforms.discord.conftest import DiscordHarness
from tests.platforms.discord.fake_discord import APP_ID, GUILD_ID, command_interaction, guild_payload

GLOBAL = rf"^/applications/{APP_ID}/commands$"


async def login(env: DiscordHarness) -> KindredClient:
    client = KindredClient(env.app)
    await client.login("fake-token")
    return client


async def swap(env: DiscordHarness, client: KindredClient) -> None:
    """Replace the harness client (closing the old one); the fixture closes the new one."""
    await env.client.close()
    client._connection._add_guild_from_data(guild_payload())  # type: ignore[arg-type]
    env.client = client


def test_intents_are_the_minimum_needed() -> None:
    intents = default_intents()
    assert intents.guilds and intents.guild_messages and intents.message_content
    assert intents.dm_messages and intents.guild_reactions  # DMs are asks; the 🙋 reaction asks too
    assert not intents.members and not intents.presences and not intents.dm_reactions


async def test_commands_come_from_the_core_and_sync_once(discord_env: DiscordHarness) -> None:
    (sync,) = discord_env.fake.find("PUT", GLOBAL)
    names = [c["name"] for c in sync.body]
    assert names == [spec.name for spec in discord_env.app.kindred.commands()] + ["Find help for this"]
    assert sync.body[-1]["type"] == 3  # the message context menu
    for command in sync.body[:-1]:
        assert command["description"] and len(command["description"]) <= 100
        assert all(option["description"] for option in command.get("options", []))
    ask = next(c for c in sync.body if c["name"] == "ask")
    assert [o["name"] for o in ask["options"]] == ["question", "anonymous"]

    again = await login(discord_env)  # a restart with the same command set: no sync
    await again.close()
    assert len(discord_env.fake.find("PUT", GLOBAL)) == 1


async def test_a_changed_command_set_syncs_again_and_new_core_commands_just_work(
    discord_env: DiscordHarness,
) -> None:
    registry = discord_env.app.kindred.registry
    registry.command(
        "ping", "Check Kindred is alive", "/ping", lambda deps, cmd: Outcome.say(f"pong {cmd.text}")
    )
    client = await login(discord_env)
    syncs = discord_env.fake.find("PUT", GLOBAL)
    assert len(syncs) == 2 and "ping" in [c["name"] for c in syncs[-1].body]

    await swap(discord_env, client)
    await discord_env.command(command_interaction("ping", {"text": "there"}))
    assert discord_env.fake.followups()[-1].json["content"] == "pong there"


async def test_guild_ids_sync_to_each_guild_and_clear_the_global_set(
    app: App, discord_env: DiscordHarness, monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    monkeypatch.setattr(app.settings, "discord_guild_ids", f"{GUILD_ID}")
    monkeypatch.setattr(app.settings, "data_dir", tmp_path / "other-data")
    client = await login(discord_env)
    (guild_sync,) = discord_env.fake.find("PUT", rf"^/applications/{APP_ID}/guilds/{GUILD_ID}/commands$")
    expected = {spec.name for spec in app.kindred.commands()} | {"Find help for this"}
    assert {c["name"] for c in guild_sync.body} == expected
    assert discord_env.fake.find("PUT", GLOBAL)[-1].body == []

    # Guild commands resolve for interactions coming from that guild.
    await swap(discord_env, client)
    await discord_env.command(command_interaction("kindred", {"action": "help"}))
    assert "**Kindred**" in discord_env.fake.followups()[-1].json["content"]


async def test_on_ready_is_idempotent(discord_env: DiscordHarness) -> None:
    puts = len(discord_env.fake.find("PUT", GLOBAL))
    await discord_env.client.on_ready()
    await discord_env.client.on_ready()
    assert discord_env.client.ready_count == 2
    assert len(discord_env.fake.find("PUT", GLOBAL)) == puts


async def test_runner_needs_a_token(app: App) -> None:
    with pytest.raises(runner.DiscordNotConfigured):
        await runner.run(app)
