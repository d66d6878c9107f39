"""Persistent buttons and the onboarding modal, dispatched as raw INTERACTION_CREATE payloads."""

from __future__ import annotations

from typing import Any

import pytest

from bot.bootstrap import App
from bot.platforms.discord.client import KindredClient
from bot.storage.repositories import FeedbackRepository, TeacherRepository
from tests.platforms.discord.conftest import DiscordHarness
from tests.platforms.discord.fake_discord import (
    BOT_USER,
    HELP_ID,
    USER_ID,
    button_interaction,
    command_interaction,
    message_payload,
    modal_interaction,
)
from tests.platforms.discord.test_commands import EPHEMERAL, MODAL, QUESTION, custom_ids
from tests.platforms.discord.test_startup import swap


async def ask(env: DiscordHarness) -> dict[str, Any]:
    """Run /ask and return the follow-up as the message Discord would show (with its components)."""
    await env.command(command_interaction("ask", {"question": QUESTION}))
    body = env.fake.followups()[-1].json
    return message_payload("", author=BOT_USER, components=body["components"], flags=EPHEMERAL)


def button(message: dict[str, Any], action: str) -> str:
    return next(i for i in custom_ids(message) if i.startswith(f"kindred:{action}:"))


def teacher_id(app: App, user_id: int = USER_ID) -> int:
    with app.db.session() as session:
        teacher = TeacherRepository(session).find("discord", str(user_id))
    assert teacher is not None
    return teacher.id


async def test_helped_records_feedback_even_after_a_restart(
    discord_env: DiscordHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    message = await ask(discord_env)
    helped = button(message, "helped")
    _, _, request_id, resource_id = helped.split(":")

    # Restart: a brand-new client (nothing in memory) must still understand the old message's button.
    fresh = KindredClient(discord_env.app)
    await fresh.login("fake-token")
    await swap(discord_env, fresh)

    await discord_env.dispatch(button_interaction(helped, message))

    callbacks = discord_env.fake.interaction_callbacks()
    assert callbacks[-1].json == {"type": 5, "data": {"flags": EPHEMERAL}}
    thanks = discord_env.fake.followups()[-1]
    assert thanks.json["content"].startswith("Glad it helped!")
    with discord_env.app.db.session() as session:
        helped_ids = FeedbackRepository(session).resource_ids(teacher_id(discord_env.app), "helped")
    assert helped_ids == [int(resource_id)]
    assert int(request_id) > 0


async def test_onboarding_button_opens_the_profile_modal_and_saves_the_answers(
    discord_env: DiscordHarness,
) -> None:
    message = await ask(discord_env)
    await discord_env.dispatch(button_interaction(button(message, "onboard"), message))

    opened = discord_env.fake.interaction_callbacks()[-1]
    assert opened.json["type"] == MODAL
    modal = opened.json["data"]
    assert [c["component"]["custom_id"] for c in modal["components"]] == [
        "subjects",
        "grades",
        "roles",
        "interests",
    ]

    await discord_env.dispatch(
        modal_interaction(
            modal["custom_id"],
            {
                "subjects": "math, science",
                "grades": "4",
                "roles": "SPED; math coach",
                "interests": "fractions",
            },
        )
    )
    saved = discord_env.fake.followups()[-1]
    assert saved.json["content"].startswith("Saved.") and saved.json["flags"] & EPHEMERAL
    with discord_env.app.db.session() as session:
        teacher = TeacherRepository(session).find("discord", str(USER_ID))
    assert teacher is not None and teacher.onboarded
    assert teacher.subjects == ("math", "science") and teacher.grades == ("4",)
    assert teacher.roles == ("sped", "math coach")


async def test_post_to_help_posts_in_the_help_channel_and_nudges_peers(
    discord_env: DiscordHarness, math_peer: str
) -> None:
    message = await ask(discord_env)
    await discord_env.dispatch(button_interaction(button(message, "post_to_help"), message))

    (post,) = discord_env.fake.channel_messages(HELP_ID)
    assert f"<@{USER_ID}>" in post.json["content"] and QUESTION in post.json["content"]
    assert post.json["content"].startswith("**Question from")
    assert post.json["allowed_mentions"]["parse"] == []
    (dm_open,) = discord_env.fake.find("POST", r"^/users/@me/channels$")
    assert str(dm_open.json["recipient_id"]) == math_peer
    dm_channel = discord_env.fake.channel_messages()[-1]
    assert QUESTION in dm_channel.json["content"]
    assert discord_env.fake.followups()[-1].json["content"].startswith("Posted to #help")


async def test_post_to_help_without_a_help_channel_says_so_and_nudges_nobody(
    discord_env: DiscordHarness, math_peer: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(discord_env.app.settings, "discord_help_channel", "teacher-help")
    message = await ask(discord_env)
    await discord_env.dispatch(button_interaction(button(message, "post_to_help"), message))

    assert not discord_env.fake.channel_messages()
    assert not discord_env.fake.find("POST", r"^/users/@me/channels$")
    assert "couldn't find the #teacher-help channel" in discord_env.fake.followups()[-1].json["content"]


async def test_help_channel_can_be_given_by_id(
    discord_env: DiscordHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(discord_env.app.settings, "discord_help_channel", str(HELP_ID))
    assert discord_env.client.channel_for(discord_env.guild, None).id == HELP_ID
    monkeypatch.setattr(discord_env.app.settings, "discord_help_channel", "#Help")
    assert discord_env.client.channel_for(discord_env.guild, None).id == HELP_ID


async def test_a_button_whose_handler_breaks_answers_kindly(
    discord_env: DiscordHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    message = await ask(discord_env)

    def broken(press):  # type: ignore[no-untyped-def]
        raise RuntimeError("boom")

    monkeypatch.setattr(discord_env.app.kindred, "handle_button", broken)
    await discord_env.dispatch(button_interaction(button(message, "save"), message))
    assert discord_env.fake.followups()[-1].json["content"].startswith("Sorry")
