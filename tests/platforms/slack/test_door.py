"""Bad input at the HTTP door: junk refused before parsing, replays refused, unknown events acked."""

from __future__ import annotations

import json
import logging
import time

import pytest

from bot.platforms.slack.gate import MAX_AGE_SECONDS, SlackRequestGate
from bot.platforms.slack.runner import EVENTS_PATH
from tests.platforms.slack.conftest import SECRET, SlackHarness, signed_headers

JUNK = [
    (b"{not json", {"Content-Type": "application/json"}),
    (b"\xff\xfe\xfa invalid utf-8", {"Content-Type": "application/json"}),
    (b"[" * 100_000 + b"]" * 100_000, {"Content-Type": "application/json"}),
    (
        b'{"type": "event_callback"}',
        {"Content-Type": "application/json", "X-Slack-Request-Timestamp": "soon"},
    ),
    (
        b'{"type": "event_callback"}',
        {
            "Content-Type": "application/json",
            "X-Slack-Request-Timestamp": "\u00b2",
            "X-Slack-Signature": "v0=x",
        },
    ),
]


@pytest.mark.parametrize(
    ("body", "headers"), JUNK, ids=["json", "utf8", "nesting", "timestamp", "unicode-digit"]
)
async def test_unauthenticated_junk_gets_401_and_one_short_log_line(
    slack: SlackHarness, caplog: pytest.LogCaptureFixture, body: bytes, headers: dict[str, str]
) -> None:
    headers = {
        "X-Slack-Signature": "v0=deadbeef",
        "X-Slack-Request-Timestamp": str(int(time.time())),
        **headers,
    }
    with caplog.at_level(logging.INFO):
        response = await slack.client.post(EVENTS_PATH, data=body, headers=headers)
    assert response.status == 401
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1 and warnings[0].exc_info is None
    assert len(warnings[0].getMessage()) < 100
    assert not slack.fake.calls


async def test_a_replayed_signed_request_is_refused(slack: SlackHarness) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "c-1", "token": "legacy"})
    headers = signed_headers(body, "application/json")
    first = await slack.client.post(EVENTS_PATH, data=body.encode(), headers=headers)
    assert first.status == 200
    replay = await slack.client.post(EVENTS_PATH, data=body.encode(), headers=headers)
    assert replay.status == 401


async def test_event_types_kindred_does_not_handle_are_acknowledged(slack: SlackHarness) -> None:
    response = await slack.event({"type": "emoji_changed", "subtype": "add", "name": "kindred"}, "EvEmoji")
    assert response.status == 200


def test_gate_refuses_stale_and_forged_requests_and_stays_bounded() -> None:
    now = [1_000_000.0]
    gate = SlackRequestGate(SECRET, clock=lambda: now[0], max_entries=3)

    def headers(body: str, at: float, secret: str = SECRET) -> dict[str, str]:
        from slack_sdk.signature import SignatureVerifier

        stamp = str(int(at))
        sig = SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body)
        return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": sig}

    assert gate.check(b"a", headers("a", now[0])) is None
    assert gate.check(b"a", headers("a", now[0])) == "replayed request"
    assert gate.check(b"a", headers("a", now[0] - MAX_AGE_SECONDS - 1)) == "stale timestamp"
    assert gate.check(b"a", headers("a", now[0], secret="other")) == "bad signature"
    for n in range(10):
        assert gate.check(str(n).encode(), headers(str(n), now[0])) is None
    assert len(gate._seen) <= 3
