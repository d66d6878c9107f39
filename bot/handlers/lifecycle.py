"""A help request's lifecycle: each operation makes the state change, then emits its event.

Features react through ``registry.on(EventType, subscriber)`` (follow-ups schedule and cancel nudges),
so the ask, reply and solve handlers never call scheduling themselves.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Protocol

from bot.domain.clock import as_utc
from bot.domain.lifecycle import HumanReplied, Reopened, RequestCreated, Solved
from bot.domain.requests import RequestStatus
from bot.handlers.event_bus import EventBus
from bot.handlers.ports import Storage, Timed


class LifecycleDeps(Storage, Timed, Protocol):
    """What a lifecycle step uses: the database, the clock, the subscribers it tells, the nudge delay."""

    @property
    def events(self) -> EventBus: ...

    @property
    def nudge_after(self) -> timedelta: ...


def created(deps: LifecycleDeps, request_id: int) -> None:
    """A stored request now waits for an answer (a subscriber's failure only logs)."""
    deps.events.publish(deps, RequestCreated(request_id, deps.clock(), deps.nudge_after))


def human_replied(deps: LifecycleDeps, request_id: int) -> bool:
    """A person answered; True when it was the first human reply."""
    now = deps.clock()
    with deps.db.unit_of_work() as uow:
        first = uow.followups.mark_human_reply(request_id, as_utc(now))
    deps.events.publish(deps, HumanReplied(request_id, now, first))
    return first


def solved(deps: LifecycleDeps, request_id: int) -> None:
    _set_status(deps, request_id, RequestStatus.SOLVED)
    deps.events.publish(deps, Solved(request_id))


def reopened(deps: LifecycleDeps, request_id: int) -> None:
    """ "Not yet": open again and counted as unanswered, so new peers may be sought."""
    with deps.db.unit_of_work() as uow:
        uow.requests.set_status(request_id, RequestStatus.OPEN)
        uow.followups.clear_human_reply(request_id)
    deps.events.publish(deps, Reopened(request_id, deps.clock()))


def _set_status(deps: LifecycleDeps, request_id: int, status: RequestStatus) -> None:
    with deps.db.unit_of_work() as uow:
        uow.requests.set_status(request_id, status)
