"""Replies in a question's thread: a colleague answered, so escalation stops, the named asker hears the
answer by DM, the reply is kept (``knowledge.remember_reply``), and "did this help?" follows, quoting it."""

from __future__ import annotations

import logging
from typing import Protocol

from bot.domain.events import ThreadReply
from bot.domain.markup import bold, mention
from bot.domain.replies import DirectMessage, Outcome, Reply
from bot.domain.requests import HelpRequest, RequestStatus
from bot.domain.user_text import user_text
from bot.handlers import anonymous, knowledge, lifecycle
from bot.handlers.identity import find_teacher
from bot.handlers.knowledge import KnowledgeDeps
from bot.handlers.ports import Anonymity
from bot.handlers.registry import Registry
from bot.privacy.hooks.features import ANSWERS_YOU_GAVE
from bot.scheduling.messages import quote

ANSWER_CHARS = 500

log = logging.getLogger(__name__)


class ThreadReplyDeps(KnowledgeDeps, Anonymity, Protocol):
    """What a reply in a question's thread uses: the knowledge base (it keeps the reply), the escrow."""


def register(registry: Registry) -> None:
    registry.on_thread_reply(handle)
    registry.user_data_hooks(ANSWERS_YOU_GAVE)  # answers recorded from thread replies


def handle(deps: ThreadReplyDeps, reply: ThreadReply, request: HelpRequest) -> Outcome:
    replier = find_teacher(deps, reply.actor)
    if request.asker_id is not None and replier is not None and replier.id == request.asker_id:
        return Outcome()  # the asker talking in their own thread is not an answer
    if request.anonymous and anonymous.is_anonymous_asker(deps, request, reply.actor):
        return Outcome()  # same for an anonymous asker (recognised through the identity escrow)
    first = lifecycle.human_replied(deps, request.id)
    knowledge.remember_reply(deps, reply, request)  # what "did this help?" quotes, and a yes saves
    if request.status is RequestStatus.OPEN:
        with deps.db.unit_of_work() as uow:
            uow.requests.set_status(request.id, RequestStatus.ANSWERED)
    log.info("question answered in thread", extra={"request_id": request.id, "first": first})
    return Outcome(direct_messages=relay_to_asker(deps, reply, request))


def relay_to_asker(
    deps: ThreadReplyDeps, reply: ThreadReply, request: HelpRequest
) -> tuple[DirectMessage, ...]:
    """A named asker gets the answer (shortened), who gave it and a link; anonymous ones go through
    ``anonymous.relay``."""
    if request.anonymous or request.asker_id is None:
        return ()
    with deps.db.unit_of_work() as uow:
        if not uow.requests.is_post(request.id, reply.channel_id, reply.thread_id):
            return ()  # the asker's own channel message: the platform already tells them about replies
        asker = uow.teachers.get(request.asker_id)
    if asker is None or asker.platform != reply.actor.platform:
        return ()
    who = user_text(reply.actor.display_name) if reply.actor.display_name else mention(reply.actor.user_id)
    link = anonymous.message_link(
        reply.actor.platform, reply.actor.workspace_id, reply.channel_id, reply.thread_id, reply.message_id
    )
    text = (
        f"{bold(who)} answered your question (“{user_text(quote(request.text, 80))}”):\n"
        f"> {user_text(quote(reply.text, ANSWER_CHARS))}\n{link}"
    )
    return (DirectMessage(asker.platform_user_id, Reply(text=text, ephemeral=False, request_id=request.id)),)
