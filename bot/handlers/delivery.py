"""The one delivery path: a platform's ``Messenger`` sends what an ``Outcome`` asks for, in one order.

Each platform implements ``Messenger`` (render + send); ``deliver`` decides the order and what is recorded:
public posts first (so "Posted to #help" is only said when it is true; a refused post stops the DMs that
point at it), then DMs, thread posts and edits/deletes, then the reply to the actor, then the delayed posts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from bot.domain.replies import ChannelPost, DeletePost, DirectMessage, EditPost, Outcome, Reply, ThreadPost
from bot.scheduling.sender import Sender

if TYPE_CHECKING:
    from bot.handlers.core import Kindred

T = TypeVar("T")
DELAYED_POST_FAILED = (
    "I couldn't find the help channel, so your question wasn't posted. Please tell an admin."
)


class PostRefused(Exception):
    """The platform could not make a public post; ``text`` tells the actor why (it replaces the reply)."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


class Messenger(Protocol):
    """One platform's way of saying things, bound to the event being answered (who, where)."""

    platform: str

    async def in_core(self, call: Callable[..., T], *args: Any) -> T:
        """Run a synchronous core call without blocking the platform's event loop."""
        ...

    async def reply(self, reply: Reply) -> None:
        """Answer the actor: ephemerally, or in place (thread / channel) when ``reply.ephemeral`` is False."""
        ...

    async def post(self, post: ChannelPost) -> tuple[str, str] | None:
        """Post publicly (``channel_id`` None: the help channel); (channel id, message id) of the post.
        Raises ``PostRefused`` when the channel is missing or closed to the bot."""
        ...

    async def post_in_thread(self, post: ThreadPost) -> None: ...

    async def direct_message(self, dm: DirectMessage) -> None:
        """Best effort: one unreachable person must not stop the others (log, don't raise)."""
        ...

    async def edit(self, change: EditPost) -> None: ...

    async def delete(self, change: DeletePost) -> None: ...

    async def remove_source(self) -> None:
        """Delete the bot message whose button was pressed, if there is one."""
        ...

    async def wait(self, seconds: float) -> None:
        """Let ``seconds`` pass before a delayed post (the console does not wait)."""
        ...

    def follow_up_sender(self) -> Sender:
        """The platform's synchronous follow-up sender (with ``post_to_help``), for delayed posts."""
        ...


async def deliver(outcome: Outcome | None, messenger: Messenger, kindred: Kindred) -> None:
    """Send everything ``outcome`` asks for through ``messenger``, recording question posts in the core."""
    if outcome is None:
        return
    refused: str | None = None
    for post in outcome.posts:
        try:
            where = await messenger.post(post)
        except PostRefused as exc:
            refused = exc.text
            break  # the DMs point people at the post, so they wait for a working one
        if post.request_id is not None and where is not None:  # so replies in its thread map back
            await messenger.in_core(kindred.record_post, post.request_id, messenger.platform, *where)
    if refused is None:
        for dm in outcome.direct_messages:
            await messenger.direct_message(dm)
    for thread_post in outcome.thread_posts:
        await messenger.post_in_thread(thread_post)
    for change in outcome.changes:
        if isinstance(change, DeletePost):
            await messenger.delete(change)
        else:
            await messenger.edit(change)
    reply = Reply(text=refused) if refused else outcome.reply
    if reply is not None and not reply.is_empty:
        await messenger.reply(reply)
    if outcome.remove_source:
        await messenger.remove_source()
    for delay in outcome.delays:
        await messenger.wait(delay.seconds)
        posted = await messenger.in_core(kindred.post_delayed, delay, messenger.follow_up_sender())
        if not posted:
            await messenger.reply(Reply(text=DELAYED_POST_FAILED))
