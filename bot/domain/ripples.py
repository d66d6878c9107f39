"""Ripples: every time a teacher's resources, answers or presence reached or helped a colleague."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class RippleKind(StrEnum):
    RESOURCE_SUGGESTED = "resource_suggested"  # their shared resource was suggested to a colleague
    PEER_SUGGESTED = "peer_suggested"  # they were suggested as a kindred spirit
    RESOURCE_SAVED = "resource_saved"
    RESOURCE_HELPED = "resource_helped"  # "This helped" on their resource
    ADAPTED = "adapted"  # a colleague wrote how they used their resource
    ANSWER_HELPED = "answer_helped"  # their answer was marked helpful (ripple_events)
    ANSWER_SHOWN = "answer_shown"  # their answer surfaced for a similar question (ripple_events)
    THANKS = "thanks"  # a colleague thanked them (ripple_events)


# The ripples that mean "this helped a colleague" (the rest mean "this reached a colleague").
HELPED_KINDS = frozenset(
    {RippleKind.RESOURCE_HELPED, RippleKind.ADAPTED, RippleKind.ANSWER_HELPED, RippleKind.THANKS}
)
# Ripples stored in ``ripple_events`` because no other table records them.
EVENT_KINDS = frozenset({RippleKind.ANSWER_HELPED, RippleKind.ANSWER_SHOWN, RippleKind.THANKS})


@dataclass(frozen=True)
class Ripple:
    """One ripple. ``colleague_id`` is None when the colleague must stay unnamed (an anonymous question).

    ``colleague_key`` still tells distinct colleagues apart for counting.
    """

    kind: RippleKind
    teacher_id: int
    at: datetime
    colleague_id: int | None = None
    colleague_key: str = ""
    resource_id: int | None = None
    answer_id: int | None = None
    request_id: int | None = None
    note: str = ""

    @property
    def helped(self) -> bool:
        return self.kind in HELPED_KINDS


@dataclass(frozen=True)
class RippleSummary:
    """What ``/ripples`` shows: colleagues helped and reached, counts per kind, and the ripples themselves."""

    helped: frozenset[str]
    reached: frozenset[str]
    counts: dict[RippleKind, int] = field(default_factory=dict)
    ripples: tuple[Ripple, ...] = ()

    @classmethod
    def of(cls, ripples: Iterable[Ripple]) -> RippleSummary:
        items = tuple(sorted(ripples, key=lambda r: r.at, reverse=True))
        counts: dict[RippleKind, int] = {}
        for ripple in items:
            counts[ripple.kind] = counts.get(ripple.kind, 0) + 1
        return cls(
            helped=frozenset(r.colleague_key for r in items if r.helped),
            reached=frozenset(r.colleague_key for r in items),
            counts=counts,
            ripples=items,
        )
