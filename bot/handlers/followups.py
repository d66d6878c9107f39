""" "Did this help?" buttons: yes marks the request solved; not yet reopens it and asks more peers."""

from __future__ import annotations

import logging

from bot.domain.events import ButtonPress
from bot.domain.replies import Outcome
from bot.handlers.deps import Deps
from bot.handlers.identity import find_teacher
from bot.handlers.registry import Registry
from bot.handlers.suggestion_reply import parse_button_value
from bot.privacy.hooks.followups import FOLLOWUPS
from bot.scheduling.followup_jobs import mark_solved, reopen_and_escalate
from bot.scheduling.messages import FollowUpAction
from bot.storage.repositories import RequestRepository

log = logging.getLogger(__name__)

SOLVED = "Wonderful — I've marked your question as solved. Thanks for letting me know!"
REOPENED = "Thanks for telling me. I'll ask a few more colleagues who teach this — you're not on your own."


def register(registry: Registry) -> None:
    registry.button(FollowUpAction.YES, handle)
    registry.button(FollowUpAction.NOT_YET, handle)
    registry.user_data_hooks(FOLLOWUPS)


def handle(deps: Deps, press: ButtonPress) -> Outcome:
    try:
        (request_id,) = parse_button_value(press.value)
    except ValueError:
        log.warning("follow-up button with a malformed value", extra={"action": press.action})
        return Outcome.say("Sorry, I couldn't read that button.")
    teacher = find_teacher(deps, press.actor)
    with deps.db.session() as session:
        request = RequestRepository(session).get(request_id)
    if request is None:
        return Outcome.say("I can't find that question any more.")
    if teacher is None or teacher.id != request.asker_id:
        return Outcome.say("Only the teacher who asked can answer that one.")
    if press.action == FollowUpAction.YES:
        mark_solved(deps.db, request_id)
        return Outcome.say(SOLVED)
    reopen_and_escalate(deps.db, request_id, deps.clock())
    return Outcome.say(REOPENED)
