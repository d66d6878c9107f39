"""A platform's member directory: find a teacher's account by email, list a workspace's members.

The Slack implementation lives in ``bot.platforms.slack.directory``; Discord has neither for bots.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

log = logging.getLogger(__name__)

DISCORD_HAS_NO_LOOKUP = (
    "Discord has no lookup by email or member list for bots here: import Discord teachers with a "
    "discord_id column (Developer Mode → right-click the member → Copy User ID)."
)


class DirectoryError(RuntimeError):
    """The directory cannot be used (bad token, missing scope); the message says which."""


@dataclass(frozen=True)
class Member:
    user_id: str
    name: str | None = None
    timezone: str | None = None
    email: str | None = None
    team_id: str | None = None


class Directory(Protocol):
    platform: str

    def lookup_email(self, email: str) -> Member | None: ...

    def members(self) -> Iterator[Member]: ...
