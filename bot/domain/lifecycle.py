"""What happens to a help request, as events: the lifecycle service emits them, features subscribe."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class RequestCreated:
    """A question now waits for a colleague (follow-ups escalate it if nobody answers)."""

    request_id: int
    at: datetime
    nudge_after: timedelta  # until the first escalation


@dataclass(frozen=True)
class HumanReplied:
    """A person answered; ``first`` when it was the request's first human reply."""

    request_id: int
    at: datetime
    first: bool


@dataclass(frozen=True)
class Solved:
    request_id: int


@dataclass(frozen=True)
class Reopened:
    """ "Not yet": open and unanswered again."""

    request_id: int
    at: datetime


LifecycleEvent = RequestCreated | HumanReplied | Solved | Reopened
