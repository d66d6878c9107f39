"""Follow-ups as the scheduler sees them: their kinds and states, a claimed job, and the request facts a job
reads before it sends anything. Ids and flags only: a follow-up never carries message text of its own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.requests import RequestStatus

# Follow-up kinds and states (plain strings in the database).
ESCALATE = "escalate"
DID_IT_HELP = "did_it_help"
POST_PUBLIC = "post_public"  # a privately asked question, still unanswered, goes to the help channel
ANON_POST = "anon_post"  # an anonymous question's public post, a few random seconds after the private answer
GOAL_CHECKIN = "goal_checkin"  # the weekly goal check-in (its own table: it belongs to a goal, not a request)
PENDING, CLAIMED, SENT, FAILED, CANCELLED = "pending", "claimed", "sent", "failed", "cancelled"


@dataclass(frozen=True)
class Job:
    """A claimed follow-up, as its handler gets it: ids only."""

    id: int
    kind: str
    request_id: int
    target_teacher_id: int | None
    attempts: int


@dataclass(frozen=True)
class RequestForFollowUp:
    """What the follow-up jobs check about a help request before nudging, asking or posting."""

    id: int
    asker_id: int | None
    text: str
    platform: str
    status: RequestStatus
    anonymous: bool
    source: str  # "command" (asked privately) or "channel"
    first_human_reply_at: datetime | None

    @property
    def open_and_unanswered(self) -> bool:
        return self.status == RequestStatus.OPEN and self.first_human_reply_at is None
