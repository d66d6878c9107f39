"""Help requests and the suggestions Kindred made for them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from bot.domain.asks import AskWay


class RequestStatus(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    SOLVED = "solved"
    CLOSED = "closed"


# The source of the one request the ask reaction makes for a message (unique per message in storage).
ONCE_PER_MESSAGE = AskWay.REACTION.value


class AlreadyAsked(Exception):
    """The message already has its once-only request (the ask reaction's): another one answered it."""


class SuggestionKind(StrEnum):
    RESOURCE = "resource"
    PEER = "peer"


@dataclass(frozen=True)
class ResourceMatch:
    """A ranked resource with the reason it fits."""

    resource_id: int
    score: float
    reason: str


@dataclass(frozen=True)
class PeerMatch:
    """A ranked kindred-spirit colleague with the reason they can help."""

    teacher_id: int
    score: float
    reason: str


@dataclass(frozen=True)
class HelpRequest:
    """A question a teacher asked (by command or in a channel)."""

    id: int
    asker_id: int | None
    text: str
    platform: str
    channel_id: str | None = None
    anonymous: bool = False
    status: RequestStatus = RequestStatus.OPEN
    created_at: datetime | None = None
    suggestions: tuple[ResourceMatch | PeerMatch, ...] = field(default=())
