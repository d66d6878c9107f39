"""Neutral incoming events: what a platform adapter turns its payloads into."""

from __future__ import annotations

from dataclasses import Field, dataclass, field, fields
from typing import Any, ClassVar


def _clean(value: Any) -> Any:
    """NUL characters never reach storage (PostgreSQL refuses them in text): strip them here, at the edge."""
    if isinstance(value, str):
        return value.replace("\x00", "") if "\x00" in value else value
    if isinstance(value, dict):
        return {key: _clean(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_clean(item) for item in value)
    return value


class _Clean:
    __dataclass_fields__: ClassVar[dict[str, Field[Any]]]  # every subclass is a dataclass

    def __post_init__(self) -> None:
        for spec in fields(self):
            value = getattr(self, spec.name)
            cleaned = _clean(value)
            if cleaned is not value:
                object.__setattr__(self, spec.name, cleaned)


@dataclass(frozen=True)
class Actor(_Clean):
    """Who did something, on which platform (and workspace/guild)."""

    platform: str
    user_id: str
    display_name: str | None = None
    workspace_id: str | None = None
    timezone: str | None = None
    email: str | None = None  # from the platform profile; links a teacher imported by email on first contact


@dataclass(frozen=True)
class Command(_Clean):
    """A slash command (or console command) with its raw argument text and structured options."""

    actor: Actor
    name: str
    text: str = ""
    channel_id: str | None = None
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ChannelMessage(_Clean):
    """A plain message someone posted in a channel the bot can read."""

    actor: Actor
    channel_id: str
    text: str
    message_id: str | None = None
    thread_id: str | None = None


@dataclass(frozen=True)
class ButtonPress(_Clean):
    """A press on one of the bot's buttons. ``value`` carries what the handler needs (ids, never text)."""

    actor: Actor
    action: str
    value: str
    channel_id: str | None = None


@dataclass(frozen=True)
class ThreadReply(_Clean):
    """A reply in the thread of a known question (Slack ``thread_ts``; Discord reply or thread)."""

    actor: Actor
    channel_id: str
    thread_id: str
    text: str
    message_id: str | None = None


@dataclass(frozen=True)
class DirectAsk(_Clean):
    """Someone asked Kindred directly, so no detector stands in the way: a mention, a DM, the "Find help
    for this" shortcut, or the ask reaction. ``way`` is one of ``bot.domain.asks.AskWay``."""

    actor: Actor  # who mentioned, wrote the DM, clicked or reacted
    way: str
    text: str  # the question: the message's text (a mention's text without the mention)
    channel_id: str | None = None
    message_id: str | None = None  # the message that is the question (its thread gets the answer)
    thread_id: str | None = None  # the thread that message is a reply in, if it is one
    author: Actor | None = None  # who wrote that message, when someone else pointed Kindred at it
    from_bot: bool = False  # that message was written by a bot (an app, an integration, Kindred itself)


@dataclass(frozen=True)
class Thanks(_Clean):
    """A thank-you reaction (🙏) on ``message_id``, a reply in the thread ``thread_id`` of ``channel_id``."""

    actor: Actor  # who reacted
    channel_id: str
    thread_id: str
    message_id: str
