"""The same question again: a ``/ask`` repeating the asker's own open question reuses it, and a question
linked to a colleague's open look-alike is never escalated or posted a second time. Colleagues' attention
(their weekly nudge limit, the help channel) is spent once per question."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Protocol

import numpy as np

from bot.domain.replies import Action, Reply
from bot.domain.requests import HelpRequest
from bot.handlers.ports import HelpChannels, Profiles, Storage, Timed
from bot.matching.similar_questions import SimilarQuestions, same_words
from bot.storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

STILL_FOLLOWING = (
    "I'm still following your earlier question, so I won't ask colleagues again — their replies reach "
    "you as before. Here are suggestions once more:"
)
ALREADY_POSTED = "That question is already posted in #{channel} — replies in its thread reach you by DM."
LINKED = (
    "A colleague's open question is nearly the same, and I've linked the two: an answer that helps one "
    "reaches you both, so I won't post it a second time. If theirs closes without an answer, I'll ask "
    "colleagues about yours."
)


class PostCheckDeps(Storage, HelpChannels, Protocol):
    """What checking a question may be posted uses: the database and the help channel's name."""


class RepeatDeps(Profiles, PostCheckDeps, Timed, Protocol):
    """What spotting a repeated question uses: the question index and the clock, too."""


def anonymous_repeat(uow: UnitOfWork, platform: str, fingerprint: str, question: str) -> int | None:
    """The same asker's (by keyed fingerprint) open anonymous question with the same words, if any."""
    rows = uow.anonymity.open_questions_of(platform, fingerprint)
    words = same_words(question)
    return next((int(i) for i, text in rows if same_words(text) == words), None)


def still_following_anonymous(request_id: int) -> str:
    return (
        f"I'm still following your earlier anonymous question #{request_id}, so I haven't posted it again "
        "— replies reach you here by DM."
    )


def reuse_open_request(deps: RepeatDeps, request: HelpRequest, vector: np.ndarray) -> HelpRequest | None:
    """The asker's own open question that ``request`` repeats; ``request`` (just stored, nothing else
    refers to it yet) is then removed with its follow-ups. None: it is a new question. Never raises."""
    if request.asker_id is None:
        return None
    try:
        similar = SimilarQuestions(deps.db, deps.indexer)
        earlier_id = similar.own_open_repeat(
            vector, request.text, request.id, request.asker_id, request.platform, deps.clock()
        )
        if earlier_id is None:
            return None
        with deps.db.unit_of_work() as uow:
            earlier = uow.requests.get(earlier_id)
            if earlier is None:
                return None
            uow.requests.delete(request.id)
    except Exception:
        log.exception("repeat check failed", extra={"request_id": request.id})
        return None
    log.info("repeated question reuses the open request", extra={"request_id": earlier.id})
    return earlier


def hold_back_if_linked(deps: Storage, request: HelpRequest, reply: Reply) -> Reply:
    """A question just linked to an earlier open one gets no post button; its escalation waits while the
    earlier one is open (``FollowUpJobs`` checks), so it is never left alone if that one closes unhelped."""
    try:
        with deps.db.unit_of_work() as uow:
            if not uow.knowledge.open_earlier_links(request.id):
                return reply
    except Exception:
        log.exception("could not check a linked question", extra={"request_id": request.id})
        return reply
    return replace(reply, buttons=tuple(b for b in reply.buttons if b.action != Action.POST_TO_HELP))


def why_not_post(deps: PostCheckDeps, request_id: int, platform: str) -> str | None:
    """Why ``request_id`` must not be posted (already posted, or linked to an earlier open question)."""
    with deps.db.unit_of_work() as uow:
        if uow.requests.is_posted(request_id):
            return ALREADY_POSTED.format(channel=deps.help_channel(platform))
        if uow.knowledge.open_earlier_links(request_id):
            return LINKED
    return None


def may_post(deps: PostCheckDeps, request: HelpRequest) -> bool:
    return why_not_post(deps, request.id, request.platform) is None
