"""School hours and time-zone lookup for the scheduling code (they live in ``bot.domain.working_hours``)."""

from __future__ import annotations

from bot.domain.clock import as_utc
from bot.domain.working_hours import DAY_END, DAY_START, DEFAULT_TIMEZONE, zone

__all__ = ["DAY_END", "DAY_START", "DEFAULT_TIMEZONE", "as_utc", "zone"]
