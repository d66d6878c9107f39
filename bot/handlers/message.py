"""Channel messages: reply with suggestions only when someone is asking colleagues for help.

Chatter gets nothing, and its text is never stored.
"""

from __future__ import annotations

import logging

from bot.domain.events import ChannelMessage
from bot.domain.replies import Outcome
from bot.handlers.ask import answer_question
from bot.handlers.deps import Deps
from bot.handlers.registry import Registry
from bot.handlers.student_privacy import note_to_poster

log = logging.getLogger(__name__)


def register(registry: Registry) -> None:
    registry.on_message(handle)


def handle(deps: Deps, message: ChannelMessage) -> Outcome | None:
    verdict = deps.detector.score(message.text)
    if not verdict.is_help_request:
        log.debug("channel message is not a help request", extra={"score": verdict.score})
        return None
    question = " ".join(message.text.split())[: deps.max_question_chars]
    request, reply = answer_question(
        deps,
        message.actor,
        question,
        channel_id=message.channel_id,
        message_id=message.message_id,
        source="channel",
        ephemeral=False,
    )
    log.info("help request detected in channel", extra={"request_id": request.id, "score": verdict.score})
    return Outcome(reply=reply, direct_messages=note_to_poster(message.actor.user_id, question))
