"""What an anonymity action asks a platform to do: neutral, so each adapter only translates."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.replies import ChannelPost, Outcome, Reply


@dataclass(frozen=True)
class QuestionPost:
    """The anonymous question, posted by the bot in the help channel (``channel_id`` None = the platform's
    configured help channel). Adapters send it after ``AnonymityConfig.post_delay`` seconds and report the
    message with ``Kindred.record_post`` so thread replies are relayed."""

    request_id: int
    text: str
    channel_id: str | None = None


@dataclass(frozen=True)
class ThreadPost:
    """A message by the bot in the question's thread (the asker's answer under the pseudonym, a reveal)."""

    channel_id: str
    thread_id: str
    text: str


@dataclass(frozen=True)
class EditPost:
    channel_id: str
    message_id: str
    text: str


@dataclass(frozen=True)
class DeletePost:
    channel_id: str
    message_id: str


@dataclass(frozen=True)
class AnonResult:
    """The private answer to the actor plus the public effects. Nothing here names an anonymous asker."""

    reply: Reply
    question: QuestionPost | None = None
    thread_posts: tuple[ThreadPost, ...] = ()
    changes: tuple[EditPost | DeletePost, ...] = ()

    @classmethod
    def say(cls, text: str) -> AnonResult:
        return cls(reply=Reply(text=text))

    def to_outcome(self) -> Outcome:
        """For surfaces without threads (console): the reply, plus the question as a plain post."""
        posts: tuple[ChannelPost, ...] = ()
        if self.question is not None:
            post_reply = Reply(text=self.question.text, ephemeral=False)
            posts = (ChannelPost(post_reply, self.question.channel_id, None, self.question.request_id),)
        return Outcome(reply=self.reply, posts=posts)
