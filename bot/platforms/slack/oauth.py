"""Slack app distribution: bolt's OAuth flow (``/slack/install``, ``/slack/oauth_redirect``) with slack_sdk's
SQLAlchemy installation and state stores on Kindred's database engine (tables from migration 0010_oauth).

On when SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are both set; each request then runs with the bot token of the
workspace (or Enterprise Grid org) it came from. slack_sdk's stores are synchronous and Kindred's engine is
too, so the async adapters below run each store call in a worker thread.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from logging import Logger
from typing import Any

from slack_bolt.oauth.async_oauth_flow import AsyncOAuthFlow
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import Engine, select

from bot.settings import Settings
from bot.storage.database import Database
from bot.storage.models.slack import SLACK_BOTS

log = logging.getLogger(__name__)

# The bot scopes of config/slack-manifest.yml (a test keeps the two equal).
SCOPES = (
    "commands",
    "chat:write",
    "chat:write.public",
    "channels:history",
    "groups:history",
    "channels:read",
    "channels:join",
    "groups:read",
    "users:read",
    "users:read.email",
    "im:write",
    "im:history",
    "usergroups:read",
    "app_mentions:read",  # @Kindred (app_mention)
    "reactions:read",  # the ask reaction (reaction_added)
)
STATE_EXPIRATION_SECONDS = 600


def oauth_enabled(settings: Settings) -> bool:
    return bool(settings.slack_client_id and settings.slack_client_secret)


class AsyncInstallations(AsyncInstallationStore):
    """slack_sdk's ``SQLAlchemyInstallationStore``, each call off the event loop."""

    def __init__(self, store: SQLAlchemyInstallationStore) -> None:
        self.store = store

    @property
    def logger(self) -> Logger:
        return self.store.logger

    async def async_save(self, installation: Installation) -> None:
        await asyncio.to_thread(self.store.save, installation)
        log.info(
            "slack app installed",
            extra={"team_id": installation.team_id, "enterprise_id": installation.enterprise_id},
        )

    async def async_save_bot(self, bot: Bot) -> None:
        await asyncio.to_thread(self.store.save_bot, bot)

    async def async_find_bot(self, **kwargs: Any) -> Bot | None:
        return await asyncio.to_thread(lambda: self.store.find_bot(**kwargs))

    async def async_find_installation(self, **kwargs: Any) -> Installation | None:
        return await asyncio.to_thread(lambda: self.store.find_installation(**kwargs))

    async def async_delete_bot(self, **kwargs: Any) -> None:
        await asyncio.to_thread(lambda: self.store.delete_bot(**kwargs))

    async def async_delete_installation(self, **kwargs: Any) -> None:
        await asyncio.to_thread(lambda: self.store.delete_installation(**kwargs))


class AsyncStates(AsyncOAuthStateStore):
    """slack_sdk's ``SQLAlchemyOAuthStateStore`` (one-time ``state`` values), each call off the event loop."""

    def __init__(self, store: SQLAlchemyOAuthStateStore) -> None:
        self.store = store

    @property
    def logger(self) -> Logger:
        return self.store.logger

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        return await asyncio.to_thread(self.store.issue)

    async def async_consume(self, state: str) -> bool:
        return await asyncio.to_thread(self.store.consume, state)


def build_oauth_flow(settings: Settings, engine: Engine, client: AsyncWebClient) -> AsyncOAuthFlow:
    """Bolt's OAuth flow; ``client`` makes the ``oauth.v2.access`` call (a fake Web API in tests)."""
    client_id = settings.slack_client_id or ""
    installations = SQLAlchemyInstallationStore(client_id=client_id, engine=engine)
    states = SQLAlchemyOAuthStateStore(expiration_seconds=STATE_EXPIRATION_SECONDS, engine=engine)
    oauth_settings = AsyncOAuthSettings(
        client_id=client_id,
        client_secret=settings.slack_client_secret,
        scopes=list(SCOPES),
        user_scopes=[],
        redirect_uri=settings.slack_redirect_uri,
        installation_store=AsyncInstallations(installations),
        installation_store_bot_only=True,
        state_store=AsyncStates(states),
        state_expiration_seconds=STATE_EXPIRATION_SECONDS,
    )
    return AsyncOAuthFlow(client=client, settings=oauth_settings, logger=logging.getLogger("slack_bolt"))


class WorkspaceClients:
    """Web API clients carrying the bot token of one workspace, for work that starts outside a Slack request
    (follow-up DMs, help-channel posts)."""

    def __init__(
        self,
        store: AsyncInstallations,
        base: AsyncWebClient,
        db: Database,
        team_of: Callable[[str], str | None] = lambda user_id: None,
    ) -> None:
        self.store = store
        self.base = base
        self.db = db  # the installation tables only (Slack-owned)
        self.team_of = team_of  # the workspace a teacher was last seen in (``Kindred.workspace_of``)

    async def for_team(self, team_id: str | None) -> AsyncWebClient | None:
        """The client for ``team_id``: its own install, else the one org-wide install (Enterprise Grid)."""
        bot = await self.store.async_find_bot(enterprise_id=None, team_id=team_id)
        if bot is None:
            enterprise_id = await asyncio.to_thread(self._single_org_install)
            if enterprise_id is not None:
                bot = await self.store.async_find_bot(
                    enterprise_id=enterprise_id, team_id=None, is_enterprise_install=True
                )
        if bot is None or not bot.bot_token:
            return None
        return AsyncWebClient(
            token=bot.bot_token,
            base_url=self.base.base_url,
            timeout=self.base.timeout,
            retry_handlers=list(self.base.retry_handlers or []),
        )

    async def for_user(self, user_id: str) -> AsyncWebClient | None:
        """The client for the workspace the teacher ``user_id`` was last seen in."""
        return await self.for_team(await asyncio.to_thread(self.team_of, user_id))

    def _single_org_install(self) -> str | None:
        c = SLACK_BOTS.c
        query = (
            select(c.enterprise_id)
            .where(c.client_id == self.store.store.client_id, c.is_enterprise_install.is_(True))
            .distinct()
        )
        with self.db.engine.connect() as connection:
            found = [row[0] for row in connection.execute(query)]
        return found[0] if len(found) == 1 else None
