"""A teacher's follow-up preferences as a value, and the times they allow.

No stored row means the gentle defaults: school hours (8:00–16:00) on weekdays in the teacher's own
time zone, no extra quiet hours, the bot's weekly nudge limit, and a check-in on Monday at 8:30.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.scheduling.working_hours import DAY_END, DAY_START, as_utc, zone
from bot.storage.models import TeacherPrefsRow

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


def to_prefs(row: TeacherPrefsRow | None) -> FollowUpPrefs:
    if row is None:
        return FollowUpPrefs()
    return FollowUpPrefs(
        nudges_enabled=row.nudges_enabled,
        work_days=tuple(int(d) for d in row.work_days.split(",") if d.strip()),
        day_start=row.day_start,
        day_end=row.day_end,
        quiet_start=row.quiet_start,
        quiet_end=row.quiet_end,
        weekly_nudge_limit=row.weekly_nudge_limit,
        snoozed_until=as_utc(row.snoozed_until) if row.snoozed_until else None,
        checkin_enabled=row.checkin_enabled,
        checkin_day=row.checkin_day,
        checkin_time=row.checkin_time,
        post_unanswered=bool(row.post_unanswered),
    )


def load_prefs(session: Session, teacher_ids: Iterable[int]) -> dict[int, FollowUpPrefs]:
    """Preferences for each id (defaults for teachers who never changed anything)."""
    ids = list(teacher_ids)
    rows: Iterable[TeacherPrefsRow] = (
        session.scalars(select(TeacherPrefsRow).where(TeacherPrefsRow.teacher_id.in_(ids))) if ids else []
    )
    found = {row.teacher_id: to_prefs(row) for row in rows}
    return {tid: found.get(tid, FollowUpPrefs()) for tid in ids}


def _columns(prefs: FollowUpPrefs) -> dict[str, object]:
    return {
        "nudges_enabled": prefs.nudges_enabled,
        "work_days": ",".join(str(d) for d in sorted(prefs.work_days)),
        "day_start": prefs.day_start,
        "day_end": prefs.day_end,
        "quiet_start": prefs.quiet_start,
        "quiet_end": prefs.quiet_end,
        "weekly_nudge_limit": prefs.weekly_nudge_limit,
        "snoozed_until": prefs.snoozed_until,
        "checkin_enabled": prefs.checkin_enabled,
        "checkin_day": prefs.checkin_day,
        "checkin_time": prefs.checkin_time,
        "post_unanswered": prefs.post_unanswered,
    }


def save_prefs(
    session: Session, teacher_id: int, prefs: FollowUpPrefs, before: FollowUpPrefs | None = None
) -> None:
    """Store ``prefs``. Given ``before`` (what the change started from), only the columns that differ
    are written, so two changes made at the same time by one teacher both survive."""
    values = _columns(prefs)
    if before is not None:
        old = _columns(before)
        values = {name: value for name, value in values.items() if old[name] != value}
    if session.get(TeacherPrefsRow, teacher_id) is None:
        try:
            with session.begin_nested():
                session.add(TeacherPrefsRow(teacher_id=teacher_id, **_columns(before or prefs)))
        except IntegrityError:  # another change created the row first: update it below
            pass
    if values:
        session.execute(
            update(TeacherPrefsRow)
            .where(TeacherPrefsRow.teacher_id == teacher_id)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
    session.expire_all()
