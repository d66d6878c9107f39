"""Retention: the text of old questions is replaced by a marker after ``KINDRED_RETENTION_DAYS``.

Only the words go; the row stays (ids, timestamps, status, suggestions), so leader insights and
follow-up history keep working on anonymous counts. The lead schedules ``retention_job`` (e.g. daily).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from bot.storage.database import Database

log = logging.getLogger(__name__)

PURGED_TEXT = "[removed after the retention period]"
DEFAULT_RETENTION_DAYS = 365


def purge_expired(db: Database, now: datetime, retention_days: int = DEFAULT_RETENTION_DAYS) -> int:
    """Anonymise the text of help requests created more than ``retention_days`` before ``now``.

    Idempotent; returns how many requests were anonymised this time.
    """
    if retention_days < 1:
        raise ValueError("retention_days must be at least 1")
    cutoff = now - timedelta(days=retention_days)
    with db.unit_of_work() as uow:
        purged = uow.requests.replace_texts_before(cutoff, PURGED_TEXT)
    log.info("retention purge", extra={"purged": purged, "retention_days": retention_days})
    return purged


def retention_job(
    db: Database, retention_days: int, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
) -> Callable[[], int]:
    """A no-argument job for the scheduler: ``purge_expired`` at the clock's current time."""

    def run() -> int:
        return purge_expired(db, clock(), retention_days)

    return run
