"""How follow-ups reach people: a synchronous ``Sender`` port and the errors and keys around it."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Protocol

from bot.domain.replies import Reply


class DeliveryError(Exception):
    """A DM could not be delivered. ``retryable`` False means trying again will not help."""

    def __init__(self, reason: str, retryable: bool = True) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable


@dataclass(frozen=True)
class DeliveryKey:
    """Names one follow-up across its attempts, so a sender can check a retry did not land before."""

    key: str
    retry: bool


# Set by the dispatcher around each send; senders that can look a message up (Slack) read it.
DELIVERY_KEY: ContextVar[DeliveryKey | None] = ContextVar("kindred_delivery_key", default=None)


class Sender(Protocol):
    """Delivers follow-ups.

    Optionally a sender also has ``post_to_help(platform, workspace_id, reply) -> (channel_id, message_id)``:
    post ``reply`` publicly in the workspace's help channel (raising ``DeliveryError`` on failure); platform
    senders also take ``channel_id=`` (a configured help channel). It is
    not part of the protocol, so callers look it up with ``getattr`` and skip the post when it is missing.
    """

    def send_dm(self, platform: str, platform_user_id: str, reply: Reply) -> None:
        """Deliver ``reply`` privately; raise ``DeliveryError`` on failure."""
        ...


PostToHelp = Callable[[str, str | None, Reply], tuple[str, str]]
