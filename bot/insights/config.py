"""Who may read the leader report in chat."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class InsightsConfig:
    slack_leader_group: str | None = None  # KINDRED_SLACK_LEADER_GROUP (usergroup id S…)
    discord_leader_role: str | None = None  # KINDRED_DISCORD_LEADER_ROLE (role id)

    @classmethod
    def from_settings(cls, settings: object) -> InsightsConfig:
        return cls(
            slack_leader_group=getattr(settings, "slack_leader_group", None) or None,
            discord_leader_role=getattr(settings, "discord_leader_role", None) or None,
        )
