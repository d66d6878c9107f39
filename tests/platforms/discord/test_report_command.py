"""``/kindred action:report`` on Discord: members of KINDRED_DISCORD_LEADER_ROLE get the report."""

from __future__ import annotations

import discord

from bot.insights.config import InsightsConfig
from tests.platforms.discord.conftest import DiscordHarness
from tests.platforms.discord.fake_discord import GUILD_ID, command_interaction
from tests.privacy.test_insights_scale import NOW, seed

LEADER_ROLE = "700000000000000007"


def _setup(env: DiscordHarness) -> None:
    seed(env.app.db, 40, 15, seed=40)
    env.app.kindred.deps.insights = InsightsConfig(discord_leader_role=LEADER_ROLE)
    env.app.kindred.deps.clock = lambda: NOW
    guild = env.client.get_guild(GUILD_ID)
    role = {"id": LEADER_ROLE, "name": "Principals", "permissions": "0", "position": 1, "color": 0,
            "hoist": False, "managed": False, "mentionable": False, "flags": 0}  # fmt: skip
    guild._add_role(discord.Role(guild=guild, state=env.client._connection, data=role))  # type: ignore[union-attr]


async def test_a_member_with_the_leader_role_gets_the_report(discord_env: DiscordHarness) -> None:
    _setup(discord_env)
    payload = command_interaction("kindred", {"action": "report", "value": "30d"})
    payload["member"]["roles"] = [LEADER_ROLE]
    await discord_env.command(payload)
    (followup,) = discord_env.fake.followups()
    text = str(followup.json)
    assert "Questions asked" in text and "40" in text and "consider a PLC on it" in text
    assert "Hidden" not in text


async def test_others_are_told_who_may(discord_env: DiscordHarness) -> None:
    _setup(discord_env)
    await discord_env.command(command_interaction("kindred", {"action": "report"}))
    (followup,) = discord_env.fake.followups()
    assert "KINDRED_DISCORD_LEADER_ROLE" in followup.json["content"]
