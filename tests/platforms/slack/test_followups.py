"""Follow-ups on Slack: thread replies mark questions answered, posted questions map back, the sender's
DMs and error mapping, and the whole loop (ask → nudge → reply → "did this help?" → solved)."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import select

from bot.bootstrap import App
from bot.domain.clock import as_utc
from bot.domain.preferences import FollowUpPrefs
from bot.domain.replies import Reply
from bot.domain.requests import PeerMatch, RequestStatus
from bot.platforms.slack.listeners.actions import routed_pattern
from bot.platforms.slack.sender import SlackSender
from bot.scheduling.messages import did_it_help_reply
from bot.scheduling.scheduler import build_dispatcher
from bot.scheduling.sender import DeliveryError
from bot.storage.models import DID_IT_HELP, PENDING, FollowUpRow, HelpRequestRow, RequestPostRow
from bot.storage.repositories import RequestRepository, TeacherRepository
from tests.platforms.slack.conftest import ASKER, MARIA, TEAM, SlackHarness
from tests.platforms.slack.fake_slack import FakeSlack
from tests.platforms.slack.test_ask import QUESTION, _button_payload

CHANNEL = "CGRADE4001"
QUESTION_TS = "1700000100.000100"
HELP = "Does anyone have ideas for teaching equivalent fractions hands-on to my 4th graders?"
EXTRA_PEERS = ("UPEER0001", "UPEER0002", "UPEER0003", "UPEER0004")


def message(text: str, user: str = ASKER, ts: str = QUESTION_TS, **extra: object) -> dict:
    return {
        "type": "message",
        "channel": CHANNEL,
        "channel_type": "channel",
        "user": user,
        "text": text,
        "ts": ts,
        "event_ts": ts,
        **extra,
    }


async def until(check: Callable[[], object], timeout: float = 10.0) -> None:
    """Poll the database until the listener (running after the ack) has done its work."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the listener")
        await asyncio.sleep(0.02)


def request_by_message(app: App, ts: str = QUESTION_TS) -> HelpRequestRow | None:
    with app.db.session() as session:
        row = session.scalar(select(HelpRequestRow).where(HelpRequestRow.message_id == ts))
        if row is not None:
            session.expunge(row)
        return row


def request_status(app: App, request_id: int) -> tuple[str, datetime | None]:
    with app.db.session() as session:
        row = session.get(HelpRequestRow, request_id)
        assert row is not None
        return str(row.status), row.first_human_reply_at


def followups(app: App, request_id: int) -> list[tuple[str, str]]:
    with app.db.session() as session:
        rows = session.scalars(select(FollowUpRow).where(FollowUpRow.request_id == request_id))
        return [(r.kind, r.state) for r in rows]


def posts_in(app: App, channel: str) -> list[str]:
    with app.db.session() as session:
        query = select(RequestPostRow.message_id).where(RequestPostRow.channel_id == channel)
        return list(session.scalars(query))


async def ask_in_channel(slack: SlackHarness) -> int:
    await slack.event(message(HELP), "EvAsk")
    await slack.fake.wait_for("chat.postMessage")
    await until(lambda: request_by_message(slack.app) is not None)
    row = request_by_message(slack.app)
    assert row is not None
    return row.id


# --- thread replies --------------------------------------------------------------------------------


async def test_a_colleagues_thread_reply_marks_the_question_answered(slack: SlackHarness) -> None:
    request_id = await ask_in_channel(slack)
    await slack.event(message("Fraction strips!", user=MARIA, ts="1700000300.000300", thread_ts=QUESTION_TS))
    await until(lambda: request_status(slack.app, request_id)[0] == RequestStatus.ANSWERED)
    assert request_status(slack.app, request_id)[1] is not None
    assert (DID_IT_HELP, PENDING) in followups(slack.app, request_id)
    await slack.settle(0.2)
    assert len(slack.fake.of("chat.postMessage")) == 1, "an answer in the thread gets no bot reply"


async def test_the_askers_own_thread_reply_is_not_an_answer(slack: SlackHarness) -> None:
    request_id = await ask_in_channel(slack)
    await slack.event(message("Anyone?", ts="1700000300.000300", thread_ts=QUESTION_TS), "EvOwn")
    await slack.settle(0.4)
    status, first_reply = request_status(slack.app, request_id)
    assert status == RequestStatus.OPEN and first_reply is None
    assert DID_IT_HELP not in {kind for kind, _ in followups(slack.app, request_id)}
    assert len(slack.fake.of("chat.postMessage")) == 1


async def test_a_question_posted_to_help_has_its_ts_recorded_and_replies_map_back(
    slack: SlackHarness,
) -> None:
    await slack.command("ask", QUESTION)
    (suggestions,) = await slack.fake.wait_for("response_url")
    payload = _button_payload(suggestions.params["blocks"], "kindred.post_to_help.")
    payload["response_url"] = slack.fake.response_url("second")
    await slack.interaction(payload)
    # The "Posted to #help" reply goes out before the post itself: wait for the post.
    await until(lambda: [c for c in slack.fake.of("chat.postMessage") if c.params["channel"] == "CHELP00001"])
    public = next(c for c in slack.fake.of("chat.postMessage") if c.params["channel"] == "CHELP00001")
    assert QUESTION in public.params["text"]
    await until(lambda: posts_in(slack.app, "CHELP00001"))
    (ts,) = posts_in(slack.app, "CHELP00001")
    assert ts.startswith("1700000000."), "the ts chat.postMessage answered with"
    with slack.app.db.session() as session:
        request = RequestRepository(session).find_by_thread("slack", "CHELP00001", ts)
    assert request is not None and request.text == QUESTION

    reply = message("Try fraction strips", user=MARIA, ts="1700000999.000001", thread_ts=ts)
    reply["channel"] = "CHELP00001"
    await slack.event(reply, "EvHelpReply")
    await until(lambda: request_status(slack.app, request.id)[0] == RequestStatus.ANSWERED)


# --- buttons ---------------------------------------------------------------------------------------


def test_every_registered_button_but_onboarding_is_routed(app: App) -> None:
    pattern = routed_pattern(app.kindred.registry.buttons)
    for action in ("followup_yes", "followup_not_yet", "helped", "save", "post_to_help"):
        assert pattern.match(f"kindred.{action}.3")
    assert not pattern.match("kindred.onboard.1") and not pattern.match("kindred.edit_profile.1")


# --- the sender ------------------------------------------------------------------------------------


@pytest.fixture
async def sender(fake_slack: FakeSlack) -> SlackSender:
    client = AsyncWebClient(token="xoxb-test", base_url=fake_slack.base_url)
    return SlackSender(client, asyncio.get_running_loop(), timeout=10)


async def test_the_sender_opens_a_dm_and_posts_the_rendered_reply(
    sender: SlackSender, fake_slack: FakeSlack
) -> None:
    await asyncio.to_thread(sender.send_dm, "slack", MARIA, did_it_help_reply(7, "How do I teach fractions?"))
    (opened,) = fake_slack.of("conversations.open")
    assert opened.params["users"] == MARIA
    (posted,) = fake_slack.of("chat.postMessage")
    assert posted.params["channel"] == f"D{MARIA}"
    ids = [e["action_id"] for b in posted.params["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert any(i.startswith("kindred.followup_yes.") for i in ids)
    assert any(i.startswith("kindred.followup_not_yet.") for i in ids)


@pytest.mark.parametrize(
    ("method", "error", "retryable"),
    [
        ("conversations.open", "user_not_found", False),
        ("conversations.open", "cannot_dm_bot", False),
        ("chat.postMessage", "account_inactive", False),
        ("chat.postMessage", "ratelimited", True),
        ("chat.postMessage", "internal_error", True),
    ],
)
async def test_the_sender_maps_slack_errors(
    sender: SlackSender, fake_slack: FakeSlack, method: str, error: str, retryable: bool
) -> None:
    fake_slack.fail_once[method] = error
    with pytest.raises(DeliveryError) as caught:
        await asyncio.to_thread(sender.send_dm, "slack", MARIA, Reply("hi", ephemeral=False))
    assert caught.value.retryable is retryable and error in caught.value.reason


async def test_a_connection_failure_is_retryable(fake_slack: FakeSlack) -> None:
    await fake_slack.stop()  # nothing listens any more
    client = AsyncWebClient(token="xoxb-test", base_url=fake_slack.base_url)
    sender = SlackSender(client, asyncio.get_running_loop(), timeout=10)
    with pytest.raises(DeliveryError) as caught:
        await asyncio.to_thread(sender.send_dm, "slack", MARIA, Reply("hi", ephemeral=False))
    assert caught.value.retryable


# --- end to end ------------------------------------------------------------------------------------


def add_more_peers(app: App) -> None:
    """More 4th-grade math colleagues, so escalation has someone new after the first suggestions."""
    with app.db.session() as session:
        repo = TeacherRepository(session)
        for n, user_id in enumerate(EXTRA_PEERS, start=1):
            repo.upsert(
                "slack",
                user_id,
                {
                    "name": f"Peer Number{n}",
                    "subjects": ["math"],
                    "grades": ["4"],
                    "interests": ["fractions", "fraction strips"],
                    "bio": "4th grade math: equivalent fractions with fraction strips.",
                    "open_to_help": True,
                    "onboarded": True,
                    "workspace_id": TEAM,
                    "timezone": "America/New_York",
                },
            )
    app.indexer.prepare()


async def test_ask_nudge_reply_did_it_help_solved_end_to_end(slack: SlackHarness) -> None:
    app = slack.app
    add_more_peers(app)
    request_id = await ask_in_channel(slack)
    with app.db.session() as session:
        suggested = {
            t.platform_user_id
            for t in TeacherRepository(session)
            .get_many(
                m.teacher_id
                for m in RequestRepository(session).suggestions_for(request_id)
                if isinstance(m, PeerMatch)
            )
            .values()
        }
    # Past KINDRED_NUDGE_AFTER, at a moment inside New York working hours.
    now = [
        FollowUpPrefs().next_contact_time(
            datetime.now(UTC) + app.settings.nudge_after + timedelta(minutes=1), None
        )
    ]
    client = AsyncWebClient(token="xoxb-test", base_url=slack.fake.base_url)
    sender = SlackSender(client, asyncio.get_running_loop(), timeout=10)
    dispatcher = build_dispatcher(app.db, sender, app.kindred.deps.suggester, clock=lambda: now[0])

    for _ in range(4):  # the plan, then its nudges (which wait for the helper's hours if they must)
        await asyncio.to_thread(dispatcher.run_once)
        if slack.fake.of("conversations.open"):
            break
        with app.db.session() as session:
            due = session.scalars(select(FollowUpRow.due_at).where(FollowUpRow.state == PENDING)).all()
        now[0] = max(now[0], min(as_utc(d) for d in due)) if due else now[0]
    nudged = [c.params["users"] for c in slack.fake.of("conversations.open")]
    assert nudged and not set(nudged) & (suggested | {ASKER}), "new colleagues, not the ones already shown"
    assert set(nudged) <= {*EXTRA_PEERS, MARIA, "UDEREK01"}
    nudge = next(c for c in slack.fake.of("chat.postMessage") if c.params["channel"] == f"D{nudged[0]}")
    assert "A colleague asked" in nudge.params["text"]

    # The nudged colleague answers in the question's thread; an hour later the asker is asked.
    await slack.event(
        message("Fraction strips!", user=nudged[0], ts="1700000500.000500", thread_ts=QUESTION_TS), "EvAns"
    )
    await until(lambda: request_status(app, request_id)[0] == RequestStatus.ANSWERED)
    now[0] = max(now[0], datetime.now(UTC) + timedelta(hours=1, minutes=1))
    await asyncio.to_thread(dispatcher.run_once)
    check_in = next(c for c in slack.fake.of("chat.postMessage") if c.params["channel"] == f"D{ASKER}")
    assert "Did this help?" in check_in.params["text"]

    payload = _button_payload(check_in.params["blocks"], "kindred.followup_yes.")
    payload["channel"] = {"id": f"D{ASKER}"}
    payload["container"] = {"type": "message", "is_ephemeral": False}
    payload["response_url"] = slack.fake.response_url("yes")
    await slack.interaction(payload)
    await until(lambda: request_status(app, request_id)[0] == RequestStatus.SOLVED)
    answered = await slack.fake.wait_for("response_url")
    assert "solved" in json.dumps(answered[-1].params)
