"""The knowledge base ("stuff with soul"): answers that helped are kept, credited to their helper, and
shown first to the next colleague who asks something similar. Near-duplicate open questions are linked.

``add_to_ask_reply`` is the ask flow's one hook; ``remember_reply`` keeps a colleague's thread reply (so
"did this help?" can quote it); ``record_answer`` runs when the asker says an answer helped (through
``bot.handlers.answered.reply_answered_it``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Protocol

import numpy as np

from bot.domain.clock import as_utc
from bot.domain.events import ThreadReply
from bot.domain.knowledge import OpenDuplicate, SimilarAnswer, ThreadAnswer
from bot.domain.replies import DirectMessage, Outcome, Reply
from bot.domain.requests import HelpRequest, RequestStatus
from bot.domain.ripples import RippleKind
from bot.domain.teachers import Teacher
from bot.handlers import lifecycle
from bot.handlers.identity import ensure_teacher
from bot.handlers.lifecycle import LifecycleDeps
from bot.handlers.ports import Profiles
from bot.matching.indexer import ANSWER
from bot.matching.similar_questions import SimilarQuestions
from bot.scheduling.messages import quote

log = logging.getLogger(__name__)

MAX_ANSWER_CHARS = 4000
ANSWER_QUOTE_CHARS = 400
SIMILAR_HEADLINE = "A colleague asked something similar — here is what helped:"


class KnowledgeDeps(Profiles, LifecycleDeps, Protocol):
    """What the knowledge base uses: question and answer indexes, profiles, the lifecycle (answers solve)."""


def add_to_ask_reply(
    deps: KnowledgeDeps,
    request: HelpRequest,
    asker: Teacher | None,
    vector: np.ndarray,
    reply: Reply,
    now: datetime | None = None,
    found: Lookup | None = None,
) -> Reply:
    """Lead the reply with a colleague's answer to a similar question, then note a near-duplicate open
    question. ``found``: what ``look_up`` found before (else looked up here). A failure here only logs:
    it must never cost the teacher their answer."""
    moment = as_utc(now or deps.clock())
    try:
        found = found or _look_up(deps, request, asker, vector, moment)
        lines = _record(deps, request, vector, found, moment)
    except Exception:
        log.exception("knowledge base lookup failed", extra={"request_id": request.id})
        return reply
    return replace(reply, text="\n\n".join([*lines, reply.text])) if lines else reply


@dataclass(frozen=True)
class Lookup:
    """What the knowledge base holds for a new question: answers to similar ones, open look-alikes."""

    answers: list[SimilarAnswer]
    duplicates: list[OpenDuplicate]


def look_up(
    deps: KnowledgeDeps,
    request: HelpRequest,
    asker: Teacher | None,
    vector: np.ndarray,
    now: datetime | None = None,
) -> Lookup | None:
    """The searches alone, on committed rows: run before the ask's writes, so no lock is held meanwhile.
    None when they fail (logged; ``add_to_ask_reply`` then tries again)."""
    try:
        return _look_up(deps, request, asker, vector, as_utc(now or deps.clock()))
    except Exception:
        log.exception("knowledge base lookup failed", extra={"request_id": request.id})
        return None


def _look_up(
    deps: KnowledgeDeps, request: HelpRequest, asker: Teacher | None, vector: np.ndarray, now: datetime
) -> Lookup:
    similar = SimilarQuestions(deps.db, deps.indexer)
    workspace_id = asker.workspace_id if asker else None
    answers = similar.answers(
        vector,
        request.text,
        request.platform,
        workspace_id,
        exclude_request_id=request.id,
        exclude_helper_id=request.asker_id,
    )
    duplicates = similar.open_duplicates(
        vector, request.text, request.id, request.asker_id, request.platform, workspace_id, now
    )
    return Lookup(answers, duplicates)


def _record(
    deps: KnowledgeDeps, request: HelpRequest, vector: np.ndarray, found: Lookup, now: datetime
) -> list[str]:
    """Keep the question's vector, credit the helper whose answer is shown, link the look-alike."""
    SimilarQuestions(deps.db, deps.indexer).remember(request.id, request.text, vector)
    lines: list[str] = []
    answers, duplicates = found.answers, found.duplicates
    if answers:
        lines.append(answer_block(answers[0]))
        with deps.db.unit_of_work() as uow:
            uow.ripples.record(
                RippleKind.ANSWER_SHOWN,
                answers[0].answer.helper_id,
                colleague_id=None if request.anonymous else request.asker_id,
                request_id=request.id,
                answer_id=answers[0].answer.id,
            )
    if duplicates:
        with deps.db.unit_of_work() as uow:
            uow.knowledge.link(request.id, duplicates[0].request_id, duplicates[0].score)
        lines.append(duplicate_line(duplicates[0], now))
    log.info(
        "knowledge base consulted",
        extra={"request_id": request.id, "answers": len(answers), "duplicates": len(duplicates)},
    )
    return lines


def answer_block(match: SimilarAnswer) -> str:
    return f"{SIMILAR_HEADLINE}\n{answer_quote(match)}"


def answer_quote(match: SimilarAnswer) -> str:
    """The question and what helped. The asker is never named; the helper always is (their ripple)."""
    return (
        f"> “{quote(match.answer.question)}”\n"
        f"> {match.helper_name}: “{quote(match.answer.answer, ANSWER_QUOTE_CHARS)}”"
    )


def duplicate_line(duplicate: OpenDuplicate, now: datetime) -> str:
    return (
        f"Someone asked something very similar {ago(duplicate.created_at, now)} and it's still open — "
        "you're not the only one wondering. I've linked the two questions, so an answer that helps one "
        "reaches you both."
    )


def ago(moment: datetime, now: datetime) -> str:
    days = (as_utc(now).date() - as_utc(moment).date()).days
    if days <= 0:
        return "earlier today"
    return "yesterday" if days == 1 else f"{days} days ago"


def remember_reply(deps: KnowledgeDeps, reply: ThreadReply, request: HelpRequest) -> ThreadAnswer | None:
    """Keep a colleague's reply in ``request``'s thread (the replier is a public poster, so their profile
    is created if needed); None for an empty reply. Idempotent per message."""
    text = reply.text.strip()[:MAX_ANSWER_CHARS]
    if not text:
        return None
    helper = ensure_teacher(deps, reply.actor)
    with deps.db.unit_of_work() as uow:
        return uow.knowledge.add_thread_answer(request.id, helper.id, text, reply.message_id)


def record_answer(deps: KnowledgeDeps, request_id: int, helper_teacher_id: int, answer_text: str) -> Outcome:
    """The asker marked ``helper_teacher_id``'s answer as the one that helped: the question is solved, the
    answer joins the knowledge base (embedded and indexed), the helper gets the credit (a ripple), and
    askers of linked open look-alike questions hear what helped."""
    text = answer_text.strip()[:MAX_ANSWER_CHARS]
    if not text:
        return Outcome.say("That answer is empty — nothing to save.")
    with deps.db.unit_of_work() as uow:
        request = uow.requests.get(request_id)
        teachers = uow.teachers
        helper = teachers.get(helper_teacher_id)
        if request is None:
            return Outcome.say("I can't find that question any more.")
        if helper is None:
            return Outcome.say("I can't find the colleague who answered.")
        asker = teachers.get(request.asker_id) if request.asker_id is not None else None
        knowledge = uow.knowledge
        answer, _ = knowledge.save_answer(
            request.id,
            helper.id,
            request.text,
            text,
            request.platform,
            asker.workspace_id if asker else helper.workspace_id,
        )
        ripples = uow.ripples
        ripples.record(
            RippleKind.ANSWER_HELPED,
            helper.id,
            colleague_id=None if request.anonymous else request.asker_id,
            request_id=request.id,
            answer_id=answer.id,
        )
        linked = [
            row
            for row in knowledge.linked_requests(request.id)
            if row.status is RequestStatus.OPEN and row.asker_id not in (None, helper.id)
        ]
        linked_askers = teachers.get_many(row.asker_id for row in linked if row.asker_id is not None)
        for row in linked:
            ripples.record(
                RippleKind.ANSWER_SHOWN,
                helper.id,
                colleague_id=None if row.anonymous else row.asker_id,
                request_id=row.id,
                answer_id=answer.id,
            )
    lifecycle.solved(deps, request.id)
    deps.indexer.upsert(ANSWER, answer.id, answer.embedding_text())
    log.info("answer saved to the knowledge base", extra={"request_id": request.id, "answer_id": answer.id})

    dms: list[DirectMessage] = []
    if helper.id != request.asker_id:
        dms.append(
            DirectMessage(helper.platform_user_id, Reply(text=_helper_thanks(request), ephemeral=False))
        )
    news = "A question much like yours just got an answer that helped a colleague.\n" + answer_quote(
        SimilarAnswer(answer, 1.0, helper.name)
    )
    for row in linked:
        teacher = None if row.asker_id is None else linked_askers.get(row.asker_id)
        if teacher is not None:
            dms.append(DirectMessage(teacher.platform_user_id, Reply(text=news, ephemeral=False)))
    first = helper.name.split()[0] if helper.name else "your colleague"
    return Outcome(
        reply=Reply(
            text=(
                f"Thanks — I've marked “{quote(request.text)}” as solved and saved {first}'s answer, so "
                "colleagues asking something similar will find it (credited to them)."
            )
        ),
        direct_messages=tuple(dms),
    )


def _helper_thanks(request: HelpRequest) -> str:
    return (
        f"Your answer to “{quote(request.text)}” helped — thank you! It's now in Kindred's knowledge base, "
        "credited to you, so colleagues who ask something similar will see it first. "
        "`/ripples` shows where it goes next."
    )
