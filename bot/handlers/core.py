"""The platform-neutral bot: routes neutral events to feature handlers, never lets one failure escape."""

from __future__ import annotations

import logging

from bot.domain.events import ButtonPress, ChannelMessage, Command, DirectAsk, ThreadReply
from bot.domain.replies import Outcome
from bot.handlers import (
    adapt,
    anonymous,
    ask,
    escalation_consent,
    feedback,
    followups,
    goals,
    kindred,
    message,
    my_data,
    pack,
    post_question,
    ripples,
    share,
    thread_replies,
    ways_to_ask,
)
from bot.handlers.deps import Deps
from bot.handlers.registry import CommandSpec, Registry
from bot.storage.repositories import RequestRepository

log = logging.getLogger(__name__)

SORRY = "Sorry — something went wrong on my side. Your message is safe; please try again in a moment."
FEATURES = (ask, share, kindred, feedback, followups, post_question, message, thread_replies, anonymous)
FEATURES += (goals,)  # /goal and the check-in's "Log a reflection" button
FEATURES += (pack, ripples, adapt)  # find my pack, see my ripples, "how I used it" notes
FEATURES += (my_data,)  # /kindred my-data, forget-me confirmation buttons
FEATURES += (escalation_consent,)  # the asker's answer to "may I post it in #help?"
FEATURES += (ways_to_ask,)  # mention, DM, "Find help for this", the ask reaction; "Post in thread"


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

    def handle_ask(self, ask: DirectAsk) -> Outcome:
        """A mention, DM, shortcut or ask reaction: always answered, no detector in the way."""
        outcome = self._safely(
            f"ask:{ask.way}", ask.actor.platform, lambda: ways_to_ask.handle(self.deps, ask)
        )
        return outcome if outcome is not None else Outcome()

    def handle_thread_reply(self, reply: ThreadReply) -> Outcome | None:
        """``None`` when the thread is not a known question (the platform may treat it as a plain message);
        otherwise every thread listener runs and their outcomes are merged (possibly empty)."""
        with self.deps.db.session() as session:
            request = RequestRepository(session).find_by_thread(
                reply.actor.platform, reply.channel_id, reply.thread_id
            )
        if request is None:
            return None
        merged = Outcome()
        for listener in self.registry.thread_listeners:
            outcome = self._safely(
                "thread", reply.actor.platform, lambda lst=listener: lst(self.deps, reply, request)
            )
            if outcome is None or (outcome.reply is not None and outcome.reply.text == SORRY):
                continue
            merged = Outcome(
                reply=merged.reply or outcome.reply,
                posts=merged.posts + outcome.posts,
                direct_messages=merged.direct_messages + outcome.direct_messages,
            )
        return merged

    def record_post(self, request_id: int, platform: str, channel_id: str, message_id: str) -> None:
        """Platforms call this after publishing a question, so replies in its thread can be tied to it."""
        try:
            with self.deps.db.session() as session:
                RequestRepository(session).record_post(request_id, platform, channel_id, message_id)
        except Exception:
            log.exception("could not record a posted question", extra={"request_id": request_id})

    def _safely(self, what: str, platform: str, call) -> Outcome | None:  # type: ignore[no-untyped-def]
        try:
            return call()
        except Exception:
            log.exception("handler failed", extra={"handler": what, "platform": platform})
            return Outcome.say(SORRY)
