"""School hours (weekdays 8:00–16:00 in a teacher's own time zone, the default contact window of
``bot.domain.preferences``) and time-zone lookup. Times are UTC-aware."""

from __future__ import annotations

import logging
from datetime import time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

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
