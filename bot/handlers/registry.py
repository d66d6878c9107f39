"""Features register here all they own: commands, buttons, listeners, user-data hooks and periodic jobs.

Platforms expose only what is registered; ``kindred users export|forget`` and forget-me run the registered
hooks; ``kindred run`` (and the console's ``/wait``) run the registered jobs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.domain.clock import Clock
from bot.domain.events import ButtonPress, ChannelMessage, Command, ThreadReply
from bot.domain.packs import PackPolicy
from bot.domain.replies import Outcome
from bot.domain.requests import HelpRequest
from bot.handlers.deps import Deps
from bot.privacy.user_data import PersonHook, UserDataHook, UserDataRegistry

if TYPE_CHECKING:
    from bot.matching.indexer import Indexer
    from bot.scheduling.sender import Sender
    from bot.storage.database import Database

CommandHandler = Callable[[Deps, Command], Outcome]
ButtonHandler = Callable[[Deps, ButtonPress], Outcome]
MessageHandler = Callable[[Deps, ChannelMessage], Outcome | None]
ThreadHandler = Callable[[Deps, ThreadReply, HelpRequest], Outcome | None]


@dataclass(frozen=True)
class CommandSpec:
    name: str
    description: str
    usage: str
    handler: CommandHandler


@dataclass(frozen=True)
class JobContext:
    """What a periodic job may use; the console runs in one process and has no index to follow."""

    db: Database
    sender: Sender
    clock: Clock
    packs: PackPolicy
    indexer: Indexer | None = None


@dataclass(frozen=True)
class PeriodicJob:
    """A heartbeat job a feature owns; it checks its own due rows, so an early run is harmless."""

    id: str
    interval_seconds: int
    run: Callable[[JobContext], object]


@dataclass
class Registry:
    commands: dict[str, CommandSpec] = field(default_factory=dict)
    buttons: dict[str, ButtonHandler] = field(default_factory=dict)
    message_listeners: list[MessageHandler] = field(default_factory=list)
    thread_listeners: list[ThreadHandler] = field(default_factory=list)
    user_data: UserDataRegistry = field(default_factory=UserDataRegistry)
    jobs: dict[str, PeriodicJob] = field(default_factory=dict)

    def command(self, name: str, description: str, usage: str, handler: CommandHandler) -> None:
        if name in self.commands:
            raise ValueError(f"command /{name} registered twice")
        self.commands[name] = CommandSpec(name, description, usage, handler)

    def button(self, action: str, handler: ButtonHandler) -> None:
        if action in self.buttons:
            raise ValueError(f"button action {action!r} registered twice")
        self.buttons[action] = handler

    def on_message(self, handler: MessageHandler) -> None:
        self.message_listeners.append(handler)

    def on_thread_reply(self, handler: ThreadHandler) -> None:
        """Called for replies in the thread of a known question, with that question."""
        self.thread_listeners.append(handler)

    def user_data_hooks(self, *hooks: UserDataHook | PersonHook) -> None:
        """What the feature stores about a person: exported by my-data, deleted by forget-me."""
        for hook in hooks:
            self.user_data.add(hook)

    def periodic(self, job: PeriodicJob) -> None:
        if job.id in self.jobs:
            raise ValueError(f"periodic job {job.id!r} registered twice")
        self.jobs[job.id] = job
