"""/kindred quiet here | quiet off: a channel opts out of (or back into) replies to help requests.

On every platform: quiet channels get no reply to a help request (``Kindred.handle_message``); ``/ask``,
mentions and DMs still work there.
"""

from __future__ import annotations

from typing import Protocol

from bot.domain.events import Command
from bot.domain.replies import Outcome
from bot.handlers.ports import Storage
from bot.handlers.registry import Registry
from bot.storage.database import Database

QUIET_HELP = (
    "• `/kindred quiet here` — I stop replying to help requests in this channel "
    "(`/kindred quiet off` undoes it)"
)
NOT_IN_A_CHANNEL = "Use this in the channel you want me to stay quiet in."
QUIET = "Okay — I'll stay quiet in this channel. `/ask` still works here. (`/kindred quiet off` to undo)"
LOUD = "I'm back: I'll offer resources when someone here asks for help."
UNDO_WORDS = ("off", "stop", "undo", "no")


class QuietDeps(Storage, Protocol):
    """What /kindred quiet uses: the database only."""


def register(registry: Registry) -> None:
    registry.subcommand("kindred", "quiet", handle)


def parse(text: str) -> bool:
    """``quiet [here]`` -> True (make quiet); ``quiet off|stop|undo|no`` -> False."""
    words = text.lower().split()
    return not (len(words) > 1 and words[1] in UNDO_WORDS)


def in_a_channel(command: Command) -> bool:
    """Sent from a channel, not a DM (no channel; a Slack ``D…`` id; a Discord DM has no guild)."""
    channel, actor = command.channel_id, command.actor
    if not channel:
        return False
    if actor.platform == "slack":
        return not channel.startswith("D")
    if actor.platform == "discord":
        return actor.workspace_id is not None
    return True


def handle(deps: QuietDeps, command: Command) -> Outcome:
    if not in_a_channel(command) or command.channel_id is None:
        return Outcome.say(NOT_IN_A_CHANNEL)
    quiet, actor = parse(command.text), command.actor
    with deps.db.unit_of_work() as uow:
        uow.quiet_channels.set(actor.platform, actor.workspace_id, command.channel_id, quiet, actor.user_id)
    return Outcome.say(QUIET if quiet else LOUD)


def is_quiet(db: Database, platform: str, workspace_id: str | None, channel_id: str) -> bool:
    """Whether help requests in this channel go unanswered."""
    with db.unit_of_work(writes=False) as uow:
        return uow.quiet_channels.is_quiet(platform, workspace_id, channel_id)
