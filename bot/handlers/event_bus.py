"""Subscribers to domain events, registered by features; a subscriber's failure only logs.

A subscriber gets the database (it runs in the publisher's unit of work) and the event, which carries
whatever else it needs (``at``, ``nudge_after``…)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from bot.handlers.ports import Storage

log = logging.getLogger(__name__)

E = TypeVar("E")
Subscriber = Callable[["Storage", E], None]


@dataclass
class EventBus:
    subscribers: dict[type[Any], list[Callable[[Storage, Any], None]]] = field(default_factory=dict)

    def on(self, event_type: type[E], subscriber: Subscriber[E]) -> None:
        self.subscribers.setdefault(event_type, []).append(subscriber)

    def publish(self, deps: Storage, event: object) -> None:
        """Every subscriber of the event's type, in order; one failing never stops the rest or the handler."""
        for subscriber in self.subscribers.get(type(event), ()):
            try:
                subscriber(deps, event)
            except Exception:  # ids only: never the question's text
                log.exception(
                    "event subscriber failed",
                    extra={
                        "event": type(event).__name__,
                        "subscriber": getattr(subscriber, "__qualname__", repr(subscriber)),
                        "request_id": getattr(event, "request_id", None),
                    },
                )
