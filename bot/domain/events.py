"""Neutral incoming events: what a platform adapter turns its payloads into."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Actor:
    """Who did something, on which platform (and workspace/guild)."""

    platform: str
    user_id: str
    display_name: str | None = None
    workspace_id: str | None = None
    timezone: str | None = None
    email: str | None = None  # from the platform profile; links a teacher imported by email on first contact


@dataclass(frozen=True)
class Command:
    """A slash command (or console command) with its raw argument text and structured options."""

    actor: Actor
    name: str
    text: str = ""
    channel_id: str | None = None
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ChannelMessage:
    """A plain message someone posted in a channel the bot can read."""

    actor: Actor
    channel_id: str
    text: str
    message_id: str | None = None
    thread_id: str | None = None


@dataclass(frozen=True)
class ButtonPress:
    """A press on one of the bot's buttons. ``value`` carries what the handler needs (ids, never text)."""

    actor: Actor
    action: str
    value: str
    channel_id: str | None = None


@dataclass(frozen=True)
class ThreadReply:
    """A reply in the thread of a known question (Slack ``thread_ts``; Discord reply or thread)."""

    actor: Actor
    channel_id: str
    thread_id: str
    text: str
    message_id: str | None = None
