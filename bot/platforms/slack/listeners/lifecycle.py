"""app_uninstalled / tokens_revoked: with OAuth installs the workspace's (or org's) installation is deleted,
so its tokens are never used again; with a single bot token nothing is stored, so they are only logged."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext

from bot.platforms.slack.services import SlackServices

log = logging.getLogger(__name__)


def register(bolt: AsyncApp, services: SlackServices) -> None:
    store = bolt.installation_store

    def where(context: AsyncBoltContext) -> dict[str, str | None]:
        # An org-wide (Enterprise Grid) install is stored without a team id.
        team_id = None if context.is_enterprise_install else context.team_id
        return {"enterprise_id": context.enterprise_id, "team_id": team_id}

    @bolt.event("app_uninstalled")
    async def on_uninstalled(body: dict[str, Any], context: AsyncBoltContext) -> None:
        log.warning("Kindred was uninstalled from a workspace", extra={"team_id": body.get("team_id")})
        if store is not None:
            await store.async_delete_all(**where(context))

    @bolt.event("tokens_revoked")
    async def on_tokens_revoked(
        body: dict[str, Any], event: dict[str, Any], context: AsyncBoltContext
    ) -> None:
        tokens = event.get("tokens") or {}
        log.warning(
            "Slack tokens revoked", extra={"team_id": body.get("team_id"), "tokens": sorted(tokens.keys())}
        )
        if store is None:
            return
        for user_id in tokens.get("oauth") or []:
            await store.async_delete_installation(**where(context), user_id=user_id)
        if tokens.get("bot"):
            await store.async_delete_bot(**where(context))
