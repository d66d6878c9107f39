"""Slack test harness: the real bolt app behind the real aiohttp route, talking to a fake Slack Web API.

Requests are signed exactly as Slack signs them (v0 HMAC-SHA256 over ``v0:{timestamp}:{body}``).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlencode

import pytest
from aiohttp.test_utils import TestClient, TestServer
from slack_sdk.signature import SignatureVerifier

from bot.bootstrap import App
from bot.platforms.slack.app_factory import build_bolt_app
from bot.platforms.slack.runner import EVENTS_PATH, build_web_app
from bot.storage.repositories import TeacherRepository
from tests.platforms.slack.fake_slack import FakeSlack

SECRET = "test-signing-secret"
_TRIGGERS = itertools.count(1)
TEAM = "T1"
ASKER = "UASKER01"
MARIA = "UMARIA01"
SLACK_TEACHERS = {
    MARIA: {
        "name": "Maria Lopez",
        "subjects": ["math"],
        "grades": ["4"],
        "interests": ["manipulatives", "fractions", "number talks"],
        "bio": "I teach 4th grade math and make fractions concrete with fraction strips and paper folding.",
        "open_to_help": True,
        "onboarded": True,
        "workspace_id": TEAM,
    },
    "UDEREK01": {
        "name": "Derek Thompson",
        "subjects": ["math"],
        "grades": ["3", "4", "5"],
        "interests": ["fractions", "number lines", "math games"],
        "bio": "Elementary math coach: equivalent fractions on number lines and hands-on games.",
        "open_to_help": True,
        "onboarded": True,
        "workspace_id": TEAM,
    },
}


def signed_headers(body: str, content_type: str, secret: str = SECRET, **extra: str) -> dict[str, str]:
    timestamp = str(int(time.time()))
    signature = SignatureVerifier(secret).generate_signature(timestamp=timestamp, body=body)
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": signature,
        **extra,
    }


class SlackHarness:
    def __init__(self, app: App, fake: FakeSlack, client: TestClient) -> None:
        self.app = app
        self.fake = fake
        self.client = client

    async def post(self, body: str, content_type: str, secret: str = SECRET, **headers: str):  # type: ignore[no-untyped-def]
        return await self.client.post(
            EVENTS_PATH, data=body.encode(), headers=signed_headers(body, content_type, secret, **headers)
        )

    async def command(self, name: str, text: str = "", user: str = ASKER, channel: str = "CGENERAL01"):  # type: ignore[no-untyped-def]
        body = urlencode(
            {
                "token": "legacy",
                "team_id": TEAM,
                "team_domain": "school",
                "channel_id": channel,
                "channel_name": "general",
                "user_id": user,
                "user_name": user.lower(),
                "command": f"/{name}",
                "text": text,
                "api_app_id": "A1",
                "is_enterprise_install": "false",
                "response_url": self.fake.response_url(),
                "trigger_id": f"1337.42.{next(_TRIGGERS)}",  # unique per request, as Slack's are
            }
        )
        return await self.post(body, "application/x-www-form-urlencoded")

    async def event(self, event: dict[str, Any], event_id: str = "Ev001", **headers: str):  # type: ignore[no-untyped-def]
        envelope = {
            "token": "legacy",
            "team_id": TEAM,
            "api_app_id": "A1",
            "event": event,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM, "user_id": "UBOT", "is_bot": True}],
        }
        return await self.post(json.dumps(envelope), "application/json", **headers)

    async def interaction(self, payload: dict[str, Any]):  # type: ignore[no-untyped-def]
        body = urlencode({"payload": json.dumps(payload)})
        return await self.post(body, "application/x-www-form-urlencoded")

    async def settle(self, seconds: float = 0.5) -> None:
        """Give background listener work time to finish (before asserting that nothing was sent)."""
        await asyncio.sleep(seconds)


def block_actions(
    button: dict[str, Any],
    user: str,
    response_url: str = "RESPONSE_URL",
    channel: str = "CGENERAL01",
    container: dict[str, Any] | None = None,
    **user_fields: str,
) -> dict[str, Any]:
    """The ``block_actions`` payload Slack sends when ``user`` presses ``button`` (a Block Kit element)."""
    return {
        "type": "block_actions",
        "team": {"id": TEAM},
        "user": {"id": user, "team_id": TEAM, **user_fields},
        "api_app_id": "A1",
        "trigger_id": "9.9.9",
        "channel": {"id": channel},
        "container": container or {"type": "message", "is_ephemeral": True},
        "response_url": response_url,
        "actions": [{**button, "block_id": "b1", "type": "button", "action_ts": "1"}],
    }


def add_slack_teachers(app: App) -> None:
    with app.db.session() as session:
        repo = TeacherRepository(session)
        for user_id, fields in SLACK_TEACHERS.items():
            repo.upsert("slack", user_id, fields)
    app.indexer.prepare()


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlack]:
    fake = FakeSlack()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def slack(app: App, fake_slack: FakeSlack) -> AsyncIterator[SlackHarness]:
    app.settings = app.settings.model_copy(
        update={"slack_bot_token": "xoxb-test", "slack_signing_secret": SECRET, "slack_help_channel": "help"}
    )
    add_slack_teachers(app)
    bolt_app = build_bolt_app(app, base_url=fake_slack.base_url)
    client = TestClient(TestServer(build_web_app(bolt_app, app)))
    await client.start_server()
    yield SlackHarness(app, fake_slack, client)
    await client.close()
