"""The console platform: a terminal chat that shows exactly what Kindred would answer on Slack or Discord.

Interactive at a prompt, or scripted: ``kindred run --platform console < transcript.txt``.
"""

from __future__ import annotations

import asyncio
import itertools
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TextIO, TypeVar

from bot.domain.clock import ShiftedClock
from bot.domain.events import Actor, ButtonPress, ChannelMessage, Command, ThreadReply
from bot.domain.markup import plain_text
from bot.domain.replies import (
    Button,
    ChannelPost,
    DeletePost,
    DirectMessage,
    EditPost,
    Outcome,
    Reply,
    ThreadPost,
)
from bot.handlers.core import Kindred
from bot.handlers.delivery import deliver
from bot.scheduling.dispatcher import Dispatcher
from bot.scheduling.durations import parse_duration
from bot.scheduling.runtime import PeriodicJob, kindred_work
from bot.scheduling.sender import Sender

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
        clock = self.kindred.clock()
        if not isinstance(clock, ShiftedClock):
            clock = ShiftedClock(base=clock)
            self.kindred.use_clock(clock)
        self.clock: ShiftedClock = clock

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
        """The core's one delivery path, printed (``thread``: the reply answers in a thread)."""
        asyncio.run(deliver(outcome, ConsoleMessenger(self, thread), self.kindred))

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
        teacher = self.kindred.teacher_by_name(PLATFORM, name)
        if teacher is None:
            self._print(f"No sample teacher called “{name}”. Try /who.")
            return
        self.actor = Actor(PLATFORM, teacher.platform_user_id, teacher.name, timezone=teacher.timezone)
        self._print(f"You are now {teacher.name} (@{teacher.platform_user_id}).")

    def _who(self) -> None:
        for t in self.kindred.onboarded_teachers(PLATFORM):
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
            due = self.kindred.next_due_at()
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
            self._dispatcher, self._jobs = kindred_work(self.kindred, _ConsoleSender(self), self.now)
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
        return plain_text(text)  # our markup as readable text; user-written parts shown as typed

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
        session.last_thread = (channel_id or session.kindred.help_channel(PLATFORM), session._message_id())
        session._print(f"[#{session.last_thread[0]}] " + session._plain(reply.to_text()))
        return session.last_thread


T = TypeVar("T")


class ConsoleMessenger:
    """The console's ``Messenger``: everything printed in the transcript, in the order it is sent."""

    platform = PLATFORM

    def __init__(self, session: ConsoleSession, thread: bool = False) -> None:
        self.session = session
        self.thread = thread

    async def in_core(self, call: Callable[..., T], *args: Any) -> T:
        return call(*args)

    async def reply(self, reply: Reply) -> None:
        prefix = "[Kindred, in thread]" if self.thread else "[Kindred, only you can see this]"
        if not reply.ephemeral and not self.thread:
            prefix = "[Kindred]"
        self.session._show_reply(prefix, reply)

    async def post(self, post: ChannelPost) -> tuple[str, str] | None:
        session = self.session
        channel = post.channel_id or session.kindred.help_channel(PLATFORM)
        where = (channel, session._message_id())
        if post.request_id is not None:  # like the platforms: replies in its thread map back to it
            session.last_thread = where
        session._print(f"[#{channel}] " + session._plain(post.reply.to_text()))
        return where

    async def post_in_thread(self, post: ThreadPost) -> None:
        self.session._print(f"[#{post.channel_id}, in thread] " + self.session._plain(post.text))

    async def direct_message(self, dm: DirectMessage) -> None:
        self.session._print(f"[DM to @{dm.platform_user_id}] " + self.session._plain(dm.reply.to_text()))

    async def edit(self, change: EditPost) -> None:
        self.session._print(f"[#{change.channel_id}, edited] " + self.session._plain(change.text))

    async def delete(self, change: DeletePost) -> None:
        self.session._print(f"[#{change.channel_id}] (a message was deleted)")

    async def remove_source(self) -> None:
        """A transcript keeps what was said."""

    async def wait(self, seconds: float) -> None:
        """No waiting at a terminal: the delayed post is printed at once."""

    def follow_up_sender(self) -> Sender:
        return _ConsoleSender(self.session)
