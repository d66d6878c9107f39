"""A teacher's follow-up preferences as a value, and the times they allow.

No stored row means the gentle defaults: school hours (8:00–16:00) on weekdays in the teacher's own
time zone, no extra quiet hours, the bot's weekly nudge limit, and a check-in on Monday at 8:30.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from bot.domain.clock import as_utc
from bot.domain.working_hours import DAY_END, DAY_START, zone

WEEKDAYS = (0, 1, 2, 3, 4)
DEFAULT_CHECKIN_TIME = time(8, 30)
_LOOKAHEAD_DAYS = 15
Window = tuple[time, time | None]  # [start, end); end None means midnight


@dataclass(frozen=True)
class FollowUpPrefs:
    nudges_enabled: bool = True
    work_days: tuple[int, ...] = WEEKDAYS
    day_start: time = DAY_START
    day_end: time = DAY_END
    quiet_start: time | None = None
    quiet_end: time | None = None
    weekly_nudge_limit: int | None = None
    snoozed_until: datetime | None = None
    checkin_enabled: bool = True
    checkin_day: int = 0
    checkin_time: time = DEFAULT_CHECKIN_TIME
    post_unanswered: bool = False  # opted in: an unanswered private question goes to #help without asking

    def snoozed(self, now: datetime) -> bool:
        return self.snoozed_until is not None and as_utc(self.snoozed_until) > as_utc(now)

    def accepts_nudges(self, now: datetime) -> bool:
        """Nudges on, not snoozed, and a nonzero limit."""
        return self.nudges_enabled and not self.snoozed(now) and self.nudge_limit(1) > 0

    def nudge_limit(self, default: int) -> int:
        return default if self.weekly_nudge_limit is None else self.weekly_nudge_limit

    def quiet(self, moment: time) -> bool:
        """Inside quiet hours (which may wrap midnight, e.g. 17:00–07:30)."""
        if self.quiet_start is None or self.quiet_end is None:
            return False
        if self.quiet_start <= self.quiet_end:
            return self.quiet_start <= moment < self.quiet_end
        return moment >= self.quiet_start or moment < self.quiet_end

    def windows(self, day: date) -> list[Window]:
        """The local times on ``day`` when the teacher may be contacted: working hours minus quiet hours."""
        if day.weekday() not in self.work_days:
            return []
        windows: list[Window] = [(self.day_start, self.day_end)]
        if self.quiet_start is not None and self.quiet_end is not None:
            if self.quiet_start <= self.quiet_end:
                quiet: list[Window] = [(self.quiet_start, self.quiet_end)]
            else:
                quiet = [(time(0, 0), self.quiet_end), (self.quiet_start, None)]
            for q in quiet:
                windows = [part for w in windows for part in _subtract(w, q)]
        return windows

    def next_contact_time(self, now: datetime, timezone: str | None) -> datetime:
        """``now`` if the teacher may be contacted now, else the start of their next allowed window (UTC)."""
        tz = zone(timezone)
        local = as_utc(now).astimezone(tz)
        for offset in range(_LOOKAHEAD_DAYS):
            day = local.date() + timedelta(days=offset)
            for start, end in self.windows(day):
                if offset == 0 and end is not None and local.time() >= end:
                    continue
                if offset == 0 and local.time() >= start:
                    return as_utc(now)
                return datetime.combine(day, start, tzinfo=tz).astimezone(UTC)
        # No window at all (every working hour is quiet): fall back to school hours rather than never.
        return FollowUpPrefs().next_contact_time(now, timezone)


def _subtract(window: Window, cut: Window) -> list[Window]:
    start, end = window
    cut_start, cut_end = cut
    end_key = end or time.max
    cut_end_key = cut_end or time.max
    if cut_end_key <= start or cut_start >= end_key:
        return [window]
    parts: list[Window] = []
    if start < cut_start:
        parts.append((start, cut_start))
    if cut_end is not None and cut_end_key < end_key:
        parts.append((cut_end, end))
    return parts
