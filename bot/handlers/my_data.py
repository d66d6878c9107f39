"""/kindred my-data and /kindred forget-me: see everything Kindred stores about you, or delete it.

Deleting asks for a confirmation button first; the button only works for the person it was offered to.
"""

from __future__ import annotations

import json
import logging
from enum import StrEnum
from typing import Any, Protocol

from bot.domain.events import ButtonPress, Command
from bot.domain.replies import Button, Outcome, Reply
from bot.handlers.identity import find_teacher
from bot.handlers.ports import Profiles
from bot.handlers.registry import Registry
from bot.handlers.suggestion_reply import button_value, parse_button_value
from bot.privacy.hooks.anonymity import ANONYMOUS_QUESTIONS
from bot.privacy.hooks.quiet import QUIET_CHANNELS
from bot.privacy.user_data import UserDataRegistry, export_user, forget_user

log = logging.getLogger(__name__)

SUBCOMMANDS = ("my-data", "forget-me")
INLINE_LIMIT = 2500  # longer exports are summarised in chat (counts per section)
NOTHING_STORED = "I don't store anything about you — you haven't used Kindred yet."
NO_PROFILE = 0  # the forget button of someone without a profile (e.g. who only ever asked anonymously)


class MyDataDeps(Profiles, Protocol):
    """What my-data and forget-me use: the database and the index a forgotten profile leaves."""


class MyDataAction(StrEnum):
    FORGET_CONFIRM = "forget_me_confirm"
    FORGET_CANCEL = "forget_me_cancel"


def register(registry: Registry) -> None:
    hooks = registry.user_data
    registry.button(MyDataAction.FORGET_CONFIRM, lambda deps, press: confirm_forget(deps, press, hooks))
    registry.button(MyDataAction.FORGET_CANCEL, cancel_forget)
    # Kept by platform user: Slack's quiet channels (forgotten even where Slack does not run, e.g. the CLI)
    # and anonymous questions (registered here until anonymity's own feature module registers it).
    registry.user_data_hooks(QUIET_CHANNELS, ANONYMOUS_QUESTIONS)


def subcommand(deps: MyDataDeps, command: Command, sub: str, hooks: UserDataRegistry) -> Outcome:
    return my_data(deps, command, hooks) if sub == "my-data" else forget_me(deps, command, hooks)


def my_data(deps: MyDataDeps, command: Command, hooks: UserDataRegistry) -> Outcome:
    export = export_user(deps, hooks, command.actor.platform, command.actor.user_id)
    if export is None:
        return Outcome.say(NOTHING_STORED)
    text = json.dumps(export, indent=2, ensure_ascii=False)
    if len(text) <= INLINE_LIMIT:
        return Outcome.say(f"Here's everything Kindred stores about you (JSON):\n```\n{text}\n```")
    summary = json.dumps(summarize(export), indent=2, ensure_ascii=False)
    return Outcome.say(
        "Here's a summary of what Kindred stores about you (JSON; an admin can give you the full file with "
        f"`kindred users export`):\n```\n{summary}\n```"
    )


def summarize(export: dict[str, Any]) -> dict[str, Any]:
    """The profile as is; every other section as the number of items in each of its lists."""
    out: dict[str, Any] = {}
    for name, section in export.items():
        if name == "profile" or not isinstance(section, dict):
            out[name] = section
            continue
        out[name] = {k: len(v) if isinstance(v, list) else v for k, v in section.items()}
    return out


def forget_me(deps: MyDataDeps, command: Command, hooks: UserDataRegistry) -> Outcome:
    teacher = find_teacher(deps, command.actor)
    if teacher is None and export_user(deps, hooks, command.actor.platform, command.actor.user_id) is None:
        return Outcome.say(NOTHING_STORED)
    value = button_value(teacher.id if teacher else NO_PROFILE)
    return Outcome(
        reply=Reply(
            text=(
                "This deletes your Kindred profile, your questions, your feedback and notes, and removes you "
                "from colleague suggestions. Resources you shared stay in the catalog without your name. "
                "This can't be undone."
            ),
            buttons=(
                Button("Yes, delete my data", MyDataAction.FORGET_CONFIRM, value, "danger"),
                Button("Keep my data", MyDataAction.FORGET_CANCEL, value),
            ),
        )
    )


def confirm_forget(deps: MyDataDeps, press: ButtonPress, hooks: UserDataRegistry) -> Outcome:
    try:
        (teacher_id,) = parse_button_value(press.value)
    except ValueError:
        return Outcome.say("Sorry, I couldn't read that button. Please try /kindred forget-me again.")
    teacher = find_teacher(deps, press.actor)
    if teacher is not None and teacher.id != teacher_id:
        log.warning("forget-me pressed by someone else", extra={"teacher_id": teacher_id})
        return Outcome.say("Only the person who asked can delete their data.")
    if teacher is None and teacher_id != NO_PROFILE:
        return Outcome.say("There's nothing left to delete — your data is already gone.")
    if not forget_user(deps, hooks, press.actor.platform, press.actor.user_id):
        return Outcome.say("There's nothing left to delete — your data is already gone.")
    return Outcome.say(
        "Done — I've deleted everything Kindred stored about you. Messages you posted in channels stay "
        "on the chat platform; delete them there if you wish. If you use Kindred again, I'll start fresh."
    )


def cancel_forget(deps: MyDataDeps, press: ButtonPress) -> Outcome:
    return Outcome.say("Nothing was deleted. You can see what I store with /kindred my-data.")
