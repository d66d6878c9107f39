"""The one delivery path: ``deliver(outcome, messenger)`` sends in one order, records question posts,
and errors are typed (``Outcome.failed``), never recognised by their text."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from cryptography.fernet import Fernet
from sqlalchemy import select

from bot.anonymity import redaction
from bot.anonymity.config import AnonymityConfig
from bot.domain.events import Actor, ChannelMessage, Command
from bot.domain.replies import ChannelPost, DirectMessage, Outcome, Reply, ThreadPost
from bot.handlers.delivery import DELAYED_POST_FAILED, PostRefused, deliver
from bot.storage.models import ANON_POST, FollowUpRow, RequestPostRow
from tests.recording_sender import RecordingSender

MARIA = Actor("console", "maria.lopez", "Maria Lopez")


class Recorder:
    """A ``Messenger`` that writes down what it was asked to send, in order."""

    platform = "console"

    def __init__(self, refuse_posts: bool = False) -> None:
        self.sent: list[tuple[str, Any]] = []
        self.refuse_posts = refuse_posts
        self.sender = RecordingSender()

    async def in_core(self, call: Callable[..., Any], *args: Any) -> Any:
        return call(*args)

    async def reply(self, reply: Reply) -> None:
        self.sent.append(("reply", reply.text))

    async def post(self, post: ChannelPost) -> tuple[str, str] | None:
        if self.refuse_posts:
            raise PostRefused("no #help here")
        self.sent.append(("post", post.reply.text))
        return "help", f"m{len(self.sent)}"

    async def post_in_thread(self, post: ThreadPost) -> None:
        self.sent.append(("thread", post.text))

    async def direct_message(self, dm: DirectMessage) -> None:
        self.sent.append(("dm", dm.platform_user_id))

    async def edit(self, change: Any) -> None:
        self.sent.append(("edit", change.message_id))

    async def delete(self, change: Any) -> None:
        self.sent.append(("delete", change.message_id))

    async def remove_source(self) -> None:
        self.sent.append(("remove", None))

    async def wait(self, seconds: float) -> None:
        self.sent.append(("wait", seconds))

    def follow_up_sender(self) -> RecordingSender:
        return self.sender


def test_posts_go_first_and_are_recorded_then_dms_then_the_reply(app):
    request_id = app.kindred.handle_command(Command(MARIA, "ask", "How do I teach fractions hands-on?"))
    request_id = request_id.reply.request_id
    outcome = Outcome(
        reply=Reply("Posted to #help."),
        posts=(ChannelPost(Reply("A question", ephemeral=False), request_id=request_id),),
        direct_messages=(DirectMessage("derek.thompson", Reply("Could you help?")),),
    )
    messenger = Recorder()
    asyncio.run(deliver(outcome, messenger, app.kindred))

    assert [kind for kind, _ in messenger.sent] == ["post", "dm", "reply"]
    with app.db.session() as session:
        (post,) = session.scalars(select(RequestPostRow)).all()
        assert (post.request_id, post.channel_id, post.message_id) == (request_id, "help", "m1")


def test_a_refused_post_replaces_the_reply_and_holds_the_dms_back():
    outcome = Outcome(
        reply=Reply("Posted to #help."),
        posts=(ChannelPost(Reply("A question", ephemeral=False)),),
        direct_messages=(DirectMessage("derek.thompson", Reply("Could you help?")),),
    )
    messenger = Recorder(refuse_posts=True)
    asyncio.run(deliver(outcome, messenger, kindred=None))  # type: ignore[arg-type]
    assert messenger.sent == [("reply", "no #help here")]


def test_a_broken_handler_is_a_typed_failure_and_a_channel_never_sees_it(app):
    def broken(deps: Any, event: Any) -> Outcome:
        raise RuntimeError("boom")

    app.kindred.registry.command("broken", "Always fails", "/broken", broken)
    failed = app.kindred.handle_command(Command(MARIA, "broken", ""))
    assert failed.failed and failed.reply is not None and "went wrong" in failed.reply.text

    app.kindred.registry.message_listeners.insert(0, broken)
    message = ChannelMessage(MARIA, "general", "Does anyone have ideas for teaching fractions?", "m1")
    assert app.kindred.handle_message(message) is None


def test_an_anonymous_ask_is_a_delay_the_core_stores_then_posts(app):
    app.kindred.deps.anonymity = AnonymityConfig(
        identity_key=Fernet.generate_key().decode(), post_delay=lambda: 4.0
    )
    try:
        outcome = app.kindred.handle_command(Command(MARIA, "ask", "anon How do I calm a noisy class?"))
        (delay,) = outcome.delays
        assert delay.seconds == 4.0 and delay.due_at is not None and not outcome.posts
        with app.db.session() as session:
            (row,) = session.scalars(select(FollowUpRow).where(FollowUpRow.kind == ANON_POST)).all()
            assert row.request_id == delay.request_id, "stored before anything is sent"

        messenger = Recorder()
        asyncio.run(deliver(outcome, messenger, app.kindred))
        assert [kind for kind, _ in messenger.sent] == ["reply", "wait"]
        (public,) = messenger.sender.posts
        assert "How do I calm a noisy class?" in public.reply.text and "Maria" not in public.reply.text
    finally:
        redaction.forget_all()


def test_a_delayed_post_that_fails_for_good_tells_the_asker(app):
    app.kindred.deps.anonymity = AnonymityConfig(
        identity_key=Fernet.generate_key().decode(), post_delay=lambda: 0.0
    )
    try:
        outcome = app.kindred.handle_command(Command(MARIA, "ask", "anon How do I calm a noisy class?"))
        messenger = Recorder()
        messenger.sender = object()  # type: ignore[assignment]  # cannot post to a help channel
        asyncio.run(deliver(outcome, messenger, app.kindred))
        assert messenger.sent[-1] == ("reply", DELAYED_POST_FAILED)
    finally:
        redaction.forget_all()
