"""Channel messages: one threaded reply to help requests, nothing for chatter; deduplication by message."""

from __future__ import annotations

import json

from tests.platforms.slack.conftest import ASKER, MARIA, SlackHarness

CHANNEL = "CGRADE4001"
HELP = "Does anyone have ideas for teaching equivalent fractions hands-on to my 4th graders?"
CHATTER = "Thanks everyone for a great staff meeting today!"


def message(text: str, ts: str = "1700000100.000100", **extra: object) -> dict:
    return {
        "type": "message",
        "channel": CHANNEL,
        "channel_type": "channel",
        "user": ASKER,
        "text": text,
        "ts": ts,
        "event_ts": ts,
        **extra,
    }


async def test_help_request_gets_one_threaded_reply(slack: SlackHarness) -> None:
    response = await slack.event(message(HELP), "EvHelp1")
    assert response.status == 200
    (post,) = await slack.fake.wait_for("chat.postMessage")
    assert post.params["channel"] == CHANNEL
    assert post.params["thread_ts"] == "1700000100.000100"
    blocks = json.dumps(post.params["blocks"])
    assert "fraction" in blocks.lower()
    assert f"<@{MARIA}>" in blocks
    await slack.settle()
    assert len(slack.fake.of("chat.postMessage")) == 1


async def test_chatter_bots_and_edits_get_nothing(slack: SlackHarness) -> None:
    await slack.event(message(CHATTER, ts="1.1"), "EvChat")
    await slack.event(message(HELP, ts="1.2", bot_id="B9", subtype="bot_message"), "EvBot")
    await slack.event(
        message(HELP, ts="1.3", subtype="message_changed", message={"text": HELP, "user": ASKER}), "EvEdit"
    )
    await slack.event(message("lol same", ts="1.5", thread_ts="1.4"), "EvThreadChatter")
    await slack.settle()
    assert not slack.fake.of("chat.postMessage")
    assert not slack.fake.of("chat.postEphemeral")


async def test_help_request_in_a_thread_replies_in_that_thread(slack: SlackHarness) -> None:
    await slack.event(message(HELP, ts="1700000200.000200", thread_ts="1700000100.000100"), "EvThread")
    (post,) = await slack.fake.wait_for("chat.postMessage")
    assert post.params["thread_ts"] == "1700000100.000100"


async def test_retried_event_is_handled_once(slack: SlackHarness) -> None:
    await slack.event(message(HELP), "EvDup")
    await slack.fake.wait_for("chat.postMessage")
    retry = await slack.event(
        message(HELP), "EvDup", **{"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    )
    assert retry.status == 200
    await slack.settle()
    assert len(slack.fake.of("chat.postMessage")) == 1


async def test_the_same_message_under_a_new_event_id_is_answered_once(slack: SlackHarness) -> None:
    await slack.event(message(HELP), "EvFirst")
    await slack.fake.wait_for("chat.postMessage")
    again = await slack.event(message(HELP), "EvSecond")  # same channel and ts, another event_id
    assert again.status == 200
    await slack.settle()
    assert len(slack.fake.of("chat.postMessage")) == 1


async def test_retry_is_processed_when_the_first_try_failed(slack: SlackHarness) -> None:
    # An error retrying cannot fix (a 500 or 429 would be queued in the outbox instead; test_delivery_faults).
    slack.fake.fail_once["chat.postMessage"] = "not_in_channel"
    await slack.event(message(HELP), "EvFail")
    await slack.fake.wait_for("chat.postMessage")
    await slack.settle()
    from bot.platforms.slack.listeners.messages import message_key
    from bot.platforms.slack.store import EventLedger

    key = message_key(message(HELP))
    assert key is not None and EventLedger(slack.app.db).status(key) == "failed"
    await slack.event(
        message(HELP), "EvFail", **{"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_error"}
    )
    await slack.fake.wait_for("chat.postMessage", count=2)
    await slack.settle()
    assert EventLedger(slack.app.db).status(key) == "done"
    assert len(slack.fake.of("chat.postMessage")) == 2


async def test_quiet_channel_gets_no_replies_until_unquieted(slack: SlackHarness) -> None:
    response = await slack.command("kindred", "quiet here", channel=CHANNEL)
    assert response.status == 200
    (confirm,) = await slack.fake.wait_for("response_url")
    assert "quiet" in confirm.params["text"].lower()
    await slack.event(message(HELP, ts="2.1"), "EvQuiet")
    await slack.settle()
    assert not slack.fake.of("chat.postMessage")

    await slack.command("kindred", "quiet off", channel=CHANNEL)
    await slack.fake.wait_for("response_url", count=2)
    await slack.event(message(HELP, ts="2.2"), "EvLoud")
    await slack.fake.wait_for("chat.postMessage")


async def test_kindred_help_lists_commands_and_quiet(slack: SlackHarness) -> None:
    await slack.command("kindred", "help")
    (reply,) = await slack.fake.wait_for("response_url")
    assert "/ask" in reply.params["text"] and "quiet here" in reply.params["text"]
