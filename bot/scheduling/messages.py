"""The words of follow-ups: a kind nudge to a helper, a "did this help?" check-in to the asker."""

from __future__ import annotations

from enum import StrEnum

from bot.domain.knowledge import ThreadAnswer
from bot.domain.markup import bold
from bot.domain.replies import Button, Reply
from bot.domain.teachers import Teacher
from bot.domain.user_text import user_text
from bot.domain.vocabulary import grade_label, subject_label
from bot.handlers.suggestion_reply import button_value
from bot.matching.context import content_terms, extract_context
from bot.matching.resource_ranker import target_for
from bot.privacy.student_pii import redact

QUOTE_CHARS = 200


class FollowUpAction(StrEnum):
    """Button actions on the "did this help?" DM; the value is the request id."""

    YES = "followup_yes"
    NOT_YET = "followup_not_yet"


def quote(text: str, limit: int = QUOTE_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def why_you(helper: Teacher, question: str, asker: Teacher | None) -> str:
    """ "you teach 4th grade math too" — what the helper shares with the question (or the asker)."""
    context = extract_context(question)
    target = target_for(context, asker.grades if asker else (), asker.subjects if asker else ())
    grades = [g for g in helper.grades if g in target.grades]
    subjects = [subject_label(s) for s in helper.subjects if s in target.subjects]
    what = " ".join(p for p in (grade_label(grades), ", ".join(subjects)) if p)
    if what:
        return f"you teach {what} too"
    shared = [i for i in helper.interests if content_terms(i) & context.terms]
    if shared:
        return f"you know {', '.join(shared[:2])} well"
    return "you came to mind as a colleague who's glad to help"


def nudge_reply(request_id: int, question: str, helper: Teacher, asker: Teacher | None) -> Reply:
    return Reply(
        text=(
            f"A colleague asked “{user_text(quote(redact(question)))}” — {why_you(helper, question, asker)}; "
            "could you share what works for you?"
        ),
        footer="No pressure — if now isn't a good time, it's fine to let this one go.",
        ephemeral=False,
        request_id=request_id,
    )


def public_post_reply(request_id: int, question: str) -> Reply:
    """The help-channel post for a question asked privately: it never names the asker."""
    return Reply(
        text=f"A colleague is looking for ideas — can you help? “{user_text(' '.join(question.split()))}” "
        "Reply in this thread.",
        ephemeral=False,
        request_id=request_id,
    )


class ConsentAction(StrEnum):
    """Buttons of "may I post it in #help?"; the value is the request id."""

    POST = "consent_post"
    POST_ANON = "consent_post_anon"
    KEEP = "consent_keep_private"


def consent_reply(request_id: int, question: str, help_channel: str = "help") -> Reply:
    """Asked before a private question goes public; no answer means it stays private."""
    value = button_value(request_id)
    return Reply(
        text=(
            f"No colleague has answered yet: “{quote(question)}”. May I post it in #{help_channel} without "
            "your name? (If you don't answer, it stays private.)"
        ),
        buttons=(
            Button("Post it", ConsentAction.POST, value, "primary"),
            Button("Post anonymously", ConsentAction.POST_ANON, value),
            Button("Keep it private", ConsentAction.KEEP, value),
        ),
        ephemeral=False,
        request_id=request_id,
    )


ANSWER_QUOTE_CHARS = 300


def did_it_help_reply(request_id: int, question: str, answer: ThreadAnswer | None = None) -> Reply:
    """Quotes the colleague's reply it asks about (shortened) and who gave it; "yes" then saves that reply
    as the answer that helped (the button carries the request's and the reply's ids)."""
    value = button_value(request_id) if answer is None else button_value(request_id, answer.id)
    text = f"Did this help? You asked: “{user_text(quote(question))}”"
    if answer is not None:
        said = user_text(quote(answer.text, ANSWER_QUOTE_CHARS))
        text += f"\n{bold(user_text(answer.helper_name))} answered:\n> {said}"
    return Reply(
        text=text,
        buttons=(
            Button("Yes, thanks!", FollowUpAction.YES, value, "primary"),
            Button("Not yet", FollowUpAction.NOT_YET, value),
        ),
        ephemeral=False,
        request_id=request_id,
    )
