"""Text with no words to act on (emoji only, an SQL probe) is answered kindly and never stored, so it is never
posted or quoted to colleagues."""

from __future__ import annotations

import json

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text

from bot.anonymity import redaction
from bot.anonymity.config import AnonymityConfig
from tests.platforms.slack.conftest import SlackHarness


@pytest.mark.parametrize(
    "said", ["🙂🙂🙂", "'; DROP TABLE teachers; --", "anon 🙈", "anon '; DROP TABLE teachers; --"]
)
async def test_no_words_to_act_on_is_never_stored_or_posted(slack: SlackHarness, said: str) -> None:
    slack.app.kindred.deps.anonymity = AnonymityConfig(
        identity_key=Fernet.generate_key().decode(), post_delay=lambda: 0.0
    )
    try:
        assert (await slack.command("ask", said)).status == 200
        (answer,) = await slack.fake.wait_for("response_url")
        assert "couldn't find a question" in json.dumps(answer.params)
        await slack.settle(0.3)
        assert slack.fake.of("chat.postMessage") == [] and slack.fake.of("conversations.open") == []
        with slack.app.db.session() as session:
            assert session.execute(text("SELECT count(*) FROM help_requests")).scalar_one() == 0
            assert session.execute(text("SELECT count(*) FROM followups")).scalar_one() == 0
    finally:
        redaction.forget_all()
