"""How follow-ups reach people: a synchronous ``Sender`` port, and a recording one for console/tests."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from bot.domain.replies import Reply


class DeliveryError(Exception):
    """A DM could not be delivered. ``retryable`` False means trying again will not help."""

    def __init__(self, reason: str, retryable: bool = True) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable


class Sender(Protocol):
    def send_dm(self, platform: str, platform_user_id: str, reply: Reply) -> None:
        """Deliver ``reply`` privately; raise ``DeliveryError`` on failure."""
        ...


@dataclass(frozen=True)
class SentMessage:
    platform: str
    platform_user_id: str
    reply: Reply


class RecordingSender:
    """Keeps every DM in memory (thread-safe); ``echo`` prints them, e.g. in the console."""

    def __init__(self, echo: Callable[[str], None] | None = None) -> None:
        self.sent: list[SentMessage] = []
        self._echo = echo
        self._lock = threading.Lock()

    def send_dm(self, platform: str, platform_user_id: str, reply: Reply) -> None:
        with self._lock:
            self.sent.append(SentMessage(platform, platform_user_id, reply))
        if self._echo is not None:
            self._echo(f"[DM to @{platform_user_id}] {reply.to_text()}")

    def to(self, platform_user_id: str) -> list[Reply]:
        with self._lock:
            return [m.reply for m in self.sent if m.platform_user_id == platform_user_id]
