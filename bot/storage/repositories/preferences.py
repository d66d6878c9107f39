"""Teachers' follow-up preferences: one row per teacher who changed anything (no row: the defaults)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.domain.clock import as_utc
from bot.domain.preferences import FollowUpPrefs
from bot.storage.models import TeacherPrefsRow


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


class PreferenceRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def load(self, teacher_ids: Iterable[int]) -> dict[int, FollowUpPrefs]:
        """Preferences for each id (defaults for teachers who never changed anything)."""
        ids = list(teacher_ids)
        rows: Iterable[TeacherPrefsRow] = (
            self.session.scalars(select(TeacherPrefsRow).where(TeacherPrefsRow.teacher_id.in_(ids)))
            if ids
            else []
        )
        found = {row.teacher_id: to_prefs(row) for row in rows}
        return {tid: found.get(tid, FollowUpPrefs()) for tid in ids}

    def get(self, teacher_id: int) -> FollowUpPrefs:
        return self.load([teacher_id])[teacher_id]

    def save(self, teacher_id: int, prefs: FollowUpPrefs, before: FollowUpPrefs | None = None) -> None:
        """Store ``prefs``. Given ``before`` (what the change started from), only the columns that differ
        are written, so two changes made at the same time by one teacher both survive."""
        values = _columns(prefs)
        if before is not None:
            old = _columns(before)
            values = {name: value for name, value in values.items() if old[name] != value}
        if self.session.get(TeacherPrefsRow, teacher_id) is None:
            try:
                with self.session.begin_nested():
                    self.session.add(TeacherPrefsRow(teacher_id=teacher_id, **_columns(before or prefs)))
            except IntegrityError:  # another change created the row first: update it below
                pass
        if values:
            self.session.execute(
                update(TeacherPrefsRow)
                .where(TeacherPrefsRow.teacher_id == teacher_id)
                .values(**values)
                .execution_options(synchronize_session=False)
            )
        self.session.expire_all()
