"""The one door on Slack: every registered command is routed, replies name the configured help channel."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.bootstrap import App
from bot.domain.events import Command
from bot.domain.replies import Outcome
from bot.handlers.deps import Deps
from bot.platforms.slack.app_factory import build_bolt_app
from bot.platforms.slack.runner import build_web_app
from bot.settings import Settings, load_settings
from tests.platforms.slack.conftest import ASKER, SECRET, SlackHarness, add_slack_teachers, block_actions
from tests.platforms.slack.fake_slack import FakeSlack

QUESTION = "How do I teach equivalent fractions hands-on to 4th graders?"
TEACHER_HELP = "CTEACHHELP1"


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    """As an admin sets it: the help channel is #teacher-help, not the default #help."""
    return load_settings(
        KINDRED_DATA_DIR=tmp_path / "data",
        KINDRED_DATABASE_URL=database_url,
        KINDRED_SLACK_HELP_CHANNEL="#teacher-help",
    )


def greet(deps: Deps, command: Command) -> Outcome:
    return Outcome.say(f"Hello {command.text}! (a command this adapter was never told about)")


@pytest.fixture
async def door(app: App, fake_slack: FakeSlack) -> AsyncIterator[SlackHarness]:
    """The real bolt app, built after a feature registered a new command in the core."""
    app.kindred.registry.command("greet", "Say hello", "/greet <name>", greet)
    app.settings = app.settings.model_copy(
        update={"slack_bot_token": "xoxb-test", "slack_signing_secret": SECRET}
    )
    fake_slack.channels.append({"id": TEACHER_HELP, "name": "teacher-help"})
    add_slack_teachers(app)
    client = TestClient(TestServer(build_web_app(build_bolt_app(app, base_url=fake_slack.base_url), app)))
    await client.start_server()
    yield SlackHarness(app, fake_slack, client)
    await client.close()


async def test_a_newly_registered_command_is_routed_without_touching_the_adapter(door: SlackHarness) -> None:
    response = await door.command("greet", "Maria")
    assert response.status == 200
    (answer,) = await door.fake.wait_for("response_url")
    assert answer.params["response_type"] == "ephemeral"
    assert "Hello Maria!" in json.dumps(answer.params)


async def test_replies_name_the_configured_help_channel(door: SlackHarness) -> None:
    await door.command("ask", QUESTION)
    (suggestions,) = await door.fake.wait_for("response_url")
    assert "Post my question to #teacher-help" in json.dumps(suggestions.params["blocks"])
    assert "#help" not in json.dumps(suggestions.params["blocks"]).replace("#teacher-help", "")

    button = next(
        e
        for b in suggestions.params["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"].startswith("kindred.post_to_help.")
    )
    payload = block_actions(button, ASKER)
    payload["response_url"] = door.fake.response_url("posted")
    assert (await door.interaction(payload)).status == 200

    answers = await door.fake.wait_for("response_url", count=2)
    assert "Posted to #teacher-help" in answers[-1].params["text"]
    public = [p for p in door.fake.of("chat.postMessage") if p.params["channel"] == TEACHER_HELP]
    assert len(public) == 1 and QUESTION in public[0].params["text"]

    # Pressed again: nothing is posted twice, and the reply names where it already is.
    payload["response_url"] = door.fake.response_url("again")
    assert (await door.interaction(payload)).status == 200
    answers = await door.fake.wait_for("response_url", count=3)
    assert "already posted in #teacher-help" in answers[-1].params["text"]
    await door.settle(0.3)
    assert len([p for p in door.fake.of("chat.postMessage") if p.params["channel"] == TEACHER_HELP]) == 1
