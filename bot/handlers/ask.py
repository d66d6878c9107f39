"""/ask: a question in, grab n' go resources and kindred-spirit peers out, within seconds."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Protocol

import numpy as np

from bot.domain.events import Actor, Command
from bot.domain.question_text import NO_WORDS, has_words_to_act_on
from bot.domain.replies import Action, Button, Outcome, Reply
from bot.domain.requests import HelpRequest
from bot.handlers import knowledge, lifecycle, repeats, student_privacy
from bot.handlers.identity import ensure_teacher
from bot.handlers.knowledge import KnowledgeDeps
from bot.handlers.ports import Matching, QuestionLimits
from bot.handlers.registry import JobContext, PeriodicJob, Registry
from bot.handlers.repeats import RepeatDeps
from bot.handlers.suggestion_reply import build_suggestion_reply, button_value
from bot.privacy.hooks import core as user_data

log = logging.getLogger(__name__)

EMPTY_QUESTION = (
    "What would you like help with? Ask in your own words, e.g. "
    "`/ask How do I teach equivalent fractions hands-on to 4th graders?`"
)
INDEX_FOLLOW_JOB_ID = "kindred-index-follow"
INDEX_FOLLOW_INTERVAL_SECONDS = 2  # what another process shared or edited is suggested here within seconds


class AskDeps(KnowledgeDeps, RepeatDeps, Matching, QuestionLimits, Protocol):
    """What /ask uses: matching, the knowledge base, the repeat check, the question length limit."""


def register(registry: Registry) -> None:
    registry.command(
        "ask", "Ask colleagues for help: get resources and kindred spirits", "/ask <question>", handle
    )
    registry.user_data_hooks(user_data.HELP_REQUESTS, user_data.SUGGESTED_AS_PEER)
    registry.periodic(PeriodicJob(INDEX_FOLLOW_JOB_ID, INDEX_FOLLOW_INTERVAL_SECONDS, follow_index))


def follow_index(context: JobContext) -> None:
    """Apply what other processes added to the index, so their shares and answers are suggested here too."""
    if context.indexer is not None:  # the console is one process: nothing to follow
        context.indexer.follow_changes()


def handle(deps: AskDeps, command: Command) -> Outcome:
    question = " ".join(command.text.split())
    if not question:
        return Outcome.say(EMPTY_QUESTION)
    if not has_words_to_act_on(question):  # nothing stored, so nothing is ever posted or quoted
        log.info("ask without words to act on", extra={"platform": command.actor.platform})
        return Outcome.say(NO_WORDS)
    if len(question) > deps.max_question_chars:
        return Outcome.say(
            f"That question is {len(question)} characters long; I can take up to {deps.max_question_chars}. "
            "Could you shorten it to the heart of what you need?"
        )
    request, reply = answer_question(deps, command.actor, question, channel_id=command.channel_id)
    log.info("ask answered", extra={"request_id": request.id, "platform": command.actor.platform})
    return Outcome(reply=student_privacy.note_on_reply(reply, question))


def answer_question(
    deps: AskDeps,
    actor: Actor,
    question: str,
    channel_id: str | None,
    message_id: str | None = None,
    source: str = "command",
    ephemeral: bool = True,
    vector: np.ndarray | None = None,
    follow_up: bool = True,
) -> tuple[HelpRequest, Reply]:
    """Store the request first (so nothing is lost), then match, record and build the reply.

    ``vector``: the question's embedding when the caller already has it (the detector's), else computed.
    ``follow_up`` False: no escalation is planned (an answer the asker has not seen).
    A ``/ask`` repeating the asker's own open question reuses it: no new request, nudges, follow-ups or
    posts."""
    with deps.db.unit_of_work() as uow:
        teacher = ensure_teacher(deps, actor)
        request = uow.requests.create(
            asker_id=teacher.id,
            text=question,
            platform=actor.platform,
            channel_id=channel_id,
            message_id=message_id,
            source=source,
        )
        if follow_up:  # a failure here only logs
            lifecycle.created(deps, request.id)
        uow.commit()  # stored even if matching fails; and no lock is held while the question is embedded
        if vector is None:  # embedded once, for suggestions and knowledge
            vector = deps.indexer.embedder.embed([question])[0]
        suggestions = deps.suggester.suggest(  # reads committed rows on its own: still no lock held
            question,
            teacher if teacher.onboarded else None,
            actor.platform,
            actor.workspace_id,
            vector=vector,
        )
        earlier = repeats.reuse_open_request(deps, request, vector) if source == "command" else None
        found = knowledge.look_up(deps, request, teacher, vector) if earlier is None else None
        # the searches are done: the writes and short reads below hold the lock briefly
        if earlier is None:
            uow.requests.record_suggestions(request.id, suggestions.matches())
        notes = uow.resources.adaptation_notes(r.id for _, r in suggestions.resources)
    headline = (
        "Here's what colleagues have found useful:"
        if source == "command"
        else ("Looks like you're asking for ideas — here's a head start while colleagues chime in:")
    )
    if earlier is not None:
        request = earlier
    reply = build_suggestion_reply(
        request.id,
        suggestions,
        headline,
        notes=notes,
        ephemeral=ephemeral,
        offer_post=source == "command" and (earlier is None or repeats.may_post(deps, earlier)),
        help_channel=deps.help_channel(actor.platform),
    )
    if earlier is not None:
        reply = replace(reply, text=f"{repeats.STILL_FOLLOWING}\n\n{reply.text}")
    else:
        reply = knowledge.add_to_ask_reply(deps, request, teacher, vector, reply, found=found)  # what helped
        reply = repeats.hold_back_if_linked(deps, request, reply)  # a linked question is never posted again
    if not teacher.onboarded and source == "command":
        reply = Reply(
            text=reply.text,
            resources=reply.resources,
            peers=reply.peers,
            buttons=(
                *reply.buttons,
                Button("Tell Kindred what you teach", Action.ONBOARD, button_value(teacher.id)),
            ),
            footer="Tell me your grades and subjects (takes 20 seconds) and I'll match you even better.",
            ephemeral=reply.ephemeral,
            request_id=reply.request_id,
        )
    return request, reply
