""" "Did this help?" buttons: yes marks the request solved (and, when it asked about a colleague's reply,
saves that reply as the answer that helped); not yet reopens it and asks more peers."""

from __future__ import annotations

import logging

from bot.domain.events import ButtonPress
from bot.domain.replies import Outcome
from bot.handlers.answered import NOT_THE_ASKER, is_asker, reply_answered_it
from bot.handlers.deps import Deps
from bot.handlers.registry import Registry
from bot.handlers.suggestion_reply import parse_button_value
from bot.privacy.hooks.followups import FOLLOWUPS
from bot.scheduling.followup_jobs import mark_solved, reopen_and_escalate
from bot.scheduling.messages import FollowUpAction
from bot.storage.repositories import RequestRepository
from bot.storage.repositories.knowledge import KnowledgeRepository

log = logging.getLogger(__name__)

SOLVED = "Wonderful — I've marked your question as solved. Thanks for letting me know!"
REOPENED = "Thanks for telling me. I'll ask a few more colleagues who teach this — you're not on your own."


def register(registry: Registry) -> None:
    registry.button(FollowUpAction.YES, handle)
    registry.button(FollowUpAction.NOT_YET, handle)
    registry.user_data_hooks(FOLLOWUPS)


def handle(deps: Deps, press: ButtonPress) -> Outcome:
    """The value is ``request id`` or ``request id:thread answer id`` (the reply it asked about)."""
    try:
        request_id, *rest = parse_button_value(press.value)
    except ValueError:
        log.warning("follow-up button with a malformed value", extra={"action": press.action})
        return Outcome.say("Sorry, I couldn't read that button.")
    if len(rest) > 1:
        return Outcome.say("Sorry, I couldn't read that button.")
    with deps.db.session() as session:
        request = RequestRepository(session).get(request_id)
        answer = KnowledgeRepository(session).thread_answer(rest[0]) if rest else None
    if request is None:
        return Outcome.say("I can't find that question any more.")
    if not is_asker(deps, request, press.actor):  # an anonymous asker: by fingerprint, no profile made
        return Outcome.say(NOT_THE_ASKER)
    if press.action == FollowUpAction.YES:
        if answer is not None and answer.request_id == request.id:
            return reply_answered_it(deps, press.actor, answer.id)
        mark_solved(deps.db, request_id)
        return Outcome.say(SOLVED)
    reopen_and_escalate(deps.db, request_id, deps.clock())
    return Outcome.say(REOPENED)
