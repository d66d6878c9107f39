"""Neutral replies: what handlers return and platform renderers translate.

Every rich part has a plain-text form, so a platform that cannot draw a card still says everything.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum


class Action(StrEnum):
    """Button actions the platforms route back to handlers."""

    HELPED = "helped"
    SAVE = "save"
    NOT_RELEVANT = "not_relevant"
    POST_TO_HELP = "post_to_help"
    ONBOARD = "onboard"
    ADAPT = "adapt"  # "how I used it": the value is the resource id
    NOT_A_QUESTION = "not_a_question"  # on an unsolicited channel reply: the value is the request id


@dataclass(frozen=True)
class Button:
    label: str
    action: str
    value: str
    style: str | None = None  # "primary" | "danger" | None

    def to_text(self) -> str:
        return f"[{self.label}]"


@dataclass(frozen=True)
class ResourceCard:
    """A grab n' go resource: linked title, one-line summary, grades/subjects and why it fits."""

    resource_id: int
    title: str
    summary: str
    url: str | None = None
    context: str = ""  # e.g. "grades 3–5 · math"
    reason: str = ""
    buttons: tuple[Button, ...] = ()
    notes: tuple[str, ...] = ()  # how colleagues adapted it

    def to_text(self) -> str:
        head = f"• {self.title}" + (f" ({self.url})" if self.url else "")  # plain: no platform's link syntax
        lines = [head]
        detail = " — ".join(p for p in (self.summary, self.context) if p)
        if detail:
            lines.append(f"  {detail}")
        if self.reason:
            lines.append(f"  why: {self.reason}")
        lines.extend(f"  ✎ {note}" for note in self.notes)
        if self.buttons:
            lines.append("  " + " ".join(b.to_text() for b in self.buttons))
        return "\n".join(lines)


@dataclass(frozen=True)
class PeerCard:
    """A colleague to reach out to: a platform mention plus a one-line reason."""

    teacher_id: int
    platform_user_id: str
    name: str
    reason: str

    def to_text(self) -> str:
        return f"• @{self.name} — {self.reason}"


@dataclass(frozen=True)
class Reply:
    """What the bot says back. ``ephemeral`` replies are shown only to the person who asked."""

    text: str
    resources: tuple[ResourceCard, ...] = ()
    peers: tuple[PeerCard, ...] = ()
    buttons: tuple[Button, ...] = ()
    footer: str = ""
    ephemeral: bool = True
    request_id: int | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.text or self.resources or self.peers)

    def to_text(self) -> str:
        """The whole reply as plain text (console, fallbacks, notifications)."""
        parts = [self.text]
        if self.resources:
            parts.append("Grab n' go resources:")
            parts.extend(card.to_text() for card in self.resources)
        if self.peers:
            parts.append("Kindred spirits who can help:")
            parts.extend(peer.to_text() for peer in self.peers)
        if self.buttons:
            parts.append(" ".join(b.to_text() for b in self.buttons))
        if self.footer:
            parts.append(self.footer)
        return "\n".join(p for p in parts if p)


@dataclass(frozen=True)
class DirectMessage:
    """A private message to someone other than the actor (e.g. a nudge to a suggested peer)."""

    platform_user_id: str
    reply: Reply


@dataclass(frozen=True)
class ChannelPost:
    """A public post. ``channel_id`` None means the configured help channel."""

    reply: Reply
    channel_id: str | None = None
    on_behalf_of: str | None = None  # platform user id the post speaks for (shown as "asked by")
    request_id: int | None = None  # when set, platforms report the posted message via Kindred.record_post


@dataclass(frozen=True)
class ThreadPost:
    """A message by the bot in a question's thread (an anonymous asker's answer, a reveal)."""

    channel_id: str
    thread_id: str
    text: str


@dataclass(frozen=True)
class EditPost:
    """Replace the text of a message the bot posted earlier (e.g. a hidden anonymous question)."""

    channel_id: str
    message_id: str
    text: str


@dataclass(frozen=True)
class DeletePost:
    channel_id: str
    message_id: str


@dataclass(frozen=True)
class Delay:
    """A post that goes out ``seconds`` after the reply (an anonymous question). The core stores it as a
    durable follow-up row (``due_at`` set then), so a restart within the delay still posts it."""

    request_id: int
    seconds: float
    due_at: datetime | None = None


@dataclass(frozen=True)
class Outcome:
    """Everything one event leads to: the reply to the actor, plus posts, DMs and changes to send.

    ``failed`` marks an error reply (the handler broke or refused for a fault of ours): a channel never
    sees it, and merging thread outcomes skips it."""

    reply: Reply | None = None
    posts: tuple[ChannelPost, ...] = ()
    direct_messages: tuple[DirectMessage, ...] = ()
    remove_source: bool = False  # delete the bot message whose button was pressed ("Not a question")
    thread_posts: tuple[ThreadPost, ...] = ()
    changes: tuple[EditPost | DeletePost, ...] = ()
    delays: tuple[Delay, ...] = ()
    failed: bool = False

    @classmethod
    def say(cls, text: str, **kwargs: object) -> Outcome:
        return cls(reply=Reply(text=text, **kwargs))  # type: ignore[arg-type]

    @classmethod
    def failure(cls, text: str) -> Outcome:
        """An error reply for the actor only (typed, so nobody compares texts)."""
        return cls(reply=Reply(text=text), failed=True)

    def merged(self, other: Outcome) -> Outcome:
        """Both outcomes' effects; the first reply wins."""
        return replace(
            self,
            reply=self.reply or other.reply,
            posts=self.posts + other.posts,
            direct_messages=self.direct_messages + other.direct_messages,
            thread_posts=self.thread_posts + other.thread_posts,
            changes=self.changes + other.changes,
            delays=self.delays + other.delays,
            remove_source=self.remove_source or other.remove_source,
        )
