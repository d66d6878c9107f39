"""When a helper may be nudged: weekdays 8:00–16:00 in their own time zone. Times are UTC-aware."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.domain.clock import as_utc

__all__ = ["DAY_END", "DAY_START", "as_utc", "next_working_time", "zone"]

log = logging.getLogger(__name__)

DEFAULT_TIMEZONE = "America/New_York"
DAY_START = time(8, 0)
DAY_END = time(16, 0)


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or DEFAULT_TIMEZONE)
    except (ZoneInfoNotFoundError, ValueError):
        log.warning("unknown time zone, using the default", extra={"timezone": name})
        return ZoneInfo(DEFAULT_TIMEZONE)


def next_working_time(now: datetime, timezone: str | None) -> datetime:
    """``now`` if it is working hours where the helper is, else the start of their next working day."""
    tz = zone(timezone)
    local = as_utc(now).astimezone(tz)
    if local.weekday() < 5 and DAY_START <= local.time() < DAY_END:
        return as_utc(now)
    day = local.date() if local.time() < DAY_START else local.date() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime.combine(day, DAY_START, tzinfo=tz).astimezone(UTC)
