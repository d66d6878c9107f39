"""Colleagues' attention is spent once per question: asking the same thing again through signed Slack
``/ask`` reuses the open request (no new nudges, follow-ups or help-channel posts), and a question Kindred
linked to a colleague's open look-alike is never posted or escalated again."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.fernet import Fernet
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import select, text

from bot.anonymity import redaction
from bot.anonymity.config import AnonymityConfig
from bot.domain.clock import as_utc
from bot.domain.preferences import FollowUpPrefs
from bot.platforms.slack.sender import SlackSender
from bot.scheduling.scheduler import build_dispatcher
from bot.storage.models import PENDING, FollowUpRow
from tests.platforms.slack.conftest import ASKER, SlackHarness, block_actions
from tests.platforms.slack.test_anonymous_buttons import buttons
from tests.platforms.slack.test_followups import add_more_peers

QUESTION = "How do I teach equivalent fractions hands-on to my 4th graders?"
AGAIN = (
    "How do I teach equivalent fractions hands-on to my 4th graders?",
    "how do i teach equivalent fractions hands on to my 4th graders",
)
DEREK = "UDEREK01"


@pytest.fixture(autouse=True)
def _forget() -> None:
    yield
    redaction.forget_all()


def help_posts(slack: SlackHarness) -> list[str]:
    return [
        c.params["text"] for c in slack.fake.of("chat.postMessage") if c.params["channel"] == "CHELP00001"
    ]


def dms(slack: SlackHarness) -> list[tuple[str, str]]:
    """(recipient, text) of every DM the bot sent (to a user id, or a DM channel it opened)."""
    return [
        (c.params["channel"].removeprefix("D"), c.params.get("text", ""))
        for c in slack.fake.of("chat.postMessage")
        if c.params["channel"] != "CHELP00001"
    ]


async def ask_and_press_post(slack: SlackHarness, question: str, n: int, user: str = ASKER) -> dict:
    """``/ask``, then press "Post my question to #help" if the answer offers it; the answer's params."""
    seen = len(slack.fake.of("response_url"))
    await slack.command("ask", question, user=user)
    answers = await slack.fake.wait_for("response_url", count=seen + 1)
    answer = answers[-1].params
    post = [b for b in buttons(answer.get("blocks") or []) if "post_to_help" in b["action_id"]]
    if post:
        seen = len(slack.fake.of("response_url"))
        await slack.interaction(block_actions(post[0], user, slack.fake.response_url(f"post{n}")))
        await slack.fake.wait_for("response_url", count=seen + 1)
        await slack.settle(0.3)
    return answer


async def escalate(slack: SlackHarness) -> None:
    """Let the follow-up queue run well past the nudge window, inside working hours."""
    now = [
        FollowUpPrefs().next_contact_time(
            datetime.now(UTC) + slack.app.settings.nudge_after + timedelta(minutes=5), None
        )
    ]
    client = AsyncWebClient(token="xoxb-test", base_url=slack.fake.base_url)
    sender = SlackSender(client, asyncio.get_running_loop(), timeout=10)
    dispatcher = build_dispatcher(
        slack.app.db, sender, slack.app.kindred.deps.suggester, clock=lambda: now[0]
    )
    for _ in range(6):
        await asyncio.to_thread(dispatcher.run_once)
        with slack.app.db.session() as session:
            due = session.scalars(select(FollowUpRow.due_at).where(FollowUpRow.state == PENDING)).all()
        if not due:
            break
        now[0] = max(now[0], min(as_utc(d) for d in due))


async def test_asking_three_times_nudges_and_posts_once(slack: SlackHarness) -> None:
    add_more_peers(slack.app)
    first = await ask_and_press_post(slack, QUESTION, 1)
    assert "still following" not in json.dumps(first)
    for n, again in enumerate(AGAIN, start=2):
        answer = await ask_and_press_post(slack, again, n)
        shown = json.dumps(answer)
        assert "I'm still following your earlier question" in shown, shown
        assert "post_to_help" not in shown, "already posted: no second post button"
    await escalate(slack)

    assert len(help_posts(slack)) == 1, help_posts(slack)
    about = [(to, body) for to, body in dms(slack) if "equivalent fractions" in body]
    recipients = [to for to, _ in about]
    assert recipients and len(recipients) == len(set(recipients)), f"one DM per colleague: {recipients}"
    assert ASKER not in recipients
    with slack.app.db.session() as session:
        assert session.execute(text("SELECT count(*) FROM help_requests")).scalar() == 1
        nudged = session.execute(text("SELECT teacher_id, count(*) FROM nudges GROUP BY teacher_id")).all()
    assert all(n == 1 for _, n in nudged), nudged


async def test_a_linked_question_is_never_posted_or_escalated(slack: SlackHarness) -> None:
    add_more_peers(slack.app)
    await ask_and_press_post(slack, QUESTION, 1)
    posts_before = len(help_posts(slack))
    linked = await ask_and_press_post(slack, QUESTION, 2, user=DEREK)
    shown = json.dumps(linked)
    assert "linked the two questions" in shown and "post_to_help" not in shown, shown
    with slack.app.db.session() as session:
        derek_request = session.execute(text("SELECT max(id) FROM help_requests")).scalar_one()
    forged = {"action_id": "kindred.post_to_help.0", "value": str(derek_request), "text": {"text": "Post"}}
    seen = len(slack.fake.of("response_url"))
    await slack.interaction(block_actions(forged, DEREK, slack.fake.response_url("forged")))
    said = await slack.fake.wait_for("response_url", count=seen + 1)
    assert "linked the two" in json.dumps(said[-1].params)
    await escalate(slack)
    assert len(help_posts(slack)) == posts_before
    with slack.app.db.session() as session:
        nudges = session.execute(
            text("SELECT count(*) FROM nudges WHERE request_id = :r"), {"r": derek_request}
        ).scalar()
    assert nudges == 0

    # If the earlier question closes without an answer, the linked one is not left alone.
    with slack.app.db.session() as session:
        session.execute(
            text("UPDATE help_requests SET status = 'closed' WHERE id <> :r"), {"r": derek_request}
        )
    await escalate(slack)
    with slack.app.db.session() as session:
        nudges = session.execute(
            text("SELECT count(*) FROM nudges WHERE request_id = :r"), {"r": derek_request}
        ).scalar()
    assert nudges > 0


async def test_an_anonymous_question_asked_three_times_is_posted_once(slack: SlackHarness) -> None:
    slack.app.kindred.deps.anonymity = AnonymityConfig(
        identity_key=Fernet.generate_key().decode(), post_delay=lambda: 0.0
    )
    for n, question in enumerate((QUESTION, *AGAIN)):
        seen = len(slack.fake.of("response_url"))
        await slack.command("ask", f"anon {question}", user="UANONREP1")
        answers = await slack.fake.wait_for("response_url", count=seen + 1)
        if n:
            assert "still following your earlier anonymous question" in json.dumps(answers[-1].params)
    await slack.settle(0.5)
    await escalate(slack)
    assert len(help_posts(slack)) == 1, help_posts(slack)
    with slack.app.db.session() as session:
        assert session.execute(text("SELECT count(*) FROM help_requests")).scalar() == 1
