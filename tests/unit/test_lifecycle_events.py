"""The request lifecycle emits events through the registry; follow-ups subscribe, and a failing
subscriber only logs (the teacher still gets their answer)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.domain.clock import fixed_clock
from bot.domain.events import Actor, ButtonPress, ChannelMessage, Command, ThreadReply
from bot.domain.lifecycle import HumanReplied, Reopened, RequestCreated, Solved
from bot.handlers import followups
from bot.handlers.core import Kindred, build_registry
from bot.handlers.deps import Deps
from bot.handlers.registry import Registry
from bot.scheduling.messages import FollowUpAction
from bot.storage.models import DID_IT_HELP, ESCALATE, FollowUpRow
from tests.scheduling.conftest import make_request

MARIA = Actor("console", "maria.lopez", "Maria Lopez")
DEREK = Actor("console", "derek.thompson", "Derek Thompson")
START = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
QUESTION = "Does anyone have fraction ideas for 4th graders?"


def recording(registry: Registry) -> list[object]:
    seen: list[object] = []
    for kind in (RequestCreated, HumanReplied, Solved, Reopened):
        registry.on(kind, lambda _deps, event: seen.append(event))
    return seen


def followup_rows(app, request_id) -> list[tuple[str, datetime, str]]:
    with app.db.session() as session:
        rows = session.scalars(select(FollowUpRow).where(FollowUpRow.request_id == request_id))
        return sorted((r.kind, r.due_at.replace(tzinfo=UTC), r.state) for r in rows)


@pytest.fixture
def kindred(app) -> Kindred:
    app.kindred.use_clock(fixed_clock(START))
    return app.kindred


def asked_in_channel(kindred: Kindred) -> int:
    outcome = kindred.handle_message(ChannelMessage(MARIA, "general", QUESTION, message_id="111.1"))
    return outcome.reply.request_id


def test_create_reply_solve_and_reopen_emit_their_events(app, kindred):
    registry = build_registry()
    seen = recording(registry)
    kindred = Kindred(kindred.deps, registry)
    request_id = asked_in_channel(kindred)
    assert seen == [RequestCreated(request_id, START, kindred.deps.nudge_after)]

    kindred.handle_thread_reply(ThreadReply(DEREK, "general", "111.1", "Try fraction strips!"))
    kindred.handle_thread_reply(ThreadReply(DEREK, "general", "111.1", "And pizza slices."))
    assert seen[1:] == [HumanReplied(request_id, START, True), HumanReplied(request_id, START, False)]

    kindred.handle_button(ButtonPress(MARIA, FollowUpAction.NOT_YET, str(request_id)))
    kindred.handle_button(ButtonPress(MARIA, FollowUpAction.YES, str(request_id)))
    assert seen[3:] == [Reopened(request_id, START), Solved(request_id)]


def test_the_followups_subscribers_schedule_escalation_did_it_help_and_cancel(app, kindred):
    request_id = asked_in_channel(kindred)
    assert followup_rows(app, request_id) == [(ESCALATE, START + kindred.deps.nudge_after, "pending")]
    kindred.handle_thread_reply(ThreadReply(DEREK, "general", "111.1", "Try fraction strips!"))
    assert (DID_IT_HELP, START + timedelta(hours=1), "pending") in followup_rows(app, request_id)
    kindred.handle_button(ButtonPress(MARIA, FollowUpAction.YES, str(request_id)))
    assert {state for _, _, state in followup_rows(app, request_id)} == {"cancelled"}


def test_a_subscriber_registered_through_the_registry_schedules_the_nudge(app, kindred):
    registry = Registry()
    followups.register(registry)  # only the follow-ups feature: its subscribers, its buttons
    deps = Deps(kindred.deps.db, kindred.deps.indexer, kindred.deps.suggester, kindred.deps.detector)
    deps.clock = kindred.deps.clock
    Kindred(deps, registry)
    request_id = make_request(app.db, "maria.lopez")
    deps.events.publish(deps, RequestCreated(request_id, START, timedelta(minutes=30)))
    assert followup_rows(app, request_id) == [(ESCALATE, START + timedelta(minutes=30), "pending")]


def test_a_raising_subscriber_is_logged_without_the_question_and_the_handler_still_answers(
    app, kindred, caplog
):
    registry = build_registry()

    def broken(_deps: Deps, _event: RequestCreated) -> None:
        raise RuntimeError("database hiccup")

    registry.on(RequestCreated, broken)
    seen = recording(registry)  # registered after the broken one: still called
    kindred = Kindred(kindred.deps, registry)
    with caplog.at_level(logging.ERROR, logger="bot.handlers.event_bus"):
        outcome = kindred.handle_command(Command(MARIA, "ask", QUESTION))
    assert outcome.reply is not None and outcome.reply.request_id is not None
    assert outcome.reply.resources, "the teacher still gets an answer"
    assert [type(e) for e in seen] == [RequestCreated]
    (record,) = [r for r in caplog.records if r.name == "bot.handlers.event_bus"]
    assert record.getMessage() == "event subscriber failed"
    assert record.event == "RequestCreated" and record.request_id == outcome.reply.request_id
    assert "fraction" not in logging.Formatter().format(record)  # ids only, never the question
