"""A private /ask never goes public without the asker's yes: past the unanswered windows Kindred DMs the asker
"May I post it in #help without your name?"; silence keeps it private; a standing yes is a setting."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import text

from bot.platforms.slack.sender import SlackSender
from bot.scheduling.scheduler import build_dispatcher
from tests.platforms.slack.conftest import ASKER, SlackHarness, block_actions

QUESTION = "How do I run literature circles with my 6th graders when half the class hasn't finished the book?"
START = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)  # a Monday, 10:00 in New York


async def _ask(slack: SlackHarness, question: str = QUESTION) -> int:
    before = len(slack.fake.of("response_url"))
    await slack.command("ask", question)
    await slack.fake.wait_for("response_url", count=before + 1)
    with slack.app.db.session() as session:
        request_id = session.execute(text("SELECT id FROM help_requests")).scalar_one()
        # the question's follow-ups start from a fixed moment, not the wall clock
        session.execute(text("UPDATE followups SET due_at = :at"), {"at": START.replace(tzinfo=None)})
    return request_id


async def _past_both_windows(slack: SlackHarness) -> list:  # type: ignore[type-arg]
    """Run the scheduled jobs past the first escalation and the public window; returns help-channel posts."""
    now = [START + timedelta(minutes=1)]
    client = AsyncWebClient(token="xoxb-test", base_url=slack.fake.base_url)
    sender = SlackSender(client, asyncio.get_running_loop(), timeout=10)
    dispatcher = build_dispatcher(
        slack.app.db, sender, slack.app.kindred.deps.suggester, clock=lambda: now[0]
    )
    for step in (timedelta(0), timedelta(hours=2, minutes=1), timedelta(days=3)):
        now[0] += step
        await asyncio.to_thread(dispatcher.run_once)
    return [c for c in slack.fake.of("chat.postMessage") if c.params["channel"] == "CHELP00001"]


async def _help_posts(slack: SlackHarness) -> list:  # type: ignore[type-arg]
    for _ in range(100):
        posts = [c for c in slack.fake.of("chat.postMessage") if c.params["channel"] == "CHELP00001"]
        if posts:
            return posts
        await asyncio.sleep(0.05)
    return []


def _consent_dm(slack: SlackHarness):  # type: ignore[no-untyped-def]
    dms = [c for c in slack.fake.of("chat.postMessage") if c.params["channel"] == f"D{ASKER}"]
    return [c for c in dms if "No colleague has answered yet" in c.params["text"]]


def _press(call, label: str, user: str = ASKER) -> dict:  # type: ignore[no-untyped-def]
    button = next(
        e
        for b in call.params["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["text"]["text"] == label
    )
    return block_actions(
        button, user, "", channel=f"D{ASKER}", container={"type": "message", "is_ephemeral": False}
    )


async def test_silence_keeps_it_private_and_post_it_posts_without_the_name(slack: SlackHarness) -> None:
    request_id = await _ask(slack)
    assert await _past_both_windows(slack) == [], "never public without a yes (three days of silence)"
    (dm,) = _consent_dm(slack)
    assert "May I post it in #help without your name?" in dm.params["text"]
    labels = [e["text"]["text"] for b in dm.params["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert labels == ["Post it", "Post anonymously", "Keep it private"]

    await slack.interaction(_press(dm, "Post it", user="UDEREK01"))  # only the asker decides
    await slack.settle(0.5)
    assert not [c for c in slack.fake.of("chat.postMessage") if c.params["channel"] == "CHELP00001"]

    response = await slack.interaction(_press(dm, "Post it"))
    assert response.status == 200
    (public,) = await _help_posts(slack)
    dumped = json.dumps(public.params)
    assert QUESTION in public.params["text"] and ASKER not in dumped
    for _ in range(100):  # recorded right after Slack answers the post
        with slack.app.db.session() as session:
            posts = session.execute(text("SELECT request_id FROM request_posts")).scalars().all()
        if posts:
            break
        await asyncio.sleep(0.05)
    assert posts == [request_id], "replies in its thread map back to the question"


async def test_keep_it_private_posts_nothing(slack: SlackHarness) -> None:
    await _ask(slack)
    await _past_both_windows(slack)
    (dm,) = _consent_dm(slack)
    await slack.interaction(_press(dm, "Keep it private"))
    await slack.settle(0.5)
    assert not [c for c in slack.fake.of("chat.postMessage") if c.params["channel"] == "CHELP00001"]


async def test_a_standing_yes_in_settings_posts_without_asking(slack: SlackHarness) -> None:
    await slack.command("kindred", "settings autopost on")
    (saved,) = await slack.fake.wait_for("response_url")
    assert "always posted in the help channel" in json.dumps(saved.params)
    await _ask(slack)
    (public,) = await _past_both_windows(slack)
    assert QUESTION in public.params["text"] and _consent_dm(slack) == []


async def test_post_anonymously_asks_it_again_under_a_pseudonym(slack: SlackHarness) -> None:
    from cryptography.fernet import Fernet

    from bot.anonymity import redaction
    from bot.anonymity.config import AnonymityConfig

    slack.app.kindred.deps.anonymity = AnonymityConfig(
        identity_key=Fernet.generate_key().decode(), post_delay=lambda: 0.0
    )
    try:
        request_id = await _ask(slack)
        await _past_both_windows(slack)
        (dm,) = _consent_dm(slack)
        await slack.interaction(_press(dm, "Post anonymously"))
        (public,) = await _help_posts(slack)
        assert QUESTION in public.params["text"] and ASKER not in json.dumps(public.params)
        with slack.app.db.session() as session:
            status = session.execute(
                text("SELECT status FROM help_requests WHERE id = :i"), {"i": request_id}
            )
            assert status.scalar_one() == "closed", "the named request is closed, not posted"
            pseudonym = session.execute(text("SELECT pseudonym FROM anonymous_questions")).scalar_one()
        assert pseudonym in public.params["text"]
    finally:
        redaction.forget_all()


async def test_post_it_holds_back_a_question_naming_a_student(slack: SlackHarness) -> None:
    await _ask(slack, "How do I help Diego catch up? He keeps getting suspended and misses fractions.")
    await _past_both_windows(slack)
    (dm,) = _consent_dm(slack)
    await slack.interaction(_press(dm, "Post it"))
    await slack.settle(0.5)
    assert not [c for c in slack.fake.of("chat.postMessage") if c.params["channel"] == "CHELP00001"]
    assert "Before this goes public" in json.dumps([c.params for c in slack.fake.calls[-3:]])
