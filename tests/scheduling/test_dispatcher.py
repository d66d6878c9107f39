"""The durable queue: claims, leases, retries, downtime and racing dispatchers.

Runs on SQLite, and on PostgreSQL when KINDRED_TEST_DATABASE_URL is set (same tests).
"""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from bot.domain.clock import fixed_clock
from bot.handlers import lifecycle
from bot.scheduling.dispatcher import Dispatcher
from bot.scheduling.followup_jobs import FollowUpJobs
from bot.scheduling.sender import DeliveryError
from bot.storage.database import Database
from bot.storage.models import DID_IT_HELP, ESCALATE, FollowUpRow, NudgeRow, TeacherRow
from bot.storage.repositories.followups import FollowUpRepository
from tests.recording_sender import RecordingSender
from tests.scheduling.conftest import START, FakeClock, bare_deps, make_request


def dispatcher(db, sender, clock, **kwargs) -> Dispatcher:
    """Only the did-it-help kind: it needs no matcher."""
    return Dispatcher(db, sender, clock, {DID_IT_HELP: FollowUpJobs(db, None).did_it_help}, **kwargs)  # type: ignore[arg-type]


def check_in(db: Database, user_id: str, replied_at=START) -> int:
    """A request by ``user_id`` with a human reply, so a did-it-help DM is due an hour later."""
    request_id = make_request(db, user_id)
    assert lifecycle.human_replied(bare_deps(db, fixed_clock(replied_at)), request_id)
    return request_id


def rows(db: Database) -> list[FollowUpRow]:
    with db.session() as session:
        return list(session.scalars(select(FollowUpRow).order_by(FollowUpRow.id)))


class FlakySender(RecordingSender):
    def __init__(self, failures: int, retryable: bool = True) -> None:
        super().__init__()
        self.failures, self.retryable = failures, retryable

    def send_dm(self, platform, platform_user_id, reply):  # type: ignore[no-untyped-def]
        if self.failures > 0:
            self.failures -= 1
            raise DeliveryError("rate limited", retryable=self.retryable)
        super().send_dm(platform, platform_user_id, reply)


def test_nothing_runs_before_it_is_due_and_a_row_is_sent_once(db, clock):
    check_in(db, "ana")
    sender = RecordingSender()
    worker = dispatcher(db, sender, clock)
    assert worker.run_once() == 0
    clock.advance(hours=1)
    assert worker.run_once() == 1
    assert worker.run_once() == 0
    (row,) = rows(db)
    assert row.state == "sent" and row.claim_token is None and row.sent_at is not None
    assert [m.platform_user_id for m in sender.sent] == ["ana"]
    assert "Did this help?" in sender.sent[0].reply.text


def test_scheduling_twice_keeps_one_row_and_nudges_are_unique(db):
    request_id = check_in(db, "ana")
    assert not lifecycle.human_replied(bare_deps(db, fixed_clock(START + timedelta(minutes=5))), request_id)
    with db.session() as session:
        assert not FollowUpRepository(session).schedule(DID_IT_HELP, request_id, START)
    assert len(rows(db)) == 1
    due = {"request_id": request_id, "due_at": START, "state": "pending", "attempts": 0, "created_at": START}
    with pytest.raises(IntegrityError), db.session() as session:  # NULL target: the partial index holds
        session.execute(insert(FollowUpRow).values(kind=DID_IT_HELP, **due))
    with db.session() as session:
        teacher_id = session.scalar(select(TeacherRow.id))
        session.execute(insert(FollowUpRow).values(kind=ESCALATE, target_teacher_id=teacher_id, **due))
    with pytest.raises(IntegrityError), db.session() as session:
        session.execute(insert(FollowUpRow).values(kind=ESCALATE, target_teacher_id=teacher_id, **due))
    with db.session() as session:
        FollowUpRepository(session).add_nudge(request_id, teacher_id, START)
    with pytest.raises(IntegrityError), db.session() as session:
        session.add(NudgeRow(request_id=request_id, teacher_id=teacher_id, created_at=START))


class Killed(BaseException):
    """kill -9 stand-in: nothing after it runs in the dying dispatcher (not even its except blocks)."""


class DyingSender(RecordingSender):
    """Sends ``before_death`` DMs, then dies while the next one is in flight (before it lands)."""

    def __init__(self, before_death: int) -> None:
        super().__init__()
        self.left = before_death

    def send_dm(self, platform, platform_user_id, reply):  # type: ignore[no-untyped-def]
        if self.left == 0:
            raise Killed()
        self.left -= 1
        super().send_dm(platform, platform_user_id, reply)


def test_after_kill_9_mid_send_the_next_start_sends_the_rest_at_once_and_each_exactly_once(db, clock):
    users = [f"k{i}" for i in range(8)]
    for user in users:
        check_in(db, user)
    clock.advance(hours=1)
    dying = DyingSender(before_death=2)
    with pytest.raises(Killed):
        dispatcher(db, dying, clock).run_once()
    assert [r.state for r in rows(db)].count("claimed") == 1, "only the row in flight is held"

    sender = RecordingSender()
    restarted = dispatcher(db, sender, clock, lease=timedelta(minutes=5))
    assert restarted.run_once() == 5, "no waiting for a lease: unstarted rows were never claimed"
    clock.advance(minutes=5, seconds=1)
    assert restarted.run_once() == 1, "the one in flight is taken over after the lease"
    assert restarted.run_once() == 0
    delivered = Counter(m.platform_user_id for m in dying.sent + sender.sent)
    assert delivered == Counter(users)
    assert {r.state for r in rows(db)} == {"sent"}


def test_a_claim_abandoned_by_a_dead_dispatcher_is_retried_after_the_lease_exactly_once(db, clock):
    check_in(db, "ana")
    clock.advance(hours=1)
    dead = dispatcher(db, RecordingSender(), clock)
    dead_token, jobs = dead.claim()  # ...and then the process is killed before sending
    assert len(jobs) == 1 and rows(db)[0].state == "claimed"

    sender = RecordingSender()
    restarted = dispatcher(db, sender, clock, lease=timedelta(minutes=5))
    assert restarted.run_once() == 0, "the lease is still held"
    clock.advance(minutes=5, seconds=1)
    assert not dead.renew(jobs[0], dead_token), "an expired claim cannot send"
    assert restarted.run_once() == 1
    assert restarted.run_once() == 0
    assert [m.platform_user_id for m in sender.sent] == ["ana"]
    assert not dead._finish(jobs[0], dead_token, {"state": "sent"}), "a stale token cannot finish the row"
    assert rows(db)[0].state == "sent" and rows(db)[0].attempts == 1


def test_a_slow_handler_whose_lease_ran_out_does_not_send(db, clock):
    """The claim is compared right before the send: a row taken over meanwhile is not sent again."""
    check_in(db, "ana")
    clock.advance(hours=1)
    sender = RecordingSender()
    slow = dispatcher(db, sender, clock, lease=timedelta(minutes=5))
    token, (job,) = slow.claim()
    clock.advance(minutes=6)  # e.g. the database stalled between claim and send
    other = dispatcher(db, sender, clock, lease=timedelta(minutes=5))
    assert other.run_once() == 1
    assert slow._run(job, token) == 0
    assert [m.platform_user_id for m in sender.sent] == ["ana"]
    assert rows(db)[0].state == "sent"


def test_a_row_that_keeps_killing_its_dispatcher_ends_up_failed(db, clock):
    check_in(db, "ana")
    clock.advance(hours=1)
    for _ in range(3):
        dispatcher(db, RecordingSender(), clock).claim()  # each one dies mid-run
        clock.advance(minutes=6)
    sender = RecordingSender()
    assert dispatcher(db, sender, clock, max_attempts=3).run_once() == 0
    (row,) = rows(db)
    assert row.state == "failed" and row.attempts == 3 and "abandoned" in row.last_error
    assert sender.sent == []


def test_failures_retry_with_backoff_then_fail_with_last_error(db, clock):
    check_in(db, "ana")
    clock.advance(hours=1)
    sender = FlakySender(failures=99)
    worker = dispatcher(db, sender, clock, max_attempts=3)
    waits = []
    for _ in range(3):
        before = clock.now
        assert worker.run_once() == 0
        (row,) = rows(db)
        if row.state == "pending":
            waits.append(row.due_at.replace(tzinfo=None) - before.replace(tzinfo=None))
            clock.now = before + waits[-1]
    (row,) = rows(db)
    assert waits == [timedelta(minutes=1), timedelta(minutes=2)]
    assert row.state == "failed" and row.attempts == 3 and "rate limited" in row.last_error
    clock.advance(days=1)
    assert worker.run_once() == 0 and sender.sent == []


def test_a_retry_that_succeeds_is_sent_once_and_permanent_errors_fail_at_once(db, clock):
    check_in(db, "ana")
    check_in(db, "bo")
    clock.advance(hours=1)
    flaky = dispatcher(db, FlakySender(failures=1), clock)
    assert flaky.run_once(limit=1) == 0  # ana: first attempt fails
    clock.advance(minutes=1)
    assert flaky.run_once() == 2 and len(flaky.sender.sent) == 2

    check_in(db, "cy", replied_at=clock.now)
    clock.advance(hours=1)
    assert dispatcher(db, FlakySender(failures=1, retryable=False), clock).run_once() == 0
    assert rows(db)[-1].state == "failed" and rows(db)[-1].attempts == 1


def test_after_downtime_every_missed_row_is_sent_once(db, clock):
    users = [f"t{i}" for i in range(40)]
    for i, user in enumerate(users):
        check_in(db, user, replied_at=START + timedelta(minutes=10 * i))
    clock.advance(days=2)  # the bot was down while all of them came due
    sender = RecordingSender()
    worker = dispatcher(db, sender, clock)
    total = 0
    while sent := worker.run_once(limit=15):
        total += sent
    assert total == 40 and worker.run_once() == 0
    assert Counter(m.platform_user_id for m in sender.sent) == Counter(users)


def test_two_dispatchers_racing_send_every_row_exactly_once(database_url, db, clock):
    users = [f"r{i}" for i in range(30)]
    for user in users:
        check_in(db, user)
    clock.advance(hours=1)
    sender = RecordingSender()
    engines = [Database.from_url(database_url) for _ in range(2)]
    workers = [dispatcher(engine, sender, FakeClock(clock.now)) for engine in engines]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def work(worker: Dispatcher) -> None:
        try:
            barrier.wait()
            for _ in range(100):
                worker.run_once(limit=3)
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for engine in engines:
        engine.dispose()
    assert not errors
    assert Counter(m.platform_user_id for m in sender.sent) == Counter(users)
    assert {row.state for row in rows(db)} == {"sent"}


def test_errors_keep_no_second_lines_and_a_broken_tick_only_logs(db, clock, caplog):
    from bot.scheduling.dispatcher import describe
    from bot.scheduling.scheduler import _tick

    assert describe(ValueError("boom\n[parameters: ('my private question',)]")) == "ValueError: boom"

    class Broken:
        def run_once(self) -> int:
            raise RuntimeError("database away")

    _tick(Broken())  # type: ignore[arg-type]
    assert "follow-up dispatch failed" in caplog.text
