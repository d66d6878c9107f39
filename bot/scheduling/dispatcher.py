"""Runs due follow-ups from the database: claim atomically, run the kind's handler, record the result.

State lives in the ``followups`` table, so any number of dispatchers (threads, processes, restarts)
can run at once. Rows are claimed one at a time, right before they run, each under a fresh token (one
owner per attempt): a dispatcher killed mid-run holds at most the row in flight, and every other due row
stays ``pending`` for the next start to take at once. Right before each send the claim is checked and
renewed (compare-and-set on the token and the lease), so a row is only sent while its claim is valid;
only the holder of the token may finish it. A claim older than the lease is taken to belong to a
dispatcher that died, and is claimed again (counting as an attempt).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from bot.domain.clock import as_utc
from bot.domain.followups import CANCELLED, FAILED, PENDING, SENT, Job
from bot.domain.replies import Reply
from bot.scheduling.sender import DELIVERY_KEY, DeliveryError, DeliveryKey, PostToHelp, Sender
from bot.storage.database import Database

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
MAX_ERROR_CHARS = 300


def describe(exc: Exception) -> str:
    """Type and first line only: driver errors list SQL parameters on later lines (personal data)."""
    lines = str(exc).splitlines()
    return f"{type(exc).__name__}: {lines[0] if lines else ''}"[:MAX_ERROR_CHARS]


__all__ = ["DONE", "SKIP", "Dispatcher", "Job", "JobHandler", "JobResult", "defer", "describe"]


@dataclass(frozen=True)
class JobResult:
    """``sent`` (done), ``cancelled`` (no longer needed) or ``deferred`` until ``until``."""

    status: str
    until: datetime | None = None


DONE = JobResult(SENT)
SKIP = JobResult(CANCELLED)


def defer(until: datetime) -> JobResult:
    return JobResult(PENDING, as_utc(until))


class JobHandler(Protocol):
    def __call__(self, job: Job, sender: Sender, now: datetime) -> JobResult: ...


class Dispatcher:
    def __init__(
        self,
        db: Database,
        sender: Sender,
        clock: Clock,
        handlers: Mapping[str, JobHandler],
        lease: timedelta = timedelta(minutes=5),
        max_attempts: int = 5,
        base_backoff: timedelta = timedelta(minutes=1),
        max_backoff: timedelta = timedelta(hours=1),
    ) -> None:
        self.db = db
        self.sender = sender
        self.clock = clock
        self.handlers = dict(handlers)
        self.lease = lease
        self.max_attempts = max_attempts
        self.base_backoff = base_backoff
        self.max_backoff = max_backoff

    def now(self) -> datetime:
        return as_utc(self.clock())

    def run_once(self, limit: int = 50) -> int:
        """Run up to ``limit`` due rows, claiming each right before it runs; returns how many were sent."""
        sent = 0
        for _ in range(limit):
            token, jobs = self.claim(1)
            if not jobs:
                break
            sent += self._run(jobs[0], token)
        return sent

    def run_row(self, kind: str, request_id: int) -> str | None:
        """Run one request-level row now if it is due and unclaimed (a fast path next to the heartbeat);
        returns its state afterwards, or None when another dispatcher has it or it is not due."""
        token, jobs = self.claim(1, only=(kind, request_id))
        if not jobs:
            return None
        self._run(jobs[0], token)
        with self.db.unit_of_work(writes=False) as uow:
            return uow.followup_queue.state(jobs[0].id)

    def claim(self, limit: int = 1, only: tuple[str, int] | None = None) -> tuple[str, list[Job]]:
        """Atomically take due (or abandoned) rows under a fresh token (``run_once`` takes one at a time);
        ``only`` = (kind, request id) limits it to that request-level row. The claim commits here, before
        anything is sent."""
        token = uuid.uuid4().hex
        with self.db.unit_of_work() as uow:
            jobs = uow.followup_queue.claim(token, self.now(), self.lease, limit, only)
        return token, jobs

    def _run(self, job: Job, token: str) -> int:
        handler = self.handlers.get(job.kind)
        if job.attempts >= self.max_attempts:
            abandoned = {"state": FAILED, "claim_token": None, "last_error": "abandoned by dispatchers"}
            self._finish(job, token, abandoned)
            return 0
        try:
            if handler is None:
                raise DeliveryError(f"no handler for kind {job.kind!r}", retryable=False)
            result = handler(job, ClaimedSender(self, job, token), self.now())
        except Exception as exc:
            self._fail(job, token, exc)
            return 0
        values: dict[str, object] = {"state": result.status, "claim_token": None}
        if result.status == SENT:
            values["sent_at"] = self.now()
        if result.status == PENDING:
            values["due_at"] = result.until or self.now()
        if not self._finish(job, token, values):
            return 0
        log.info("follow-up done", extra={"followup_id": job.id, "kind": job.kind, "state": result.status})
        return int(result.status == SENT)

    def _fail(self, job: Job, token: str, exc: Exception) -> None:
        attempts = job.attempts + 1
        retryable = not isinstance(exc, DeliveryError) or exc.retryable
        error = describe(exc)
        values: dict[str, object] = {"attempts": attempts, "last_error": error, "claim_token": None}
        if retryable and attempts < self.max_attempts:
            values.update(state=PENDING, due_at=self.now() + self.backoff(attempts))
        else:
            values.update(state=FAILED)
        if self._finish(job, token, values):
            log.warning(
                "follow-up failed",
                extra={
                    "followup_id": job.id,
                    "kind": job.kind,
                    "attempts": attempts,
                    "state": values["state"],
                },
                exc_info=not isinstance(exc, DeliveryError),
            )

    def backoff(self, attempts: int) -> timedelta:
        """1 min, 2 min, 4 min, … capped at ``max_backoff``."""
        return min(self.max_backoff, self.base_backoff * 2 ** max(0, attempts - 1))

    def renew(self, job: Job, token: str) -> bool:
        """Compare-and-set right before a send: still ours and within the lease? Then extend it (committed
        before the send starts)."""
        now = self.now()
        with self.db.unit_of_work() as uow:
            return uow.followup_queue.renew(job.id, token, now, self.lease)

    def _finish(self, job: Job, token: str, values: Mapping[str, object]) -> bool:
        """Record the result only while still holding the claim (idempotent per row)."""
        with self.db.unit_of_work() as uow:
            held = uow.followup_queue.finish(job.id, token, values)
        if not held:
            log.warning("follow-up claim lost before finishing", extra={"followup_id": job.id})
        return held


class ClaimedSender:
    """The sender a handler gets: every send first renews the row's claim, and is refused without it."""

    def __init__(self, dispatcher: Dispatcher, job: Job, token: str) -> None:
        self._dispatcher, self._job, self._token = dispatcher, job, token
        self._inner = dispatcher.sender
        post = getattr(self._inner, "post_to_help", None)
        if post is not None:
            self.post_to_help = self._guarded(post)

    def _check(self) -> DeliveryKey:
        if not self._dispatcher.renew(self._job, self._token):
            raise DeliveryError("claim lost before sending (another dispatcher owns the row)", retryable=True)
        return DeliveryKey(f"followup-{self._job.id}", retry=self._job.attempts > 0)

    def _guarded(self, post: PostToHelp) -> PostToHelp:
        def post_to_help(
            platform: str, workspace_id: str | None, reply: Reply, **where: str
        ) -> tuple[str, str]:
            reset = DELIVERY_KEY.set(self._check())
            try:
                return post(platform, workspace_id, reply, **where)
            finally:
                DELIVERY_KEY.reset(reset)

        return post_to_help

    def send_dm(self, platform: str, platform_user_id: str, reply: Reply) -> None:
        reset = DELIVERY_KEY.set(self._check())
        try:
            self._inner.send_dm(platform, platform_user_id, reply)
        finally:
            DELIVERY_KEY.reset(reset)
