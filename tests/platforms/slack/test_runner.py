"""run(app): HTTP mode serves /healthz and /slack/events until cancelled."""

from __future__ import annotations

import asyncio
import socket

import aiohttp
import pytest

from bot.platforms.slack.app_factory import SlackConfigError, build_bolt_app
from bot.platforms.slack.runner import run


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_http_runner_serves_until_cancelled(app) -> None:  # type: ignore[no-untyped-def]
    port = _free_port()
    app.settings = app.settings.model_copy(
        update={"slack_bot_token": "xoxb-test", "slack_signing_secret": "s", "http_port": port}
    )
    task = asyncio.create_task(run(app))
    try:
        async with aiohttp.ClientSession() as session:
            for _ in range(100):
                try:
                    async with session.get(f"http://127.0.0.1:{port}/healthz") as response:
                        assert response.status == 200
                        break
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.05)
            else:
                pytest.fail("runner never listened")
            async with session.post(f"http://127.0.0.1:{port}/slack/events", data="x") as response:
                assert response.status == 401
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task


def test_missing_tokens_are_a_clear_error(app) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SlackConfigError, match="SLACK_BOT_TOKEN"):
        build_bolt_app(app)
    app.settings = app.settings.model_copy(update={"slack_bot_token": "xoxb-test"})
    with pytest.raises(SlackConfigError, match="SLACK_SIGNING_SECRET"):
        build_bolt_app(app)
