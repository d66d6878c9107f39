"""On Discord, from raw gateway payloads: "did this help?" quotes the colleague's reply and names them, and
"Yes, thanks!" saves it as the answer that helped, credited to the replier (who hears so)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from bot.platforms.discord.sender import DiscordSender
from bot.scheduling.scheduler import build_dispatcher
from tests.platforms.discord.conftest import DiscordHarness
from tests.platforms.discord.fake_discord import (
    BOT_USER,
    HELP_ID,
    USER_ID,
    button_interaction,
    message_payload,
    user_payload,
)
from tests.platforms.discord.test_followups import dm_channel, posted_question, reply_to

ANSWER = "Fraction strips first @everyone, then a number line. " + "Let them explain why. " * 30


async def test_did_this_help_quotes_the_reply_and_yes_credits_the_replier(
    discord_env: DiscordHarness, math_peer: str
) -> None:
    _, message_id = await posted_question(discord_env)
    await discord_env.message(
        reply_to(message_id, ANSWER, user_payload(math_peer, "dana"), channel_id=HELP_ID)
    )

    later = datetime.now(UTC) + timedelta(hours=1, minutes=5)
    sender = DiscordSender(discord_env.client, asyncio.get_running_loop(), timeout=10)
    dispatcher = build_dispatcher(
        discord_env.app.db, sender, discord_env.app.kindred.deps.suggester, clock=lambda: later
    )
    await asyncio.to_thread(dispatcher.run_once)
    check_in = next(
        c.json
        for c in discord_env.fake.channel_messages(dm_channel(str(USER_ID)))
        if "Did this help?" in c.json["content"]
    )
    assert "Dana Reyes" in check_in["content"] and "Fraction strips first" in check_in["content"]
    assert "@everyone" not in check_in["content"], "user text is neutralised"
    assert len(check_in["content"]) < len(ANSWER)

    yes = next(
        c["custom_id"]
        for row in check_in["components"]
        for c in row["components"]
        if c["custom_id"].startswith("kindred:followup_yes:")
    )
    dm = message_payload("", author=BOT_USER, guild_id=None, components=check_in["components"])
    await discord_env.dispatch(button_interaction(yes, dm))
    with discord_env.app.db.session() as session:
        helper = session.execute(text("SELECT helper_id FROM answered_questions")).scalar_one()
        dana = session.execute(
            text("SELECT id FROM teachers WHERE platform_user_id = :u"), {"u": math_peer}
        ).scalar_one()
    assert helper == dana
    thanks = [c.json["content"] for c in discord_env.fake.channel_messages(dm_channel(math_peer))]
    assert any("helped" in t for t in thanks), thanks
