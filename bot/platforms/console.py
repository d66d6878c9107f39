"""The console platform: a terminal chat that shows exactly what Kindred would answer on Slack or Discord.

Interactive at a prompt, or scripted: ``kindred run --platform console < transcript.txt``.
"""

from __future__ import annotations

import itertools
import re
import sys
from dataclasses import dataclass, field
from datetime import datetime
from typing import TextIO

from bot.anonymity.exclusion import hidden_asker_filter
from bot.domain.clock import ShiftedClock
from bot.domain.events import Actor, ButtonPress, ChannelMessage, Command, ThreadReply
from bot.domain.replies import Button, Outcome, Reply
from bot.domain.user_text import plain
from bot.handlers.core import Kindred
from bot.scheduling.dispatcher import Dispatcher
from bot.scheduling.durations import parse_duration
from bot.scheduling.runtime import PeriodicJob, periodic_jobs
from bot.scheduling.scheduler import build_dispatcher
from bot.scheduling.timeline import next_due_at
from bot.storage.repositories import TeacherRepository

PLATFORM = "console"
CHANNEL = "general"
HELP = """Console commands:
  /as <name>        act as a sample teacher (e.g. /as Maria Lopez)
  /who              list the sample teachers
  /ask <question>   ask for help (also /share, /kindred …)
  /press <n>        press button n of the last reply
  /reply <text>     reply in the thread of the latest question
  /wait <duration>  let time pass (e.g. /wait 3h) and send the follow-ups that fall due
  /quit             leave
Anything else is a message posted in #general."""

_MAX_WAIT_STEPS = 500  # due moments visited by one /wait (a week of hourly retries is far fewer)
_MENTION = re.compile(r"<@([^>|]+)(?:\|[^>]*)?>")


@dataclass
class ConsoleSession:
    kindred: Kindred
    out: TextIO = sys.stdout
    actor: Actor = field(default_factory=lambda: Actor(PLATFORM, "you", "You"))
    buttons: list[Button] = field(default_factory=list)
    last_thread: tuple[str, str] | None = None  # (channel, message id) of the latest question
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _dispatcher: Dispatcher | None = None
    _jobs: list[PeriodicJob] = field(default_factory=list)
    dms_shown: int = 0

    def __post_init__(self) -> None:
        """The core and this session share one clock that ``/wait`` moves forward."""
        deps = self.kindred.deps
        if not isinstance(deps.clock, ShiftedClock):
            deps.clock = ShiftedClock(base=deps.clock)
            deps.suggester.clock = deps.clock
        self.clock: ShiftedClock = deps.clock

    def run(self, source: TextIO = sys.stdin) -> None:
        interactive = source.isatty()
        self._print(f"Kindred console — you are {self.actor.display_name}. Type /help for commands.")
        while True:
            if interactive:
                self.out.write(f"{self.actor.display_name}> ")
                self.out.flush()
            line = source.readline()
            if not line:
                break
            line = line.rstrip("\n")
            if not interactive:
                self._print(f"{self.actor.display_name}> {line}")
            if not self.handle_line(line):
                break

    def handle_line(self, line: str) -> bool:
        """Handle one input line; returns False when the user wants to leave."""
        line = line.strip()
        if not line or line.startswith("#!"):
            return True
        if not line.startswith("/"):
            message_id = self._message_id()
            outcome = self.kindred.handle_message(ChannelMessage(self.actor, CHANNEL, line, message_id))
            if outcome is None:
                self._print("(no reply — Kindred only answers requests for help)")
            else:
                self.last_thread = (CHANNEL, message_id)
                self.show(outcome, thread=True)
            return True
        name, _, rest = line[1:].partition(" ")
        name = name.lower()
        if name in ("quit", "exit"):
            self._print("Bye!")
            return False
        if name == "help":
            self._print(HELP)
        elif name == "as":
            self._switch(rest)
        elif name == "who":
            self._who()
        elif name == "press":
            self._press(rest)
        elif name == "reply":
            self._reply(rest)
        elif name == "wait":
            self._wait(rest)
        else:
            self.show(self.kindred.handle_command(Command(self.actor, name, rest, channel_id=CHANNEL)))
        return True

    def show(self, outcome: Outcome, thread: bool = False) -> None:
        if outcome.reply is not None:
            prefix = "[Kindred, in thread]" if thread else "[Kindred, only you can see this]"
            if not outcome.reply.ephemeral and not thread:
                prefix = "[Kindred]"
            self._show_reply(prefix, outcome.reply)
        for post in outcome.posts:
            if post.request_id is not None:  # like the platforms: replies in its thread map back to it
                channel = post.channel_id or self.kindred.deps.help_channel_name
                self.last_thread = (channel, self._message_id())
                self.kindred.record_post(post.request_id, PLATFORM, *self.last_thread)
            self._print(
                f"[#{post.channel_id or self.kindred.deps.help_channel_name}] "
                + self._plain(post.reply.to_text())
            )
        for dm in outcome.direct_messages:
            self._print(f"[DM to @{dm.platform_user_id}] " + self._plain(dm.reply.to_text()))

    def _show_reply(self, prefix: str, reply: Reply) -> None:
        self.buttons = list(reply.buttons) + [b for card in reply.resources for b in card.buttons]
        text = self._plain(reply.to_text())
        if self.buttons:
            numbered = "  ".join(f"{i}:{b.label}" for i, b in enumerate(self.buttons, start=1))
            text += f"\n(buttons — /press <n>: {numbered})"
        self._print(f"{prefix} {text}")

    def _switch(self, name: str) -> None:
        name = " ".join(name.replace('"', " ").split())  # names may contain apostrophes (O'Connell)
        if not name:
            self._print("Usage: /as <name>")
            return
        with self.kindred.deps.db.session() as session:
            teacher = TeacherRepository(session).find_by_name(PLATFORM, name)
        if teacher is None:
            self._print(f"No sample teacher called “{name}”. Try /who.")
            return
        self.actor = Actor(PLATFORM, teacher.platform_user_id, teacher.name, timezone=teacher.timezone)
        self._print(f"You are now {teacher.name} (@{teacher.platform_user_id}).")

    def _who(self) -> None:
        with self.kindred.deps.db.session() as session:
            teachers = [t for t in TeacherRepository(session).all() if t.platform == PLATFORM and t.onboarded]
        for t in teachers:
            self._print(
                f"  {t.name} (@{t.platform_user_id}) — {', '.join(t.subjects)}; grades {', '.join(t.grades)}"
            )

    def _press(self, raw: str) -> None:
        if not raw.strip().isdigit() or not 1 <= int(raw) <= len(self.buttons):
            self._print(
                f"Press a button by number, 1–{len(self.buttons)}."
                if self.buttons
                else "No buttons to press."
            )
            return
        button = self.buttons[int(raw) - 1]
        self.show(self.kindred.handle_button(ButtonPress(self.actor, button.action, button.value, CHANNEL)))

    def _reply(self, text: str) -> None:
        if not text.strip():
            self._print("Usage: /reply <text>")
            return
        if self.last_thread is None:
            self._print("No question to reply to yet — ask one first.")
            return
        channel, thread = self.last_thread
        outcome = self.kindred.handle_thread_reply(
            ThreadReply(self.actor, channel, thread, text.strip(), self._message_id())
        )
        if outcome is None:
            self._print("(Kindred doesn't know that thread)")
            return
        self._print(f"(you replied in the thread in #{channel})")
        self.show(outcome, thread=True)

    def _wait(self, raw: str) -> None:
        """Let time pass: every follow-up and scheduled job runs at the moment it falls due on the way."""
        try:
            delta = parse_duration(raw or "")
        except ValueError as exc:
            self._print(f"Usage: /wait <duration>, e.g. /wait 3h ({exc})")
            return
        target = self.now() + delta
        self._print(f"(⏩ {raw.strip()} later: {target:%a %H:%M} UTC)")
        before = self.dms_shown
        for _ in range(_MAX_WAIT_STEPS):
            due = next_due_at(self.kindred.deps.db)
            if due is None or due > target:
                break
            self.clock.move_to(due)
            self._run_scheduled_work()
        self.clock.move_to(target)
        self._run_scheduled_work()
        if self.dms_shown == before:
            self._print("(no follow-ups to send yet)")

    def _run_scheduled_work(self) -> None:
        """What ``kindred run``'s scheduler does on a tick: the dispatcher, then the periodic jobs."""
        if self._dispatcher is None:
            deps = self.kindred.deps
            sender = _ConsoleSender(self)
            self._dispatcher = build_dispatcher(
                deps.db,
                sender,
                deps.suggester,
                self.now,
                hidden_askers=hidden_asker_filter(deps.db, deps.anonymity),
                public_after=deps.nudge_after,
            )
            self._jobs = periodic_jobs(deps.db, sender, self.now, deps.packs)
        for _ in range(10):  # one run may schedule more that is due at once (a plan, then its nudges)
            if not self._dispatcher.run_once():
                break
        for job in self._jobs:
            job.run()

    def now(self) -> datetime:
        return self.clock()

    def _message_id(self) -> str:
        return f"m{next(self._ids)}"

    @staticmethod
    def _plain(text: str) -> str:
        return _MENTION.sub(r"@\1", plain(text))  # user-text marks removed: plain output

    def _print(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()


class _ConsoleSender:
    """Follow-up DMs printed in the transcript; their buttons can be pressed with /press."""

    def __init__(self, session: ConsoleSession) -> None:
        self.session = session

    def send_dm(self, platform: str, platform_user_id: str, reply: Reply) -> None:
        self.session.dms_shown += 1
        self.session._show_reply(f"[DM to @{platform_user_id}]", reply)

    def post_to_help(
        self, platform: str, workspace_id: str | None, reply: Reply, channel_id: str | None = None
    ) -> tuple[str, str]:
        """Printed as a help-channel post; it becomes the thread /reply answers in."""
        session = self.session
        session.dms_shown += 1
        session.last_thread = (channel_id or session.kindred.deps.help_channel_name, session._message_id())
        session._print(f"[#{session.last_thread[0]}] " + session._plain(reply.to_text()))
        return session.last_thread
