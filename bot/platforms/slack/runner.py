"""Runs Kindred on Slack until cancelled: Socket Mode when SLACK_APP_TOKEN is set, else an HTTP server.

HTTP: POST /slack/events (events, slash commands and interactivity on one request URL), GET /healthz
(200 once the core is ready, 503 before) and, with OAuth installs, GET /slack/install and
/slack/oauth_redirect (in Socket Mode too: the HTTP server then runs next to the socket).
"""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_bolt.oauth.async_oauth_flow import AsyncOAuthFlow
from slack_bolt.request.async_request import AsyncBoltRequest

from bot.bootstrap import App
from bot.platforms.health import HEALTH_PATH, healthz_handler
from bot.platforms.slack import outbox
from bot.platforms.slack.app_factory import build_bolt_app
from bot.platforms.slack.gate import SlackRequestGate
from bot.platforms.slack.oauth import AsyncInstallations, WorkspaceClients
from bot.platforms.slack.sender import PLATFORM, SlackSender
from bot.scheduling.runtime import PlatformSenders

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"
WORKER_HEADER = "X-Kindred-Worker"


def build_web_app(bolt_app: AsyncApp, kindred_app: App) -> web.Application:
    gate = SlackRequestGate(kindred_app.settings.slack_signing_secret or "")

    async def events(request: web.Request) -> web.Response:
        body = await request.read()
        refused = gate.check(body, request.headers)
        if refused is not None:  # before any parsing: junk costs one short line, never a traceback
            log.warning("slack request refused: %s", refused, extra={"remote": request.remote})
            return web.Response(status=401, text="invalid request")
        try:
            bolt_request = AsyncBoltRequest(
                body=body.decode("utf-8"),
                query=request.query_string,
                headers=request.headers,  # type: ignore[arg-type]
            )
        except (UnicodeDecodeError, ValueError, RecursionError):  # signed yet unreadable: still no traceback
            log.warning("slack request unreadable", extra={"remote": request.remote})
            return web.Response(status=400, text="invalid request")
        response = await bolt_app.async_dispatch(bolt_request)
        if response.status == 404:  # an event type Kindred does not handle: acknowledge, or Slack retries
            return web.Response(status=200)
        return await to_aiohttp_response(response)

    web_app = web.Application()
    if kindred_app.settings.workers > 1:  # which worker process answered (operators, tests)
        worker = str(kindred_app.settings.worker)

        async def name_worker(_: web.Request, response: web.StreamResponse) -> None:
            response.headers[WORKER_HEADER] = worker

        web_app.on_response_prepare.append(name_worker)
    web_app.router.add_post(EVENTS_PATH, events)
    web_app.router.add_get(HEALTH_PATH, healthz_handler(lambda: kindred_app.ready, kindred_app.health))
    if bolt_app.oauth_flow is not None:
        add_oauth_routes(web_app, bolt_app.oauth_flow)
    return web_app


def add_oauth_routes(web_app: web.Application, flow: AsyncOAuthFlow) -> None:
    """The install page (sets the state cookie, links to Slack) and the redirect Slack sends installers to."""

    async def install(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await flow.handle_installation(await to_bolt_request(request)))

    async def redirect(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await flow.handle_callback(await to_bolt_request(request)))

    web_app.router.add_get(flow.install_path, install)
    web_app.router.add_get(flow.redirect_uri_path, redirect)


async def run(app: App, senders: PlatformSenders | None = None) -> None:
    bolt_app = build_bolt_app(app, base_url=app.settings.slack_api_url)  # a proxy, or the tests' fake
    if senders is not None:  # follow-up DMs go through this app's Web API client, on this loop
        sender = SlackSender(
            bolt_app.client,
            asyncio.get_running_loop(),
            help_channel=app.settings.slack_help_channel,
            workspaces=workspace_clients(bolt_app, app),
        )
        senders.register(PLATFORM, sender)
    retries = asyncio.create_task(outbox.run_forever(bolt_app.client, outbox.Outbox(app.db)))
    try:
        if app.settings.slack_app_token:
            await _run_socket_mode(bolt_app, app)
        else:
            await _run_http(bolt_app, app)
    finally:
        retries.cancel()


def workspace_clients(bolt_app: AsyncApp, app: App) -> WorkspaceClients | None:
    """OAuth installs: per-workspace clients for follow-ups; None with a single bot token."""
    store = bolt_app.installation_store
    if not isinstance(store, AsyncInstallations):
        return None
    return WorkspaceClients(
        store, bolt_app.client, app.db, lambda user: app.kindred.workspace_of("slack", user)
    )


async def _run_socket_mode(bolt_app: AsyncApp, app: App) -> None:
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

    handler = AsyncSocketModeHandler(bolt_app, app.settings.slack_app_token)
    await handler.connect_async()
    if app.health is not None:
        app.health.set(PLATFORM, True)
    log.info("slack connected (socket mode)")
    try:
        if bolt_app.oauth_flow is not None:  # installs still come through the HTTP install/redirect routes
            await _run_http(bolt_app, app)
        else:
            await asyncio.Event().wait()
    finally:
        await handler.close_async()


async def _run_http(bolt_app: AsyncApp, app: App) -> None:
    runner = web.AppRunner(build_web_app(bolt_app, app))
    await runner.setup()
    # Worker processes (KINDRED_WORKERS) bind the same port; the kernel spreads connections among them.
    site = web.TCPSite(
        runner, host="0.0.0.0", port=app.settings.http_port, reuse_port=app.settings.workers > 1 or None
    )
    await site.start()
    if app.health is not None:
        app.health.set(PLATFORM, True)
    log.info(
        "slack listening (http)",
        extra={"port": app.settings.http_port, "path": EVENTS_PATH, "worker": app.settings.worker},
    )
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()
