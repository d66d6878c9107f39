"""Slash commands driven as real discord.Interaction objects; assertions on what reached (fake) Discord."""

from __future__ import annotations

import time
from typing import Any

import pytest

from bot.handlers.core import SORRY
from bot.handlers.share import NO_TITLE, NO_WHY, NOT_A_LINK
from bot.platforms.discord.client import ANONYMOUS_REFUSAL
from bot.storage.repositories import ResourceRepository
from tests.platforms.discord.conftest import DiscordHarness
from tests.platforms.discord.fake_discord import command_interaction, modal_interaction

QUESTION = "How do I teach equivalent fractions hands-on to 4th graders?"
EPHEMERAL = 64
DEFERRED_CHANNEL_MESSAGE = 5
CHANNEL_MESSAGE = 4
MODAL = 9


def all_text(body: dict[str, Any]) -> str:
    parts = [body.get("content") or ""]
    for embed in body.get("embeds", []):
        parts += [embed.get("title", ""), embed.get("description", "")]
        parts += [f["value"] for f in embed.get("fields", [])]
    return "\n".join(parts)


def custom_ids(body: dict[str, Any]) -> list[str]:
    return [c["custom_id"] for row in body.get("components", []) for c in row["components"]]


async def test_ask_defers_first_then_follows_up_with_resources_peers_and_buttons(
    discord_env: DiscordHarness, math_peer: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake, kindred = discord_env.fake, discord_env.app.kindred
    seen_before_core: list[int] = []
    real = kindred.handle_command

    def slow_core(command):  # type: ignore[no-untyped-def]
        seen_before_core.append(len(fake.interaction_callbacks()))
        time.sleep(0.3)  # embedding is slow in production; the defer must not wait for it
        return real(command)

    monkeypatch.setattr(kindred, "handle_command", slow_core)
    started = time.monotonic()
    await discord_env.command(command_interaction("ask", {"question": QUESTION}))

    (defer,) = fake.interaction_callbacks()
    assert defer.json == {"type": DEFERRED_CHANNEL_MESSAGE, "data": {"flags": EPHEMERAL}}
    assert defer.at - started < 0.25, "the defer must go out before the (slow) core runs"
    assert seen_before_core == [1]

    (followup,) = fake.followups()
    assert followup.at > defer.at
    body = followup.json
    assert body["flags"] & EPHEMERAL
    text = all_text(body)
    assert "Fraction" in text and "https://example.org/fraction-strips" in str(body["embeds"])
    assert f"<@{math_peer}>" in text
    assert len(body["embeds"]) <= 10
    ids = custom_ids(body)
    assert any(i.startswith("kindred:helped:") for i in ids)
    assert any(i.startswith("kindred:save:") for i in ids)
    assert any(i.startswith("kindred:not_relevant:") for i in ids)
    assert any(i.startswith("kindred:post_to_help:") for i in ids)
    assert any(i.startswith("kindred:onboard:") for i in ids), (
        "a member without a profile is invited to onboard"
    )
    assert body["allowed_mentions"]["parse"] == []


async def test_anonymous_ask_is_refused_politely_and_nothing_is_stored(discord_env: DiscordHarness) -> None:
    discord_env.app.kindred.deps.anonymity.identity_key = None  # the key file could not be made or read
    await discord_env.command(command_interaction("ask", {"question": QUESTION, "anonymous": True}))

    (response,) = discord_env.fake.interaction_callbacks()
    assert response.json["type"] == CHANNEL_MESSAGE
    assert response.json["data"]["flags"] == EPHEMERAL
    assert response.json["data"]["content"] == ANONYMOUS_REFUSAL
    assert not discord_env.fake.followups() and not discord_env.fake.channel_messages()


async def test_kindred_help_lists_registered_commands(discord_env: DiscordHarness) -> None:
    await discord_env.command(command_interaction("kindred", {"action": "help"}))
    (followup,) = discord_env.fake.followups()
    assert "**Kindred**" in followup.json["content"]
    assert "/share" in followup.json["content"] and followup.json["flags"] & EPHEMERAL


async def test_kindred_profile_shows_the_profile_with_an_edit_button(discord_env: DiscordHarness) -> None:
    await discord_env.command(command_interaction("kindred", {"action": "profile"}))
    (followup,) = discord_env.fake.followups()
    assert "Teaches:" in all_text(followup.json)
    assert custom_ids(followup.json) == ["kindred:onboard:0"]


async def test_kindred_profile_field_updates_the_profile(discord_env: DiscordHarness) -> None:
    await discord_env.command(
        command_interaction("kindred", {"action": "profile", "field": "grades", "value": "4, 5"})
    )
    (followup,) = discord_env.fake.followups()
    assert followup.json["content"].startswith("Saved.")


async def test_kindred_profile_roles_saves_and_shows_them(discord_env: DiscordHarness) -> None:
    await discord_env.command(
        command_interaction("kindred", {"action": "profile", "field": "roles", "value": "band director; ESL"})
    )
    (followup,) = discord_env.fake.followups()
    assert "Roles: band director, ELL specialist" in followup.json["content"]


async def test_share_opens_a_modal_whose_submission_adds_the_resource(discord_env: DiscordHarness) -> None:
    await discord_env.command(command_interaction("share", {}))
    (opened,) = discord_env.fake.interaction_callbacks()
    assert opened.json["type"] == MODAL
    modal = opened.json["data"]
    labels = [c["label"] for c in modal["components"]]
    assert labels[:3] == ["Link (optional)", "Title (optional if you give a link)", "Why it's good"]

    await discord_env.dispatch(
        modal_interaction(
            modal["custom_id"],
            {
                "url": "https://example.org/number-line-jumps",
                "title": "Number line jumps",
                "why": "My 3rd graders finally saw fractions as numbers",
                "grades": "3",
                "subjects": "",
            },
        )
    )
    (defer,) = discord_env.fake.interaction_callbacks()[1:]
    assert defer.json == {"type": DEFERRED_CHANNEL_MESSAGE, "data": {"flags": EPHEMERAL}}
    (followup,) = discord_env.fake.followups()
    assert "Added “Number line jumps”" in followup.json["content"]
    with discord_env.app.db.session() as session:
        titles = [r.title for r in ResourceRepository(session).all()]
    assert "Number line jumps" in titles


async def test_a_share_form_with_a_bad_field_says_what_slacks_form_says(discord_env: DiscordHarness) -> None:
    """Discord's modal shows no per-field errors: the reply says what Slack shows under each field."""
    with discord_env.app.db.session() as session:
        before = len(ResourceRepository(session).all())
    for submitted, said in (
        ({"url": "not a link", "title": "", "why": "Great"}, NOT_A_LINK),
        ({"url": "", "title": "", "why": "Great"}, NO_TITLE),
        ({"url": "ftp://example.org/strips", "title": "Strips", "why": ""}, f"{NOT_A_LINK} {NO_WHY}"),
    ):
        await discord_env.command(command_interaction("share", {}))  # a modal answers one submission
        custom_id = discord_env.fake.interaction_callbacks()[-1].json["data"]["custom_id"]
        await discord_env.dispatch(modal_interaction(custom_id, {**submitted, "grades": "", "subjects": ""}))
        assert discord_env.fake.followups()[-1].json["content"] == said
    with discord_env.app.db.session() as session:
        assert len(ResourceRepository(session).all()) == before, "nothing was shared"


async def test_a_failing_handler_gets_a_friendly_answer_and_the_bot_keeps_working(
    discord_env: DiscordHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    kindred = discord_env.app.kindred
    real = kindred.handle_command

    def broken(command):  # type: ignore[no-untyped-def]
        raise RuntimeError("database on fire")

    monkeypatch.setattr(kindred, "handle_command", broken)
    await discord_env.command(command_interaction("ask", {"question": QUESTION}))
    (sorry,) = discord_env.fake.followups()
    assert sorry.json["content"] == SORRY and sorry.json["flags"] & EPHEMERAL

    monkeypatch.setattr(kindred, "handle_command", real)
    await discord_env.command(command_interaction("ask", {"question": QUESTION}))
    answer = discord_env.fake.followups()[-1]
    assert "Fraction" in all_text(answer.json)
