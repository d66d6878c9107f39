"""Replies in a question's thread: a colleague answered, so escalation stops and "did this help?" follows."""

from __future__ import annotations

import logging

from bot.domain.events import ThreadReply
from bot.domain.replies import Outcome
from bot.domain.requests import HelpRequest, RequestStatus
from bot.handlers import anonymous
from bot.handlers.deps import Deps
from bot.handlers.identity import find_teacher
from bot.handlers.registry import Registry
from bot.scheduling.followup_jobs import record_human_reply
from bot.storage.repositories import RequestRepository

log = logging.getLogger(__name__)


def register(registry: Registry) -> None:
    registry.on_thread_reply(handle)


def handle(deps: Deps, reply: ThreadReply, request: HelpRequest) -> Outcome:
    replier = find_teacher(deps, reply.actor)
    if request.asker_id is not None and replier is not None and replier.id == request.asker_id:
        return Outcome()  # the asker talking in their own thread is not an answer
    if request.anonymous and anonymous.is_anonymous_asker(deps, request, reply.actor):
        return Outcome()  # same for an anonymous asker (recognised through the identity escrow)
    first = record_human_reply(deps.db, request.id, deps.clock())
    if request.status is RequestStatus.OPEN:
        with deps.db.session() as session:
            RequestRepository(session).set_status(request.id, RequestStatus.ANSWERED)
    log.info("question answered in thread", extra={"request_id": request.id, "first": first})
    return Outcome()
