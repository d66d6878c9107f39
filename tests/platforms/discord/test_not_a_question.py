""" "Not a question" on Kindred's unsolicited channel reply, as a raw INTERACTION_CREATE button press."""

from __future__ import annotations

from bot.storage.intent_corrections import IntentCorrectionRepository
from tests.platforms.discord.conftest import DiscordHarness
from tests.platforms.discord.fake_discord import BOT_USER, GENERAL_ID, button_interaction, message_payload
from tests.platforms.discord.test_messages import HELP_REQUEST


async def test_not_a_question_deletes_the_reply_and_stores_a_correction(
    discord_env: DiscordHarness, math_peer: str
) -> None:
    await discord_env.message(message_payload(HELP_REQUEST))
    (reply,) = discord_env.fake.channel_messages(GENERAL_ID)
    components = reply.json["components"]
    ids = [c["custom_id"] for row in components for c in row["components"]]
    wrong = next(i for i in ids if i.startswith("kindred:not_a_question:"))
    shown = message_payload("", author=BOT_USER, components=components, message_id="4242")

    await discord_env.dispatch(button_interaction(wrong, shown))

    assert discord_env.fake.find("DELETE", rf"/channels/{GENERAL_ID}/messages/4242$")
    assert "removed my reply" in discord_env.fake.followups()[-1].json["content"]
    with discord_env.app.db.session() as session:
        assert IntentCorrectionRepository(session).counts()["not_a_question"] == 1
