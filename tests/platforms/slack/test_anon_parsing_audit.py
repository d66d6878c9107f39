"""`/ask anon` with any whitespace after "anon" is anonymous; a non-moderator's escrow attempt is audited."""

from __future__ import annotations

import json

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text

from bot.anonymity import redaction
from bot.anonymity.config import AnonymityConfig
from tests.platforms.slack.conftest import SlackHarness

QUESTION = "How do I keep my energy up in the last period when the class is restless and tired?"


@pytest.fixture(autouse=True)
def _forget_redaction():
    yield
    redaction.forget_all()


def _anonymity(slack: SlackHarness, delays: list[str]) -> None:
    slack.app.kindred.deps.anonymity = AnonymityConfig(
        identity_key=Fernet.generate_key().decode(), post_delay=lambda: delays.append("waited") or 0.0
    )


@pytest.mark.parametrize("gap", ["\t", "\u00a0", "  \t\u00a0"])
async def test_anon_then_tab_or_nbsp_is_anonymous_and_delayed(slack: SlackHarness, gap: str) -> None:
    delays: list[str] = []
    _anonymity(slack, delays)
    assert (await slack.command("ask", f"anon{gap}{QUESTION}", user="UGAPPY001")).status == 200
    (public,) = await slack.fake.wait_for("chat.postMessage")
    assert delays == ["waited"] and QUESTION in public.params["text"]
    with slack.app.db.session() as session:
        row = session.execute(text("SELECT asker_id, anonymous, text FROM help_requests")).one()
        teachers = session.execute(text("SELECT count(*) FROM teachers WHERE platform_user_id = 'UGAPPY001'"))
        assert teachers.scalar_one() == 0
    assert row.asker_id is None and row.anonymous and row.text == QUESTION


async def test_non_moderator_escrow_attempt_is_audited(slack: SlackHarness) -> None:
    _anonymity(slack, [])
    await slack.command("ask", f"anon {QUESTION}", user="UASKANON1")
    await slack.fake.wait_for("chat.postMessage")
    with slack.app.db.session() as session:
        request_id = session.execute(text("SELECT request_id FROM anonymous_questions")).scalar_one()
    await slack.command("kindred", f"escrow {request_id}", user="UNOTAMOD1")
    calls = await slack.fake.wait_for("response_url", count=2)
    assert "Only moderators" in json.dumps(calls[-1].params)
    with slack.app.db.session() as session:
        audit = session.execute(text("SELECT action, request_id, actor_id FROM anonymity_audit")).all()
    assert [(a.action, a.request_id, a.actor_id) for a in audit] == [
        ("escrow_not_moderator", request_id, "UNOTAMOD1")
    ]
    await slack.command("kindred", f"escrow {request_id}", user="UASKANON1")  # the asker tries it too
    await slack.fake.wait_for("response_url", count=3)
    with slack.app.db.session() as session:
        audit = session.execute(text("SELECT actor_id FROM anonymity_audit ORDER BY id")).scalars().all()
    assert audit == ["UNOTAMOD1", "(the asker)"], "audited, without linking the asker to the question"


async def test_channel_help_request_naming_a_student_gets_suggestions_and_a_private_note(
    slack: SlackHarness,
) -> None:
    said = "Does anyone have ideas for Diego? He keeps getting suspended and falls behind in math fractions."
    event = {
        "type": "message",
        "channel": "CGENERAL01",
        "channel_type": "channel",
        "user": "UPOSTER01",
        "text": said,
        "ts": "1700000000.000100",
        "event_ts": "1700000000.000100",
    }
    assert (await slack.event(event, "EvPii1")).status == 200
    posts = await slack.fake.wait_for("chat.postMessage", count=2)
    thread = [p for p in posts if p.params["channel"] == "CGENERAL01"]
    note = [p for p in posts if p.params["channel"] == "UPOSTER01"]
    assert thread and thread[0].params["thread_ts"] == "1700000000.000100", "suggestions still in the thread"
    assert "Diego" not in json.dumps(thread[0].params)
    (dm,) = note
    dumped = json.dumps(dm.params)
    assert "ideas for [name]? He keeps getting suspended" in dumped and "Diego" not in dumped
