"""Shared pieces for follow-up tests: an injected clock, a migrated database, small data builders."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.bootstrap import App
from bot.domain.clock import Clock, fixed_clock
from bot.handlers.core import Kindred
from bot.handlers.deps import Deps
from bot.storage.database import Database
from bot.storage.repositories import RequestRepository, TeacherRepository

# Monday 23 Nov 2026, 15:00 UTC = 9:00 in Chicago, 10:00 in New York.
START = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)


class FakeClock:
    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def set(self, now: datetime) -> FakeClock:
        self.now = now
        return self

    def advance(self, **delta: float) -> FakeClock:
        self.now += timedelta(**delta)
        return self


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def make_request(
    db: Database, user_id: str, text: str = "How do I teach fractions?", **fields: object
) -> int:
    """A teacher (created if new) and one open request by them; returns the request id."""
    with db.session() as session:
        teacher = TeacherRepository(session).find("console", user_id)
        if teacher is None:
            teacher, _ = TeacherRepository(session).upsert("console", user_id, {"name": user_id, **fields})
        return RequestRepository(session).create(asker_id=teacher.id, text=text, platform="console").id


def bare_deps(db: Database, clock: Clock) -> Deps:
    """The core's dependencies on a bare database (no index, no model), with every feature's lifecycle
    subscribers registered: enough for ``bot.handlers.lifecycle`` and the follow-ups it schedules."""
    deps = Deps(db, None, None, None, clock=clock)  # type: ignore[arg-type]
    Kindred(deps)  # wires the registry's event bus into deps.events
    return deps


def deps_at(app: App, moment: datetime, **fields: Any) -> Deps:
    """The app's own dependencies (same database, same subscribers), the clock standing at ``moment``."""
    return replace(app.kindred.deps, clock=fixed_clock(moment), **fields)
