"""Anonymity is for the teacher: an anonymous question naming a student is not posted."""

from cryptography.fernet import Fernet
from sqlalchemy import func, select

from bot.anonymity.config import AnonymityConfig
from bot.domain.events import Actor, Command
from bot.storage.models import HelpRequestRow


def test_anonymous_question_about_a_named_student_is_held_back(app):
    app.kindred.deps.anonymity = AnonymityConfig(
        identity_key=Fernet.generate_key().decode(), post_delay=lambda: 0
    )
    actor = Actor("console", "maria.lopez", "Maria Lopez")
    question = "anon My student Jayden Smith has an IEP for ADHD, how do I help him?"
    result = app.kindred.handle_command(Command(actor, "ask", question))
    assert not result.delays and not result.posts, "nothing goes public"
    assert "haven't posted anything" in result.reply.text
    assert "Jayden Smith" not in result.reply.text.split("e.g.")[1]
    with app.db.session() as session:
        assert session.scalar(select(func.count(HelpRequestRow.id))) == 0


def test_forget_me_deletes_my_anonymous_questions(app):
    from bot.privacy.user_data import export_user, forget_user

    app.kindred.deps.anonymity = AnonymityConfig(
        identity_key=Fernet.generate_key().decode(), post_delay=lambda: 0
    )
    maria = Actor("console", "maria.lopez", "Maria Lopez")
    derek = Actor("console", "derek.thompson", "Derek Thompson")
    mine = app.kindred.handle_command(
        Command(maria, "ask", "anon How do I handle parents who email every day?")
    )
    other = app.kindred.handle_command(Command(derek, "ask", "anon How do I survive my first observation?"))
    assert mine.delays and other.delays, "both are going to be posted"
    exported = export_user(app.kindred.deps, app.kindred.registry.user_data, "console", "maria.lopez")
    assert [q["text"] for q in exported["anonymous_questions"]["questions"]] == [
        "How do I handle parents who email every day?"
    ]
    forget_user(app.kindred.deps, app.kindred.registry.user_data, "console", "maria.lopez")
    with app.db.session() as session:
        texts = list(session.scalars(select(HelpRequestRow.text)))
    assert texts == ["How do I survive my first observation?"]
