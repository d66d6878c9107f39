"""app_uninstalled / tokens_revoked: acknowledged and logged (single-workspace install: nothing stored)."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.platforms.slack.services import SlackServices

log = logging.getLogger(__name__)


def register(bolt: AsyncApp, services: SlackServices) -> None:
    @bolt.event("app_uninstalled")
    async def on_uninstalled(body: dict[str, Any]) -> None:
        log.warning("Kindred was uninstalled from a workspace", extra={"team_id": body.get("team_id")})

    @bolt.event("tokens_revoked")
    async def on_tokens_revoked(body: dict[str, Any], event: dict[str, Any]) -> None:
        log.warning(
            "Slack tokens revoked",
            extra={"team_id": body.get("team_id"), "tokens": sorted((event.get("tokens") or {}).keys())},
        )
