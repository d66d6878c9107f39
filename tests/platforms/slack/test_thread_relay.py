"""Replies in the thread of a posted question reach the asker, through real Events API ``message`` events."""

from __future__ import annotations

import asyncio
import json

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text

from bot.anonymity import redaction
from bot.anonymity.config import AnonymityConfig
from tests.platforms.slack.conftest import ASKER, MARIA, SlackHarness
from tests.platforms.slack.test_ask import _button_payload

ANON = "UANONSLK77"
QUESTION = "How do I handle a parent who keeps emailing me about grades for fractions homework?"


@pytest.fixture(autouse=True)
def _forget() -> None:
    yield
    redaction.forget_all()


async def recorded_ts(slack: SlackHarness) -> str:
    for _ in range(250):
        with slack.app.db.session() as session:
            found = session.execute(text("SELECT message_id FROM request_posts")).scalar_one_or_none()
        if found:
            return found
        await asyncio.sleep(0.02)
    raise AssertionError("the post was never recorded")


async def posted_question(slack: SlackHarness, question: str) -> str:
    """``question`` asked by ``/ask`` and posted to #help with its button: the post's ts."""
    await slack.command("ask", question)
    (suggestions,) = await slack.fake.wait_for("response_url")
    payload = _button_payload(suggestions.params["blocks"], "kindred.post_to_help.")
    payload["response_url"] = slack.fake.response_url("posted")
    await slack.interaction(payload)
    return await recorded_ts(slack)


def thread_reply(ts: str, reply_ts: str, text_: str, user: str = MARIA) -> dict:
    return {
        "type": "message",
        "channel": "CHELP00001",
        "channel_type": "channel",
        "user": user,
        "text": text_,
        "ts": reply_ts,
        "thread_ts": ts,
        "parent_user_id": "UBOT",
        "team": "T1",
        "event_ts": reply_ts,
    }


async def test_reply_event_reaches_the_anonymous_asker_by_dm(slack: SlackHarness) -> None:
    slack.app.kindred.deps.anonymity = AnonymityConfig(
        identity_key=Fernet.generate_key().decode(), post_delay=lambda: 0.0
    )
    slack.fake.users[MARIA] = {"real_name": "Maria Lopez", "tz": "America/Chicago"}
    await slack.command("ask", f"anon {QUESTION}", user=ANON)
    ts = await recorded_ts(slack)
    response = await slack.event(thread_reply(ts, "1700000099.000100", "Try a parent log!"), "EvR1")
    assert response.status == 200
    dms = [c for c in await slack.fake.wait_for("chat.postMessage", count=2) if c.params["channel"] == ANON]
    (dm,) = dms
    assert "Try a parent log!" in dm.params["text"] and "Maria Lopez" in dm.params["text"]
    assert "/archives/CHELP00001/p1700000099000100" in dm.params["text"]
    (join,) = slack.fake.of("conversations.join")  # message events come only from channels the bot is in
    assert join.params["channel"] == "CHELP00001" and join.at < slack.fake.of("chat.postMessage")[0].at


async def test_reply_event_reaches_the_named_asker_with_answer_who_and_link(slack: SlackHarness) -> None:
    slack.fake.users[MARIA] = {"real_name": "Maria Lopez", "tz": "America/Chicago"}
    ts = await posted_question(slack, "How do I teach equivalent fractions hands-on to 4th graders?")
    before = len(slack.fake.of("chat.postMessage"))
    answer = "Fraction strips first, then number lines. " + "More detail here. " * 60
    response = await slack.event(thread_reply(ts, "1700000123.000200", answer), "EvN1")
    assert response.status == 200
    calls = await slack.fake.wait_for("chat.postMessage", count=before + 1)
    await slack.settle(0.3)
    (dm,) = [c for c in slack.fake.of("chat.postMessage")[before:] if c.params["channel"] == ASKER]
    body = dm.params["text"]
    assert "Fraction strips first, then number lines." in body and "Maria Lopez" in body
    assert len(body) < len(answer), "the answer is shortened"
    assert "/archives/CHELP00001/p1700000123000200" in body
    assert [c.params["channel"] for c in slack.fake.of("conversations.join")] == ["CHELP00001"]
    assert calls


async def test_the_asker_replying_in_their_own_thread_gets_no_dm(slack: SlackHarness) -> None:
    ts = await posted_question(slack, "How do I teach equivalent fractions hands-on to 4th graders?")
    await slack.event(thread_reply(ts, "1700000124.000300", "Any more ideas?", user=ASKER), "EvN2")
    await slack.settle(0.5)
    assert not [c for c in slack.fake.of("chat.postMessage") if c.params["channel"] == ASKER]


HOSTILE = "Help with fractions <!channel> <@UDEREK01> <http://evil.example|free worksheets> & more?"


async def test_user_markup_is_escaped_in_anonymous_posts_question_posts_and_relays(
    slack: SlackHarness,
) -> None:
    slack.app.kindred.deps.anonymity = AnonymityConfig(
        identity_key=Fernet.generate_key().decode(), post_delay=lambda: 0.0
    )
    await slack.command("ask", f"anon {HOSTILE}", user=ANON)
    ts = await recorded_ts(slack)
    (public,) = [c for c in slack.fake.of("chat.postMessage") if c.params["channel"] == "CHELP00001"]
    await slack.event(thread_reply(ts, "1700000200.000100", "See <!here> <https://x.example|this>"), "EvH1")
    calls = await slack.fake.wait_for("chat.postMessage", count=2)
    (dm,) = [c for c in calls if c.params["channel"] == ANON]
    for call in (public, dm):
        sent = json.dumps(call.params)
        for live in ("<!channel>", "<!here>", "<@UDEREK01>", "<http://evil", "<https://x.example"):
            assert live not in sent, (live, call.params["channel"])
    assert "&lt;!channel&gt;" in public.params["text"] and "&amp; more" in public.params["text"]
    assert "&lt;!here&gt;" in dm.params["text"]
