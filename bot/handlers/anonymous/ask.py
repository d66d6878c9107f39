"""``/ask anon …``: the question stored without its asker, suggestions privately, a delayed public post."""

from __future__ import annotations

import logging
from typing import Protocol

from bot.anonymity import redaction
from bot.anonymity.escrow import EscrowUnavailable, Identity
from bot.anonymity.pseudonyms import new_pseudonym
from bot.domain.events import Actor, Command
from bot.domain.markup import bold
from bot.domain.question_text import NO_WORDS, has_words_to_act_on
from bot.domain.replies import Button, Delay, Outcome, Reply
from bot.handlers import lifecycle, repeats
from bot.handlers.anonymous.common import (
    BLOCKED,
    NO_KEY,
    SOLVED_ACTION,
    SORRY,
    anon_question,
    config,
    escrow,
    usage,
)
from bot.handlers.identity import find_teacher
from bot.handlers.lifecycle import LifecycleDeps
from bot.handlers.ports import Anonymity, HelpChannels, Matching, QuestionLimits
from bot.handlers.suggestion_reply import build_suggestion_reply, button_value
from bot.privacy import student_pii

log = logging.getLogger(__name__)
WORDS = ("anon", "anonymous")  # "/ask anon …" (Discord: the ask command's "anonymous" option)


class AnonymousAskDeps(LifecycleDeps, Anonymity, Matching, QuestionLimits, HelpChannels, Protocol):
    """What /ask anon uses: the escrow, matching, the length limit, the help channel, the lifecycle."""


def command(deps: AnonymousAskDeps, command: Command) -> Outcome:
    """The registered ``/ask anon`` subcommand."""
    return ask(deps, command.actor, anon_question(command.text) or "")


def ask(deps: AnonymousAskDeps, actor: Actor, question: str) -> Outcome:
    """Store the question without its asker, escrow the identity, build suggestions and the delayed post."""
    try:
        return _ask(deps, actor, question)
    except Exception:
        log.exception("anonymous ask failed", extra={"platform": actor.platform})
        return Outcome.failure(SORRY)


def _ask(deps: AnonymousAskDeps, actor: Actor, question: str) -> Outcome:
    question = " ".join(question.split())
    if not question:
        return Outcome.say("What would you like to ask anonymously? e.g. `/ask anon How do I …?`")
    if not has_words_to_act_on(question):
        return Outcome.say(NO_WORDS)
    if len(question) > deps.max_question_chars:
        return Outcome.say(
            f"That question is too long; I can take up to {deps.max_question_chars} characters."
        )
    privacy = student_pii.check(question)
    if privacy.found:  # anonymity protects the teacher, never a way to post about a named student
        log.info("anonymous question held back: student information", extra={"kinds": list(privacy.kinds)})
        return Outcome.say(
            f"I haven't posted anything: your question seems to include {privacy.describe()}. Anonymity "
            "protects you, and your students deserve the same. Ask again without identifying details, e.g.\n"
            f"`/ask anon {privacy.redacted}`"
        )
    try:
        vault = escrow(deps)
    except EscrowUnavailable:
        return Outcome.say(NO_KEY)
    redaction.protect(actor.user_id, actor.display_name)
    fingerprint = vault.fingerprint(actor.platform, actor.user_id)
    teacher = find_teacher(deps, actor)  # for better matching only; never linked to the request
    with deps.db.unit_of_work() as uow:
        store = uow.anonymity
        if store.is_blocked(actor.platform, fingerprint):
            return Outcome.say(BLOCKED)
        earlier = repeats.anonymous_repeat(uow, actor.platform, fingerprint, question)
        if earlier is not None:  # asked again: the open question is reused, never posted twice
            return Outcome.say(f"{repeats.still_following_anonymous(earlier)} {usage(earlier)}")
        request = uow.requests.create(
            asker_id=None, text=question, platform=actor.platform, anonymous=True, source="anonymous"
        )
        pseudonym = new_pseudonym(store.recent_pseudonyms(actor.platform))
        store.add_question(
            request_id=request.id,
            platform=actor.platform,
            workspace_id=actor.workspace_id,
            pseudonym=pseudonym,
            identity=vault.seal(Identity(actor.platform, actor.user_id, actor.display_name)),
            fingerprint=fingerprint,
        )
        channel_id = store.help_channel(actor.platform, actor.workspace_id)
    with deps.db.unit_of_work() as uow:
        lifecycle.created(deps, request.id)  # ids only; escalation never knows the asker
        uow.commit()  # stored before matching (nothing lost if it fails); no lock held while it is embedded
    suggestions = deps.suggester.suggest(
        question,
        teacher if teacher is not None and teacher.onboarded else None,
        actor.platform,
        actor.workspace_id,
    )
    with deps.db.unit_of_work() as uow:
        uow.requests.record_suggestions(request.id, suggestions.matches())
        notes = uow.resources.adaptation_notes(r.id for _, r in suggestions.resources)
    where = f"<#{channel_id}>" if channel_id else f"#{deps.help_channel(actor.platform)}"
    reply = build_suggestion_reply(  # no request id in the buttons: pressing them links nobody to it
        None, suggestions, "Here's what colleagues have found useful:", notes=notes, offer_post=False
    )
    reply = Reply(
        text=f"Your question was posted anonymously in {where} as {bold(pseudonym)}.\n\n{reply.text}",
        resources=reply.resources,
        peers=reply.peers,
        buttons=(Button("Mark solved", SOLVED_ACTION, button_value(request.id)),),
        footer=f"Replies reach you here by DM. {usage(request.id)}",
    )
    log.info("anonymous question asked", extra={"request_id": request.id, "platform": actor.platform})
    # The public post follows after a random delay, so it never lines up with the private answer.
    return Outcome(reply=reply, delays=(Delay(request.id, config(deps).post_delay()),))
