"""/pack, /ripples and /adapt reach the core on Slack (pass-through slash commands)."""

from __future__ import annotations

import json

from tests.platforms.slack.conftest import SlackHarness


async def test_pack_join_and_ripples_answer_privately(slack: SlackHarness) -> None:
    response = await slack.command("pack", "join reading conferences")
    assert response.status == 200
    (call,) = await slack.fake.wait_for("response_url")
    assert call.params["response_type"] == "ephemeral"
    assert "You're in" in json.dumps(call.params)

    response = await slack.command("ripples", "")
    assert response.status == 200
    calls = await slack.fake.wait_for("response_url", count=2)
    assert "ripples" in json.dumps(calls[-1].params).lower()
