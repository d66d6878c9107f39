"""Matching quality with the real all-MiniLM-L6-v2 model, real FAISS and the sample data."""

import pytest

from bot.domain.events import Actor, ChannelMessage, Command
from bot.storage.repositories import TeacherRepository

pytestmark = pytest.mark.slow


def peers_of(app, reply):
    with app.db.session() as session:
        return [TeacherRepository(session).get(p.teacher_id) for p in reply.peers]


def test_fractions_for_4th_graders(real_app):
    reply = real_app.kindred.handle_command(
        Command(
            Actor("console", "you", "You"),
            "ask",
            "How do I teach equivalent fractions hands-on to 4th graders?",
        )
    ).reply
    assert "fraction" in reply.resources[0].title.lower()
    assert any("4" in t.grades and "math" in t.subjects for t in peers_of(real_app, reply))


@pytest.mark.parametrize(
    ("question", "expected_word", "subject"),
    [
        ("Ideas for a photosynthesis lab for 7th grade?", "photosynthesis", "science"),
        ("How do you run reading conferences with 3rd graders?", "conferenc", "ela"),
        ("My 10th graders keep failing stoichiometry, any ideas?", "stoichiometry", "science"),
    ],
)
def test_other_topics_find_their_resource_and_a_colleague_in_the_subject(
    real_app, question, expected_word, subject
):
    reply = real_app.kindred.handle_command(Command(Actor("console", "you"), "ask", question)).reply
    assert any(expected_word in (c.title + c.summary).lower() for c in reply.resources[:2]), reply.to_text()
    assert any(subject in t.subjects for t in peers_of(real_app, reply)), reply.to_text()


def test_chatter_gets_nothing_and_help_gets_a_reply(real_app):
    kindred = real_app.kindred
    actor = Actor("console", "maria.lopez", "Maria Lopez")
    assert kindred.handle_message(ChannelMessage(actor, "general", "Happy Friday everyone!!")) is None
    outcome = kindred.handle_message(
        ChannelMessage(actor, "general", "any ideas for teaching the water cycle?")
    )
    assert outcome is not None and "water" in outcome.reply.resources[0].title.lower()
