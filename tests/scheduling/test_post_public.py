"""Unanswered escalation, second step: a question asked privately that is still unanswered one window after
the first escalation is posted to the help channel once, without naming the asker."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select

from bot.domain.events import Actor, ButtonPress, Command, ThreadReply
from bot.domain.replies import Action
from bot.domain.user_text import plain
from bot.handlers import lifecycle
from bot.scheduling.dispatcher import Dispatcher
from bot.scheduling.messages import FollowUpAction, public_post_reply
from bot.scheduling.runtime import PlatformSenders
from bot.scheduling.scheduler import build_dispatcher
from bot.scheduling.sender import DeliveryError
from bot.storage.models import CANCELLED, POST_PUBLIC, SENT, FollowUpRow, HelpRequestRow, RequestPostRow
from bot.storage.repositories import RequestRepository, TeacherRepository
from tests.recording_sender import RecordingSender
from tests.scheduling.conftest import START, deps_at

MARIA = Actor("console", "maria.lopez", "Maria Lopez")
DEREK = Actor("console", "derek.helper", "Derek Helper")
QUESTION = "How do I teach equivalent fractions hands-on to 4th graders?"
WINDOW = timedelta(hours=2)  # KINDRED_NUDGE_AFTER's default: both windows


def opt_in(app) -> None:
    """Maria's standing yes (``/kindred settings autopost on``); without it she is asked first."""
    with time_machine.travel(START, tick=False):
        saved = app.kindred.handle_command(
            Command(MARIA, "kindred", "settings autopost on", channel_id="general")
        )
    assert "always posted" in saved.reply.text


def ask(app, text=QUESTION, autopost=True) -> int:
    if autopost:
        opt_in(app)
    with time_machine.travel(START, tick=False):
        outcome = app.kindred.handle_command(Command(MARIA, "ask", text, channel_id="general"))
    return outcome.reply.request_id


def worker(app, clock) -> tuple[Dispatcher, RecordingSender]:
    sender = RecordingSender()
    deps = app.kindred.deps
    return build_dispatcher(app.db, sender, deps.suggester, clock, public_after=deps.nudge_after), sender


def drain(dispatcher: Dispatcher) -> int:
    total = 0
    while sent := dispatcher.run_once():
        total += sent
    return total


def post_rows(app, request_id) -> list[FollowUpRow]:
    with app.db.session() as session:
        return list(
            session.scalars(
                select(FollowUpRow).where(
                    FollowUpRow.request_id == request_id, FollowUpRow.kind == POST_PUBLIC
                )
            )
        )


def request_posts(app, request_id) -> list[tuple[str, str, str]]:
    with app.db.session() as session:
        rows = session.scalars(select(RequestPostRow).where(RequestPostRow.request_id == request_id))
        return [(r.platform, r.channel_id, r.message_id) for r in rows]


def private_request(app, text=QUESTION, **fields) -> int:
    """A request created directly (``source`` "command" unless given) with its first escalation scheduled."""
    with app.db.session() as session:
        teacher = TeacherRepository(session).find("console", "maria.lopez")
        if teacher is None:
            teacher, _ = TeacherRepository(session).upsert("console", "maria.lopez", {"name": "Maria Lopez"})
        request_id = (
            RequestRepository(session).create(asker_id=teacher.id, text=text, platform="console", **fields).id
        )
    lifecycle.created(deps_at(app, START), request_id)
    opt_in(app)
    return request_id


def test_a_private_question_is_nudged_then_posted_once_without_naming_the_asker(app, clock):
    request_id = ask(app)
    dispatcher, sender = worker(app, clock)

    clock.advance(hours=2)  # first window: peers are nudged, nothing is public yet
    drain(dispatcher)
    assert 1 <= len(sender.sent) <= 3 and sender.posts == []
    (row,) = post_rows(app, request_id)
    assert row.state == "pending" and row.target_teacher_id is None
    assert row.due_at.replace(tzinfo=clock.now.tzinfo) == START + 2 * WINDOW

    clock.advance(hours=1, minutes=59)
    assert drain(dispatcher) == 0 and sender.posts == []
    clock.advance(minutes=1)  # second window
    assert drain(dispatcher) == 1
    (post,) = sender.posts
    assert post.platform == "console"
    assert plain(post.reply.text) == (  # the question is marked as user text for the renderers
        f"A colleague is looking for ideas — can you help? “{QUESTION}” Reply in this thread."
    )
    assert not post.reply.ephemeral and post.reply.request_id == request_id
    everything = post.reply.to_text() + repr(post)
    assert "Maria" not in everything and "maria.lopez" not in everything
    assert request_posts(app, request_id) == [("console", post.channel_id, post.message_id)]
    assert [r.state for r in post_rows(app, request_id)] == [SENT]

    # Never twice: later runs, another dispatcher, and a "not yet" re-escalation all leave it alone.
    other, other_sender = worker(app, clock)
    clock.advance(days=1)
    assert drain(dispatcher) == 0 and drain(other) == 0
    with time_machine.travel(clock.now, tick=False):
        app.kindred.handle_button(ButtonPress(MARIA, FollowUpAction.NOT_YET, str(request_id)))
    clock.advance(hours=5)
    drain(dispatcher)
    drain(other)
    assert len(sender.posts) == 1 and other_sender.posts == []
    assert len(post_rows(app, request_id)) == 1

    # A reply in the post's thread maps back to the question and counts as a human answer.
    outcome = app.kindred.handle_thread_reply(
        ThreadReply(DEREK, post.channel_id, post.message_id, "Fraction strips!", "m99")
    )
    assert outcome is not None
    with app.db.session() as session:
        assert session.get(HelpRequestRow, request_id).first_human_reply_at is not None


def test_two_dispatchers_at_the_same_moment_post_once(app, clock):
    request_id = ask(app)
    first, first_sender = worker(app, clock)
    second, second_sender = worker(app, clock)
    clock.advance(hours=2)
    drain(first)
    clock.advance(hours=2)
    first.run_once()
    second.run_once()
    drain(second)
    drain(first)
    assert len(first_sender.posts) + len(second_sender.posts) == 1
    assert len(request_posts(app, request_id)) == 1


def test_not_posted_when_a_human_replied_in_between(app, clock):
    request_id = ask(app)
    dispatcher, sender = worker(app, clock)
    clock.advance(hours=2)
    drain(dispatcher)
    clock.advance(hours=1)
    assert lifecycle.human_replied(deps_at(app, clock.now), request_id)  # no thread to reply in: never posted
    clock.advance(hours=1)
    drain(dispatcher)
    assert sender.posts == [] and request_posts(app, request_id) == []
    assert [r.state for r in post_rows(app, request_id)] == [CANCELLED]


def test_not_posted_when_the_asker_already_posted_it_with_the_button(app, clock):
    request_id = ask(app)
    dispatcher, sender = worker(app, clock)
    clock.advance(hours=2)
    drain(dispatcher)
    with time_machine.travel(clock.now, tick=False):
        outcome = app.kindred.handle_button(ButtonPress(MARIA, Action.POST_TO_HELP, str(request_id)))
    assert outcome.posts  # the platform then records where it went, as the console does
    app.kindred.record_post(request_id, "console", "help", "m1")
    clock.advance(hours=2)
    drain(dispatcher)
    assert sender.posts == [] and request_posts(app, request_id) == [("console", "help", "m1")]
    assert [r.state for r in post_rows(app, request_id)] == [CANCELLED]


def test_a_question_posted_before_the_first_escalation_never_gets_a_public_follow_up(app, clock):
    request_id = ask(app)
    app.kindred.record_post(request_id, "console", "help", "m1")
    dispatcher, sender = worker(app, clock)
    clock.advance(days=1)
    drain(dispatcher)
    assert post_rows(app, request_id) == [] and sender.posts == []


def test_anonymous_and_channel_questions_are_never_posted(app, clock):
    anonymous = private_request(app, anonymous=True)
    in_channel = private_request(app, source="channel", channel_id="general", message_id="m5")
    dispatcher, sender = worker(app, clock)
    clock.advance(days=1)
    drain(dispatcher)
    assert post_rows(app, anonymous) == [] and post_rows(app, in_channel) == []
    assert sender.posts == []


def test_an_anonymous_request_with_a_stray_post_row_is_skipped(app, clock):
    request_id = private_request(app, anonymous=True)
    with app.db.session() as session:
        session.add(FollowUpRow(kind=POST_PUBLIC, request_id=request_id, due_at=START, state="pending"))
    dispatcher, sender = worker(app, clock)
    drain(dispatcher)
    assert sender.posts == [] and [r.state for r in post_rows(app, request_id)] == [CANCELLED]


def test_a_question_naming_a_student_is_not_posted_and_the_log_has_no_text(app, clock, caplog):
    text = "My student Jayden Carter won't sit still during fractions, any ideas?"
    request_id = private_request(app, text)
    dispatcher, sender = worker(app, clock)
    clock.advance(hours=2)
    drain(dispatcher)
    assert [r.state for r in post_rows(app, request_id)] == ["pending"]
    caplog.clear()
    clock.advance(hours=2)
    drain(dispatcher)
    assert sender.posts == [] and request_posts(app, request_id) == []
    assert [r.state for r in post_rows(app, request_id)] == [CANCELLED]
    assert "may identify a student" in caplog.text
    assert "Jayden" not in caplog.text and "Carter" not in caplog.text


def test_without_public_after_nothing_is_scheduled(app, clock):
    request_id = ask(app)
    sender = RecordingSender()
    dispatcher = build_dispatcher(app.db, sender, app.kindred.deps.suggester, clock, public_after=None)
    clock.advance(days=1)
    drain(dispatcher)
    assert post_rows(app, request_id) == [] and sender.posts == []


def test_a_sender_without_post_to_help_skips_the_post(app, clock):
    class DmOnly:
        def __init__(self) -> None:
            self.sent = 0

        def send_dm(self, platform, platform_user_id, reply) -> None:
            self.sent += 1

    request_id = ask(app)
    dispatcher = build_dispatcher(app.db, DmOnly(), app.kindred.deps.suggester, clock)
    clock.advance(hours=4)
    drain(dispatcher)
    clock.advance(hours=4)
    drain(dispatcher)
    assert request_posts(app, request_id) == []
    assert [r.state for r in post_rows(app, request_id)] == [CANCELLED]


def test_platform_senders_route_help_posts_by_platform() -> None:
    senders = PlatformSenders(["slack", "discord"])
    recording = RecordingSender()
    senders.register("slack", recording)
    reply = public_post_reply(7, QUESTION)
    assert senders.post_to_help("slack", "T1", reply) == ("help", "post-1")
    assert recording.posts[0].workspace_id == "T1"
    with pytest.raises(DeliveryError) as not_yet:
        senders.post_to_help("discord", "G1", reply)
    assert not_yet.value.retryable
    with pytest.raises(DeliveryError) as elsewhere:
        senders.post_to_help("teams", None, reply)
    assert not elsewhere.value.retryable
