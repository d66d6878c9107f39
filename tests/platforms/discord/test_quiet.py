"""/kindred quiet here|off on Discord: a choice of the registry-built /kindred; then no channel reply."""

from __future__ import annotations

from bot.handlers.quiet import LOUD, NOT_IN_A_CHANNEL, QUIET
from tests.platforms.discord.conftest import DiscordHarness
from tests.platforms.discord.fake_discord import (
    GENERAL_ID,
    USER_ID,
    command_interaction,
    message_payload,
    user_payload,
)
from tests.platforms.discord.test_messages import HELP_REQUEST


async def test_a_quiet_channel_gets_no_reply_until_it_is_loud_again(
    discord_env: DiscordHarness, math_peer: str
) -> None:
    await discord_env.command(command_interaction("kindred", {"action": "quiet", "value": "here"}))
    (confirm,) = discord_env.fake.followups()
    assert confirm.json["content"] == QUIET
    await discord_env.message(message_payload(HELP_REQUEST))
    assert not discord_env.fake.channel_messages(GENERAL_ID)

    await discord_env.command(command_interaction("kindred", {"action": "quiet", "value": "off"}))
    assert discord_env.fake.followups()[-1].json["content"] == LOUD
    await discord_env.message(message_payload(HELP_REQUEST))
    assert len(discord_env.fake.channel_messages(GENERAL_ID)) == 1


async def test_quiet_is_offered_by_the_registry_built_command_and_listed_in_help(
    discord_env: DiscordHarness,
) -> None:
    kindred = discord_env.client.tree.get_command("kindred")
    assert kindred is not None
    choices = [c.value for c in kindred.get_parameter("action").choices]  # type: ignore[union-attr]
    assert "quiet" in choices
    await discord_env.command(command_interaction("kindred", {"action": "help"}))
    assert "/kindred quiet here" in discord_env.fake.followups()[-1].json["content"]


async def test_quiet_from_a_dm_is_refused(discord_env: DiscordHarness) -> None:
    payload = command_interaction("kindred", {"action": "quiet"})
    for key in ("guild_id", "member", "guild_locale"):
        payload.pop(key, None)
    payload["data"].pop("guild_id")
    payload["user"] = user_payload(USER_ID)
    payload["context"] = 1
    payload["channel"] = {"id": payload["channel_id"], "type": 1, "recipients": [user_payload(USER_ID)]}
    await discord_env.command(payload)
    assert discord_env.fake.followups()[-1].json["content"] == NOT_IN_A_CHANNEL
