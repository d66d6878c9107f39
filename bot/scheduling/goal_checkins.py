"""Weekly goal check-ins (follow-up kind ``goal_checkin``): schedule one per active goal per week, and send.

Rows live in ``goal_checkins`` (unique per goal and week, so scheduling is idempotent however often it
runs). ``followups`` cannot hold them: its ``request_id`` must point at a help request. Sending claims
each row with a compare-and-set UPDATE, so several workers never send the same check-in twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from bot.domain.clock import as_utc
from bot.domain.followups import CANCELLED, FAILED, GOAL_CHECKIN, PENDING, SENT
from bot.domain.goals import Goal
from bot.domain.preferences import FollowUpPrefs
from bot.domain.replies import Button, Reply
from bot.domain.working_hours import zone
from bot.scheduling.dispatcher import describe
from bot.scheduling.messages import quote
from bot.scheduling.sender import DeliveryError, Sender
from bot.storage.database import Database

log = logging.getLogger(__name__)

LOG_REFLECTION = "goal_log_reflection"  # button action; the value is the goal id
LOG_HINT = "Reply with `/goal log what you tried and how it went` — your learning log is private to you."


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def checkin_due(prefs: FollowUpPrefs, timezone: str | None, monday: date) -> datetime:
    """The teacher's check-in moment in the week starting ``monday`` (weekends move to Monday)."""
    day = monday + timedelta(days=prefs.checkin_day if prefs.checkin_day < 5 else 0)
    return datetime.combine(day, prefs.checkin_time, tzinfo=zone(timezone)).astimezone(UTC)


def schedule_weekly_checkins(db: Database, now: datetime) -> int:
    """Insert this week's check-in for every active goal (next week's if this week's moment predates the
    goal). Safe to call on every tick: returns how many rows were new."""
    now = as_utc(now)
    created = 0
    with db.unit_of_work() as uow:
        goals = uow.goals.all_active()
        teachers = uow.teachers.get_many({g.teacher_id for g in goals})
        prefs = uow.preferences.load(teachers)
        for goal in goals:
            teacher = teachers.get(goal.teacher_id)
            if teacher is None or not prefs[teacher.id].checkin_enabled:
                continue
            local_today = now.astimezone(zone(teacher.timezone)).date()
            monday = week_start(local_today)
            due = checkin_due(prefs[teacher.id], teacher.timezone, monday)
            if due < goal.created_at:
                monday += timedelta(days=7)
                due = checkin_due(prefs[teacher.id], teacher.timezone, monday)
            created += uow.goal_checkins.schedule(goal.id, monday, due)  # once per goal and week
    if created:
        log.info("goal check-ins scheduled", extra={"kind": GOAL_CHECKIN, "scheduled": created})
    return created


def checkin_reply(goal: Goal) -> Reply:
    linked = f" (linked to {goal.link_label})" if goal.link_label else ""
    return Reply(
        text=f"What did you try this week toward “{quote(goal.text)}”{linked}?",
        buttons=(Button("Log a reflection", LOG_REFLECTION, str(goal.id), "primary"),),
        footer=LOG_HINT,
        ephemeral=False,
    )


@dataclass
class GoalCheckins:
    """Sends due check-ins. Contact rules: the teacher's working days (never weekends), not in quiet
    hours, not while snoozed (that week's check-in is skipped) or with check-ins turned off."""

    db: Database
    lease: timedelta = timedelta(minutes=5)
    max_attempts: int = 5
    retry_after: timedelta = timedelta(minutes=5)

    def run_due(self, sender: Sender, now: datetime, limit: int = 50) -> int:
        now = as_utc(now)
        with self.db.unit_of_work(writes=False) as uow:
            ids = uow.goal_checkins.due_ids(now, self.lease, limit)
        sent = 0
        for checkin_id in ids:
            if self._claim(checkin_id, now):
                sent += self._run(checkin_id, sender, now)
        return sent

    def _claim(self, checkin_id: int, now: datetime) -> bool:
        """Committed before the send: another worker sees the row taken."""
        with self.db.unit_of_work() as uow:
            return uow.goal_checkins.claim(checkin_id, now, self.lease)

    def _run(self, checkin_id: int, sender: Sender, now: datetime) -> int:
        try:
            values = self._send(checkin_id, sender, now)
        except Exception as exc:
            retryable = not isinstance(exc, DeliveryError) or exc.retryable
            with self.db.unit_of_work() as uow:  # one transaction: read the attempts, record the failure
                retry = retryable and uow.goal_checkins.attempts(checkin_id) < self.max_attempts
                values = {"state": PENDING if retry else FAILED, "last_error": describe(exc)}
                if retry:
                    values["due_at"] = now + self.retry_after
                uow.goal_checkins.finish(checkin_id, values)
            log.warning("goal check-in failed", extra={"checkin_id": checkin_id, "state": values["state"]})
            return 0
        with self.db.unit_of_work() as uow:
            uow.goal_checkins.finish(checkin_id, values)
        return int(values["state"] == SENT)

    def _send(self, checkin_id: int, sender: Sender, now: datetime) -> dict[str, object]:
        with self.db.unit_of_work() as uow:
            goal_id = uow.goal_checkins.goal_id(checkin_id)
            found = uow.goals.get(goal_id) if goal_id is not None else None
            if found is None or not found[1]:  # gone, or no longer the active goal
                return {"state": CANCELLED}
            goal = found[0]
            teacher = uow.teachers.get(goal.teacher_id)
            prefs = uow.preferences.get(goal.teacher_id)
        if teacher is None or not prefs.checkin_enabled or prefs.snoozed(now):
            return {"state": CANCELLED}
        local = now.astimezone(zone(teacher.timezone))
        if local.weekday() >= 5 or local.weekday() not in prefs.work_days or prefs.quiet(local.time()):
            return {"state": PENDING, "due_at": prefs.next_contact_time(now, teacher.timezone)}
        sender.send_dm(teacher.platform, teacher.platform_user_id, checkin_reply(goal))
        return {"state": SENT, "sent_at": now}


def tick(db: Database, sender: Sender, now: datetime) -> int:
    """What a scheduler job calls: make sure this week's check-ins exist, then send the due ones."""
    schedule_weekly_checkins(db, now)
    return GoalCheckins(db).run_due(sender, now)
