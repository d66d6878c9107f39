"""Features register their commands and buttons here; platforms expose only what is registered."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bot.domain.events import ButtonPress, ChannelMessage, Command, ThreadReply
from bot.domain.replies import Outcome
from bot.domain.requests import HelpRequest
from bot.handlers.deps import Deps

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


@dataclass
class Registry:
    commands: dict[str, CommandSpec] = field(default_factory=dict)
    buttons: dict[str, ButtonHandler] = field(default_factory=dict)
    message_listeners: list[MessageHandler] = field(default_factory=list)
    thread_listeners: list[ThreadHandler] = field(default_factory=list)

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
