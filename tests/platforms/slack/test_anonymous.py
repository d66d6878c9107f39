"""Anonymous /ask on Slack, end to end at DEBUG: the asker's id and name appear in no outbound call (but
their own private answers) and in no log line."""

from __future__ import annotations

import asyncio
import io
import json
import logging

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text

from bot.anonymity import redaction
from bot.anonymity.config import AnonymityConfig
from bot.domain.events import Actor, ThreadReply
from tests.platforms.slack.conftest import MARIA, SlackHarness

ANON = "UANONSLK77"
ANON_NAME = "Priya Secretname"
QUESTION = "How do I handle a parent who keeps emailing me about grades for fractions homework?"


@pytest.fixture
def root_log() -> io.StringIO:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setLevel(logging.DEBUG)
    root = logging.getLogger()
    root.addHandler(handler)
    levels = {n: logging.getLogger(n).level for n in ("slack_bolt", "slack_sdk", "aiohttp")}
    for name in levels:
        logging.getLogger(name).setLevel(logging.DEBUG)
    yield stream
    root.removeHandler(handler)
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)
    redaction.forget_all()


async def test_anonymous_flow_never_reveals_the_asker(
    slack: SlackHarness, caplog: pytest.LogCaptureFixture, root_log: io.StringIO
) -> None:
    delays: list[str] = []
    slack.app.kindred.deps.anonymity = AnonymityConfig(
        identity_key=Fernet.generate_key().decode(), post_delay=lambda: delays.append("waited") or 0.0
    )
    slack.fake.users[ANON] = {"real_name": ANON_NAME, "tz": "America/Chicago"}

    response = await slack.command("ask", f"anon {QUESTION}", user=ANON, channel="CSECRET001")
    assert response.status == 200
    (public,) = await slack.fake.wait_for("chat.postMessage")
    answer = slack.fake.of("response_url")[0]
    assert answer.at <= public.at and delays == ["waited"], "private answer first, then a delayed post"
    assert "posted anonymously" in json.dumps(answer.params)
    assert public.params["channel"] == "CHELP00001", "always the help channel, never where it was typed"
    assert QUESTION in public.params["text"]

    with slack.app.db.session() as session:
        row = session.execute(text("SELECT id, asker_id, anonymous FROM help_requests")).one()
        request_id = row.id
        assert row.asker_id is None and row.anonymous
        pseudonym = session.execute(text("SELECT pseudonym FROM anonymous_questions")).scalar_one()
    assert pseudonym in public.params["text"]

    # a colleague replies in the thread -> the asker gets a DM with the replier's name
    helper = Actor("slack", MARIA, display_name="Maria Lopez", workspace_id="T1")
    reply = ThreadReply(helper, "CHELP00001", await _recorded(slack), "Try a parent log!", "1.9")
    outcome = slack.app.kindred.handle_thread_reply(reply)
    assert outcome is not None
    (dm,) = outcome.direct_messages
    assert dm.platform_user_id == ANON and "Maria Lopez" in dm.reply.text

    # the asker answers back through the bot, under the pseudonym, in the thread
    await slack.command("kindred", f"reply {request_id} Thanks, that helps", user=ANON)
    calls = await slack.fake.wait_for("chat.postMessage", count=2)
    assert calls[1].params["thread_ts"] == _ts(slack) and pseudonym in calls[1].params["text"]
    await slack.command("kindred", f"reveal {request_id}", user=MARIA)  # only the asker may reveal
    await slack.fake.wait_for("response_url", count=3)
    assert "Only the person who asked" in json.dumps(slack.fake.of("response_url")[-1].params)

    for call in slack.fake.calls:
        dumped = json.dumps(call.params)
        assert ANON_NAME not in dumped, call.method
        assert ANON not in dumped, call.method
    for record in caplog.records:
        assert ANON not in record.getMessage() and ANON_NAME not in record.getMessage()
    logged = caplog.text + root_log.getvalue()
    assert ANON not in logged and ANON_NAME not in logged
    assert redaction.WITHHELD in root_log.getvalue(), "SDK debug logging ran, and its bodies were withheld"
    assert any(r.levelno == logging.DEBUG for r in caplog.records)


def _ts(slack: SlackHarness) -> str:
    with slack.app.db.session() as session:
        return session.execute(text("SELECT message_id FROM request_posts")).scalar_one()


async def _recorded(slack: SlackHarness) -> str:
    for _ in range(250):
        with slack.app.db.session() as session:
            found = session.execute(text("SELECT message_id FROM request_posts")).scalar_one_or_none()
        if found:
            return found
        await asyncio.sleep(0.02)
    raise AssertionError("the anonymous post was never recorded")


async def test_anonymous_asking_works_out_of_the_box_with_the_data_dir_key(slack: SlackHarness) -> None:
    """No KINDRED_IDENTITY_KEY: the key file made at bootstrap seals the asker; the question is posted."""
    key = (slack.app.settings.data_dir / "identity.key").read_text().strip()
    assert slack.app.settings.identity_key is None and slack.app.kindred.deps.anonymity.identity_key == key
    slack.app.kindred.deps.anonymity.post_delay = lambda: 0.0
    await slack.command("ask", f"anon {QUESTION}", user=ANON)
    (public,) = await slack.fake.wait_for("chat.postMessage")
    assert QUESTION in public.params["text"]
    with slack.app.db.session() as session:
        sealed = session.execute(text("SELECT identity FROM anonymous_questions")).scalar_one()
    assert Fernet(key).decrypt(bytes(sealed))
    redaction.forget_all()


async def test_no_identity_key_refuses_and_stores_nothing(slack: SlackHarness) -> None:
    slack.app.kindred.deps.anonymity.identity_key = None  # the key file could not be made or read
    await slack.command("ask", f"anon {QUESTION}", user=ANON)
    (answer,) = await slack.fake.wait_for("response_url")
    assert "KINDRED_IDENTITY_KEY" in json.dumps(answer.params)
    assert not slack.fake.of("chat.postMessage")
    with slack.app.db.session() as session:
        assert session.execute(text("SELECT count(*) FROM help_requests")).scalar_one() == 0
