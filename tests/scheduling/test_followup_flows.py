"""Follow-ups end to end on the fake embedder and the sample community (platform "console")."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import select, update

from bot.domain.events import Actor, ButtonPress, Command, ThreadReply
from bot.domain.replies import Action
from bot.domain.requests import RequestStatus
from bot.domain.user_text import plain
from bot.handlers import lifecycle
from bot.scheduling.dispatcher import Dispatcher
from bot.scheduling.followup_jobs import FollowUpJobs
from bot.scheduling.messages import FollowUpAction
from bot.scheduling.scheduler import JOB_ID, build_dispatcher, build_scheduler
from bot.storage.models import ESCALATE, FollowUpRow, HelpRequestRow, NudgeRow, SuggestionRow, TeacherRow
from bot.storage.repositories import RequestRepository, TeacherRepository
from bot.storage.repositories.followups import FollowUpRepository
from tests.recording_sender import RecordingSender
from tests.scheduling.conftest import START, FakeClock, deps_at, make_request

MARIA = Actor("console", "maria.lopez", "Maria Lopez")
DEREK = Actor("console", "derek.thompson", "Derek Thompson")
QUESTION = "How do I teach equivalent fractions hands-on to 4th graders?"


def ask(app, text=QUESTION, at=START) -> int:
    with time_machine.travel(at, tick=False):
        outcome = app.kindred.handle_command(Command(MARIA, "ask", text, channel_id="general"))
    return outcome.reply.request_id


def press(app, action, request_id, actor=MARIA, at=START):
    with time_machine.travel(at, tick=False):
        return app.kindred.handle_button(ButtonPress(actor, action, str(request_id)))


def post_to_help(app, request_id, at=START) -> tuple[str, str]:
    """Maria's "Post to #help" button; the platform then records where it went (as the console does)."""
    outcome = press(app, Action.POST_TO_HELP, request_id, at=at)
    assert outcome.posts
    app.kindred.record_post(request_id, "console", "help", f"post-{request_id}")
    return "help", f"post-{request_id}"


def reply_in_thread(app, thread: tuple[str, str], text: str, at: datetime, actor=DEREK) -> None:
    """A colleague answers in the question's thread: the way a human reply reaches the core."""
    with time_machine.travel(at, tick=False):
        outcome = app.kindred.handle_thread_reply(ThreadReply(actor, *thread, text, f"r{at.timestamp()}"))
    assert outcome is not None and not outcome.failed


def worker(app, clock, **kwargs) -> tuple[Dispatcher, RecordingSender]:
    sender = RecordingSender()
    return build_dispatcher(app.db, sender, app.kindred.deps.suggester, clock, **kwargs), sender


def drain(dispatcher: Dispatcher) -> int:
    total = 0
    while sent := dispatcher.run_once():
        total += sent
    return total


def suggested_peers(app, request_id) -> set[str]:
    with app.db.session() as session:
        ids = session.scalars(
            select(SuggestionRow.teacher_id).where(
                SuggestionRow.request_id == request_id, SuggestionRow.kind == "peer"
            )
        )
        return {t.platform_user_id for t in TeacherRepository(session).get_many(ids).values()}


def followups(app, request_id) -> list[FollowUpRow]:
    with app.db.session() as session:
        return list(session.scalars(select(FollowUpRow).where(FollowUpRow.request_id == request_id)))


def test_ask_schedules_one_escalation_and_a_scheduling_failure_only_logs(app, monkeypatch, caplog):
    request_id = ask(app)
    (row,) = followups(app, request_id)
    assert row.kind == ESCALATE and row.target_teacher_id is None and row.state == "pending"
    assert row.due_at.replace(tzinfo=UTC) == START + timedelta(hours=2)

    def broken(*args, **kwargs):
        raise RuntimeError("database hiccup")

    monkeypatch.setattr(FollowUpRepository, "schedule", broken)
    with time_machine.travel(START, tick=False):
        outcome = app.kindred.handle_command(Command(MARIA, "ask", QUESTION))
    assert outcome.reply.resources, "the teacher still gets an answer"
    assert "event subscriber failed" in caplog.text
    assert "equivalent fractions" not in " ".join(r.getMessage() for r in caplog.records if r.exc_info)


def test_escalation_after_the_window_asks_new_peers_never_the_same_person_twice(app, clock):
    request_id = ask(app)
    first_round = suggested_peers(app, request_id)
    dispatcher, sender = worker(app, clock)
    clock.advance(hours=1, minutes=59)
    assert drain(dispatcher) == 0
    clock.advance(minutes=1)
    drain(dispatcher)
    nudged = [m.platform_user_id for m in sender.sent]
    assert 1 <= len(nudged) <= 3 and len(set(nudged)) == len(nudged)
    assert not set(nudged) & (first_round | {"maria.lopez"})
    text = plain(sender.sent[0].reply.text)  # the question is marked as user text for the renderers
    assert text.startswith("A colleague asked “How do I teach equivalent fractions")
    assert "could you share what works for you?" in text and "Maria" not in text

    for _ in range(2):  # "not yet" twice: each round finds people who were not asked before
        clock.advance(hours=1)
        assert "ask a few more" in press(app, FollowUpAction.NOT_YET, request_id, at=clock.now).reply.text
        drain(dispatcher)
    everyone = [m.platform_user_id for m in sender.sent if "No colleague has answered" not in m.reply.text]
    assert len(everyone) > len(nudged) and len(set(everyone)) == len(everyone)
    assert not set(everyone) & (first_round | {"maria.lopez"})
    with app.db.session() as session:
        helpers = TeacherRepository(session).get_many(
            session.scalars(select(NudgeRow.teacher_id).where(NudgeRow.request_id == request_id))
        )
    assert all(t.open_to_help for t in helpers.values())
    assert sorted(t.platform_user_id for t in helpers.values()) == sorted(everyone)
    clock.advance(days=1)
    assert drain(dispatcher) == 0


def test_a_human_reply_stops_escalation_and_asks_did_it_help_once(app, clock):
    request_id = ask(app)
    thread = post_to_help(app, request_id)
    reply_in_thread(app, thread, "Fraction strips work well.", START + timedelta(minutes=30))
    reply_in_thread(app, thread, "Pizza fractions too!", START + timedelta(minutes=40))
    dispatcher, sender = worker(app, clock)
    clock.advance(days=1)
    drain(dispatcher)
    assert [m.platform_user_id for m in sender.sent] == ["maria.lopez"], "no helper is nudged"
    states = {row.kind: row.state for row in followups(app, request_id)}
    assert states == {"escalate": "cancelled", "did_it_help": "sent"}


def test_a_reply_after_planning_cancels_nudges_still_waiting_for_working_hours(app, clock):
    with app.db.session() as session:
        session.execute(update(TeacherRow).values(timezone="America/Chicago"))
    seven_am = datetime(2026, 11, 23, 13, 0, tzinfo=UTC)  # 7:00 in Chicago
    request_id = ask(app, at=seven_am - timedelta(hours=2))
    thread = post_to_help(app, request_id, at=seven_am - timedelta(hours=2))
    dispatcher, sender = worker(app, clock.set(seven_am))
    drain(dispatcher)
    waiting = [row for row in followups(app, request_id) if row.target_teacher_id is not None]
    assert waiting and sender.sent == []
    assert {row.due_at.replace(tzinfo=UTC) for row in waiting} == {datetime(2026, 11, 23, 14, tzinfo=UTC)}
    reply_in_thread(app, thread, "Fraction strips work well.", seven_am + timedelta(minutes=20))
    clock.advance(hours=1)
    drain(dispatcher)
    assert {row.state for row in followups(app, request_id) if row.target_teacher_id} == {"cancelled"}


def test_a_nudge_outside_working_hours_is_deferred_to_8am_local(app, clock):
    request_id = make_request(app.db, "maria.lopez", QUESTION)
    with app.db.session() as session:
        helper = TeacherRepository(session).find("console", "derek.thompson")
        session.execute(
            update(TeacherRow).where(TeacherRow.id == helper.id).values(timezone="America/Chicago")
        )
        session.add(
            FollowUpRow(
                kind=ESCALATE,
                request_id=request_id,
                target_teacher_id=helper.id,
                due_at=START - timedelta(hours=3),
                state="pending",
                attempts=0,
            )
        )
    dispatcher, sender = worker(app, clock.set(datetime(2026, 11, 23, 13, 0, tzinfo=UTC)))  # 7:00 Chicago
    assert dispatcher.run_once() == 0 and sender.sent == []
    (row,) = followups(app, request_id)
    assert row.state == "pending" and row.attempts == 0
    assert row.due_at.replace(tzinfo=UTC) == datetime(2026, 11, 23, 14, 0, tzinfo=UTC)  # 8:00 Chicago
    clock.advance(minutes=59)
    assert dispatcher.run_once() == 0
    clock.advance(minutes=1)
    assert dispatcher.run_once() == 1
    assert [m.platform_user_id for m in sender.sent] == ["derek.thompson"]
    assert "you teach 4th grade math too" in sender.sent[0].reply.text


def test_weekly_nudge_limit_skips_busy_helpers(app, clock):
    with app.db.session() as session:
        session.execute(update(TeacherRow).values(open_to_help=False))
        session.execute(
            update(TeacherRow)
            .where(TeacherRow.platform_user_id.in_(["derek.thompson", "andre.williams"]))
            .values(open_to_help=True)
        )
        derek = TeacherRepository(session).find("console", "derek.thompson")
    for days_ago in (1, 3, 6):  # three nudges this week already
        other = make_request(app.db, "someone.else", "another question")
        with app.db.session() as session:
            session.add(
                NudgeRow(request_id=other, teacher_id=derek.id, created_at=START - timedelta(days=days_ago))
            )
    request_id = make_request(app.db, "maria.lopez", QUESTION)
    lifecycle.created(deps_at(app, START, nudge_after=timedelta(0)), request_id)
    dispatcher, sender = worker(app, clock)
    drain(dispatcher)
    assert [m.platform_user_id for m in sender.sent] == ["andre.williams"]

    clock.advance(days=2)  # the oldest nudge is now more than a week old: derek has room again
    press(app, FollowUpAction.NOT_YET, request_id, at=clock.now)
    drain(dispatcher)
    nudges = [m.platform_user_id for m in sender.sent if "No colleague has answered" not in m.reply.text]
    assert nudges == ["andre.williams", "derek.thompson"]


def test_did_it_help_yes_marks_the_request_solved(app, clock):
    request_id = ask(app)
    assert lifecycle.human_replied(deps_at(app, START + timedelta(minutes=10)), request_id)
    dispatcher, sender = worker(app, clock.set(START + timedelta(minutes=70)))
    drain(dispatcher)
    (dm,) = sender.sent
    assert dm.platform_user_id == "maria.lopez" and dm.reply.text.startswith("Did this help?")
    assert [(b.action, b.value) for b in dm.reply.buttons] == [
        (FollowUpAction.YES, str(request_id)),
        (FollowUpAction.NOT_YET, str(request_id)),
    ]
    stranger = Actor("console", "derek.thompson")
    assert "Only the teacher who asked" in press(app, FollowUpAction.YES, request_id, stranger).reply.text
    assert "solved" in press(app, FollowUpAction.YES, request_id).reply.text
    with app.db.session() as session:
        assert RequestRepository(session).get(request_id).status is RequestStatus.SOLVED
    clock.advance(days=1)
    assert drain(dispatcher) == 0 and len(sender.sent) == 1


def test_did_it_help_not_yet_reopens_and_escalates_now(app, clock):
    request_id = ask(app)
    assert lifecycle.human_replied(deps_at(app, START + timedelta(minutes=10)), request_id)
    with app.db.session() as session:  # as a thread reply does
        RequestRepository(session).set_status(request_id, RequestStatus.ANSWERED)
    dispatcher, sender = worker(app, clock.set(START + timedelta(hours=3)))
    drain(dispatcher)
    assert [m.platform_user_id for m in sender.sent] == ["maria.lopez"]
    reply = press(app, FollowUpAction.NOT_YET, request_id, at=clock.now)
    assert "ask a few more colleagues" in reply.reply.text
    with app.db.session() as session:
        row = session.get(HelpRequestRow, request_id)
        assert row.status == "open" and row.first_human_reply_at is None
    plan = next(r for r in followups(app, request_id) if r.kind == ESCALATE and r.target_teacher_id is None)
    assert plan.state == "pending" and plan.due_at.replace(tzinfo=UTC) == clock.now
    drain(dispatcher)
    helpers = [m.platform_user_id for m in sender.sent[1:]]
    assert 1 <= len(helpers) <= 3 and "maria.lopez" not in helpers
    assert not set(helpers) & suggested_peers(app, request_id)


def test_scheduler_has_one_coalescing_interval_job(app):
    dispatcher = Dispatcher(app.db, RecordingSender(), FakeClock(), FollowUpJobs(app.db, None).handlers())  # type: ignore[arg-type]
    scheduler = build_scheduler(dispatcher, interval_seconds=30)
    (job,) = scheduler.get_jobs()
    assert job.id == JOB_ID and job.coalesce and job.max_instances == 1 and job.misfire_grace_time == 30
    assert job.trigger.interval == timedelta(seconds=30)
    scheduler.start(paused=True)
    scheduler.shutdown(wait=False)
