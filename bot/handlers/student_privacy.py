"""The student-privacy guardrail in the conversation: hold back a public post that names a student,
offer the redacted version with one button, and add a gentle note to private /ask answers.

Detection and redaction live in ``bot.privacy.student_pii``; this module only turns them into replies.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from enum import StrEnum
from typing import TypeVar

from bot.domain.events import ButtonPress
from bot.domain.replies import Action, Button, DirectMessage, Outcome, Reply
from bot.domain.requests import HelpRequest
from bot.handlers.identity import find_teacher
from bot.handlers.ports import Storage
from bot.handlers.suggestion_reply import button_value, parse_button_value
from bot.privacy import student_pii

log = logging.getLogger(__name__)

D = TypeVar("D", bound=Storage)  # whatever the wrapped post button needs (finding the asker: the database)


class PrivacyAction(StrEnum):
    """Buttons of the guardrail; the value is the request id (never the text)."""

    POST_REDACTED = "post_redacted"


def guard_post(request: HelpRequest) -> Outcome | None:
    """``None`` when the question may go public; otherwise a private reply offering the redacted text."""
    check = student_pii.check(request.text)
    if not check.found:
        return None
    log.info(
        "public post held back: likely student information",
        extra={"request_id": request.id, "kinds": list(check.kinds)},
    )
    return Outcome(
        reply=Reply(
            text=(
                f"Before this goes public: your question seems to include {check.describe()}. "
                "To protect your students' privacy, could you rephrase it without identifying details? "
                f"Here's a version with them taken out:\n> {check.redacted}"
            ),
            buttons=(
                Button("Post this version", PrivacyAction.POST_REDACTED, button_value(request.id), "primary"),
            ),
            footer="Or ask again with /ask in your own words — colleagues only need the teaching problem.",
        )
    )


def note_on_reply(reply: Reply, question: str) -> Reply:
    """A gentle note on a private answer whose question names a student; the answer itself is unchanged."""
    check = student_pii.check(question)
    if not check.found:
        return reply
    note = (
        f"Privacy note: your question seems to include {check.describe()}. Only you can see this answer; "
        "if you share it, leave identifying details out — e.g. “" + check.redacted + "”"
    )
    return replace(reply, footer="\n".join(p for p in (note, reply.footer) if p))


def note_to_poster(actor_id: str, question: str) -> tuple[DirectMessage, ...]:
    """A private note to someone whose public channel message names a student, offering redacted wording
    (the suggestions still go in the thread: they don't repeat the message)."""
    check = student_pii.check(question)
    if not check.found:
        return ()
    log.info("channel help request names a student: private note sent", extra={"kinds": list(check.kinds)})
    text = (
        f"About your message in the channel: it seems to include {check.describe()}. Colleagues only need "
        "the teaching problem — you could edit it to:\n> " + check.redacted
    )
    return (DirectMessage(actor_id, Reply(text=text)),)


def post_redacted(post: Callable[[D, ButtonPress], Outcome]) -> Callable[[D, ButtonPress], Outcome]:
    """The "Post this version" button: store the redacted text in place of the original, then ``post``
    (which gets the same dependencies)."""

    def handle(deps: D, press: ButtonPress) -> Outcome:
        try:
            (request_id,) = parse_button_value(press.value)
        except ValueError:
            return Outcome.say("Sorry, I couldn't read that button. Please try /ask again.")
        teacher = find_teacher(deps, press.actor)
        with deps.db.unit_of_work() as uow:
            request = uow.requests.get(request_id)
            if request is None or teacher is None or request.asker_id != teacher.id:
                return Outcome.say("Only the person who asked can post this question.")
            uow.requests.set_text(request_id, student_pii.redact(request.text))  # identifying details go too
        log.info("posting the redacted question", extra={"request_id": request_id})
        return post(deps, replace(press, action=Action.POST_TO_HELP.value))

    return handle
