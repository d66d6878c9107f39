"""The platform-neutral bot: routes neutral events to feature handlers, never lets one failure escape."""

from __future__ import annotations

import logging

from bot.domain.events import ButtonPress, ChannelMessage, Command
from bot.domain.replies import Outcome
from bot.handlers import ask, feedback, followups, kindred, message, post_question, share
from bot.handlers.deps import Deps
from bot.handlers.registry import CommandSpec, Registry

log = logging.getLogger(__name__)

SORRY = "Sorry — something went wrong on my side. Your message is safe; please try again in a moment."
FEATURES = (ask, share, kindred, feedback, followups, post_question, message)


def build_registry() -> Registry:
    registry = Registry()
    for feature in FEATURES:
        feature.register(registry)
    return registry


class Kindred:
    """One instance per process, shared by every platform adapter."""

    def __init__(self, deps: Deps, registry: Registry | None = None) -> None:
        self.deps = deps
        self.registry = registry or build_registry()

    def commands(self) -> list[CommandSpec]:
        return list(self.registry.commands.values())

    def handle_command(self, command: Command) -> Outcome:
        spec = self.registry.commands.get(command.name)
        if spec is None:
            return Outcome.say(f"I don't know /{command.name}. Try /kindred help.")
        return self._safely(
            f"command:{command.name}", command.actor.platform, lambda: spec.handler(self.deps, command)
        )

    def handle_button(self, press: ButtonPress) -> Outcome:
        handler = self.registry.buttons.get(press.action)
        if handler is None:
            log.warning("unknown button action", extra={"action": press.action})
            return Outcome.say("That button no longer does anything — try /kindred help.")
        return self._safely(f"button:{press.action}", press.actor.platform, lambda: handler(self.deps, press))

    def handle_message(self, message: ChannelMessage) -> Outcome | None:
        for listener in self.registry.message_listeners:
            outcome = self._safely(
                "message", message.actor.platform, lambda lst=listener: lst(self.deps, message)
            )
            if outcome is not None and outcome.reply is not None and outcome.reply.text == SORRY:
                return None  # a channel should never see our error; it is logged
            if outcome is not None:
                return outcome
        return None

    def _safely(self, what: str, platform: str, call) -> Outcome | None:  # type: ignore[no-untyped-def]
        try:
            return call()
        except Exception:
            log.exception("handler failed", extra={"handler": what, "platform": platform})
            return Outcome.say(SORRY)
