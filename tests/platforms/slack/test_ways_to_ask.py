"""Ways to ask with no detector in the way, through signed Slack events and shortcuts: @Kindred, a DM,
the "Find help for this" message shortcut and the 🙋 reaction; missed requests kept as embeddings only."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from bot.cli import app as cli
from bot.platforms.slack.listeners.ways_to_ask import SHORTCUT
from bot.storage.intent_corrections import IntentCorrectionRepository
from bot.storage.models import FollowUpRow, HelpRequestRow, IntentCorrectionRow
from bot.storage.repositories import TeacherRepository
from tests.platforms.slack.conftest import ASKER, MARIA, TEAM, SlackHarness, block_actions
from tests.platforms.slack.test_events import CHANNEL, HELP, message
from tests.platforms.slack.test_thread_relay import posted_question, thread_reply

BOT = "UBOT"  # the fake's auth.test user
SKIPPED = "my 4th graders just cannot remember equivalent fractions no matter what I do"
PARENT_TS = "1700000100.000100"


def mention(text: str, ts: str = "1700000200.000200", **extra: object) -> dict:
    return {"type": "app_mention", "channel": CHANNEL, "user": ASKER, "text": text, "ts": ts, **extra}


def reaction(name: str = "raising_hand", user: str = MARIA, ts: str = PARENT_TS) -> dict:
    return {
        "type": "reaction_added",
        "user": user,
        "reaction": name,
        "item_user": ASKER,
        "item": {"type": "message", "channel": CHANNEL, "ts": ts},
        "event_ts": str(time.time()),
    }


def shortcut(text: str, user: str = MARIA, ts: str = PARENT_TS, **fields: object) -> dict:
    return {
        "type": "message_action",
        "callback_id": "find_help",
        "trigger_id": "13345224609.738474920.8088930838d88f008e0",
        "response_url": "https://hooks.slack.invalid/unused",
        "team": {"id": TEAM, "domain": "school"},
        "channel": {"id": CHANNEL, "name": "grade-4"},
        "user": {"id": user, "team_id": TEAM, "name": "maria"},
        "message_ts": ts,
        "message": {"type": "message", "user": ASKER, "text": text, "ts": ts, **fields},
        "action_ts": "1700000300.000001",
    }


def corrections(slack: SlackHarness) -> list[IntentCorrectionRow]:
    with slack.app.db.session() as session:
        rows = session.query(IntentCorrectionRow).all()
        session.expunge_all()
        return rows


def asker_and_follow_ups(slack: SlackHarness) -> tuple[str, int]:
    with slack.app.db.session() as session:
        (request,) = session.query(HelpRequestRow).all()
        teacher = TeacherRepository(session).get(request.asker_id)
        assert teacher is not None
        return teacher.platform_user_id, session.query(FollowUpRow).count()


def no_text_stored(rows: list[IntentCorrectionRow], *words: str) -> None:
    dumped = json.dumps([{c.name: str(getattr(r, c.name)) for c in r.__table__.columns} for r in rows])
    for word in words:
        assert word not in dumped.lower()


async def test_mention_with_a_question_answers_in_its_thread_once(slack: SlackHarness) -> None:
    text = f"<@{BOT}> how do I teach equivalent fractions hands-on to 4th graders?"
    # Slack sends the message event and the app_mention for the same message: one answer.
    await slack.event(message(text, ts="1700000200.000200"), "EvMsgMention")
    await slack.event(mention(text), "EvMention")
    (post,) = await slack.fake.wait_for("chat.postMessage")
    assert post.params["channel"] == CHANNEL and post.params["thread_ts"] == "1700000200.000200"
    blocks = json.dumps(post.params["blocks"]).lower()
    assert "fraction" in blocks and "colleagues have found useful" in blocks
    await slack.settle()
    assert len(slack.fake.of("chat.postMessage")) == 1


async def test_bare_mention_in_a_thread_answers_the_skipped_parent_and_learns_from_it(
    slack: SlackHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    slack.fake.seed(CHANNEL, PARENT_TS, ASKER, SKIPPED)
    await slack.event(message(SKIPPED, ts=PARENT_TS), "EvSkipped")  # the detector lets it pass
    await slack.settle(0.3)
    assert not slack.fake.of("chat.postMessage")

    bare = mention(f"<@{BOT}>", ts="1700000150.000150", thread_ts=PARENT_TS)
    await slack.event(bare, "EvBare")
    (post,) = await slack.fake.wait_for("chat.postMessage")
    assert post.params["thread_ts"] == PARENT_TS
    assert "fraction" in json.dumps(post.params["blocks"]).lower()
    (read,) = slack.fake.of("conversations.replies")
    assert read.params["ts"] == PARENT_TS

    rows = corrections(slack)
    assert [(r.kind, r.label, r.platform) for r in rows] == [("missed_request", 1, "slack")]
    no_text_stored(rows, "fraction", "graders", ASKER.lower())
    with slack.app.db.session() as session:
        assert IntentCorrectionRepository(session).counts() == {"not_a_question": 0, "missed_request": 1}
    monkeypatch.setenv("KINDRED_DATABASE_URL", str(slack.app.settings.database_url))
    monkeypatch.setenv("KINDRED_DATA_DIR", str(slack.app.settings.data_dir))
    stats = CliRunner().invoke(cli, ["stats"])
    assert "detector corrections: not a question 0, missed request 1" in stats.output, stats.output


async def test_bare_mention_outside_a_thread_asks_what_is_needed_privately(slack: SlackHarness) -> None:
    await slack.event(mention(f"<@{BOT}>"), "EvEmpty")
    (hint,) = await slack.fake.wait_for("chat.postEphemeral")
    assert hint.params["user"] == ASKER and "What would you like help with" in hint.params["text"]
    assert not slack.fake.of("chat.postMessage") and not corrections(slack)


async def test_mention_of_a_message_the_detector_answered_is_not_a_correction(slack: SlackHarness) -> None:
    slack.fake.seed(CHANNEL, PARENT_TS, ASKER, HELP)
    await slack.event(message(HELP, ts=PARENT_TS), "EvHelp")
    await slack.fake.wait_for("chat.postMessage")
    await slack.event(mention(f"<@{BOT}>", ts="1700000150.000150", thread_ts=PARENT_TS), "EvAgain")
    await slack.fake.wait_for("chat.postMessage", 2)  # a mention always answers
    assert not corrections(slack)


async def test_direct_message_is_an_ask_answered_in_the_dm(slack: SlackHarness) -> None:
    dm = {
        "type": "message",
        "channel": "DASKER0001",
        "channel_type": "im",
        "user": ASKER,
        "text": "How do I teach equivalent fractions hands-on to 4th graders?",
        "ts": "1700000400.000400",
    }
    await slack.event(dm, "EvDm")
    (post,) = await slack.fake.wait_for("chat.postMessage")
    assert post.params["channel"] == "DASKER0001" and not post.params.get("thread_ts")
    blocks = json.dumps(post.params["blocks"])
    assert "fraction" in blocks.lower() and "kindred.post_to_help." in blocks  # an /ask: may go to #help
    # Kindred's own DM, a bot's, and an edit are not questions.
    await slack.event({**dm, "user": BOT, "ts": "1.1"}, "EvOwn")
    await slack.event({**dm, "bot_id": "B1", "subtype": "bot_message", "ts": "1.2"}, "EvBotDm")
    await slack.event({**dm, "subtype": "message_changed", "ts": "1.3"}, "EvEditDm")
    await slack.event(dm, "EvDmRetry")  # the same DM again under a new event id
    await slack.settle()
    assert len(slack.fake.of("chat.postMessage")) == 1
    assert not corrections(slack)  # a DM is not a message the detector screened


async def test_shortcut_answers_privately_then_posts_in_the_thread_once(slack: SlackHarness) -> None:
    slack.fake.seed(CHANNEL, PARENT_TS, ASKER, SKIPPED)
    response = await slack.interaction(shortcut(SKIPPED))
    assert response.status == 200
    (private,) = await slack.fake.wait_for("chat.postEphemeral")
    assert private.params["channel"] == CHANNEL and private.params["user"] == MARIA
    assert not slack.fake.of("chat.postMessage")
    buttons = [
        e
        for block in private.params["blocks"]
        for e in block.get("elements", [])
        if e.get("action_id", "").startswith("kindred.post_in_thread.")
    ]
    assert len(buttons) == 1 and "fraction" not in buttons[0]["value"]
    assert [r.kind for r in corrections(slack)] == ["missed_request"]
    assert asker_and_follow_ups(slack) == (ASKER, 0)  # the author's question; nothing follows up yet

    press = block_actions(buttons[0], MARIA, response_url=slack.fake.response_url("pit"), channel=CHANNEL)
    await slack.interaction(press)
    (post,) = await slack.fake.wait_for("chat.postMessage")
    assert post.params["channel"] == CHANNEL and post.params["thread_ts"] == PARENT_TS
    assert "fraction" in json.dumps(post.params["blocks"]).lower()
    (note,) = await slack.fake.wait_for("response_url")
    assert note.params["text"] == "Posted in the thread." and note.params["replace_original"] is True
    assert asker_and_follow_ups(slack) == (ASKER, 1)  # public now: no question left alone

    await slack.interaction({**press, "trigger_id": "9.9.10"})  # pressed again: nothing new in the thread
    await slack.fake.wait_for("response_url", 2)
    assert "already in the thread" in slack.fake.of("response_url")[1].params["text"]
    await slack.settle(0.2)
    assert len(slack.fake.of("chat.postMessage")) == 1
    assert len(corrections(slack)) == 1


async def test_shortcut_on_a_thread_reply_posts_in_that_thread(slack: SlackHarness) -> None:
    reply_ts = "1700000180.000180"
    slack.fake.seed(CHANNEL, PARENT_TS, ASKER, "Fractions unit starts Monday")
    slack.fake.seed(CHANNEL, reply_ts, ASKER, SKIPPED, thread_ts=PARENT_TS)
    await slack.interaction(shortcut(SKIPPED, ts=reply_ts, thread_ts=PARENT_TS))
    (private,) = await slack.fake.wait_for("chat.postEphemeral")
    assert private.params["thread_ts"] == PARENT_TS
    (button,) = [
        e
        for block in private.params["blocks"]
        for e in block.get("elements", [])
        if e.get("action_id", "").startswith("kindred.post_in_thread.")
    ]
    await slack.interaction(
        block_actions(button, MARIA, response_url=slack.fake.response_url(), channel=CHANNEL)
    )
    (post,) = await slack.fake.wait_for("chat.postMessage")
    assert post.params["thread_ts"] == PARENT_TS


async def test_raising_hand_answers_in_the_thread_once(slack: SlackHarness) -> None:
    slack.fake.seed(CHANNEL, PARENT_TS, ASKER, SKIPPED)
    await slack.event(reaction("thumbsup"), "EvThumbs")  # any other emoji: nothing
    await slack.event(reaction(), "EvHand1")
    (post,) = await slack.fake.wait_for("chat.postMessage")
    assert post.params["channel"] == CHANNEL and post.params["thread_ts"] == PARENT_TS
    assert "fraction" in json.dumps(post.params["blocks"]).lower()
    history = slack.fake.of("conversations.history")
    assert history and history[0].params["latest"] == PARENT_TS

    await slack.event(reaction(user=ASKER), "EvHand2")  # a second 🙋, by someone else
    await slack.event(reaction("raising_hand::skin-tone-4", user="UDEREK01"), "EvHand3")
    await slack.settle()
    assert len(slack.fake.of("chat.postMessage")) == 1
    rows = corrections(slack)
    assert [r.kind for r in rows] == ["missed_request"]
    no_text_stored(rows, "fraction", "graders")


async def test_raising_hand_on_a_message_the_detector_answered_adds_nothing(slack: SlackHarness) -> None:
    slack.fake.seed(CHANNEL, PARENT_TS, ASKER, HELP)
    await slack.event(message(HELP, ts=PARENT_TS), "EvHelp")
    await slack.fake.wait_for("chat.postMessage")
    await slack.event(reaction(), "EvHand")
    await slack.settle()
    assert len(slack.fake.of("chat.postMessage")) == 1 and not corrections(slack)


async def test_raising_hand_on_a_thread_reply_reads_it_and_answers_in_its_thread(slack: SlackHarness) -> None:
    reply_ts = "1700000180.000180"
    slack.fake.seed(CHANNEL, PARENT_TS, ASKER, "Fractions unit starts Monday")
    slack.fake.seed(CHANNEL, reply_ts, ASKER, SKIPPED, thread_ts=PARENT_TS)
    await slack.event(reaction(ts=reply_ts), "EvHandReply")
    (post,) = await slack.fake.wait_for("chat.postMessage")
    assert post.params["thread_ts"] == PARENT_TS
    assert slack.fake.of("conversations.replies")[0].params["ts"] == reply_ts


def test_the_manifest_subscribes_to_every_way_to_ask() -> None:
    with open(Path(__file__).parents[3] / "config" / "slack-manifest.yml") as file:
        manifest = yaml.safe_load(file)
    events = manifest["settings"]["event_subscriptions"]["bot_events"]
    assert {"app_mention", "message.im", "reaction_added"} <= set(events)
    scopes = manifest["oauth_config"]["scopes"]["bot"]
    assert {"app_mentions:read", "im:history", "reactions:read", "chat:write"} <= set(scopes)
    (menu,) = manifest["features"]["shortcuts"]
    assert (menu["type"], menu["callback_id"], menu["name"]) == ("message", SHORTCUT, "Find help for this")
    home = manifest["features"]["app_home"]
    assert home["messages_tab_enabled"] and not home["messages_tab_read_only_enabled"]


async def test_a_mention_in_a_posted_questions_thread_is_relayed_and_answered(slack: SlackHarness) -> None:
    slack.fake.users[MARIA] = {"real_name": "Maria Lopez", "tz": "America/Chicago"}
    ts = await posted_question(slack, "How do I teach equivalent fractions hands-on to 4th graders?")
    before = len(slack.fake.of("chat.postMessage"))
    text = f"Fraction strips first, then number lines. <@{BOT}> what else do we have on this?"
    reply_ts = "1700000123.000200"
    await slack.event(thread_reply(ts, reply_ts, text), "EvRelayMsg")
    await slack.event({**thread_reply(ts, reply_ts, text), "type": "app_mention"}, "EvRelayMention")
    await slack.fake.wait_for("chat.postMessage", count=before + 2)
    await slack.settle(0.5)
    sent = slack.fake.of("chat.postMessage")[before:]
    (relayed,) = [c for c in sent if c.params["channel"] == ASKER]  # the colleague's reply reached the asker
    assert "Fraction strips first" in relayed.params["text"]
    (answer,) = [c for c in sent if c.params["channel"] == "CHELP00001"]  # and Kindred answered the mention
    assert answer.params["thread_ts"] == ts


async def test_shortcut_on_a_bots_message_says_so_and_stores_nothing(slack: SlackHarness) -> None:
    integration = shortcut(SKIPPED, user=MARIA, bot_id="B0WEATHER", subtype="bot_message")
    integration["message"].pop("user")
    await slack.interaction(integration)
    (private,) = await slack.fake.wait_for("chat.postEphemeral")
    assert private.params["user"] == MARIA and "posted by a bot" in private.params["text"]
    with slack.app.db.session() as session:
        assert session.query(HelpRequestRow).count() == 0 and not corrections(slack)
