"""/healthz answers in modes without an HTTP platform, and is 200 only once the connection is up."""

from __future__ import annotations

import asyncio
import socket
import threading
import urllib.error
import urllib.request

import pytest

from bot.platforms import launcher

CONNECTED = threading.Event()
STOP = threading.Event()


async def fake_discord(app, senders=None) -> None:  # type: ignore[no-untyped-def]
    """Stands in for the Discord runner: its connection comes up when the test says so."""
    app.health.set("discord", CONNECTED.is_set)
    while not STOP.is_set():
        await asyncio.sleep(0.02)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _status(port: int) -> int | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return None


def _wait_for(port: int, wanted: int) -> None:
    for _ in range(200):
        if _status(port) == wanted:
            return
        STOP.wait(0.025)
    pytest.fail(f"/healthz never answered {wanted}")


def test_discord_mode_serves_healthz_ready_only_when_connected(app, monkeypatch: pytest.MonkeyPatch) -> None:
    port = _free_port()
    app.settings = app.settings.model_copy(update={"discord_token": "d", "http_port": port})
    app.ready = True
    monkeypatch.setitem(launcher.ASYNC_RUNNERS, "discord", f"{__name__}:fake_discord")
    CONNECTED.clear()
    STOP.clear()
    thread = threading.Thread(target=launcher.run_platforms, args=(app, ["discord"]), daemon=True)
    thread.start()
    try:
        _wait_for(port, 503)  # listening, but the gateway is not connected yet
        CONNECTED.set()
        _wait_for(port, 200)
        CONNECTED.clear()  # connection lost
        _wait_for(port, 503)
    finally:
        STOP.set()
        thread.join(10)
    assert not thread.is_alive()
    assert _status(port) is None, "the health server stops with the platforms"
