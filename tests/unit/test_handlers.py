"""Handlers through the neutral core, on the fake embedder with the sample community."""

from sqlalchemy import select

from bot.domain.events import Actor, ButtonPress, ChannelMessage, Command
from bot.domain.replies import Action
from bot.storage.models import FeedbackRow, HelpRequestRow, SuggestionRow
from bot.storage.repositories import TeacherRepository

MARIA = Actor("console", "maria.lopez", "Maria Lopez")
NEWBIE = Actor("console", "new.teacher", "New Teacher")


def ask(app, actor, text):
    return app.kindred.handle_command(Command(actor, "ask", text, channel_id="general"))


def test_ask_stores_request_and_suggestions(app):
    outcome = ask(app, MARIA, "How do I teach equivalent fractions hands-on to 4th graders?")
    reply = outcome.reply
    assert reply.ephemeral
    assert 1 <= len(reply.resources) <= 3 and 1 <= len(reply.peers) <= 3
    assert all(card.reason for card in reply.resources) and all(peer.reason for peer in reply.peers)
    assert "maria.lopez" not in {p.platform_user_id for p in reply.peers}, "never suggest the asker"
    with app.db.session() as session:
        request = session.scalars(select(HelpRequestRow)).one()
        kinds = [row.kind for row in session.scalars(select(SuggestionRow))]
    assert request.text.startswith("How do I teach")
    assert kinds.count("resource") == len(reply.resources) and kinds.count("peer") == len(reply.peers)


def test_empty_and_huge_questions_get_friendly_answers(app):
    assert "What would you like help with" in ask(app, MARIA, "   ").reply.text
    assert "shorten" in ask(app, MARIA, "why " * 1000).reply.text


def test_first_contact_gets_answer_first_then_onboarding(app):
    reply = ask(app, NEWBIE, "Ideas for teaching photosynthesis to 7th graders?").reply
    assert reply.resources
    assert any(b.action == Action.ONBOARD for b in reply.buttons)
    with app.db.session() as session:
        teacher = TeacherRepository(session).find("console", "new.teacher")
    assert teacher is not None and not teacher.onboarded and not teacher.open_to_help


def test_profile_update_onboards_and_indexes(app):
    ask(app, NEWBIE, "anything")
    outcome = app.kindred.handle_command(Command(NEWBIE, "kindred", "profile grades 4, 5"))
    assert "Saved" in outcome.reply.text and "grades 4–5" in outcome.reply.text
    bad = app.kindred.handle_command(Command(NEWBIE, "kindred", "profile subjects basket weaving"))
    assert "isn't a subject I know" in bad.reply.text
    with app.db.session() as session:
        teacher = TeacherRepository(session).find("console", "new.teacher")
    assert teacher.onboarded and teacher.grades == ("4", "5")
    assert teacher.id in set(app.indexer.index("teacher").ids().tolist())


def test_feedback_buttons_record_once(app):
    reply = ask(app, MARIA, "fraction strips for 4th grade").reply
    helped = next(b for b in reply.resources[0].buttons if b.action == Action.HELPED)
    first = app.kindred.handle_button(ButtonPress(MARIA, helped.action, helped.value))
    again = app.kindred.handle_button(ButtonPress(MARIA, helped.action, helped.value))
    assert "Glad it helped" in first.reply.text and "Already noted" in again.reply.text
    with app.db.session() as session:
        assert len(session.scalars(select(FeedbackRow)).all()) == 1
    tampered = app.kindred.handle_button(ButtonPress(MARIA, Action.HELPED, "x:1"))
    assert "couldn't read that button" in tampered.reply.text


def test_not_relevant_pushes_a_resource_down_next_time(app):
    first = ask(app, MARIA, "fraction strips for 4th grade").reply.resources[0]
    dismiss = next(b for b in first.buttons if b.action == Action.NOT_RELEVANT)
    app.kindred.handle_button(ButtonPress(MARIA, dismiss.action, dismiss.value))
    again = ask(app, MARIA, "fraction strips for 4th grade").reply
    assert again.resources[0].resource_id != first.resource_id


def test_post_to_help_posts_publicly_and_nudges_peers(app):
    reply = ask(app, MARIA, "How do you teach long division to 4th graders?").reply
    post = next(b for b in reply.buttons if b.action == Action.POST_TO_HELP)
    stranger = app.kindred.handle_button(
        ButtonPress(Actor("console", "derek.thompson"), post.action, post.value)
    )
    assert "Only the person who asked" in stranger.reply.text and not stranger.posts
    outcome = app.kindred.handle_button(ButtonPress(MARIA, post.action, post.value))
    assert len(outcome.posts) == 1 and "long division" in outcome.posts[0].reply.text
    assert {dm.platform_user_id for dm in outcome.direct_messages} == {
        p.platform_user_id for p in reply.peers
    }
    assert all("long division" in dm.reply.text for dm in outcome.direct_messages)


def test_channel_help_request_gets_public_reply_and_chatter_nothing(app):
    help_msg = ChannelMessage(
        MARIA, "general", "Does anyone have a good water cycle hook for 5th graders?", "m1"
    )
    outcome = app.kindred.handle_message(help_msg)
    assert outcome is not None and not outcome.reply.ephemeral and outcome.reply.resources
    assert (
        app.kindred.handle_message(ChannelMessage(MARIA, "general", "who else needs coffee today", "m2"))
        is None
    )
    with app.db.session() as session:
        texts = [r.text for r in session.scalars(select(HelpRequestRow))]
    assert texts == ["Does anyone have a good water cycle hook for 5th graders?"], "chatter is never stored"


def test_share_adds_a_searchable_resource(app):
    outcome = app.kindred.handle_command(
        Command(
            MARIA, "share", "https://example.org/egg-drop-physics | My 8th graders loved designing egg drops"
        )
    )
    assert "Added" in outcome.reply.text
    reply = ask(app, MARIA, "egg drop physics design challenge for 8th grade").reply
    assert reply.resources[0].url == "https://example.org/egg-drop-physics"
    missing_why = app.kindred.handle_command(Command(MARIA, "share", "https://example.org/x"))
    assert "why it's good" in missing_why.reply.text


def test_a_crashing_handler_answers_kindly_and_the_bot_keeps_going(app, monkeypatch, caplog):
    def boom(*args, **kwargs):
        raise RuntimeError("index exploded")

    monkeypatch.setattr(app.kindred.deps.suggester, "suggest", boom)
    outcome = ask(app, MARIA, "How do I teach fractions?")
    assert "something went wrong on my side" in outcome.reply.text
    assert "handler failed" in caplog.text
    assert (
        app.kindred.handle_message(ChannelMessage(MARIA, "c", "Does anyone have fraction ideas for 4th?"))
        is None
    )
    monkeypatch.undo()
    assert ask(app, MARIA, "How do I teach fractions?").reply.resources


def test_help_lists_only_registered_commands(app):
    text = app.kindred.handle_command(Command(MARIA, "kindred", "help")).reply.text
    assert "/ask" in text and "/share" in text and "/pack" in text
    assert "/teleport" not in text
    assert "don't know /teleport" in app.kindred.handle_command(Command(MARIA, "teleport", "")).reply.text
