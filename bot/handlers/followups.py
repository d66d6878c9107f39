""" "Did this help?" buttons: yes marks the request solved (and, when it asked about a colleague's reply,
saves that reply as the answer that helped); not yet reopens it and asks more peers."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Protocol

from bot.domain.clock import as_utc
from bot.domain.events import ButtonPress
from bot.domain.lifecycle import HumanReplied, Reopened, RequestCreated, Solved
from bot.domain.replies import Outcome
from bot.handlers import lifecycle
from bot.handlers.answered import NOT_THE_ASKER, AnsweredDeps, is_asker, reply_answered_it
from bot.handlers.ports import Storage
from bot.handlers.registry import Registry
from bot.handlers.suggestion_reply import parse_button_value
from bot.privacy.hooks.followups import FOLLOWUPS
from bot.scheduling.messages import FollowUpAction
from bot.storage.repositories.followups import DID_IT_HELP, ESCALATE

log = logging.getLogger(__name__)

DID_IT_HELP_AFTER = timedelta(hours=1)

SOLVED = "Wonderful — I've marked your question as solved. Thanks for letting me know!"
REOPENED = "Thanks for telling me. I'll ask a few more colleagues who teach this — you're not on your own."


class FollowUpDeps(AnsweredDeps, Protocol):
    """What the "did this help?" buttons use: recognising the asker, saving the answer, the lifecycle."""


def register(registry: Registry) -> None:
    registry.button(FollowUpAction.YES, handle)
    registry.button(FollowUpAction.NOT_YET, handle)
    registry.user_data_hooks(FOLLOWUPS)
    registry.on(RequestCreated, escalate_later)
    registry.on(HumanReplied, ask_did_it_help)
    registry.on(Reopened, escalate_now)
    registry.on(Solved, cancel_pending)


def escalate_later(deps: Storage, event: RequestCreated) -> None:
    """Escalate ``nudge_after`` from now unless someone answers first (no question left alone)."""
    with deps.db.unit_of_work() as uow:
        uow.followups.schedule(ESCALATE, event.request_id, as_utc(event.at) + event.nudge_after)


def ask_did_it_help(deps: Storage, event: HumanReplied) -> None:
    """Escalation stops (the reply is recorded); the asker is asked "did this help?" an hour later."""
    with deps.db.unit_of_work() as uow:
        due_at = as_utc(event.at) + DID_IT_HELP_AFTER
        uow.followups.schedule(DID_IT_HELP, event.request_id, due_at)


def escalate_now(deps: Storage, event: Reopened) -> None:
    """ "Not yet": new peers are sought right away."""
    with deps.db.unit_of_work() as uow:
        uow.followups.schedule(ESCALATE, event.request_id, as_utc(event.at), reset=True)


def cancel_pending(deps: Storage, event: Solved) -> None:
    with deps.db.unit_of_work() as uow:
        uow.followups.cancel_pending(event.request_id)


def handle(deps: FollowUpDeps, press: ButtonPress) -> Outcome:
    """The value is ``request id`` or ``request id:thread answer id`` (the reply it asked about)."""
    try:
        request_id, *rest = parse_button_value(press.value)
    except ValueError:
        log.warning("follow-up button with a malformed value", extra={"action": press.action})
        return Outcome.say("Sorry, I couldn't read that button.")
    if len(rest) > 1:
        return Outcome.say("Sorry, I couldn't read that button.")
    with deps.db.unit_of_work() as uow:
        request = uow.requests.get(request_id)
        answer = uow.knowledge.thread_answer(rest[0]) if rest else None
    if request is None:
        return Outcome.say("I can't find that question any more.")
    if not is_asker(deps, request, press.actor):  # an anonymous asker: by fingerprint, no profile made
        return Outcome.say(NOT_THE_ASKER)
    if press.action == FollowUpAction.YES:
        if answer is not None and answer.request_id == request.id:
            return reply_answered_it(deps, press.actor, answer.id)
        lifecycle.solved(deps, request_id)
        return Outcome.say(SOLVED)
    lifecycle.reopened(deps, request_id)
    return Outcome.say(REOPENED)
