"""A colleague's thread reply: "did this help?" quotes it and names who gave it; "Yes, thanks!" saves it as
the answer that helped (the replier hears so, and the next colleague asking sees it first) — for named and
anonymous askers, through signed Slack requests and real ``message`` events."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.fernet import Fernet
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import text

from bot.anonymity import redaction
from bot.anonymity.config import AnonymityConfig
from bot.platforms.slack.sender import SlackSender
from bot.scheduling.scheduler import build_dispatcher
from tests.platforms.slack.conftest import ASKER, MARIA, SlackHarness, block_actions
from tests.platforms.slack.test_anonymous_buttons import buttons
from tests.platforms.slack.test_ask import _button_payload
from tests.platforms.slack.test_followups import until
from tests.platforms.slack.test_forget_me import _forget_me, _say, assert_no_trace
from tests.platforms.slack.test_thread_relay import posted_question, recorded_ts, thread_reply
from tests.privacy import db_scan
from tests.privacy.db_scan import where

QUESTION = "How do I teach equivalent fractions hands-on to my 4th graders?"
ANSWER = "Fraction strips first <!here>, then a number line & folded paper. " + "Let them explain. " * 30
ANON = "UANONSLK91"
ANON_NAME = "Priya Hiddenname"
DEREK = "UDEREK01"
REPLIER, REPLIER_NAME = "UREPLIER9", "Thaddeus Oakbridge"


@pytest.fixture(autouse=True)
def _forget() -> None:
    yield
    redaction.forget_all()


def dms_to(slack: SlackHarness, user: str) -> list[str]:
    return [
        c.params.get("text", "")
        for c in slack.fake.of("chat.postMessage")
        if c.params["channel"] in (user, f"D{user}")
    ]


def scalar(slack: SlackHarness, sql: str, **params: object) -> object:
    with slack.app.db.session() as session:
        return session.execute(text(sql), params).scalar()


async def run_did_it_help(slack: SlackHarness) -> None:
    """An hour after the reply, the dispatcher sends "did this help?" through the real Slack sender."""
    later = datetime.now(UTC) + timedelta(hours=1, minutes=5)
    client = AsyncWebClient(token="xoxb-test", base_url=slack.fake.base_url)
    sender = SlackSender(client, asyncio.get_running_loop(), timeout=10)
    dispatcher = build_dispatcher(slack.app.db, sender, slack.app.kindred.deps.suggester, clock=lambda: later)
    await asyncio.to_thread(dispatcher.run_once)


async def test_did_this_help_quotes_the_answer_and_yes_saves_it_with_credit(slack: SlackHarness) -> None:
    slack.fake.users[MARIA] = {"real_name": "Maria Lopez", "tz": "America/Chicago"}
    ts = await posted_question(slack, QUESTION)
    await slack.event(thread_reply(ts, "1700000301.000100", ANSWER), "EvHelp1")
    await until(lambda: scalar(slack, "SELECT count(*) FROM thread_answers") == 1)
    await run_did_it_help(slack)
    check_in = next(
        c
        for c in slack.fake.of("chat.postMessage")
        if c.params["channel"] == f"D{ASKER}" and "Did this help?" in c.params.get("text", "")
    )
    body = check_in.params["text"]
    assert "Maria Lopez" in body and "Fraction strips first" in body, body
    assert (
        "&lt;!here&gt;" in body
        and "&amp; folded paper" in body
        and "<!here>" not in json.dumps(check_in.params)
    )
    assert len(body) < len(ANSWER), "the answer is shortened"

    before = len(dms_to(slack, MARIA))
    yes = _button_payload(check_in.params["blocks"], "kindred.followup_yes.")
    yes["channel"] = {"id": f"D{ASKER}"}
    yes["container"] = {"type": "message", "is_ephemeral": False}
    yes["response_url"] = slack.fake.response_url("yes")
    await slack.interaction(yes)
    await until(lambda: len(dms_to(slack, MARIA)) > before)
    assert "helped" in dms_to(slack, MARIA)[-1], "the replier's ripple"
    maria_id = scalar(slack, "SELECT id FROM teachers WHERE platform_user_id = :u", u=MARIA)
    assert scalar(slack, "SELECT helper_id FROM answered_questions") == maria_id
    assert "Fraction strips first" in str(scalar(slack, "SELECT answer FROM answered_questions"))
    assert scalar(slack, "SELECT count(*) FROM ripple_events WHERE kind = 'answer_helped'") == 1
    assert scalar(slack, "SELECT status FROM help_requests WHERE text = :q", q=QUESTION) == "solved"

    # The next colleague asking the same thing sees what helped first, credited to Maria.
    await slack.command("ask", QUESTION, user=DEREK)
    replies = await slack.fake.wait_for("response_url", count=4)
    shown = json.dumps(replies[-1].params)
    assert "here is what helped" in shown and "Maria Lopez" in shown, shown


async def test_only_the_asker_can_say_a_reply_helped(slack: SlackHarness) -> None:
    ts = await posted_question(slack, QUESTION)
    await slack.event(thread_reply(ts, "1700000302.000100", "Try fraction strips."), "EvHelp2")
    await until(lambda: scalar(slack, "SELECT count(*) FROM thread_answers") == 1)
    await run_did_it_help(slack)
    check_in = next(c for c in slack.fake.of("chat.postMessage") if c.params["channel"] == f"D{ASKER}")
    yes = _button_payload(check_in.params["blocks"], "kindred.followup_yes.", user=DEREK)
    yes["response_url"] = slack.fake.response_url("derek")
    await slack.interaction(yes)
    await until(lambda: [c for c in slack.fake.of("response_url") if c.token == "derek"])
    (said,) = [c for c in slack.fake.of("response_url") if c.token == "derek"]
    assert "Only the teacher who asked" in json.dumps(said.params)
    assert scalar(slack, "SELECT count(*) FROM answered_questions") == 0


async def test_an_anonymous_asker_says_a_reply_helped_without_being_linked(slack: SlackHarness) -> None:
    slack.app.kindred.deps.anonymity = AnonymityConfig(
        identity_key=Fernet.generate_key().decode(), post_delay=lambda: 0.0
    )
    slack.fake.users[MARIA] = {"real_name": "Maria Lopez", "tz": "America/Chicago"}
    slack.fake.users[ANON] = {"real_name": ANON_NAME, "tz": "America/Chicago"}
    await slack.command("ask", f"anon {QUESTION}", user=ANON)
    ts = await recorded_ts(slack)
    await slack.event(thread_reply(ts, "1700000303.000100", ANSWER), "EvAnon1")
    await until(lambda: [c for c in slack.fake.of("chat.postMessage") if c.params["channel"] == ANON])
    (relayed,) = [c for c in slack.fake.of("chat.postMessage") if c.params["channel"] == ANON]
    assert "Did this help?" in relayed.params["text"] and "Maria Lopez" in relayed.params["text"]
    assert "Fraction strips first" in relayed.params["text"]
    yes = next(b for b in buttons(relayed.params["blocks"]) if "followup_yes" in b["action_id"])
    payload = block_actions(yes, ANON, slack.fake.response_url("anon-yes"), channel=f"D{ANON}", name="priya")
    payload["container"] = {"type": "message", "is_ephemeral": False}
    await slack.interaction(payload)
    await until(lambda: dms_to(slack, MARIA))
    assert "helped" in dms_to(slack, MARIA)[-1]
    request_id = scalar(slack, "SELECT id FROM help_requests WHERE anonymous")
    maria_id = scalar(slack, "SELECT id FROM teachers WHERE platform_user_id = :u", u=MARIA)
    assert scalar(slack, "SELECT helper_id FROM answered_questions") == maria_id
    assert scalar(slack, "SELECT colleague_id FROM ripple_events WHERE kind = 'answer_helped'") is None
    anon = scalar(slack, "SELECT count(*) FROM teachers WHERE platform_user_id = :u", u=ANON)
    assert anon == 0, "pressing yes makes no profile for the anonymous asker"
    assert db_scan.links(slack.app.db, int(str(request_id)), {ANON, ANON_NAME}, set()) == []


async def test_a_replier_who_is_forgotten_leaves_no_reply_and_no_answer(slack: SlackHarness) -> None:
    slack.fake.users[REPLIER] = {"real_name": REPLIER_NAME, "tz": "America/Chicago"}
    ts = await posted_question(slack, QUESTION)
    await slack.event(thread_reply(ts, "1700000304.000100", ANSWER, user=REPLIER), "EvForget1")
    await until(lambda: scalar(slack, "SELECT count(*) FROM thread_answers") == 1)
    await run_did_it_help(slack)
    check_in = next(c for c in slack.fake.of("chat.postMessage") if c.params["channel"] == f"D{ASKER}")
    yes = _button_payload(check_in.params["blocks"], "kindred.followup_yes.")
    yes["response_url"] = slack.fake.response_url("yes")
    await slack.interaction(yes)
    await until(lambda: [c for c in slack.fake.of("response_url") if c.token == "yes"])
    assert scalar(slack, "SELECT count(*) FROM answered_questions") == 1

    exported = await _say(slack, "kindred", "my-data", REPLIER)
    data = json.loads(json.loads(exported)["text"].split("```")[1])
    assert data["answers_you_gave"] == {"answers": 1, "replies in question threads": 1}, data
    await _forget_me(slack, REPLIER)
    assert_no_trace(slack, REPLIER, REPLIER_NAME)
    assert where(slack.app.db, "Fraction strips first") == [], "their reply and saved answer go too"
