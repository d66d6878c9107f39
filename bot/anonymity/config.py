"""What the anonymity feature needs from the deployment (built from settings in ``bootstrap``)."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.anonymity.keyfile import resolve_identity_key

MIN_POST_DELAY = 2.0
MAX_POST_DELAY = 9.0


def random_post_delay() -> float:
    """Seconds between the private answer and the public post, so the two never line up exactly."""
    return random.uniform(MIN_POST_DELAY, MAX_POST_DELAY)


@dataclass
class AnonymityConfig:
    identity_key: str | None = None  # KINDRED_IDENTITY_KEY or the data dir's key file; None = asking is off
    allow_escrow_reveal: bool = False  # KINDRED_ALLOW_ESCROW_REVEAL
    slack_moderator_group: str | None = None  # KINDRED_SLACK_MODERATOR_GROUP (usergroup id)
    discord_moderator_role: str | None = None  # KINDRED_DISCORD_MODERATOR_ROLE (role id)
    post_delay: Callable[[], float] = field(default=random_post_delay)  # injectable for tests

    @classmethod
    def from_settings(cls, settings: object) -> AnonymityConfig:
        """The key from ``KINDRED_IDENTITY_KEY``, else from (or newly created in) the data dir."""
        env_key = getattr(settings, "identity_key", None) or None
        return cls(
            identity_key=resolve_identity_key(env_key, getattr(settings, "data_dir", None)),
            allow_escrow_reveal=bool(getattr(settings, "allow_escrow_reveal", False)),
            slack_moderator_group=getattr(settings, "slack_moderator_group", None) or None,
            discord_moderator_role=getattr(settings, "discord_moderator_role", None) or None,
        )
