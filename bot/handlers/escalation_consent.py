"""The asker's answer to "No colleague has answered yet. May I post it in #help without your name?".

*Post it* posts the question without the asker's name; *Post anonymously* asks it again through the
anonymous flow (pseudonym, replies relayed) and closes the named request; *Keep it private* posts nothing.
Only the asker can answer, and a question naming a student is held back as on every public path.
"""

from __future__ import annotations

import logging
from typing import Protocol

from bot.domain.events import ButtonPress
from bot.domain.replies import ChannelPost, Outcome, Reply
from bot.domain.requests import RequestStatus
from bot.handlers import student_privacy
from bot.handlers.anonymous import ask as anonymous_ask
from bot.handlers.anonymous.ask import AnonymousAskDeps
from bot.handlers.identity import find_teacher
from bot.handlers.registry import Registry
from bot.handlers.suggestion_reply import parse_button_value
from bot.scheduling.messages import ConsentAction, public_post_reply

log = logging.getLogger(__name__)


class ConsentDeps(AnonymousAskDeps, Protocol):
    """What the asker's "may I post it?" answer uses: an anonymous post is an anonymous ask."""


def register(registry: Registry) -> None:
    for action in ConsentAction:
        registry.button(action, handle)


def handle(deps: ConsentDeps, press: ButtonPress) -> Outcome:
    try:
        (request_id,) = parse_button_value(press.value)
    except ValueError:
        return Outcome.say("Sorry, I couldn't read that button.")
    teacher = find_teacher(deps, press.actor)
    with deps.db.unit_of_work() as uow:
        request = uow.requests.get(request_id)
        posted = uow.requests.is_posted(request_id)
    if request is None or teacher is None or request.asker_id != teacher.id:
        return Outcome.say("Only the person who asked can decide about this question.")
    if press.action == ConsentAction.KEEP:
        log.info("asker kept the question private", extra={"request_id": request_id})
        return Outcome.say(
            "Kept private — nothing was posted. You can still post it any time from your answer."
        )
    if posted or request.status != RequestStatus.OPEN:
        return Outcome.say("That question is already answered or posted, so I left it as it is.")
    if (held := student_privacy.guard_post(request)) is not None:
        return held  # names a student: nothing public
    if press.action == ConsentAction.POST_ANON:
        return _post_anonymously(deps, press, request_id, request.text)
    log.info("asker agreed: posting without their name", extra={"request_id": request_id})
    post = ChannelPost(public_post_reply(request_id, request.text), None, None, request_id)
    return Outcome(
        reply=Reply(f"Posted in #{deps.help_channel(press.actor.platform)} without your name."), posts=(post,)
    )


def _post_anonymously(deps: ConsentDeps, press: ButtonPress, request_id: int, text: str) -> Outcome:
    result = anonymous_ask.ask(deps, press.actor, text)
    if not result.delays:
        return result  # refused (no identity key, blocked…): the named question stays as it was
    with deps.db.unit_of_work() as uow:
        uow.requests.close(request_id)
        uow.followups.cancel_pending(request_id)
    log.info("asker chose to post anonymously", extra={"request_id": request_id})
    return result
