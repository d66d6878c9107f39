"""The channel listener: real discord.Message objects from raw gateway payloads."""

from __future__ import annotations

from tests.platforms.discord.conftest import DiscordHarness
from tests.platforms.discord.fake_discord import BOT_USER, GENERAL_ID, message_payload, user_payload

HELP_REQUEST = "Does anyone have ideas for teaching equivalent fractions hands-on to my 4th graders?"


async def test_a_help_request_gets_exactly_one_reply_with_suggestions(
    discord_env: DiscordHarness, math_peer: str
) -> None:
    payload = message_payload(HELP_REQUEST)
    await discord_env.message(payload)

    (reply,) = discord_env.fake.channel_messages(GENERAL_ID)
    body = reply.json
    assert str(body["message_reference"]["message_id"]) == payload["id"]
    assert body["allowed_mentions"]["parse"] == [] and body["allowed_mentions"]["replied_user"] is False
    text = str(body["embeds"])
    assert "Fraction" in text and f"<@{math_peer}>" in text
    ids = [c["custom_id"] for row in body["components"] for c in row["components"]]
    assert ids and all(i.startswith("kindred:") for i in ids)
    assert not any(i.startswith("kindred:post_to_help") for i in ids)  # it is already in a channel
    assert not discord_env.fake.followups()


async def test_chatter_gets_nothing(discord_env: DiscordHarness) -> None:
    await discord_env.message(message_payload("Lunch is at noon today, see you all there!"))
    await discord_env.message(message_payload("   "))
    assert not discord_env.fake.channel_messages()


async def test_bots_and_the_bot_itself_are_ignored(discord_env: DiscordHarness) -> None:
    await discord_env.message(message_payload(HELP_REQUEST, author=BOT_USER))
    await discord_env.message(message_payload(HELP_REQUEST, author=user_payload(123, "otherbot", bot=True)))
    assert not discord_env.fake.channel_messages()


async def test_a_failing_reply_is_logged_and_the_listener_keeps_working(
    discord_env: DiscordHarness, math_peer: str
) -> None:
    discord_env.fake.forbidden_channels.add(str(GENERAL_ID))
    await discord_env.message(message_payload(HELP_REQUEST))  # 403 from Discord: logged, not raised
    discord_env.fake.forbidden_channels.clear()
    await discord_env.message(message_payload(HELP_REQUEST))
    assert len(discord_env.fake.channel_messages(GENERAL_ID)) == 2
