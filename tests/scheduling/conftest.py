"""Shared pieces for follow-up tests: an injected clock, a migrated database, small data builders."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

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
