"""Escalation respects each helper's own preferences: nudges off, snooze, quiet hours, hours and limit."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from bot.domain.events import Actor, ButtonPress
from bot.domain.preferences import FollowUpPrefs
from bot.handlers import lifecycle
from bot.scheduling.messages import FollowUpAction
from bot.scheduling.scheduler import build_dispatcher
from bot.storage.models import ESCALATE, FollowUpRow, NudgeRow, TeacherRow
from bot.storage.repositories import TeacherRepository
from bot.storage.repositories.preferences import PreferenceRepository
from tests.recording_sender import RecordingSender
from tests.scheduling.conftest import START, deps_at, make_request

CHICAGO = "America/Chicago"
QUESTION = "How do I teach equivalent fractions hands-on to 4th graders?"


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(CHICAGO)).astimezone(UTC)


def only_helpers(app, *user_ids: str) -> dict[str, int]:
    """Everyone else is closed to helping; returns the helpers' ids (all in Chicago)."""
    with app.db.session() as session:
        session.execute(update(TeacherRow).values(open_to_help=False, timezone=CHICAGO))
        session.execute(
            update(TeacherRow).where(TeacherRow.platform_user_id.in_(user_ids)).values(open_to_help=True)
        )
        repo = TeacherRepository(session)
        return {uid: repo.find("console", uid).id for uid in user_ids}


def set_prefs(app, teacher_id: int, **fields: object) -> None:
    with app.db.session() as session:
        PreferenceRepository(session).save(teacher_id, replace(FollowUpPrefs(), **fields))


def wait_for_answers(app, request_id: int) -> None:
    """The question is stored and waits: its first escalation is due at once (START)."""
    lifecycle.created(deps_at(app, START, nudge_after=timedelta(0)), request_id)


def run(app, clock):
    sender = RecordingSender()
    dispatcher = build_dispatcher(app.db, sender, app.kindred.deps.suggester, clock)
    while dispatcher.run_once():
        pass
    return dispatcher, sender


def test_next_contact_time_subtracts_quiet_hours_from_the_school_day():
    prefs = FollowUpPrefs(quiet_start=time(7, 0), quiet_end=time(9, 30))  # wraps nothing: 7:00-9:30
    assert prefs.next_contact_time(local(2026, 11, 23, 8, 0), CHICAGO) == local(2026, 11, 23, 9, 30)
    assert prefs.next_contact_time(local(2026, 11, 23, 10, 0), CHICAGO) == local(2026, 11, 23, 10, 0)
    evening = FollowUpPrefs(quiet_start=time(14, 0), quiet_end=time(8, 30))  # wraps midnight
    assert evening.next_contact_time(local(2026, 11, 23, 14, 5), CHICAGO) == local(2026, 11, 24, 8, 30)
    assert evening.next_contact_time(local(2026, 11, 27, 13, 0), CHICAGO) == local(2026, 11, 27, 13, 0)
    assert evening.next_contact_time(local(2026, 11, 27, 15, 0), CHICAGO) == local(2026, 11, 30, 8, 30)
    short_week = FollowUpPrefs(work_days=(1, 2, 3), day_start=time(7, 15), day_end=time(15, 0))
    assert short_week.next_contact_time(local(2026, 11, 23, 10, 0), CHICAGO) == local(2026, 11, 24, 7, 15)
    always_quiet = FollowUpPrefs(quiet_start=time(6, 0), quiet_end=time(18, 0))
    assert always_quiet.next_contact_time(local(2026, 11, 23, 7, 0), CHICAGO) == local(2026, 11, 23, 8, 0)


def test_helpers_with_nudges_off_or_snoozed_are_never_nudged(app, clock):
    ids = only_helpers(app, "derek.thompson", "andre.williams", "sofia.martinez")
    set_prefs(app, ids["derek.thompson"], nudges_enabled=False)
    set_prefs(app, ids["andre.williams"], snoozed_until=START + timedelta(days=3))
    request_id = make_request(app.db, "maria.lopez", QUESTION)
    wait_for_answers(app, request_id)
    _, sender = run(app, clock)
    assert [m.platform_user_id for m in sender.sent] == ["sofia.martinez"]  # the only one not paused
    with app.db.session() as session:
        nudged = set(session.scalars(select(NudgeRow.teacher_id)))
    assert not nudged & {ids["derek.thompson"], ids["andre.williams"]}


def test_a_waiting_nudge_is_dropped_when_the_helper_snoozes_or_turns_nudges_off(app, clock):
    ids = only_helpers(app, "derek.thompson", "andre.williams")
    request_id = make_request(app.db, "maria.lopez", QUESTION)
    with app.db.session() as session:
        for teacher_id in ids.values():
            session.add(
                FollowUpRow(
                    kind=ESCALATE,
                    request_id=request_id,
                    target_teacher_id=teacher_id,
                    due_at=START,
                    attempts=0,
                )
            )
    set_prefs(app, ids["derek.thompson"], nudges_enabled=False)
    set_prefs(app, ids["andre.williams"], snoozed_until=START + timedelta(hours=1))
    _, sender = run(app, clock)
    assert sender.sent == []
    with app.db.session() as session:
        states = set(
            session.scalars(select(FollowUpRow.state).where(FollowUpRow.target_teacher_id.is_not(None)))
        )
    assert states == {"cancelled"}


def test_quiet_hours_defer_a_nudge_to_when_they_end(app, clock):
    ids = only_helpers(app, "derek.thompson")
    set_prefs(app, ids["derek.thompson"], quiet_start=time(7, 0), quiet_end=time(10, 0))
    request_id = make_request(app.db, "maria.lopez", QUESTION)
    wait_for_answers(app, request_id)  # 9:00 in Chicago: quiet
    dispatcher, sender = run(app, clock)
    assert sender.sent == []
    with app.db.session() as session:
        (row,) = session.scalars(
            select(FollowUpRow).where(FollowUpRow.target_teacher_id == ids["derek.thompson"])
        )
    assert row.state == "pending" and row.due_at.replace(tzinfo=UTC) == local(2026, 11, 23, 10, 0)
    clock.set(local(2026, 11, 23, 9, 59))
    assert dispatcher.run_once() == 0
    clock.set(local(2026, 11, 23, 10, 0))
    assert dispatcher.run_once() == 1
    assert [m.platform_user_id for m in sender.sent] == ["derek.thompson"]


def test_a_helpers_own_weekly_limit_is_used(app, clock):
    ids = only_helpers(app, "derek.thompson", "andre.williams")
    set_prefs(app, ids["derek.thompson"], weekly_nudge_limit=1)
    set_prefs(app, ids["andre.williams"], weekly_nudge_limit=5)
    for days_ago in (1, 2, 3, 4):
        other = make_request(app.db, "someone.else", "another question")
        with app.db.session() as session:
            for teacher_id in ids.values():
                session.add(
                    NudgeRow(
                        request_id=other, teacher_id=teacher_id, created_at=START - timedelta(days=days_ago)
                    )
                )
    request_id = make_request(app.db, "maria.lopez", QUESTION)
    wait_for_answers(app, request_id)
    _, sender = run(app, clock)
    assert [m.platform_user_id for m in sender.sent] == ["andre.williams"]  # 4 < 5, but derek's limit is 1
    clock.advance(days=1)
    not_yet = ButtonPress(Actor("console", "maria.lopez"), FollowUpAction.NOT_YET, str(request_id))
    app.kindred.use_clock(clock)  # "not yet" on the did-it-help DM: new peers are sought right away
    assert "ask a few more" in app.kindred.handle_button(not_yet).reply.text
    _, more = run(app, clock)
    assert [m for m in more.sent if "No colleague has answered" not in m.reply.text] == [], "no nudge"
