"""Time as a dependency: the core reads ``deps.clock()``, never ``datetime.now`` directly.

Production uses ``system_clock``; the console and tests use a ``ShiftedClock`` they can move forward,
so a transcript or a test gives the same answer at any hour, on any day, in any time zone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """The real time, timezone-aware in UTC."""
    return datetime.now(UTC)


@dataclass
class ShiftedClock:
    """A clock that runs ``offset`` ahead of ``base`` (the real clock unless another is given)."""

    base: Clock = system_clock
    offset: timedelta = field(default_factory=timedelta)

    def __call__(self) -> datetime:
        return self.base() + self.offset

    def advance(self, delta: timedelta) -> None:
        self.offset += delta

    def move_to(self, moment: datetime) -> None:
        """Jump forward to ``moment`` (never backwards: time in the core only moves on)."""
        self.offset += max(timedelta(), moment - self())


def as_utc(moment: datetime) -> datetime:
    """Aware UTC; a naive value is taken to be UTC already."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def fixed_clock(moment: datetime) -> ShiftedClock:
    """A clock standing at ``moment`` until it is advanced (for tests and reproducible transcripts)."""
    return ShiftedClock(base=lambda: moment)
