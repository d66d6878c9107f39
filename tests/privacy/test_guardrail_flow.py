"""The guardrail in the conversation: /ask still answers (with a note), a public post naming a student is
held back, and the redacted version can be posted with one button."""

from sqlalchemy import select

from bot.domain.events import Actor, ButtonPress, Command
from bot.domain.replies import Action
from bot.domain.teachers import Teacher
from bot.handlers.student_privacy import PrivacyAction
from bot.scheduling.messages import nudge_reply
from bot.storage.models import HelpRequestRow

MARIA = Actor("console", "maria.lopez", "Maria Lopez")
DEREK = Actor("console", "derek.thompson", "Derek Thompson")
PII_QUESTION = (
    "My student Jayden Smith has an IEP for reading and keeps shutting down during fractions. Ideas?"
)


def ask(app, text, actor=MARIA):
    return app.kindred.handle_command(Command(actor, "ask", text, channel_id="general")).reply


def button(reply, action):
    return next(b for b in reply.buttons if b.action == action)


def test_ask_still_answers_privately_with_a_gentle_note(app):
    reply = ask(app, PII_QUESTION)
    assert reply.ephemeral and reply.resources and reply.peers
    assert "Privacy note" in reply.footer and "a student's name" in reply.footer
    assert "My student [name] has an IEP" in reply.footer and "Jayden" not in reply.footer


def test_a_clean_question_gets_no_note(app):
    reply = ask(app, "How do I teach equivalent fractions hands-on to 4th graders?")
    assert "Privacy note" not in reply.footer


def test_post_is_held_back_then_the_redacted_version_is_posted(app, caplog):
    reply = ask(app, PII_QUESTION)
    post = button(reply, Action.POST_TO_HELP)
    held = app.kindred.handle_button(ButtonPress(MARIA, post.action, post.value))
    assert not held.posts and not held.direct_messages, "nothing public, nobody nudged"
    assert "rephrase" in held.reply.text and "My student [name] has an IEP for reading" in held.reply.text
    assert "Jayden" not in held.reply.text
    again = button(held.reply, PrivacyAction.POST_REDACTED)
    assert again.value == post.value, "the button carries the request id, never the text"

    stranger = app.kindred.handle_button(ButtonPress(DEREK, again.action, again.value))
    assert not stranger.posts and "Only the person who asked" in stranger.reply.text

    posted = app.kindred.handle_button(ButtonPress(MARIA, again.action, again.value))
    assert len(posted.posts) == 1 and posted.direct_messages
    public = [posted.posts[0].reply.text] + [dm.reply.text for dm in posted.direct_messages]
    assert all("[name]" in text and "Jayden" not in text and "Smith" not in text for text in public)
    with app.db.session() as session:
        stored = session.scalars(select(HelpRequestRow.text)).one()
    assert stored.startswith("My student [name] has an IEP"), "the original details are not kept either"
    assert "Jayden" not in caplog.text, "the guardrail never logs what it found"


def test_a_clean_question_posts_at_once(app):
    reply = ask(app, "How do you teach long division to 4th graders?")
    post = button(reply, Action.POST_TO_HELP)
    outcome = app.kindred.handle_button(ButtonPress(MARIA, post.action, post.value))
    assert len(outcome.posts) == 1 and "long division" in outcome.posts[0].reply.text


def test_escalation_nudges_quote_the_redacted_question():
    helper = Teacher(1, "console", "derek", "Derek Thompson", subjects=("math",), grades=("4",))
    text = nudge_reply(7, "Diego Ramos in my class has a 504 for ADHD. Fraction ideas?", helper, None).text
    assert "[name] in my class has a 504 for ADHD" in text and "Diego" not in text
