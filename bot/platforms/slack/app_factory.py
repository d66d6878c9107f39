"""Builds the bolt ``AsyncApp`` for one Kindred process: one workspace (bot token + signing secret) or,
with SLACK_CLIENT_ID + SLACK_CLIENT_SECRET, every workspace that installs it (bolt's OAuth flow)."""

from __future__ import annotations

import logging

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.bootstrap import App
from bot.platforms.slack.listeners import register_listeners
from bot.platforms.slack.oauth import build_oauth_flow, oauth_enabled
from bot.platforms.slack.retries import retry_handlers

log = logging.getLogger(__name__)


class SlackConfigError(RuntimeError):
    pass


# Each Web API request gives up well before the dispatcher's own send timeout (30 s), so a send that
# timed out on our side is not still in flight when the follow-up is retried; and well above a slow Web API's
# answer (12 s happens under load: a follow-up that lands must not count as failed and wait a backoff).
CLIENT_TIMEOUT = 20


def build_client(token: str | None, base_url: str | None = None) -> AsyncWebClient:
    """A Web API client that retries 429s (after Retry-After) and dropped connections of read-only calls."""
    return AsyncWebClient(
        token=token,
        base_url=base_url or AsyncWebClient.BASE_URL,
        timeout=CLIENT_TIMEOUT,
        retry_handlers=retry_handlers(),
    )


def build_bolt_app(
    kindred_app: App, *, base_url: str | None = None, client: AsyncWebClient | None = None
) -> AsyncApp:
    settings = kindred_app.settings
    oauth = oauth_enabled(settings)  # many workspaces: tokens come from the installation store
    if not settings.slack_bot_token and not oauth:
        raise SlackConfigError("SLACK_BOT_TOKEN is not set (see docs/connect-slack.md)")
    socket_mode = bool(settings.slack_app_token)
    if not settings.slack_signing_secret and not socket_mode:
        raise SlackConfigError(
            "SLACK_SIGNING_SECRET is needed to receive HTTP events (or set SLACK_APP_TOKEN)"
        )
    base_url = base_url or settings.slack_api_url  # KINDRED_SLACK_API_URL: a proxy, or a local fake
    client = client or build_client(None if oauth else settings.slack_bot_token, base_url)
    bolt_app = AsyncApp(
        signing_secret=settings.slack_signing_secret or "",
        client=client,
        oauth_flow=build_oauth_flow(settings, kindred_app.db.engine, client) if oauth else None,
        request_verification_enabled=not socket_mode or bool(settings.slack_signing_secret),
        raise_error_for_unhandled_request=False,
        logger=logging.getLogger("slack_bolt"),
    )
    register_listeners(bolt_app, kindred_app)
    return bolt_app
