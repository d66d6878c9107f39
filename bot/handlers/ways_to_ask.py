"""Ways to ask that need no detector: a mention, a DM, the "Find help for this" shortcut, the ask reaction.

Each always answers. A DM is an ``/ask``. The others answer the message they point at: in its thread
(mention, reaction — the reaction once per message) or privately to whoever clicked (shortcut, with a
"Post in thread" button). When the detector had skipped that message, it was a missed request: its
embedding is kept as a labelled correction (never its text).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Protocol

import numpy as np

from bot.domain.asks import POST_IN_THREAD, AskWay, parse_thread_button_value, thread_button_value
from bot.domain.events import ButtonPress, Command, DirectAsk
from bot.domain.question_text import channel_question, has_words_to_act_on
from bot.domain.replies import Button, Outcome
from bot.domain.requests import AlreadyAsked
from bot.handlers import ask as ask_command
from bot.handlers import lifecycle
from bot.handlers.ask import AskDeps, answer_question
from bot.handlers.ports import Detection
from bot.handlers.registry import Registry
from bot.handlers.student_privacy import note_on_reply, note_to_poster
from bot.handlers.suggestion_reply import build_suggestion_reply
from bot.matching.intent import IntentResult
from bot.matching.intent_model import clean_text
from bot.storage.intent_corrections import MISSED_REQUEST

log = logging.getLogger(__name__)

HEADLINE = "Here's what colleagues have found useful:"
NO_QUESTION = (
    "What would you like help with? Write it after the mention (`@Kindred how do I teach fractions "
    "hands-on?`), or mention me with no words in the thread of the message you want help with."
)
NOTHING_TO_READ = "That message has no words I can look up help for."
BOT_MESSAGE = (
    "That message was posted by a bot, so there is nobody's question to find help for. "
    "Ask me in your own words with `/ask`."
)
POSTED = "Posted in the thread."
ALREADY_POSTED = "Those suggestions are already in the thread."
GONE = "I can't find that question any more."


class WaysToAskDeps(AskDeps, Detection, Protocol):
    """What asking past the detector uses: all of /ask, and the detector (a missed request is learnt)."""


def register(registry: Registry) -> None:
    registry.button(POST_IN_THREAD, post_in_thread)


def handle(deps: WaysToAskDeps, ask: DirectAsk) -> Outcome:
    if ask.way == AskWay.DIRECT_MESSAGE:
        command = Command(ask.actor, "ask", ask.text, channel_id=ask.channel_id)
        outcome = ask_command.handle(deps, command)
        if outcome.reply is None:
            return outcome
        return replace(outcome, reply=replace(outcome.reply, ephemeral=False))  # the DM is private already
    if ask.from_bot:  # a bot's post is nobody's question: nothing is stored or followed up
        return Outcome.say(BOT_MESSAGE)
    question = channel_question(ask.text, deps.max_question_chars)
    if not question:
        return Outcome.say(NO_QUESTION)
    if not has_words_to_act_on(question):
        return Outcome.say(NOTHING_TO_READ)
    if ask.way == AskWay.REACTION:
        # Once per message: answered already, or answered meanwhile by another process (the reaction's
        # request is unique per message in the database, so the second one to store it gets AlreadyAsked).
        try:
            if not _answered_in_thread(deps, ask):
                return _answer(deps, ask, question)
        except AlreadyAsked:
            pass
        log.info("ask reaction on a message already answered", extra={"platform": ask.actor.platform})
        return Outcome()
    return _answer(deps, ask, question)


def _answered_in_thread(deps: WaysToAskDeps, ask: DirectAsk) -> bool:
    if not (ask.channel_id and ask.message_id):
        return False
    with deps.db.unit_of_work() as uow:
        return uow.asked_messages.answered_in_thread(ask.actor.platform, ask.channel_id, ask.message_id)


def _answer(deps: WaysToAskDeps, ask: DirectAsk, question: str) -> Outcome:
    platform = ask.actor.platform
    known = False
    if ask.channel_id and ask.message_id:
        with deps.db.unit_of_work() as uow:
            known = uow.asked_messages.asked_before(platform, ask.channel_id, ask.message_id)
    verdict, vector = screen(deps, question)
    private = ask.way == AskWay.SHORTCUT
    # The question is the author's, whoever pointed Kindred at it: their data, their follow-ups. A
    # shortcut's answer is seen only by whoever clicked, so nothing follows up until it is posted.
    asker = ask.author or ask.actor
    request, reply = answer_question(
        deps,
        asker,
        question,
        channel_id=ask.channel_id,
        message_id=ask.message_id,
        source=str(ask.way),
        ephemeral=private,
        vector=vector,
        follow_up=not private,
    )
    if reply.resources:
        reply = replace(reply, text=HEADLINE)
    if not known and not verdict.is_help_request and ask.message_id:
        record_missed_request(deps, platform, vector)
    log.info("direct ask answered", extra={"way": str(ask.way), "request_id": request.id})
    if private:
        if ask.channel_id and ask.message_id:
            value = thread_button_value(request.id, ask.channel_id, ask.message_id, ask.thread_id)
            reply = replace(reply, buttons=(*reply.buttons, Button("Post in thread", POST_IN_THREAD, value)))
        return Outcome(reply=note_on_reply(reply, question))
    return Outcome(reply=reply, direct_messages=note_to_poster(asker.user_id, question))


def screen(deps: WaysToAskDeps, question: str) -> tuple[IntentResult, np.ndarray]:
    """The detector's verdict and the message's embedding (the detector's own when it made one)."""
    verdict = deps.detector.score(question)
    vector = verdict.vector
    if vector is None:
        vector = deps.indexer.embedder.embed([clean_text(question)])[0]
    return verdict, np.asarray(vector, dtype=np.float32)


def record_missed_request(deps: WaysToAskDeps, platform: str, vector: np.ndarray) -> None:
    """The detector skipped a message someone then asked about: keep its embedding labelled "help"."""
    with deps.db.unit_of_work() as uow:
        uow.intent_corrections.add(platform, MISSED_REQUEST, vector, deps.indexer.embedder.model_name)
    log.info("detector correction stored", extra={"kind": MISSED_REQUEST, "platform": platform})


def post_in_thread(deps: WaysToAskDeps, press: ButtonPress) -> Outcome:
    """The shortcut's private answer, posted for everyone in the message's thread (once)."""
    parsed = parse_thread_button_value(press.value)
    if parsed is None:
        log.warning("post-in-thread button with a malformed value")
        return Outcome.say("Sorry, I couldn't read that button.")
    request_id, channel_id, message_id, _ = parsed
    platform = press.actor.platform
    with deps.db.unit_of_work() as uow:
        asked = uow.asked_messages
        source = asked.request_for(request_id, platform, channel_id, message_id)
        if source is None:
            return Outcome.say(GONE)
        if asked.answered_in_thread(platform, channel_id, message_id):
            return Outcome.say(ALREADY_POSTED)
        request = uow.requests.get(request_id)
        asked.mark_posted(request_id)
        teacher = uow.teachers.get(request.asker_id) if request and request.asker_id else None
        uow.commit()  # marked once; no lock held while the suggestions embed the question
    if request is None or not request.text:
        return Outcome.say(GONE)
    suggestions = deps.suggester.suggest(
        request.text, teacher if teacher and teacher.onboarded else None, platform, press.actor.workspace_id
    )
    with deps.db.unit_of_work() as uow:
        notes = uow.resources.adaptation_notes(r.id for _, r in suggestions.resources)
    reply = build_suggestion_reply(
        request.id, suggestions, HEADLINE, notes=notes, ephemeral=False, offer_post=False
    )
    lifecycle.created(deps, request.id)  # now the question is public
    return Outcome(reply=reply)
