"""Channel messages: reply with suggestions only when someone is asking colleagues for help.

Chatter gets nothing, and its text is never stored. The unsolicited reply carries "Not a question": it
removes the reply, keeps the message's embedding as a labelled correction and drops the stored text.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Protocol

from bot.domain.events import ButtonPress, ChannelMessage
from bot.domain.question_text import channel_question
from bot.domain.replies import Action, Button, Outcome, Reply
from bot.handlers.ask import AskDeps, answer_question
from bot.handlers.ids import parse_id
from bot.handlers.ports import Detection
from bot.handlers.registry import Registry
from bot.handlers.student_privacy import note_to_poster
from bot.matching.intent_model import clean_text
from bot.storage.intent_corrections import NOT_A_QUESTION

log = logging.getLogger(__name__)


class MessageDeps(AskDeps, Detection, Protocol):
    """What a channel message uses: the detector, then all of /ask for a help request."""


def register(registry: Registry) -> None:
    registry.on_message(handle)
    registry.button(Action.NOT_A_QUESTION, not_a_question)


def handle(deps: MessageDeps, message: ChannelMessage) -> Outcome | None:
    verdict = deps.detector.score(message.text)
    if not verdict.is_help_request:
        log.debug("channel message is not a help request", extra={"score": verdict.score})
        return None
    question = channel_question(message.text, deps.max_question_chars)
    request, reply = answer_question(
        deps,
        message.actor,
        question,
        channel_id=message.channel_id,
        message_id=message.message_id,
        source="channel",
        ephemeral=False,
        vector=verdict.vector,  # the detector's embedding: the message is embedded once
    )
    log.info("help request detected in channel", extra={"request_id": request.id, "score": verdict.score})
    wrong = Button("Not a question", Action.NOT_A_QUESTION, str(request.id))
    return Outcome(
        reply=replace(reply, buttons=(*reply.buttons, wrong)),
        direct_messages=note_to_poster(message.actor.user_id, question),
    )


def not_a_question(deps: MessageDeps, press: ButtonPress) -> Outcome:
    """Remove the unsolicited reply; store the message's embedding labelled "not help", never its text."""
    request_id = parse_id(press.value)
    if request_id is None:
        log.warning("not-a-question button with a malformed value")
        return Outcome.say("Sorry, I couldn't read that button.")
    with deps.db.unit_of_work() as uow:
        request = uow.requests.get(request_id)
        if request is None or request.platform != press.actor.platform or not request.text:
            return Outcome(reply=Reply("Already removed — thanks."), remove_source=True)
        uow.commit()  # only read so far: no lock held while the text is embedded
        embedder = deps.indexer.embedder
        vector = embedder.embed([clean_text(request.text)])[0]
        uow.intent_corrections.add(press.actor.platform, NOT_A_QUESTION, vector, embedder.model_name)
        uow.intent_corrections.forget_request_text(request_id)
    log.info("detector correction stored", extra={"kind": NOT_A_QUESTION, "request_id": request_id})
    return Outcome(reply=Reply("Thanks — I've removed my reply and will learn from it."), remove_source=True)
