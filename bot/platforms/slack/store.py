"""Slack state in the shared database: event deduplication (with a TTL).

Sync and short: call through ``asyncio.to_thread`` from listeners.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from bot.storage.database import Database, affected_rows
from bot.storage.models.slack import SlackEventRow

EVENT_TTL = timedelta(days=1)  # Slack retries within minutes; a day is plenty
PROCESSING_TIMEOUT = timedelta(minutes=2)  # a claim older than this is presumed lost (crash mid-handling)


def _now() -> datetime:
    return datetime.now(UTC)


class EventLedger:
    """Each Events API ``event_id`` is handled once, even across restarts and Slack retries.

    ``claim`` before handling, ``done`` after success, ``failed`` after an error: a retry of an event
    whose first handling failed (or whose handler died) is claimed again and processed.
    """

    def __init__(self, db: Database, ttl: timedelta = EVENT_TTL, timeout: timedelta = PROCESSING_TIMEOUT):
        self.db = db
        self.ttl = ttl
        self.timeout = timeout
        self._last_purge: datetime | None = None

    def claim(self, event_id: str) -> bool:
        now = _now()
        self._maybe_purge(now)
        try:
            with self.db.session() as session:
                session.add(SlackEventRow(event_id=event_id, status="processing", attempts=1, claimed_at=now))
                session.flush()
            return True
        except IntegrityError:
            pass
        with self.db.session() as session:
            result = session.execute(
                update(SlackEventRow)
                .where(
                    SlackEventRow.event_id == event_id,
                    (SlackEventRow.status == "failed")
                    | (
                        (SlackEventRow.status == "processing")
                        & (SlackEventRow.claimed_at < now - self.timeout)
                    ),
                )
                .values(status="processing", claimed_at=now, attempts=SlackEventRow.attempts + 1)
            )
            return affected_rows(result) == 1

    def done(self, event_id: str) -> None:
        self._set(event_id, "done")

    def failed(self, event_id: str) -> None:
        self._set(event_id, "failed")

    def status(self, event_id: str) -> str | None:
        with self.db.session() as session:
            return session.scalar(select(SlackEventRow.status).where(SlackEventRow.event_id == event_id))

    def purge(self, now: datetime | None = None) -> int:
        cutoff = (now or _now()) - self.ttl
        with self.db.session() as session:
            result = session.execute(delete(SlackEventRow).where(SlackEventRow.claimed_at < cutoff))
            return affected_rows(result)

    def _set(self, event_id: str, status: str) -> None:
        with self.db.session() as session:
            session.execute(
                update(SlackEventRow).where(SlackEventRow.event_id == event_id).values(status=status)
            )

    def _maybe_purge(self, now: datetime) -> None:
        if self._last_purge is None or now - self._last_purge > timedelta(minutes=10):
            self._last_purge = now
            self.purge(now)
