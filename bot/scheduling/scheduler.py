"""The heartbeat: one APScheduler interval job that runs the dispatcher. All state lives in the DB."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler

from bot.anonymity.exclusion import HiddenAskers
from bot.domain.followups import ANON_POST
from bot.matching.suggester import Suggester
from bot.scheduling.anon_posts import AnonymousPosts
from bot.scheduling.dispatcher import Clock, Dispatcher
from bot.scheduling.followup_jobs import DEFAULT_NUDGE_AFTER, FollowUpJobs
from bot.scheduling.sender import Sender
from bot.storage.database import Database

log = logging.getLogger(__name__)

JOB_ID = "kindred-dispatch"


def utc_now() -> datetime:
    return datetime.now(UTC)


def build_dispatcher(
    db: Database,
    sender: Sender,
    suggester: Suggester,
    clock: Clock = utc_now,
    weekly_nudge_limit: int = 3,
    hidden_askers: HiddenAskers | None = None,
    public_after: timedelta | None = DEFAULT_NUDGE_AFTER,
) -> Dispatcher:
    """A dispatcher wired with the follow-up kinds. ``public_after``: how long after the first escalation a
    privately asked, still unanswered question is posted to the help channel (``KINDRED_NUDGE_AFTER``)."""
    jobs = FollowUpJobs(
        db,
        suggester,
        weekly_nudge_limit=weekly_nudge_limit,
        hidden_askers=hidden_askers,
        public_after=public_after,
    )
    handlers = {**jobs.handlers(), ANON_POST: AnonymousPosts(db).post}
    return Dispatcher(db, sender, clock, handlers)


def build_scheduler(dispatcher: Dispatcher, interval_seconds: int = 30) -> BackgroundScheduler:
    """An unstarted scheduler; missed ticks coalesce into one, and ticks never overlap."""
    scheduler = BackgroundScheduler(timezone=UTC)
    _add_interval_job(scheduler, JOB_ID, lambda: _tick(dispatcher), interval_seconds)
    return scheduler


def add_periodic(
    scheduler: BackgroundScheduler, job_id: str, func: Callable[[], object], interval_seconds: int
) -> None:
    """Another heartbeat job (weekly rounds check their own due rows); failures are logged, never raised."""

    def run() -> None:
        try:
            func()
        except Exception:
            log.exception("scheduled job failed; will retry on the next tick", extra={"job": job_id})

    _add_interval_job(scheduler, job_id, run, interval_seconds)


def _add_interval_job(
    scheduler: BackgroundScheduler, job_id: str, func: Callable[[], object], interval_seconds: int
) -> None:
    """Missed ticks coalesce into one, ticks never overlap, and a late tick still runs within its interval."""
    scheduler.add_job(
        func,
        "interval",
        seconds=interval_seconds,
        id=job_id,
        replace_existing=True,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=interval_seconds,
    )


def _tick(dispatcher: Dispatcher) -> None:
    try:
        sent = dispatcher.run_once()
    except Exception:
        log.exception("follow-up dispatch failed; will retry on the next tick")
        return
    if sent:
        log.info("follow-ups sent", extra={"sent": sent})
