"""chat.postMessage at most once per call: a post whose connection dropped is looked up before anyone retries.

Each post carries a fresh key in its message metadata. When the connection drops (or times out) after the
request left, Slack may have taken the post; conversations.history of that channel tells whether it did.
Found: the post counts as sent. Not found (or the check failed): the original error is raised, so the
caller may retry. A follow-up keeps one key across its attempts, and a retry checks for it first.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.scheduling.sender import DeliveryKey

log = logging.getLogger(__name__)

EVENT_TYPE = "kindred_post"
HISTORY_LIMIT = 50
CONNECTION_ERRORS = (aiohttp.ClientError, SlackClientError, TimeoutError, OSError)


async def post_message(
    client: AsyncWebClient, channel: str, delivery: DeliveryKey | None = None, **payload: Any
) -> dict[str, Any]:
    """Post once; returns ``{"channel", "ts"}``. Never re-posts something Slack already took.

    ``delivery`` names a follow-up across attempts: on a retry the channel is checked first, so an earlier
    attempt that landed after we gave up on it is not posted again."""
    key = delivery.key if delivery is not None else uuid.uuid4().hex
    if delivery is not None and delivery.retry:
        ts = await landed(client, channel, key, payload.get("thread_ts"))
        if ts is not None:
            log.info("an earlier attempt landed; not posting again")
            return {"channel": channel, "ts": ts}
    metadata = {"event_type": EVENT_TYPE, "event_payload": {"key": key}}
    try:
        posted = await client.chat_postMessage(channel=channel, metadata=metadata, **payload)
    except SlackApiError:
        raise
    except CONNECTION_ERRORS:
        ts = await landed(client, channel, key, payload.get("thread_ts"))
        if ts is None:
            raise
        log.info("post landed before the connection dropped; not posting again")
        return {"channel": channel, "ts": ts}
    return {"channel": posted.get("channel") or channel, "ts": posted.get("ts")}


async def landed(client: AsyncWebClient, channel: str, key: str, thread_ts: str | None = None) -> str | None:
    """The ts of the post carrying ``key`` in ``channel`` (or its thread), None if absent or unknown."""
    try:
        if thread_ts:
            found = await client.conversations_replies(
                channel=channel, ts=thread_ts, limit=HISTORY_LIMIT, include_all_metadata=True
            )
        else:
            found = await client.conversations_history(
                channel=channel, limit=HISTORY_LIMIT, include_all_metadata=True
            )
    except (SlackApiError, *CONNECTION_ERRORS) as exc:
        log.warning("could not check whether a post landed", extra={"error": type(exc).__name__})
        return None
    for message in found.get("messages") or []:
        metadata = message.get("metadata") or {}
        payload = metadata.get("event_payload") or {}
        if metadata.get("event_type") == EVENT_TYPE and payload.get("key") == key:
            return str(message.get("ts") or "") or None
    return None
