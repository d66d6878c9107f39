"""The platform-neutral bot: routes neutral events to feature handlers, never lets one failure escape."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from functools import partial
from typing import Protocol

from bot.domain.clock import Clock
from bot.domain.events import ButtonPress, ChannelMessage, Command, DirectAsk, Thanks, ThreadReply
from bot.domain.replies import Delay, Outcome
from bot.domain.teachers import Teacher
from bot.handlers import (
    adapt,
    anonymous,
    ask,
    escalation_consent,
    feedback,
    followups,
    goals,
    home,
    kindred,
    message,
    my_data,
    pack,
    post_question,
    quiet,
    ripples,
    share,
    thread_replies,
    ways_to_ask,
)
from bot.handlers.deps import Deps
from bot.handlers.home import Home
from bot.handlers.registry import CommandSpec, Registry
from bot.scheduling import anon_posts
from bot.scheduling.sender import Sender
from bot.scheduling.timeline import next_due_at

log = logging.getLogger(__name__)

SORRY = "Sorry — something went wrong on my side. Your message is safe; please try again in a moment."


class Feature(Protocol):
    """A feature module: it registers its commands, buttons and listeners."""

    def register(self, registry: Registry) -> None: ...


FEATURES: tuple[Feature, ...] = (ask, share, kindred, feedback, followups, post_question, message)
FEATURES += (thread_replies, anonymous)  # replies in a question's thread; /ask anon and its relay, moderation
FEATURES += (goals,)  # /goal and the check-in's "Log a reflection" button
FEATURES += (pack, ripples, adapt)  # find my pack, see my ripples, "how I used it" notes
FEATURES += (my_data,)  # /kindred my-data, forget-me confirmation buttons
FEATURES += (escalation_consent,)  # the asker's answer to "may I post it in #help?"
FEATURES += (ways_to_ask,)  # mention, DM, "Find help for this", the ask reaction; "Post in thread"
FEATURES += (quiet,)  # /kindred quiet here|off: no replies to help requests in that channel


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
        deps.events = self.registry.events  # lifecycle events reach what the features subscribed

    def commands(self) -> list[CommandSpec]:
        return list(self.registry.commands.values())

    def subcommands(self, command_name: str) -> list[str]:
        """The words registered under ``/<command_name>`` (e.g. the anonymity ones under /kindred)."""
        return [word for name, word in self.registry.subcommands if name == command_name]

    def handle_command(self, command: Command) -> Outcome:
        handler = self.registry.route(command)
        if handler is None:
            return Outcome.say(f"I don't know /{command.name}. Try /kindred help.")
        outcome = self._safely(
            f"command:{command.name}", command.actor.platform, lambda: handler(self.deps, command)
        )
        return outcome or Outcome()

    def form_errors(self, command_name: str, fields: Mapping[str, object]) -> dict[str, str]:
        """What is wrong with a submitted ``/<command_name>`` form, field by field (empty: submit it).
        Slack shows each under its field; where a form cannot (Discord), the core's reply says the same."""
        check = self.registry.forms.get(command_name)
        return check(fields) if check is not None else {}

    def is_private(self, command_name: str, text: str) -> bool:
        """``/ask anon …``, ``/kindred reply 12 …``: adapters must not look the actor's profile up."""
        return self.registry.is_private(command_name, text)

    def handle_button(self, press: ButtonPress) -> Outcome:
        handler = self.registry.buttons.get(press.action)
        if handler is None:
            log.warning("unknown button action", extra={"action": press.action})
            return Outcome.say("That button no longer does anything — try /kindred help.")
        outcome = self._safely(
            f"button:{press.action}", press.actor.platform, lambda: handler(self.deps, press)
        )
        return outcome or Outcome()

    def handle_message(self, message: ChannelMessage) -> Outcome | None:
        """The first listener's outcome; ``None`` for chatter, for failures and in a quiet channel."""
        actor = message.actor
        with self.deps.db.unit_of_work():  # one transaction; each listener in a savepoint of its own
            if self.is_quiet(actor.platform, actor.workspace_id, message.channel_id):
                return None
            for listener in self.registry.message_listeners:
                outcome = self._safely(
                    "message", message.actor.platform, partial(listener, self.deps, message)
                )
                if outcome is not None and outcome.failed:
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
        with self.deps.db.unit_of_work() as uow:  # one transaction; each listener in a savepoint of its own
            request = uow.requests.find_by_thread(reply.actor.platform, reply.channel_id, reply.thread_id)
            if request is None:
                return None
            merged = Outcome()
            for listener in self.registry.thread_listeners:
                outcome = self._safely(
                    "thread", reply.actor.platform, partial(listener, self.deps, reply, request)
                )
                if outcome is None or outcome.failed:
                    continue
                merged = merged.merged(outcome)
        return merged

    def handle_thanks(self, thanks: Thanks) -> bool:
        """A thank-you reaction on a reply in a question's thread: the replier's ripple, no reply to
        anyone. False when it was no known reply, already counted, or failed (logged)."""
        try:
            return ripples.thank(self.deps, thanks)  # its own unit of work
        except Exception:
            log.exception("handler failed", extra={"handler": "thanks", "platform": thanks.actor.platform})
            return False

    # --- what adapters may ask the core (they never touch ``deps`` or storage) ---------------------

    def teacher(self, platform: str, user_id: str) -> Teacher | None:
        """The profile behind a platform user (to prefill a profile form)."""
        with self.deps.db.unit_of_work(writes=False) as uow:
            return uow.teachers.find(platform, user_id)

    def workspace_of(self, platform: str, user_id: str) -> str | None:
        """The workspace (Slack team, Discord guild) a teacher was last seen in."""
        teacher = self.teacher(platform, user_id)
        return teacher.workspace_id if teacher else None

    def teacher_by_name(self, platform: str, name: str) -> Teacher | None:
        with self.deps.db.unit_of_work(writes=False) as uow:
            return uow.teachers.find_by_name(platform, name)

    def onboarded_teachers(self, platform: str) -> list[Teacher]:
        with self.deps.db.unit_of_work(writes=False) as uow:
            return [t for t in uow.teachers.all() if t.platform == platform and t.onboarded]

    def home(self, platform: str, user_id: str) -> Home:
        """A teacher's home page: profile, open questions, saved resources."""
        return home.home(self.deps, platform, user_id)

    def is_quiet(self, platform: str, workspace_id: str | None, channel_id: str) -> bool:
        """Whether ``/kindred quiet here`` silenced replies to help requests in this channel."""
        return quiet.is_quiet(self.deps.db, platform, workspace_id, channel_id)

    def help_channel(self, platform: str) -> str:
        """The help channel's name on ``platform`` (``KINDRED_<PLATFORM>_HELP_CHANNEL``), without "#"."""
        return self.deps.help_channel(platform)

    def anonymity_enabled(self) -> bool:
        """Whether anonymous questions can be asked (an identity key is configured)."""
        return bool(self.deps.anonymity.identity_key)

    def role_for(self, command_name: str, text: str) -> str | None:
        """The role (``"moderator"``, ``"leader"``) adapters check for ``/<command_name> <text>``; they
        pass ``options[role] = True/False`` with the command."""
        return self.registry.role_for(command_name, text)

    def role_group(self, platform: str, role: str) -> str | None:
        """The usergroup (Slack) or role (Discord) id that holds ``role`` there."""
        if role == "moderator":
            return self.moderator_group(platform)
        if role == "leader":
            return self.leader_group(platform)
        return None

    def moderator_group(self, platform: str) -> str | None:
        """The usergroup (Slack) or role (Discord) id whose members moderate anonymous questions."""
        anonymity = self.deps.anonymity
        return anonymity.slack_moderator_group if platform == "slack" else anonymity.discord_moderator_role

    def leader_group(self, platform: str) -> str | None:
        """The usergroup (Slack) or role (Discord) id whose members may read the leader report."""
        insights = self.deps.insights
        return insights.slack_leader_group if platform == "slack" else insights.discord_leader_role

    def use_clock(self, clock: Clock) -> None:
        """Every "now" the core reads comes from ``clock`` from here on (the console's ``/wait``)."""
        self.deps.clock = clock
        self.deps.suggester.clock = clock

    def clock(self) -> Clock:
        return self.deps.clock

    def next_due_at(self) -> datetime | None:
        """The earliest moment scheduled work (a follow-up, a check-in) falls due."""
        return next_due_at(self.deps.db)

    def record_post(self, request_id: int, platform: str, channel_id: str, message_id: str) -> None:
        """Platforms call this after publishing a question, so replies in its thread can be tied to it."""
        try:
            with self.deps.db.unit_of_work() as uow:
                uow.requests.record_post(request_id, platform, channel_id, message_id)
        except Exception:
            log.exception("could not record a posted question", extra={"request_id": request_id})

    def post_delayed(self, delay: Delay, sender: Sender) -> bool:
        """After its delay, make a delayed post (the heartbeat makes it instead if this process stopped
        meanwhile). False only when it failed for good (e.g. no help channel), so the actor is told."""
        due = delay.due_at or self.deps.clock()
        return anon_posts.post_now(self.deps.db, sender, delay.request_id, now=due) != anon_posts.FAILED

    def _persist_delays(self, outcome: Outcome) -> Outcome:
        """Store each delayed post as a durable row first, so a restart within the delay still posts it."""
        if not outcome.delays:
            return outcome
        now = self.deps.clock()
        delays = []
        for delay in outcome.delays:
            anon_posts.schedule(self.deps.db, delay.request_id, now, delay.seconds)
            delays.append(replace(delay, due_at=now + timedelta(seconds=delay.seconds)))
        return replace(outcome, delays=tuple(delays))

    def _safely(self, what: str, platform: str, call: Callable[[], Outcome | None]) -> Outcome | None:
        """Run a handler in the event's unit of work (every unit it opens joins it): what it changes is
        committed together, delayed posts included, or rolled back when it raises."""
        try:
            with self.deps.db.unit_of_work():
                outcome = call()
                return None if outcome is None else self._persist_delays(outcome)
        except Exception:
            log.exception("handler failed", extra={"handler": what, "platform": platform})
            return Outcome.failure(SORRY)
