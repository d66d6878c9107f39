"""Features register here all they own: commands, buttons, listeners, user-data hooks and periodic jobs.

Platforms expose only what is registered; ``kindred users export|forget`` and forget-me run the registered
hooks; ``kindred run`` (and the console's ``/wait``) run the registered jobs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from bot.domain.clock import Clock
from bot.domain.events import ButtonPress, ChannelMessage, Command, ThreadReply
from bot.domain.packs import PackPolicy
from bot.domain.replies import Outcome
from bot.domain.requests import HelpRequest
from bot.handlers.deps import Deps
from bot.handlers.event_bus import EventBus, Subscriber
from bot.privacy.user_data import PersonHook, UserDataHook, UserDataRegistry

if TYPE_CHECKING:
    from bot.matching.indexer import Indexer
    from bot.scheduling.sender import Sender
    from bot.storage.database import Database

CommandHandler = Callable[[Deps, Command], Outcome]
ButtonHandler = Callable[[Deps, ButtonPress], Outcome]
MessageHandler = Callable[[Deps, ChannelMessage], Outcome | None]
ThreadHandler = Callable[[Deps, ThreadReply, HelpRequest], Outcome | None]
# A command's form (a modal) checked field by field before it is submitted: field -> what is wrong.
FormCheck = Callable[[Mapping[str, object]], dict[str, str]]
E = TypeVar("E")


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
    # (command, first word) -> handler, e.g. ("kindred", "reply"); ``anonymous`` ones are marked in
    # ``private`` so adapters never look their actor up (no name, no email fetched for an anonymous asker).
    subcommands: dict[tuple[str, str], CommandHandler] = field(default_factory=dict)
    private: set[tuple[str, str]] = field(default_factory=set)
    # (command, first word) -> a role the adapter checks and passes as ``options[role]`` (True/False):
    # "moderator" (KINDRED_*_MODERATOR_*), "leader" (KINDRED_*_LEADER_*).
    roles: dict[tuple[str, str], str] = field(default_factory=dict)
    events: EventBus = field(default_factory=EventBus)  # domain events -> subscribers (``on``)
    forms: dict[str, FormCheck] = field(default_factory=dict)  # command -> its form's field check

    def command(self, name: str, description: str, usage: str, handler: CommandHandler) -> None:
        if name in self.commands:
            raise ValueError(f"command /{name} registered twice")
        self.commands[name] = CommandSpec(name, description, usage, handler)

    def subcommand(
        self,
        command: str,
        word: str,
        handler: CommandHandler,
        anonymous: bool = False,
        role: str | None = None,
    ) -> None:
        """``/<command> <word> …`` goes to ``handler`` (with the whole text) instead of the command's own."""
        key = (command, word.lower())
        if key in self.subcommands:
            raise ValueError(f"/{command} {word} registered twice")
        self.subcommands[key] = handler
        if anonymous:
            self.private.add(key)
        if role is not None:
            self.needs_role(command, word, role)

    def needs_role(self, command: str, word: str, role: str) -> None:
        """Adapters check whether the actor holds ``role`` for ``/<command> <word> …``."""
        self.roles[(command, word.lower())] = role

    def role_for(self, name: str, text: str) -> str | None:
        words = text.split(None, 1)
        return self.roles.get((name, words[0].lower())) if words else None

    def route(self, command: Command) -> CommandHandler | None:
        """The handler for ``command``: a registered subcommand first, else the command's own."""
        words = command.text.split(None, 1)
        if words and (command.name, words[0].lower()) in self.subcommands:
            return self.subcommands[(command.name, words[0].lower())]
        spec = self.commands.get(command.name)
        return None if spec is None else spec.handler

    def is_private(self, name: str, text: str) -> bool:
        """Whether ``/<name> <text>`` is anonymous: the adapter must not look its actor up."""
        words = text.split(None, 1)
        return bool(words) and (name, words[0].lower()) in self.private

    def button(self, action: str, handler: ButtonHandler) -> None:
        if action in self.buttons:
            raise ValueError(f"button action {action!r} registered twice")
        self.buttons[action] = handler

    def form(self, command: str, check: FormCheck) -> None:
        """The rules of ``/<command>``'s form, so every platform's form says the same about a bad field."""
        if command in self.forms:
            raise ValueError(f"form of /{command} registered twice")
        self.forms[command] = check

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

    def on(self, event_type: type[E], subscriber: Subscriber[E]) -> None:
        """Call ``subscriber`` after each ``event_type`` (``RequestCreated`` …); its failure only logs."""
        self.events.on(event_type, subscriber)
