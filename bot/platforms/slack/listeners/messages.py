"""Channel messages: one threaded reply to a help request; nothing for chatter, bots, edits or quiet channels.

Each message is claimed in the database before handling, by (channel, message ts) — so the same message
delivered again under a new ``event_id`` is still answered once — and marked done only after the reply is
posted, so Slack retries are dropped unless the first try failed.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.events import ChannelMessage, ThreadReply
from bot.platforms.slack.services import PLATFORM, SlackServices, Target

log = logging.getLogger(__name__)

CHANNEL_TYPES = ("channel", "group")
USER_SUBTYPES = (None, "file_share")  # everything else: bot messages, edits, deletions, joins…


def is_candidate(event: dict[str, Any]) -> bool:
    return (
        event.get("subtype") in USER_SUBTYPES
        and not event.get("bot_id")
        and bool(event.get("user"))
        and bool((event.get("text") or "").strip())
        and event.get("channel_type", "channel") in CHANNEL_TYPES
    )


def message_key(event: dict[str, Any]) -> str | None:
    """One ledger key per channel message, whatever ``event_id`` it arrives under."""
    ts = event.get("ts")
    return f"msg:{event['channel']}:{ts}" if ts else None


def register(bolt: AsyncApp, services: SlackServices) -> None:
    @bolt.event("message")
    async def on_message(body: dict[str, Any], event: dict[str, Any], client: AsyncWebClient) -> None:
        if not is_candidate(event):
            return
        team_id = body.get("team_id") or event.get("team")
        channel = event["channel"]
        # the core checks too; asking first spares a quiet channel's messages the ledger and users.info
        if await services.run(services.kindred.is_quiet, PLATFORM, team_id, channel):
            return
        event_id = message_key(event) or body.get("event_id")
        if event_id and not await services.run(services.ledger.claim, event_id):
            log.info("duplicate event skipped", extra={"event_id": event_id})
            return
        try:
            await handle(services, client, event, team_id)
        except Exception:
            if event_id:
                await services.run(services.ledger.failed, event_id)
            log.exception("channel message handling failed", extra={"event_id": event_id})
            return
        if event_id:
            await services.run(services.ledger.done, event_id)


async def handle(
    services: SlackServices, client: AsyncWebClient, event: dict[str, Any], team_id: str | None
) -> None:
    actor = await services.actor(client, event["user"], team_id)
    ts = event.get("ts")
    thread_ts = event.get("thread_ts")
    if thread_ts and thread_ts != ts:  # a reply in a thread: maybe a colleague answering a known question
        reply = ThreadReply(actor, event["channel"], thread_ts, event["text"], ts)
        answered = await services.run(services.kindred.handle_thread_reply, reply)
        if answered is not None:
            target = Target(actor.user_id, team_id, event["channel"], thread_ts=thread_ts)
            await services.deliver(client, answered, target)
            return
    message = ChannelMessage(actor, event["channel"], event["text"], message_id=ts, thread_id=thread_ts)
    outcome = await services.run(services.kindred.handle_message, message)
    if outcome is None:
        return
    target = Target(actor.user_id, team_id, event["channel"], thread_ts=thread_ts or ts)
    await services.deliver(client, outcome, target)
