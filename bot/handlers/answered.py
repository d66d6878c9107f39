""" "This reply answered it": the asker says a colleague's thread reply helped — the "Yes, thanks!" of
"did this help?". The one core entry point is ``reply_answered_it`` (a 🙏 on a reply is a thank-you,
``ripples.thank``).

It never links an anonymous asker to their question: they are recognised by the identity escrow's keyed
fingerprint (no profile is looked up or created), and what is saved names only the helper.
"""

from __future__ import annotations

import logging
from typing import Protocol

from bot.domain.events import Actor
from bot.domain.replies import Outcome
from bot.domain.requests import HelpRequest
from bot.handlers import anonymous, knowledge
from bot.handlers.identity import find_teacher
from bot.handlers.knowledge import KnowledgeDeps
from bot.handlers.ports import Anonymity

log = logging.getLogger(__name__)

NOT_THE_ASKER = "Only the teacher who asked can answer that one."


class AnsweredDeps(KnowledgeDeps, Anonymity, Protocol):
    """What "this reply answered it" uses: the knowledge base; the escrow recognises an anonymous asker."""


def reply_answered_it(deps: AnsweredDeps, actor: Actor, answer_id: int) -> Outcome:
    """``actor`` (who must be the asker) says thread reply ``answer_id`` answered their question: it is
    saved as the answer that helped, credited to the replier, who hears so (their ripple)."""
    with deps.db.unit_of_work() as uow:
        answer = uow.knowledge.thread_answer(answer_id)
        request = uow.requests.get(answer.request_id) if answer else None
    if answer is None or request is None:
        return Outcome.say("I can't find that answer any more.")
    if not is_asker(deps, request, actor):
        return Outcome.say(NOT_THE_ASKER)
    log.info("asker marked a thread reply as the answer", extra={"request_id": request.id})
    return knowledge.record_answer(deps, request.id, answer.helper_id, answer.text)


def is_asker(deps: AnsweredDeps, request: HelpRequest, actor: Actor) -> bool:
    """Named: the asker's profile. Anonymous: the escrow fingerprint, and no profile is touched."""
    if request.anonymous:
        return anonymous.is_anonymous_asker(deps, request, actor)
    teacher = find_teacher(deps, actor)
    return teacher is not None and request.asker_id is not None and teacher.id == request.asker_id
