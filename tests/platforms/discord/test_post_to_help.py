"""The Discord follow-up sender posts a privately asked, unanswered question in the help channel."""

from __future__ import annotations

import asyncio

import pytest

from bot.platforms.discord.sender import DiscordSender
from bot.scheduling.messages import public_post_reply
from bot.scheduling.sender import DeliveryError
from tests.platforms.discord.conftest import DiscordHarness
from tests.platforms.discord.fake_discord import GUILD_ID, HELP_ID


@pytest.mark.parametrize("help_channel", ["#help", str(HELP_ID)])
async def test_post_to_help_posts_in_the_help_channel_by_name_or_id(
    discord_env: DiscordHarness, help_channel: str
) -> None:
    loop = asyncio.get_running_loop()
    sender = DiscordSender(discord_env.client, loop, timeout=10, help_channel=help_channel)
    reply = public_post_reply(7, "How do I teach fractions?")
    channel_id, message_id = await asyncio.to_thread(sender.post_to_help, "discord", str(GUILD_ID), reply)
    (sent,) = discord_env.fake.channel_messages(HELP_ID)
    assert channel_id == str(HELP_ID) and message_id.isdigit()
    assert "A colleague is looking for ideas" in sent.json["content"]


async def test_post_to_help_without_a_help_channel_is_not_retryable(discord_env: DiscordHarness) -> None:
    loop = asyncio.get_running_loop()
    sender = DiscordSender(discord_env.client, loop, timeout=10, help_channel="no-such-channel")
    with pytest.raises(DeliveryError) as caught:
        await asyncio.to_thread(sender.post_to_help, "discord", str(GUILD_ID), public_post_reply(7, "Hi?"))
    assert not caught.value.retryable and discord_env.fake.channel_messages() == []
