"""Replies in a question's thread reach the core through ``Kindred.handle_thread_reply``."""

from sqlalchemy import select

from bot.domain.events import Actor, ButtonPress, ChannelMessage, Command, ThreadReply
from bot.domain.replies import Action
from bot.domain.requests import RequestStatus
from bot.storage.models import FollowUpRow
from bot.storage.repositories import RequestRepository

MARIA = Actor("console", "maria.lopez", "Maria Lopez")
DEREK = Actor("console", "derek.thompson", "Derek Thompson")


def status(app, request_id):
    with app.db.session() as session:
        return RequestRepository(session).get(request_id).status


def followup_kinds(app, request_id):
    with app.db.session() as session:
        return sorted(
            r.kind for r in session.scalars(select(FollowUpRow).where(FollowUpRow.request_id == request_id))
        )


def test_unknown_thread_is_none(app):
    assert app.kindred.handle_thread_reply(ThreadReply(DEREK, "general", "123.456", "hi")) is None


def test_reply_to_a_channel_question_marks_it_answered(app):
    outcome = app.kindred.handle_message(
        ChannelMessage(
            MARIA, "general", "Does anyone have fraction ideas for 4th graders?", message_id="111.1"
        )
    )
    request_id = outcome.reply.request_id
    own = app.kindred.handle_thread_reply(ThreadReply(MARIA, "general", "111.1", "bump"))
    assert own is not None and own.reply is None
    assert status(app, request_id) is RequestStatus.OPEN, "the asker's own reply is not an answer"
    app.kindred.handle_thread_reply(ThreadReply(DEREK, "general", "111.1", "Try fraction strips!"))
    assert status(app, request_id) is RequestStatus.ANSWERED
    assert "did_it_help" in followup_kinds(app, request_id)


def test_reply_under_a_published_post_maps_back_to_its_question(app):
    reply = app.kindred.handle_command(
        Command(MARIA, "ask", "How do you teach long division to 4th graders?")
    ).reply
    post_button = next(b for b in reply.buttons if b.action == Action.POST_TO_HELP)
    outcome = app.kindred.handle_button(ButtonPress(MARIA, post_button.action, post_button.value))
    post = outcome.posts[0]
    assert post.request_id == reply.request_id
    app.kindred.record_post(post.request_id, "console", "help", "999.9")
    app.kindred.record_post(post.request_id, "console", "help", "999.9")  # idempotent
    app.kindred.handle_thread_reply(ThreadReply(DEREK, "help", "999.9", "Partial quotients!"))
    assert status(app, reply.request_id) is RequestStatus.ANSWERED
