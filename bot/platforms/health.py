"""``/healthz`` for every mode: 200 only once the core is ready and every platform connection is up."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

log = logging.getLogger(__name__)
HEALTH_PATH = "/healthz"


class PlatformHealth:
    """Each running platform reports whether its connection is up (a flag or a live check)."""

    def __init__(self, platforms: list[str]) -> None:
        self._checks: dict[str, Callable[[], bool]] = {name: lambda: False for name in platforms}

    def set(self, platform: str, up: bool | Callable[[], bool]) -> None:
        self._checks[platform] = up if callable(up) else (lambda: up)

    def status(self) -> dict[str, bool]:
        return {name: bool(check()) for name, check in self._checks.items()}

    @property
    def up(self) -> bool:
        return all(self.status().values())


def healthz_handler(
    is_ready: Callable[[], bool], health: PlatformHealth | None
) -> Callable[[web.Request], Awaitable[web.Response]]:
    """The route: 503 ("starting") until the core is ready and every platform is connected."""

    async def healthz(_: web.Request) -> web.Response:
        platforms = health.status() if health is not None else {}
        if is_ready() and all(platforms.values()):
            return web.json_response({"status": "ok", "platforms": platforms})
        return web.json_response({"status": "starting", "platforms": platforms}, status=503)

    return healthz


async def serve_health(
    is_ready: Callable[[], bool], health: PlatformHealth, port: int, host: str = "0.0.0.0"
) -> web.AppRunner:
    """A small server for modes without an HTTP platform (Socket Mode, Discord); caller cleans it up."""
    web_app = web.Application()
    web_app.router.add_get(HEALTH_PATH, healthz_handler(is_ready, health))
    runner = web.AppRunner(web_app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host=host, port=port).start()
    log.info("health server listening", extra={"port": port, "path": HEALTH_PATH})
    return runner
