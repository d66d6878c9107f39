"""Starts the chosen platforms on one event loop, sharing one core (model, indexes, database)."""

from __future__ import annotations

import asyncio
import importlib
import logging
import sys
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from bot.bootstrap import App

if TYPE_CHECKING:
    from bot.scheduling.runtime import PlatformSenders

log = logging.getLogger(__name__)

# platform name -> "module:function" of an ``async def run(app, senders=None) -> None``; a runner registers
# its follow-up sender with ``senders`` once its client and event loop exist.
ASYNC_RUNNERS: dict[str, str] = {
    "slack": "bot.platforms.slack.runner:run",
    "discord": "bot.platforms.discord.runner:run",
}


class PlatformUnavailable(RuntimeError):
    pass


Runner = Callable[[App, "PlatformSenders | None"], Awaitable[None]]


def _runner(name: str) -> Runner:
    module_name, _, func = ASYNC_RUNNERS[name].partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        raise PlatformUnavailable(
            f"the {name} platform is not available in this build ({exc.name})"
        ) from None
    return getattr(module, func)


def run_platforms(app: App, platforms: list[str]) -> None:
    if platforms == ["console"]:
        from bot.platforms.console import ConsoleSession

        ConsoleSession(app.kindred).run(sys.stdin)
        return
    if "console" in platforms:
        raise PlatformUnavailable("the console platform runs alone; drop it or the chat platforms")
    runners = [_runner(name) for name in platforms]
    from bot.platforms.health import PlatformHealth, serve_health
    from bot.scheduling.runtime import FollowUpRuntime

    health = app.health = PlatformHealth(platforms)
    slack_serves_http = "slack" in platforms and not app.settings.slack_app_token  # its server has /healthz

    async def main() -> None:
        followups = FollowUpRuntime(app, platforms)  # starts once every runner registered its sender
        health_server = None
        try:
            if not slack_serves_http:
                health_server = await serve_health(lambda: app.ready, health, app.settings.http_port)
            await asyncio.gather(*(runner(app, followups.senders) for runner in runners))
        finally:
            if health_server is not None:
                await health_server.cleanup()
            await asyncio.to_thread(followups.shutdown)  # off the loop: a DM in flight still needs it

    asyncio.run(main())
