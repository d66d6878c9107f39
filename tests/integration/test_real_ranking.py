"""Answers ranked by the question, with the real model, real FAISS and the sample data, through /ask.

The questions here are worded afresh (not taken from the labelled splits): each one paraphrases a catalog
concept in a teacher's words the model alone does not connect, or asks what the library cannot answer.
"""

import pytest

from bot.domain.events import Actor, Command
from bot.domain.replies import Reply

pytestmark = pytest.mark.slow


def ask(app, question: str, who: str = "you") -> Reply:
    return app.kindred.handle_command(Command(Actor("console", who, who), "ask", question)).reply


@pytest.mark.parametrize(
    ("question", "title_words", "reason_words"),
    [
        (
            "How can I tell by the end of the period whether my students got today's lesson?",
            ("exit ticket", "quick checks"),
            ("exit tickets", "checks for understanding"),
        ),
        ("I want to give my class the same task at three levels of difficulty", ("tiered",), ("tiered",)),
        (
            "What's a simple way to email parents every week about what we did?",
            ("newsletter",),
            ("newsletter",),
        ),
        (
            "How should we start each morning in my 1st grade room?",
            ("morning meeting",),
            ("morning meeting",),
        ),
        ("Tricky words like 'the' and 'of' that kids can't sound out", ("heart word",), ("high-frequency",)),
    ],
)
def test_a_teachers_paraphrase_finds_the_catalog_concept_and_says_so(
    real_app, question, title_words, reason_words
):
    reply = ask(real_app, question)
    assert reply.resources, reply.to_text()
    top = reply.resources[0]
    assert any(w in top.title.lower() for w in title_words), reply.to_text()
    assert any(w in top.reason.lower() for w in reason_words), reply.to_text()
