"""Follow-ups on Discord: the DM sender through the fake REST, replies to a question mark it answered,
posted questions map back, and the "did this help?" buttons route through the persistent DynamicItem."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

from bot.bootstrap import App
from bot.domain.replies import Reply
from bot.domain.requests import RequestStatus
from bot.platforms.discord.render import render
from bot.platforms.discord.sender import DiscordSender
from bot.scheduling.messages import did_it_help_reply
from bot.scheduling.sender import DeliveryError
from bot.storage.models import HelpRequestRow, RequestPostRow
from bot.storage.repositories import RequestRepository
from tests.platforms.discord.conftest import DiscordHarness
from tests.platforms.discord.fake_discord import (
    BOT_USER,
    GENERAL_ID,
    GUILD_ID,
    HELP_ID,
    USER_ID,
    button_interaction,
    message_payload,
    user_payload,
)
from tests.platforms.discord.test_buttons import ask, button

HELP_REQUEST = "Does anyone have ideas for teaching equivalent fractions hands-on to my 4th graders?"


def dm_channel(user_id: str) -> str:
    return f"5{user_id}"[:19]  # what the fake answers to POST /users/@me/channels


def status(app: App, request_id: int) -> str:
    with app.db.session() as session:
        row = session.get(HelpRequestRow, request_id)
        assert row is not None
        return str(row.status)


def reply_to(message_id: str, text: str, author: dict, channel_id: int = GENERAL_ID) -> dict:
    payload = message_payload(text, author=author, channel_id=channel_id)
    payload["message_reference"] = {
        "message_id": message_id,
        "channel_id": str(channel_id),
        "guild_id": str(GUILD_ID),
    }
    payload["type"] = 19  # a reply
    return payload


async def test_the_sender_dms_through_discord(discord_env: DiscordHarness, math_peer: str) -> None:
    sender = DiscordSender(discord_env.client, asyncio.get_running_loop(), timeout=10)
    await asyncio.to_thread(sender.send_dm, "discord", math_peer, did_it_help_reply(12, "Fractions?"))
    (opened,) = discord_env.fake.find("POST", r"^/users/@me/channels$")
    assert str(opened.json["recipient_id"]) == math_peer
    (sent,) = discord_env.fake.channel_messages(dm_channel(math_peer))
    assert "Did this help?" in sent.json["content"]
    ids = [c["custom_id"] for row in sent.json["components"] for c in row["components"]]
    assert ids == ["kindred:followup_yes:12", "kindred:followup_not_yet:12"]


async def test_closed_dms_are_not_retryable(discord_env: DiscordHarness, math_peer: str) -> None:
    discord_env.fake.forbidden_channels.add(dm_channel(math_peer))
    sender = DiscordSender(discord_env.client, asyncio.get_running_loop(), timeout=10)
    with pytest.raises(DeliveryError) as caught:
        await asyncio.to_thread(sender.send_dm, "discord", math_peer, Reply("hi", ephemeral=False))
    assert caught.value.retryable is False and "403" in caught.value.reason


async def test_unknown_ids_and_other_platforms_are_not_retryable(discord_env: DiscordHarness) -> None:
    sender = DiscordSender(discord_env.client, asyncio.get_running_loop(), timeout=10)
    for platform, user in (("discord", "not-a-snowflake"), ("slack", "U1")):
        with pytest.raises(DeliveryError) as caught:
            await asyncio.to_thread(sender.send_dm, platform, user, Reply("hi", ephemeral=False))
        assert caught.value.retryable is False


async def test_a_reply_to_the_question_by_a_colleague_marks_it_answered(
    discord_env: DiscordHarness, math_peer: str
) -> None:
    question = message_payload(HELP_REQUEST)
    await discord_env.message(question)
    with discord_env.app.db.session() as session:
        request = RequestRepository(session).find_by_thread("discord", str(GENERAL_ID), question["id"])
    assert request is not None
    replies_before = len(discord_env.fake.channel_messages(GENERAL_ID))

    await discord_env.message(reply_to(question["id"], "Me too — anyone?", user_payload(USER_ID)))
    assert status(discord_env.app, request.id) == RequestStatus.OPEN, "the asker's own reply is no answer"

    await discord_env.message(reply_to(question["id"], "Fraction strips!", user_payload(math_peer, "dana")))
    assert status(discord_env.app, request.id) == RequestStatus.ANSWERED
    assert len(discord_env.fake.channel_messages(GENERAL_ID)) == replies_before, "answers get no bot reply"


async def posted_question(env: DiscordHarness) -> tuple[int, str]:
    """``/ask``, then *Post to #help*: the posted question's request id and message id."""
    message = await ask(env)
    await env.dispatch(button_interaction(button(message, "post_to_help"), message))
    with env.app.db.session() as session:
        (post,) = session.scalars(select(RequestPostRow).where(RequestPostRow.channel_id == str(HELP_ID)))
        return post.request_id, post.message_id


async def test_a_posted_question_is_recorded_and_the_yes_button_solves_it(
    discord_env: DiscordHarness, math_peer: str
) -> None:
    request_id, message_id = await posted_question(discord_env)
    assert message_id.isdigit()

    await discord_env.message(
        reply_to(message_id, "Try fraction strips", user_payload(math_peer, "dana"), channel_id=HELP_ID)
    )
    assert status(discord_env.app, request_id) == RequestStatus.ANSWERED

    check_in = did_it_help_reply(request_id, "Fractions?")
    dm = message_payload("", author=BOT_USER, guild_id=None)
    dm["components"] = [
        {"type": 1, "components": [{"type": 2, "style": 1, "label": "…", "custom_id": cid}]}
        for cid in render(check_in).custom_ids()
    ]
    await discord_env.dispatch(button_interaction(f"kindred:followup_yes:{request_id}", dm))
    assert status(discord_env.app, request_id) == RequestStatus.SOLVED
    assert "solved" in discord_env.fake.followups()[-1].json["content"]
