"""Column types shared by every model."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Dialect
from sqlalchemy.types import TypeDecorator

from bot.domain.clock import as_utc


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware timestamp that always reads back aware, in UTC — SQLite included, which stores
    no offset — so code above storage never has to guess whether a value is naive."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else as_utc(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        return None if value is None else as_utc(value)
