"""Replies to a posted question reach its asker by DM, through raw gateway MESSAGE_CREATE payloads; the
anonymous answer's buttons link nobody to the question."""

from __future__ import annotations

import json

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text

from bot.anonymity import redaction
from bot.anonymity.config import AnonymityConfig
from tests.platforms.discord.conftest import DiscordHarness
from tests.platforms.discord.fake_discord import (
    BOT_USER,
    GUILD_ID,
    HELP_ID,
    USER_ID,
    button_interaction,
    command_interaction,
    message_payload,
    user_payload,
)
from tests.platforms.discord.test_buttons import ask, button
from tests.platforms.discord.test_commands import EPHEMERAL, custom_ids
from tests.privacy import db_scan

ANON_Q = "How do I handle a parent who keeps emailing me about fractions homework grades?"
COLLEAGUE = 900000000000000077


@pytest.fixture(autouse=True)
def _forget() -> None:
    yield
    redaction.forget_all()


def posted_id(env: DiscordHarness) -> str:
    with env.app.db.session() as session:
        return session.execute(text("SELECT message_id FROM request_posts")).scalar_one()


def colleague_reply(env: DiscordHarness, content: str) -> dict:
    payload = message_payload(content, author=user_payload(COLLEAGUE, "maria"), channel_id=HELP_ID)
    payload["message_reference"] = {
        "message_id": posted_id(env),
        "channel_id": str(HELP_ID),
        "guild_id": str(GUILD_ID),
    }
    return payload


def dms_to(env: DiscordHarness, user_id: int) -> list[str]:
    opened = [
        c
        for c in env.fake.find("POST", r"^/users/@me/channels$")
        if str(c.json["recipient_id"]) == str(user_id)
    ]
    channel = f"5{user_id}"[:19]
    return [json.dumps(c.json) for c in env.fake.channel_messages(channel)] if opened else []


async def test_reply_reaches_the_named_asker_with_answer_who_and_jump_url(
    discord_env: DiscordHarness,
) -> None:
    message = await ask(discord_env)
    await discord_env.dispatch(button_interaction(button(message, "post_to_help"), message))
    reply = colleague_reply(discord_env, "Fraction strips first, then number lines. " + "More. " * 200)
    await discord_env.message(reply)
    (dm,) = dms_to(discord_env, USER_ID)
    assert "Fraction strips first, then number lines." in dm and "Maria" in dm
    assert f"https://discord.com/channels/{GUILD_ID}/{HELP_ID}/{reply['id']}" in dm
    assert len(dm) < 1500, "the answer is shortened"


async def test_reply_reaches_the_anonymous_asker_and_its_buttons_link_nobody(
    discord_env: DiscordHarness,
) -> None:
    discord_env.app.kindred.deps.anonymity = AnonymityConfig(
        identity_key=Fernet.generate_key().decode(), post_delay=lambda: 0.0
    )
    await discord_env.command(command_interaction("ask", {"question": ANON_Q, "anonymous": True}))
    body = discord_env.fake.followups()[-1].json
    answer = message_payload("", author=BOT_USER, components=body["components"], flags=EPHEMERAL)
    for cid in custom_ids(answer):
        await discord_env.dispatch(button_interaction(cid, answer))
    with discord_env.app.db.session() as session:
        request_id = session.execute(text("SELECT id FROM help_requests")).scalar_one()
        teacher_ids = set(session.execute(text("SELECT id FROM teachers")).scalars())
    assert db_scan.links(discord_env.app.db, request_id, {str(USER_ID)}, teacher_ids) == []

    await discord_env.message(colleague_reply(discord_env, "Try a parent log!"))
    (dm,) = dms_to(discord_env, USER_ID)
    assert "Try a parent log!" in dm and "Maria" in dm


async def test_user_markup_is_neutralised_in_the_anonymous_post_and_the_relay(
    discord_env: DiscordHarness,
) -> None:
    discord_env.app.kindred.deps.anonymity = AnonymityConfig(
        identity_key=Fernet.generate_key().decode(), post_delay=lambda: 0.0
    )
    hostile = "Fractions help @everyone <@900000000000000042> [free worksheets](http://evil.example)?"
    await discord_env.command(command_interaction("ask", {"question": hostile, "anonymous": True}))
    (post,) = discord_env.fake.channel_messages(HELP_ID)
    content = post.json["content"]
    assert "@everyone" not in content and "<@900000000000000042>" not in content
    assert "[free worksheets](http" not in content and "\\[free worksheets\\]" in content
    await discord_env.message(colleague_reply(discord_env, "Ask @here or see [this](http://evil.example)"))
    (dm,) = dms_to(discord_env, USER_ID)
    assert "@here" not in dm and "[this](http" not in dm
