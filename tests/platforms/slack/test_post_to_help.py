"""The Slack follow-up sender posts a privately asked, unanswered question in the help channel."""

from __future__ import annotations

import asyncio

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.platforms.slack.sender import SlackSender
from bot.scheduling.messages import public_post_reply
from bot.scheduling.sender import DeliveryError
from tests.platforms.slack.conftest import TEAM
from tests.platforms.slack.fake_slack import FakeSlack


def sender_for(fake_slack: FakeSlack, help_channel: str = "#help") -> SlackSender:
    client = AsyncWebClient(token="xoxb-test", base_url=fake_slack.base_url)
    return SlackSender(client, asyncio.get_running_loop(), timeout=10, help_channel=help_channel)


async def test_post_to_help_posts_in_the_resolved_help_channel_and_returns_its_ts(
    fake_slack: FakeSlack,
) -> None:
    sender = sender_for(fake_slack)
    reply = public_post_reply(7, "How do I teach fractions?")
    channel, ts = await asyncio.to_thread(sender.post_to_help, "slack", TEAM, reply)
    (posted,) = fake_slack.of("chat.postMessage")
    assert posted.params["channel"] == "CHELP00001" == channel
    assert ts.startswith("1700000000.")
    assert "A colleague is looking for ideas" in posted.params["text"]
    assert len(fake_slack.of("conversations.list")) == 1
    await asyncio.to_thread(sender.post_to_help, "slack", TEAM, reply)  # the channel id is cached
    assert len(fake_slack.of("conversations.list")) == 1 and len(fake_slack.of("chat.postMessage")) == 2


async def test_post_to_help_without_a_help_channel_is_not_retryable(fake_slack: FakeSlack) -> None:
    sender = sender_for(fake_slack, help_channel="no-such-channel")
    with pytest.raises(DeliveryError) as caught:
        await asyncio.to_thread(sender.post_to_help, "slack", TEAM, public_post_reply(7, "Fractions?"))
    assert not caught.value.retryable and fake_slack.of("chat.postMessage") == []
