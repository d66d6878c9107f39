"""Human durations for settings and commands: "90m", "2h", "1d", "2w", "1h30m"."""

from __future__ import annotations

import re
from datetime import timedelta

_PART = re.compile(r"([0-9]{1,9})\s*([smhdw])")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_duration(value: str) -> timedelta:
    """Parse ``<n><unit>`` parts (s, m, h, d, w); raises ValueError on anything else or on zero."""
    text = value.strip().lower().replace(" ", "")
    if not text or _PART.sub("", text):
        raise ValueError(f"not a duration: {value!r} (use e.g. 90m, 2h, 1d, 2w)")
    total = timedelta()
    try:
        for amount, unit in _PART.findall(text):
            total += timedelta(**{_UNITS[unit]: int(amount)})
    except OverflowError:
        raise ValueError(f"duration too long: {value!r}") from None
    if total <= timedelta():
        raise ValueError(f"duration must be positive: {value!r}")
    return total
