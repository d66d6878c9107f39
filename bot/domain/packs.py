"""Packs: small opt-in groups of colleagues around a shared focus, re-formed every round."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum


class PackStatus(StrEnum):
    """A teacher's opt-in: only ``active`` (and not snoozed) members are placed in a round."""

    ACTIVE = "active"
    LEFT = "left"


class CheckIn(StrEnum):
    """A member's answer to "did you meet?"."""

    MET = "met"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class PackPolicy:
    """How packs are formed. Sizes stay within [min_size, max_size]; ``size`` is the aim.

    ``max_size >= 2 * min_size - 1`` guarantees that any number of people >= ``min_size`` can be split
    into packs within bounds, so nobody is left out once enough colleagues opted in.
    """

    size: int = 4
    min_size: int = 3
    max_size: int = 5
    avoid_rounds: int = 3  # people paired in the last N rounds are not paired again where avoidable
    every: timedelta = timedelta(days=14)
    checkin_after: timedelta = timedelta(days=7)  # "did you meet?" this long after the intros

    def __post_init__(self) -> None:
        if not 2 <= self.min_size <= self.size <= self.max_size:
            raise ValueError("pack sizes must satisfy 2 <= min_size <= size <= max_size")
        if self.max_size < 2 * self.min_size - 1:
            raise ValueError("max_size must be at least 2 * min_size - 1 so nobody is ever left out")
        if self.avoid_rounds < 0:
            raise ValueError("avoid_rounds must be >= 0")


@dataclass(frozen=True)
class PackCandidate:
    """One opted-in teacher as the formation algorithm sees them: an id, experience and focus terms."""

    teacher_id: int
    years: int | None = None
    focus: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Formation:
    """Packs as tuples of teacher ids, and the people who could not be placed (too few opted in)."""

    packs: tuple[tuple[int, ...], ...]
    waiting: tuple[int, ...] = ()


@dataclass(frozen=True)
class Membership:
    teacher_id: int
    status: PackStatus
    focus: str = ""
    snoozed_until: datetime | None = None


@dataclass(frozen=True)
class PackMember:
    teacher_id: int
    check_in: CheckIn | None = None


@dataclass(frozen=True)
class Pack:
    id: int
    round_id: int
    focus: str
    starter: str
    formed_at: datetime
    members: tuple[PackMember, ...] = field(default=())

    @property
    def teacher_ids(self) -> tuple[int, ...]:
        return tuple(m.teacher_id for m in self.members)


@dataclass(frozen=True)
class RoundStats:
    """One round at a glance: packs formed, people placed or waiting, and the "did you meet?" answers."""

    round_id: int
    started_at: datetime
    formed: int
    placed: int
    waiting: int
    met: int
    skipped: int

    @property
    def unanswered(self) -> int:
        return self.placed - self.met - self.skipped
