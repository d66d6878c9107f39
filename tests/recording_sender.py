"""A ``Sender`` test double: keeps every DM and help-channel post in memory."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from bot.domain.replies import Reply


@dataclass(frozen=True)
class SentMessage:
    platform: str
    platform_user_id: str
    reply: Reply


@dataclass(frozen=True)
class HelpPost:
    platform: str
    workspace_id: str | None
    reply: Reply
    channel_id: str
    message_id: str


class RecordingSender:
    """Keeps every DM in memory (thread-safe); ``echo`` prints them, e.g. in the console."""

    def __init__(self, echo: Callable[[str], None] | None = None) -> None:
        self.sent: list[SentMessage] = []
        self.posts: list[HelpPost] = []
        self._echo = echo
        self._lock = threading.Lock()

    def send_dm(self, platform: str, platform_user_id: str, reply: Reply) -> None:
        with self._lock:
            self.sent.append(SentMessage(platform, platform_user_id, reply))
        if self._echo is not None:
            self._echo(f"[DM to @{platform_user_id}] {reply.to_text()}")

    def post_to_help(
        self, platform: str, workspace_id: str | None, reply: Reply, channel_id: str = "help"
    ) -> tuple[str, str]:
        """Record a help-channel post; returns fake ids ("help" or ``channel_id``, "post-<n>")."""
        with self._lock:
            message_id = f"post-{len(self.posts) + 1}"
            self.posts.append(HelpPost(platform, workspace_id, reply, channel_id, message_id))
        if self._echo is not None:
            self._echo(f"[#help] {reply.to_text()}")
        return channel_id, message_id

    def to(self, platform_user_id: str) -> list[Reply]:
        with self._lock:
            return [m.reply for m in self.sent if m.platform_user_id == platform_user_id]
