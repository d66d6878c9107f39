"""The "Not a question" button on Kindred's unsolicited channel reply, through signed Slack payloads."""

from __future__ import annotations

import json

import numpy as np

from bot.storage.intent_corrections import NOT_A_QUESTION_TEXT, IntentCorrectionRepository
from bot.storage.models import IntentCorrectionRow
from bot.storage.repositories import RequestRepository
from tests.platforms.slack.conftest import ASKER, SlackHarness, block_actions
from tests.platforms.slack.test_events import CHANNEL, HELP, message


def _not_a_question_payload(blocks: list[dict], reply_ts: str) -> dict:
    buttons = [
        e
        for block in blocks
        for e in block.get("elements", [])
        if e.get("action_id", "").startswith("kindred.not_a_question.")
    ]
    assert buttons, json.dumps(blocks)[:500]
    container = {"type": "message", "message_ts": reply_ts, "channel_id": CHANNEL}
    return block_actions(buttons[0], ASKER, channel=CHANNEL, container=container)


async def test_not_a_question_removes_the_reply_and_keeps_only_an_embedding(slack: SlackHarness) -> None:
    await slack.event(message(HELP), "EvNaq1")
    (post,) = await slack.fake.wait_for("chat.postMessage")
    reply_ts = "1700000000.000001"
    payload = _not_a_question_payload(post.params["blocks"], reply_ts)
    payload["response_url"] = slack.fake.response_url("naq")
    response = await slack.interaction(payload)
    assert response.status == 200

    (deleted,) = await slack.fake.wait_for("chat.delete")
    assert deleted.params["channel"] == CHANNEL and deleted.params["ts"] == reply_ts
    with slack.app.db.session() as session:
        (row,) = session.query(IntentCorrectionRow).all()
        assert row.kind == "not_a_question" and row.label == 0 and row.platform == "slack"
        vector = np.frombuffer(row.vector, dtype=np.float32)
        assert vector.shape == (slack.app.embedder.dimension,) and abs(np.linalg.norm(vector) - 1) < 1e-4
        assert "fraction" not in json.dumps(
            {c.name: str(getattr(row, c.name)) for c in row.__table__.columns}
        )
        request_id = int(payload["actions"][0]["value"])
        assert RequestRepository(session).get(request_id).text == NOT_A_QUESTION_TEXT
        assert IntentCorrectionRepository(session).counts() == {"not_a_question": 1, "missed_request": 0}
        rows = IntentCorrectionRepository(session).training_rows(slack.app.embedder.model_name)
        assert [label for _, label in rows] == [0]
