"""Ways to ask on Discord with no detector in the way: a mention, a DM, the "Find help for this" message
context menu (ephemeral, with "Post in thread") and the 🙋 reaction (RAW_REACTION_ADD), through real
discord.py objects parsed from raw payloads; missed requests kept as embeddings only."""

from __future__ import annotations

import json

import discord

from bot.storage.models import HelpRequestRow, IntentCorrectionRow
from tests.platforms.discord.conftest import DiscordHarness
from tests.platforms.discord.fake_discord import (
    BOT_ID,
    BOT_USER,
    GENERAL_ID,
    USER_ID,
    button_interaction,
    context_menu_interaction,
    message_payload,
    reaction_payload,
    user_payload,
)

SKIPPED = "my 4th graders just cannot remember equivalent fractions no matter what I do"
COLLEAGUE = 900000000000000077
EPHEMERAL = 64


def corrections(env: DiscordHarness) -> list[tuple[str, int, str]]:
    with env.app.db.session() as session:
        rows = session.query(IntentCorrectionRow).all()
        dumped = json.dumps([{c.name: str(getattr(r, c.name)) for c in r.__table__.columns} for r in rows])
        assert "fraction" not in dumped.lower() and "graders" not in dumped.lower()  # never the text
        return [(r.kind, r.label, r.platform) for r in rows]


def mentioning(text: str, **extra: object) -> dict:
    payload = message_payload(f"<@{BOT_ID}> {text}".strip(), **extra)  # type: ignore[arg-type]
    payload["mentions"] = [BOT_USER]
    return payload


async def test_a_mention_is_answered_as_a_reply(discord_env: DiscordHarness, math_peer: str) -> None:
    payload = mentioning("how do I teach equivalent fractions hands-on to 4th graders?")
    await discord_env.message(payload)
    (reply,) = discord_env.fake.channel_messages(GENERAL_ID)
    assert str(reply.json["message_reference"]["message_id"]) == payload["id"]
    assert "Fraction" in str(reply.json["embeds"])


async def test_a_bare_mention_replying_to_a_skipped_message_answers_it_and_learns(
    discord_env: DiscordHarness, math_peer: str
) -> None:
    skipped = discord_env.fake.seed(message_payload(SKIPPED))
    await discord_env.message(skipped)  # the detector lets it pass
    assert not discord_env.fake.channel_messages()

    bare = mentioning("", author=user_payload(COLLEAGUE, "dana"))
    bare["message_reference"] = {"message_id": skipped["id"], "channel_id": str(GENERAL_ID)}
    bare["type"] = 19  # a reply
    await discord_env.message(bare)
    (reply,) = discord_env.fake.channel_messages(GENERAL_ID)
    assert "Fraction" in str(reply.json["embeds"])
    assert discord_env.fake.find("GET", rf"/channels/{GENERAL_ID}/messages/{skipped['id']}")
    assert corrections(discord_env) == [("missed_request", 1, "discord")]


async def test_a_direct_message_is_an_ask_answered_in_the_dm(discord_env: DiscordHarness) -> None:
    dm_channel = 600000000000000001
    text = "How do I teach equivalent fractions hands-on to 4th graders?"
    await discord_env.direct_message(message_payload(text, channel_id=dm_channel, guild_id=None))
    (reply,) = discord_env.fake.channel_messages(dm_channel)
    assert "Fraction" in str(reply.json["embeds"]) and "message_reference" not in reply.json
    own = message_payload(text, channel_id=dm_channel, guild_id=None, author=BOT_USER)
    await discord_env.direct_message(own)
    assert len(discord_env.fake.channel_messages()) == 1 and not corrections(discord_env)


async def test_find_help_answers_privately_then_posts_in_the_thread(
    discord_env: DiscordHarness, math_peer: str
) -> None:
    target = discord_env.fake.seed(message_payload(SKIPPED))
    await discord_env.command(context_menu_interaction("Find help for this", target, user_id=COLLEAGUE))
    (deferred,) = discord_env.fake.interaction_callbacks()
    assert deferred.json["type"] == 5 and deferred.json["data"]["flags"] == EPHEMERAL
    (private,) = discord_env.fake.followups()
    assert private.json["flags"] == EPHEMERAL and "Fraction" in str(private.json["embeds"])
    assert not discord_env.fake.channel_messages()
    ids = [c["custom_id"] for row in private.json["components"] for c in row["components"]]
    (post_id,) = [i for i in ids if i.startswith("kindred:post_in_thread:")]
    assert post_id.endswith(f":{GENERAL_ID}:{target['id']}")
    assert corrections(discord_env) == [("missed_request", 1, "discord")]

    ephemeral = message_payload("", author=BOT_USER, flags=EPHEMERAL, components=private.json["components"])
    await discord_env.dispatch(button_interaction(post_id, ephemeral, user_id=COLLEAGUE))
    (posted,) = discord_env.fake.channel_messages(GENERAL_ID)
    assert str(posted.json["message_reference"]["message_id"]) == target["id"]
    assert "Fraction" in str(posted.json["embeds"])
    note = discord_env.fake.followups()[-1]
    assert note.json["content"] == "Posted in the thread." and note.json["flags"] == EPHEMERAL

    await discord_env.dispatch(button_interaction(post_id, ephemeral, user_id=COLLEAGUE))
    assert len(discord_env.fake.channel_messages(GENERAL_ID)) == 1
    assert "already in the thread" in discord_env.fake.followups()[-1].json["content"]


async def test_raising_hand_answers_once_as_a_reply(discord_env: DiscordHarness, math_peer: str) -> None:
    target = discord_env.fake.seed(message_payload(SKIPPED))
    await discord_env.gateway("message_reaction_add", reaction_payload(target, "👍", user_id=COLLEAGUE))
    assert not discord_env.fake.channel_messages()
    await discord_env.gateway("message_reaction_add", reaction_payload(target, user_id=COLLEAGUE))
    (reply,) = discord_env.fake.channel_messages(GENERAL_ID)
    assert str(reply.json["message_reference"]["message_id"]) == target["id"]
    assert "Fraction" in str(reply.json["embeds"])

    await discord_env.gateway("message_reaction_add", reaction_payload(target, user_id=USER_ID))
    await discord_env.gateway("message_reaction_add", reaction_payload(target, "🙋🏽‍♀️", user_id=42))
    assert len(discord_env.fake.channel_messages()) == 1
    assert corrections(discord_env) == [("missed_request", 1, "discord")]


async def test_raising_hand_on_the_bots_own_message_is_ignored(discord_env: DiscordHarness) -> None:
    target = discord_env.fake.seed(message_payload(SKIPPED, author=BOT_USER))
    await discord_env.gateway("message_reaction_add", reaction_payload(target, user_id=COLLEAGUE))
    assert not discord_env.fake.channel_messages()


async def test_a_bare_mention_in_a_thread_asks_about_the_threads_starter_message(
    discord_env: DiscordHarness, math_peer: str
) -> None:
    starter = discord_env.fake.seed(message_payload(SKIPPED))
    thread_data = {
        "id": starter["id"],  # a thread started from a message has that message's id
        "guild_id": str(discord_env.guild.id),
        "parent_id": str(GENERAL_ID),
        "owner_id": str(COLLEAGUE),
        "name": "fractions",
        "type": 11,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "message_count": 1,
        "member_count": 2,
        "thread_metadata": {
            "archived": False,
            "auto_archive_duration": 1440,
            "archive_timestamp": "2024-05-01T12:00:00+00:00",
            "locked": False,
        },
    }
    thread = discord.Thread(guild=discord_env.guild, state=discord_env.state, data=thread_data)  # type: ignore[arg-type]
    discord_env.guild._add_thread(thread)
    bare = mentioning("", author=user_payload(COLLEAGUE, "dana"), channel_id=int(starter["id"]))
    message = discord.Message(state=discord_env.state, channel=thread, data=bare)  # type: ignore[arg-type]
    await discord_env.client.on_message(message)
    (reply,) = discord_env.fake.channel_messages(starter["id"])  # in the thread
    assert str(reply.json["message_reference"]["message_id"]) == bare["id"]
    assert "Fraction" in str(reply.json["embeds"])
    assert discord_env.fake.find("GET", rf"/channels/{GENERAL_ID}/messages/{starter['id']}")
    assert corrections(discord_env) == [("missed_request", 1, "discord")]


async def test_find_help_on_a_bots_message_says_so_and_stores_nothing(discord_env: DiscordHarness) -> None:
    target = discord_env.fake.seed(message_payload(SKIPPED, author=BOT_USER))
    await discord_env.command(context_menu_interaction("Find help for this", target, user_id=COLLEAGUE))
    (private,) = discord_env.fake.followups()
    assert private.json["flags"] == EPHEMERAL and "posted by a bot" in json.dumps(private.json)
    with discord_env.app.db.session() as session:
        assert session.query(HelpRequestRow).count() == 0
    assert not corrections(discord_env)
