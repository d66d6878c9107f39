"""``KINDRED_WORKERS=N kindred run --platform slack`` (HTTP mode): N worker processes on one port.

The core is CPU-bound Python, so one process uses about one core however many threads it runs. Like
gunicorn's pre-fork workers, each worker is a whole ``kindred run`` of its own (one model load, its own
indexes following the database's change feed, its own follow-up dispatcher, whose claims are safe across
processes) and binds the port with SO_REUSEPORT; the kernel spreads connections among them. This parent
migrates the database once, starts worker 0 and waits until it is ready (it seeds the sample catalog and
trains the intent model, which the others then find done), starts the others, and stops them all when
it is stopped or when any of them exits (the service manager restarts the whole set).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from types import FrameType

from bot.settings import Settings
from bot.storage.database import Database
from bot.storage.migrate import upgrade

READY_TIMEOUT_S = 600.0  # worker 0 may embed a large catalog on its first start


def supervise(settings: Settings) -> int:
    """Run the workers until stopped; returns the exit code."""
    db = Database.from_url(settings.database_url or "")
    try:
        upgrade(db.engine)  # once here: the workers' own upgrade is then a no-op, never a race
    finally:
        db.dispose()
    stopping = False

    def stop(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    children: list[subprocess.Popen[bytes]] = []
    try:
        children.append(_spawn(0))
        if not _wait_ready(settings.http_port, children[0], lambda: stopping):
            return 0 if stopping else (children[0].poll() or 1)
        children += [_spawn(n) for n in range(1, settings.workers)]
        while not stopping:
            for child in children:
                if child.poll() is not None and not stopping:
                    return child.returncode or 1  # one died: stop the set, the service manager restarts
            time.sleep(0.2)
        return 0
    finally:
        _stop(children)


def _spawn(worker: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "KINDRED_WORKER": str(worker)}
    return subprocess.Popen([sys.executable, "-m", "bot", "run", "--platform", "slack"], env=env)


def _wait_ready(port: int, child: subprocess.Popen[bytes], stopping: Callable[[], bool]) -> bool:
    """Until worker 0 (alone on the port so far) answers /healthz with 200."""
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline and child.poll() is None and not stopping():
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    return False


def _stop(children: list[subprocess.Popen[bytes]]) -> None:
    for child in children:
        if child.poll() is None:
            child.terminate()
    for child in children:
        try:
            child.wait(15)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
