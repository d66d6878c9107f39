"""A help request's lifecycle: each operation makes the state change, then emits its event.

Features react through ``registry.on(EventType, subscriber)`` (follow-ups schedule and cancel nudges),
so the ask, reply and solve handlers never call scheduling themselves.
"""

from __future__ import annotations

from bot.domain.clock import as_utc
from bot.domain.lifecycle import HumanReplied, Reopened, RequestCreated, Solved
from bot.domain.requests import RequestStatus
from bot.handlers.deps import Deps


def created(deps: Deps, request_id: int) -> None:
    """A stored request now waits for an answer (a subscriber's failure only logs)."""
    deps.events.publish(deps, RequestCreated(request_id, deps.clock(), deps.nudge_after))


def human_replied(deps: Deps, request_id: int) -> bool:
    """A person answered; True when it was the first human reply."""
    now = deps.clock()
    with deps.db.unit_of_work() as uow:
        first = uow.followups.mark_human_reply(request_id, as_utc(now))
    deps.events.publish(deps, HumanReplied(request_id, now, first))
    return first


def solved(deps: Deps, request_id: int) -> None:
    _set_status(deps, request_id, RequestStatus.SOLVED)
    deps.events.publish(deps, Solved(request_id))


def reopened(deps: Deps, request_id: int) -> None:
    """ "Not yet": open again and counted as unanswered, so new peers may be sought."""
    with deps.db.unit_of_work() as uow:
        uow.requests.set_status(request_id, RequestStatus.OPEN)
        uow.followups.clear_human_reply(request_id)
    deps.events.publish(deps, Reopened(request_id, deps.clock()))


def _set_status(deps: Deps, request_id: int, status: RequestStatus) -> None:
    with deps.db.unit_of_work() as uow:
        uow.requests.set_status(request_id, status)
