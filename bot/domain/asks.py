"""Ways to ask that need no detector, and the "Post in thread" button's value (ids only, never text)."""

from __future__ import annotations

from enum import StrEnum


class AskWay(StrEnum):
    MENTION = "mention"  # @Kindred in a channel or thread
    DIRECT_MESSAGE = "direct_message"  # a DM to Kindred is an /ask
    SHORTCUT = "shortcut"  # "Find help for this" on someone's message: answered privately to the clicker
    REACTION = "reaction"  # the ask emoji (KINDRED_ASK_REACTION) on a message: answered in its thread


POST_IN_THREAD = "post_in_thread"  # the button on a shortcut's private answer


def thread_button_value(
    request_id: int, channel_id: str, message_id: str, thread_id: str | None = None
) -> str:
    """``<request id>:<channel id>:<message id>[:<thread id>]``: where the private answer may be posted.
    The thread is given only when the message is itself a reply in a thread (Slack)."""
    parts = (str(request_id), channel_id, message_id, *((thread_id,) if thread_id else ()))
    return ":".join(parts)


def parse_thread_button_value(value: str) -> tuple[int, str, str, str | None] | None:
    """Inverse of ``thread_button_value``: (request id, channel, message, thread); None if malformed."""
    parts = value.split(":")
    if len(parts) not in (3, 4) or not all(parts):
        return None
    request_id = parts[0]
    if not (request_id.isascii() and request_id.isdigit()) or len(request_id) > 10:
        return None
    return int(request_id), parts[1], parts[2], parts[3] if len(parts) == 4 else None
