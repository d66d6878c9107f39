"""Colleagues with the real model on the sample community: a true reason for each, no hub profile."""

from __future__ import annotations

import pytest

from bot.domain.events import Actor, Command
from bot.matching.synonyms import question_context
from bot.storage.repositories import TeacherRepository

pytestmark = pytest.mark.slow

# Fresh questions (not the labelled evaluation's), none about 6th/7th grade math, algebra tiles, number
# talks or error analysis: what the sample's hub profile (a first-year middle-school math teacher) is about.
UNRELATED = (
    "How do I set up a calm-down corner for my kindergarten class?",
    "Need a fun choir warm-up for my 2nd graders",
    "What belongs in a lab safety contract for high school chemistry?",
    "Sentence frames for English learners writing a science explanation",
    "How do I run literature circles in 8th grade ELA?",
    "My students need practice analyzing Civil War letters and photographs",
    "Getting started with pair programming in an intro Python class",
    "A cooperative PE game where nobody sits out",
    "How do I get ready for a parent-teacher conference with a worried family?",
    "A short phonics routine for first graders",
)


def _ask(app, question: str):  # type: ignore[no-untyped-def]
    reply = app.kindred.handle_command(Command(Actor("console", "you", "You"), "ask", question)).reply
    with app.db.session() as session:
        return [(TeacherRepository(session).get(p.teacher_id), p.reason) for p in reply.peers]


def test_the_hub_profile_is_not_suggested_for_questions_it_is_not_about(real_app):
    shown = {question: [t.platform_user_id for t, _ in _ask(real_app, question)] for question in UNRELATED}
    with_hub = [q for q, handles in shown.items() if "tom.nguyen" in handles]
    assert len(with_hub) <= len(UNRELATED) // 10, with_hub


def test_every_colleague_suggested_has_a_reason_that_names_something_true(real_app):
    for question in (*UNRELATED, "Ideas for teaching equivalent fractions hands-on to 4th graders?"):
        context = question_context(question)
        for teacher, reason in _ask(real_app, question):
            first = reason.split(" · ")[0]
            assert "glad to help" not in reason and not first.startswith(("teaches", "also teaches")), reason
            if first.startswith("shared: "):
                assert set(first.removeprefix("shared: ").split(", ")) <= set(teacher.interests), reason
            elif first.startswith("related interest: "):
                assert first.removeprefix("related interest: ") in teacher.interests, reason
            else:  # a specialist role the question is about
                assert context.subjects, (question, reason)
