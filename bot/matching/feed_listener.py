"""Applies other processes' index changes in a running process: woken by PostgreSQL, or polling.

Every change-feed append on PostgreSQL also sends ``NOTIFY kindred_index_changes`` (delivered at commit);
this listener wakes on it, so a change made on another process is searchable here within a fraction of a
second. The periodic poll (``kindred run``'s every-2-s job) stays as the fallback: a lost connection or a
missed notification costs at most one interval. SQLite has no notifications: it only polls.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from sqlalchemy.engine import make_url

from bot.storage.database import Database
from bot.storage.repositories.embeddings import CHANGES_CHANNEL

log = logging.getLogger(__name__)


class FeedListener:
    """A daemon thread calling ``follow`` on each notification (PostgreSQL only; a no-op on SQLite)."""

    def __init__(self, db: Database, follow: Callable[[], object], interval: float) -> None:
        self.db = db
        self.follow = follow
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.listening = threading.Event()  # set while LISTEN is active (PostgreSQL)

    def start(self) -> None:
        if self._thread is None and not self.db.is_sqlite:
            self._thread = threading.Thread(target=self._run, name="kindred-feed-listener", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.interval + 5)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._listen()
            except Exception as exc:  # the database restarted, a network blip: the poll covers meanwhile
                self.listening.clear()
                log.warning("change feed LISTEN failed; retrying", extra={"error": type(exc).__name__})
                self._stop.wait(self.interval)

    def _listen(self) -> None:
        import psycopg

        url = make_url(self.db.engine.url).set(drivername="postgresql")
        with psycopg.connect(url.render_as_string(hide_password=False), autocommit=True) as connection:
            connection.execute(f"LISTEN {CHANGES_CHANNEL}")
            self.listening.set()
            self._step()  # whatever was committed before LISTEN took effect
            while not self._stop.is_set():
                woken = list(connection.notifies(timeout=self.interval, stop_after=1))
                if woken:
                    self._step()

    def _step(self) -> None:
        try:
            self.follow()
        except Exception:
            log.exception("following the change feed failed")
