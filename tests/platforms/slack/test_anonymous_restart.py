"""The delayed public post of an anonymous question survives a restart within its delay (durable row)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select, text

from bot.anonymity import redaction
from bot.anonymity.config import AnonymityConfig
from bot.platforms.slack.app_factory import build_client
from bot.platforms.slack.sender import SlackSender
from bot.scheduling import anon_posts
from bot.scheduling.scheduler import build_dispatcher
from bot.storage.models import ANON_POST, FollowUpRow
from tests.platforms.slack.conftest import SlackHarness

ANON = "UANONSLK88"
QUESTION = "How do I handle a parent who keeps emailing me about grades for fractions homework?"


async def test_a_restart_within_the_delay_still_posts_the_question_once(
    slack: SlackHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    slack.app.kindred.deps.anonymity = AnonymityConfig(
        identity_key=Fernet.generate_key().decode(), post_delay=lambda: 0.1
    )
    died: list[int] = []
    # The process stops during the delay: the in-process post never runs.
    monkeypatch.setattr(
        anon_posts, "post_now", lambda db, sender, request_id, now=None: died.append(request_id)
    )
    try:
        await slack.command("ask", f"anon {QUESTION}", user=ANON, channel="CSECRET001")
        await slack.fake.wait_for("response_url")
        for _ in range(250):
            if died:
                break
            await asyncio.sleep(0.02)
        assert died and not slack.fake.of("chat.postMessage")
        monkeypatch.undo()

        # The restarted process: its heartbeat finds the durable row and posts it.
        app = slack.app
        sender = SlackSender(build_client("xoxb-test", slack.fake.base_url), asyncio.get_running_loop())
        later = datetime.now(UTC) + timedelta(seconds=30)
        dispatcher = build_dispatcher(app.db, sender, app.kindred.deps.suggester, clock=lambda: later)
        while await asyncio.to_thread(dispatcher.run_once):
            pass
        (public,) = slack.fake.of("chat.postMessage")
        assert public.params["channel"] == "CHELP00001" and QUESTION in public.params["text"]
        with app.db.session() as session:
            states = session.scalars(select(FollowUpRow.state).where(FollowUpRow.kind == ANON_POST)).all()
            assert states == ["sent"]
            assert session.execute(text("SELECT count(*) FROM request_posts")).scalar_one() == 1
        # Had the first process woken up after all, it would find the row done and post nothing.
        assert await asyncio.to_thread(anon_posts.post_now, app.db, sender, died[0]) is None
        assert len(slack.fake.of("chat.postMessage")) == 1
    finally:
        redaction.forget_all()
