"""The HTTP surface: signature checks, health, retries on rate limits, url_verification."""

from __future__ import annotations

import json

from bot.handlers.share import NOT_A_LINK
from tests.platforms.slack.conftest import ASKER, SlackHarness
from tests.platforms.slack.test_events import HELP, message


async def test_bad_signature_is_rejected_with_401(slack: SlackHarness) -> None:
    body = "command=%2Fask&text=hi&user_id=U1&team_id=T1"
    response = await slack.post(body, "application/x-www-form-urlencoded", secret="wrong-secret")
    assert response.status == 401
    missing = await slack.client.post("/slack/events", data=body)
    assert missing.status == 401
    await slack.settle(0.1)
    assert not slack.fake.calls


async def test_url_verification_challenge(slack: SlackHarness) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "c-123", "token": "legacy"})
    response = await slack.post(body, "application/json")
    assert response.status == 200
    assert "c-123" in await response.text()


async def test_healthz_reports_readiness(slack: SlackHarness) -> None:
    response = await slack.client.get("/healthz")
    assert response.status == 200
    slack.app.ready = False
    response = await slack.client.get("/healthz")
    assert response.status == 503


async def test_rate_limited_call_is_retried_after_retry_after(slack: SlackHarness) -> None:
    slack.fake.rate_limit_once.add("chat.postMessage")
    await slack.event(message(HELP), "EvRate")
    calls = await slack.fake.wait_for("chat.postMessage", count=2, timeout=15)
    assert calls[1].at - calls[0].at >= 0.9, "waited for Retry-After"
    await slack.settle()
    assert len(slack.fake.of("chat.postMessage")) == 2
    from bot.platforms.slack.listeners.messages import message_key
    from bot.platforms.slack.store import EventLedger

    key = message_key(message(HELP))
    assert key is not None and EventLedger(slack.app.db).status(key) == "done"


async def test_slash_command_share_with_text_and_modal(slack: SlackHarness) -> None:
    await slack.command("share", "https://example.org/number-talks-deck | My 5th graders love these")
    (reply,) = await slack.fake.wait_for("response_url")
    assert "thank you" in reply.params["text"].lower()

    await slack.command("share", "")
    (opened,) = await slack.fake.wait_for("views.open")
    view = opened.params["view"]
    assert view["callback_id"] == "kindred_share_modal"
    view["state"] = {
        "values": {
            "url": {"value": {"type": "plain_text_input", "value": "not a link"}},
            "why": {"value": {"type": "plain_text_input", "value": "Great"}},
        }
    }
    payload = {"type": "view_submission", "team": {"id": "T1"}, "user": {"id": ASKER}, "view": view}
    response = await slack.interaction(payload)
    body = await response.json()
    assert body["response_action"] == "errors"
    assert body["errors"] == {"url": NOT_A_LINK}, "the core's words, as the Discord form gets them"

    view["state"]["values"]["url"]["value"]["value"] = "https://example.org/place-value-mats"
    response = await slack.interaction(payload)
    assert response.status == 200
    (ephemeral,) = await slack.fake.wait_for("chat.postEphemeral")  # back in the channel of the command
    assert ephemeral.params["channel"] == "CGENERAL01" and ephemeral.params["user"] == ASKER
    assert "thank you" in ephemeral.params["text"].lower()
