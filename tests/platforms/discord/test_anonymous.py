"""Anonymous /ask on Discord at DEBUG: private answer first, a delayed post in #help under a pseudonym, and
the asker's id in no outbound call and no log line."""

from __future__ import annotations

import json
import logging

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text

from bot.anonymity import redaction
from bot.anonymity.config import AnonymityConfig
from tests.platforms.discord.conftest import DiscordHarness
from tests.platforms.discord.fake_discord import HELP_ID, USER_ID, command_interaction

QUESTION = "How do I handle a parent who keeps emailing me about fractions homework grades?"


@pytest.fixture(autouse=True)
def _debug_sdk_logs() -> None:
    logging.getLogger("discord").setLevel(logging.DEBUG)
    yield
    logging.getLogger("discord").setLevel(logging.NOTSET)
    redaction.forget_all()


async def test_anonymous_ask_posts_under_a_pseudonym_and_never_names_the_asker(
    discord_env: DiscordHarness, caplog: pytest.LogCaptureFixture
) -> None:
    delays: list[int] = []
    discord_env.app.kindred.deps.anonymity = AnonymityConfig(
        identity_key=Fernet.generate_key().decode(), post_delay=lambda: delays.append(1) or 0.0
    )
    await discord_env.command(command_interaction("ask", {"question": QUESTION, "anonymous": True}))
    (followup,) = discord_env.fake.followups()
    (post,) = discord_env.fake.channel_messages(HELP_ID)
    assert followup.at <= post.at and delays == [1]
    assert "posted anonymously" in json.dumps(followup.json)
    with discord_env.app.db.session() as session:
        row = session.execute(text("SELECT id, asker_id FROM help_requests")).one()
        pseudonym = session.execute(text("SELECT pseudonym FROM anonymous_questions")).scalar_one()
        recorded = session.execute(text("SELECT message_id FROM request_posts")).scalar_one()
    assert row.asker_id is None and recorded
    assert pseudonym in json.dumps(post.json) and QUESTION in json.dumps(post.json)

    await discord_env.command(
        command_interaction("kindred", {"action": "reply", "value": f"{row.id} Thank you!"})
    )
    answers = [c for c in discord_env.fake.calls if c.method == "POST" and pseudonym in json.dumps(c.json)]
    assert any("Thank you!" in json.dumps(c.json) for c in answers)

    for call in discord_env.fake.calls:
        if "/interactions/" in call.path or "/webhooks/" in call.path:
            continue  # the asker's own private answers
        assert str(USER_ID) not in json.dumps(call.body, default=str), call.path
    assert str(USER_ID) not in caplog.text
