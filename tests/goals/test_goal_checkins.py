"""Weekly goal check-ins: one per goal per week, at the teacher's local check-in time, never on weekends."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.domain.preferences import FollowUpPrefs
from bot.scheduling.goal_checkins import LOG_REFLECTION, GoalCheckins, schedule_weekly_checkins, tick
from bot.scheduling.sender import DeliveryError
from bot.storage.models import GoalCheckinRow, GoalRow
from bot.storage.repositories import TeacherRepository
from bot.storage.repositories.goals import GoalRepository
from bot.storage.repositories.preferences import PreferenceRepository
from tests.recording_sender import RecordingSender

CHICAGO, TOKYO = "America/Chicago", "Asia/Tokyo"
SUNDAY_NIGHT = datetime(
    2026, 11, 22, 12, 0, tzinfo=UTC
)  # Sunday in both zones' week of Nov 16 (Tokyo: 21:00)


def local(tz: str, *args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(tz)).astimezone(UTC)


def teacher_with_goal(db, user_id: str, tz: str, set_at: datetime, **prefs: object) -> int:
    with db.session() as session:
        teacher, _ = TeacherRepository(session).upsert("console", user_id, {"name": user_id, "timezone": tz})
        if prefs:
            PreferenceRepository(session).save(teacher.id, replace(FollowUpPrefs(), **prefs))
        return (
            GoalRepository(session)
            .set_goal(
                teacher.id, "ask more open-ended questions", set_at, "danielson", "3b", "Using questioning"
            )
            .id
        )


def checkins(db) -> list[GoalCheckinRow]:
    with db.session() as session:
        return list(session.scalars(select(GoalCheckinRow).order_by(GoalCheckinRow.id)))


def test_scheduled_once_per_week_per_goal_at_the_local_checkin_time(db):
    chicago = teacher_with_goal(db, "ana", CHICAGO, SUNDAY_NIGHT - timedelta(days=3))
    tokyo = teacher_with_goal(db, "ken", TOKYO, SUNDAY_NIGHT - timedelta(days=3), checkin_day=2)
    monday = local(CHICAGO, 2026, 11, 23, 7, 0)  # Monday 7:00 in Chicago = Monday 22:00 in Tokyo
    assert schedule_weekly_checkins(db, monday) == 2
    for later in (monday, monday + timedelta(hours=5), monday + timedelta(days=2)):
        assert schedule_weekly_checkins(db, later) == 0
    rows = {row.goal_id: row for row in checkins(db)}
    assert rows[chicago].week_start == date(2026, 11, 23)
    assert rows[chicago].due_at.replace(tzinfo=UTC) == local(CHICAGO, 2026, 11, 23, 8, 30)
    assert rows[tokyo].due_at.replace(tzinfo=UTC) == local(TOKYO, 2026, 11, 25, 8, 30)  # Wednesday
    assert schedule_weekly_checkins(db, monday + timedelta(days=7)) == 2  # the next week
    assert len(checkins(db)) == 4


def test_a_goal_set_after_this_weeks_checkin_waits_for_next_week(db):
    tuesday = local(CHICAGO, 2026, 11, 24, 10, 0)
    goal_id = teacher_with_goal(db, "ana", CHICAGO, tuesday)
    schedule_weekly_checkins(db, tuesday)
    (row,) = checkins(db)
    assert row.goal_id == goal_id and row.due_at.replace(tzinfo=UTC) == local(CHICAGO, 2026, 11, 30, 8, 30)


def test_sent_at_the_teachers_local_time_with_a_log_button(db, clock):
    teacher_with_goal(db, "ana", CHICAGO, SUNDAY_NIGHT)
    sender = RecordingSender()
    clock.set(local(CHICAGO, 2026, 11, 23, 8, 29))
    assert tick(db, sender, clock()) == 0 and sender.sent == []
    clock.advance(minutes=1)
    assert tick(db, sender, clock()) == 1
    assert tick(db, sender, clock.advance(hours=1)()) == 0, "sent once"
    (message,) = sender.sent
    assert message.platform_user_id == "ana"
    assert message.reply.text == (
        "What did you try this week toward “ask more open-ended questions” (linked to 3b Using questioning)?"
    )
    (button,) = message.reply.buttons
    assert (button.label, button.action) == ("Log a reflection", LOG_REFLECTION)
    assert "/goal log" in message.reply.to_text()
    assert checkins(db)[0].state == "sent"


def test_never_on_weekends_or_days_off_and_quiet_hours_defer(db):
    # Works Mon-Wed; a Friday check-in can never be sent on a day off: it moves to Monday.
    teacher_with_goal(db, "ana", CHICAGO, SUNDAY_NIGHT, work_days=(0, 1, 2), checkin_day=4)
    sender = RecordingSender()
    friday = local(CHICAGO, 2026, 11, 27, 8, 30)
    assert tick(db, sender, friday) == 0
    (row,) = checkins(db)
    assert row.state == "pending" and row.due_at.replace(tzinfo=UTC) == local(CHICAGO, 2026, 11, 30, 8, 0)
    saturday = local(CHICAGO, 2026, 11, 28, 9, 0)
    assert GoalCheckins(db).run_due(sender, saturday) == 0 and sender.sent == []
    assert GoalCheckins(db).run_due(sender, local(CHICAGO, 2026, 11, 30, 8, 0)) == 1


def test_quiet_hours_defer_a_checkin(db):
    teacher_with_goal(db, "ana", CHICAGO, SUNDAY_NIGHT, quiet_start=time(16, 0), quiet_end=time(9, 0))
    sender = RecordingSender()
    assert tick(db, sender, local(CHICAGO, 2026, 11, 23, 8, 30)) == 0
    assert checkins(db)[0].due_at.replace(tzinfo=UTC) == local(CHICAGO, 2026, 11, 23, 9, 0)
    assert tick(db, sender, local(CHICAGO, 2026, 11, 23, 9, 0)) == 1


def test_snoozed_or_switched_off_teachers_get_no_checkin(db):
    monday = local(CHICAGO, 2026, 11, 23, 8, 30)
    teacher_with_goal(db, "ana", CHICAGO, SUNDAY_NIGHT, snoozed_until=monday + timedelta(days=2))
    teacher_with_goal(db, "bo", CHICAGO, SUNDAY_NIGHT, checkin_enabled=False)
    sender = RecordingSender()
    assert tick(db, sender, monday) == 0 and sender.sent == []
    assert [row.state for row in checkins(db)] == ["cancelled"]  # only ana's was scheduled; skipped this week


def test_a_cleared_goal_is_not_checked_in_and_delivery_errors_retry(db):
    goal_id = teacher_with_goal(db, "ana", CHICAGO, SUNDAY_NIGHT)
    monday = local(CHICAGO, 2026, 11, 23, 8, 30)
    schedule_weekly_checkins(db, monday)

    class Flaky(RecordingSender):
        failures = 1

        def send_dm(self, platform, platform_user_id, reply):  # type: ignore[no-untyped-def]
            if self.failures:
                self.failures -= 1
                raise DeliveryError("rate limited")
            super().send_dm(platform, platform_user_id, reply)

    sender = Flaky()
    assert GoalCheckins(db).run_due(sender, monday) == 0
    (row,) = checkins(db)
    assert row.state == "pending" and row.last_error == "DeliveryError: rate limited"
    assert GoalCheckins(db).run_due(sender, monday + timedelta(minutes=5)) == 1

    with db.session() as session:
        (teacher_id,) = session.scalars(select(GoalRow.teacher_id).where(GoalRow.id == goal_id))
        GoalRepository(session).clear(teacher_id)
    assert schedule_weekly_checkins(db, monday + timedelta(days=7)) == 0
