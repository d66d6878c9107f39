"""`/kindred report` in chat: a signed Slack command from a leader gets the report; others learn who may."""

from __future__ import annotations

import json

from bot.insights.config import InsightsConfig
from tests.platforms.slack.conftest import ASKER, SlackHarness
from tests.privacy.test_insights_scale import NOW, seed

LEADER = "ULEADER01"


def _setup(slack: SlackHarness) -> None:
    seed(slack.app.db, 40, 15, seed=40)
    slack.app.kindred.deps.insights = InsightsConfig(slack_leader_group="SLEADERS")
    slack.app.kindred.deps.clock = lambda: NOW
    slack.fake.usergroups["SLEADERS"] = [LEADER]


async def test_a_leader_gets_the_report_in_chat(slack: SlackHarness) -> None:
    _setup(slack)
    response = await slack.command("kindred", "report 30d", user=LEADER)
    assert response.status == 200
    (answer,) = await slack.fake.wait_for("response_url")
    assert answer.params["response_type"] == "ephemeral"
    text = json.dumps(answer.params, ensure_ascii=False)
    assert "Questions asked:" in text and "40" in text
    assert "got no reply — consider a PLC on it" in text
    assert "3b Using questioning and discussion techniques" in text
    assert "Hidden" not in text and "secret question" not in text
    (group_call,) = slack.fake.of("usergroups.users.list")
    assert group_call.params["usergroup"] == "SLEADERS"


async def test_a_teacher_who_is_not_a_leader_is_told_who_may(slack: SlackHarness) -> None:
    _setup(slack)
    await slack.command("kindred", "report", user=ASKER)
    (answer,) = await slack.fake.wait_for("response_url")
    text = json.dumps(answer.params)
    assert "The report is for school leaders" in text and "KINDRED_SLACK_LEADER_GROUP" in text
    assert "Questions asked" not in text
