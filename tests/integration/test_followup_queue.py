"""The follow-up queue behind the unit of work: a claim is one owner's (a token per attempt), only the token's
holder renews or finishes it, and a claim past its lease is taken over as a new attempt."""

from datetime import UTC, datetime, timedelta

from bot.domain.followups import CLAIMED, ESCALATE, SENT
from bot.storage.database import Database

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
LEASE = timedelta(minutes=5)


def _due_row(db: Database) -> int:
    with db.unit_of_work() as uow:
        request = uow.requests.create(asker_id=None, text="how do I?", platform="console")
        uow.followups.schedule(ESCALATE, request.id, NOW - timedelta(minutes=1))
    return request.id


def test_a_claim_has_one_owner_and_only_its_token_finishes_it(db: Database) -> None:
    request_id = _due_row(db)
    with db.unit_of_work() as uow:
        (job,) = uow.followup_queue.claim("first", NOW, LEASE)
    assert (job.kind, job.request_id, job.target_teacher_id, job.attempts) == (ESCALATE, request_id, None, 0)
    with db.unit_of_work() as uow:
        assert uow.followup_queue.claim("second", NOW, LEASE) == []
        assert not uow.followup_queue.renew(job.id, "second", NOW, LEASE)
        assert uow.followup_queue.renew(job.id, "first", NOW + timedelta(minutes=1), LEASE)
        assert not uow.followup_queue.finish(job.id, "second", {"state": SENT, "claim_token": None})
        assert uow.followup_queue.state(job.id) == CLAIMED
        assert uow.followup_queue.finish(job.id, "first", {"state": SENT, "claim_token": None})
    with db.unit_of_work(writes=False) as uow:
        assert uow.followup_queue.state(job.id) == SENT
        assert uow.followup_queue.next_due_at() is None


def test_a_claim_past_its_lease_is_taken_over_as_another_attempt(db: Database) -> None:
    request_id = _due_row(db)
    with db.unit_of_work() as uow:
        (job,) = uow.followup_queue.claim("dead", NOW, LEASE, only=(ESCALATE, request_id))
    later = NOW + LEASE
    with db.unit_of_work() as uow:
        assert not uow.followup_queue.renew(job.id, "dead", later, LEASE)
        (again,) = uow.followup_queue.claim("alive", later, LEASE)
    assert (again.id, again.attempts) == (job.id, 1)
    with db.unit_of_work() as uow:
        assert not uow.followup_queue.finish(job.id, "dead", {"state": SENT})
