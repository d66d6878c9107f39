"""🙏 on a colleague's reply to a posted question, from raw gateway payloads: a thank-you ripple for the
replier (once per colleague, never for thanking oneself), shown by their /ripples."""

from __future__ import annotations

from cryptography.fernet import Fernet
from sqlalchemy import text

from bot.anonymity import redaction
from bot.anonymity.config import AnonymityConfig
from tests.platforms.discord.conftest import DiscordHarness
from tests.platforms.discord.fake_discord import (
    HELP_ID,
    USER_ID,
    command_interaction,
    message_payload,
    reaction_payload,
    user_payload,
)
from tests.platforms.discord.test_followups import posted_question, reply_to
from tests.platforms.discord.test_thread_relay import ANON_Q, colleague_reply
from tests.privacy import db_scan

COLLEAGUE = 900000000000000077


async def ripples_of(env: DiscordHarness, user_id: str) -> str:
    await env.command(command_interaction("ripples", {"text": "all"}, user_id=int(user_id)))
    return str(env.fake.followups()[-1].json["content"])


async def test_a_thank_you_reaction_on_a_reply_is_the_repliers_ripple(
    discord_env: DiscordHarness, math_peer: str
) -> None:
    _, message_id = await posted_question(discord_env)
    answer = reply_to(message_id, "Try fraction strips", user_payload(math_peer, "dana"), channel_id=HELP_ID)
    await discord_env.message(answer)
    discord_env.fake.seed(answer)

    await discord_env.gateway("message_reaction_add", reaction_payload(answer, "👍", user_id=USER_ID))
    assert "thanked" not in await ripples_of(discord_env, math_peer), "any other emoji: nothing"

    await discord_env.gateway("message_reaction_add", reaction_payload(answer, "🙏", user_id=USER_ID))
    await discord_env.gateway("message_reaction_add", reaction_payload(answer, "🙏🏽", user_id=USER_ID))
    await discord_env.gateway("message_reaction_add", reaction_payload(answer, "🙏", user_id=int(math_peer)))
    assert "you were thanked once" in await ripples_of(discord_env, math_peer)

    await discord_env.gateway("message_reaction_add", reaction_payload(answer, "🙏", user_id=COLLEAGUE))
    assert "you were thanked twice" in await ripples_of(discord_env, math_peer)


async def test_thanks_on_a_message_outside_a_questions_thread_is_ignored(
    discord_env: DiscordHarness, math_peer: str
) -> None:
    chatter = discord_env.fake.seed(
        message_payload("Lunch is at noon", author=user_payload(math_peer, "dana"))
    )
    await discord_env.gateway("message_reaction_add", reaction_payload(chatter, "🙏", user_id=USER_ID))
    assert "No ripples" in await ripples_of(discord_env, math_peer)
    assert not discord_env.fake.channel_messages()


async def test_an_anonymous_askers_thanks_names_nobody(discord_env: DiscordHarness) -> None:
    discord_env.app.kindred.deps.anonymity = AnonymityConfig(
        identity_key=Fernet.generate_key().decode(), post_delay=lambda: 0.0
    )
    try:
        await discord_env.command(command_interaction("kindred", {"action": "profile"}))  # a named profile
        await discord_env.command(command_interaction("ask", {"question": ANON_Q, "anonymous": True}))
        answer = colleague_reply(discord_env, "Try a parent log!")
        await discord_env.message(answer)
        discord_env.fake.seed(answer)
        await discord_env.gateway("message_reaction_add", reaction_payload(answer, "🙏", user_id=USER_ID))
        assert "you were thanked once" in await ripples_of(discord_env, str(COLLEAGUE))
        with discord_env.app.db.session() as session:
            request_id = session.execute(text("SELECT id FROM help_requests")).scalar_one()
            asker = session.execute(
                text("SELECT id FROM teachers WHERE platform_user_id = :u"), {"u": str(USER_ID)}
            ).scalar_one()
            thanked_by = session.execute(text("SELECT colleague_id FROM ripple_events")).scalar_one()
        assert thanked_by is None, "the anonymous asker thanks as 'a colleague', not with their profile"
        assert db_scan.links(discord_env.app.db, request_id, {str(USER_ID)}, {asker}) == []
    finally:
        redaction.forget_all()
