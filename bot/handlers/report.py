"""``/kindred report [7d|30d]``: the leader report in chat, for members of the leader group/role only.

The adapter sets ``command.options["leader"] = True`` for members of ``KINDRED_SLACK_LEADER_GROUP`` /
``KINDRED_DISCORD_LEADER_ROLE`` (the moderator-setting pattern). At the console — a local process that already
holds the database — the person at the keyboard is the leader.
"""

from __future__ import annotations

import logging
from typing import Protocol

from bot.domain.events import Command
from bot.domain.replies import Outcome, Reply
from bot.handlers.ports import Storage, Timed
from bot.insights.report import build_insights
from bot.insights.summary import summary_text
from bot.scheduling.durations import parse_duration

log = logging.getLogger(__name__)
LEADERS_ONLY = (
    "The report is for school leaders. An admin can name yours with KINDRED_SLACK_LEADER_GROUP "
    "(a Slack usergroup) or KINDRED_DISCORD_LEADER_ROLE (a Discord role)."
)
USAGE = "Usage: `/kindred report [7d|30d|90d]` (default 30d)."


class ReportDeps(Storage, Timed, Protocol):
    """What the leader report uses: the database and the clock (the period ends now)."""


def is_leader(command: Command) -> bool:
    return command.actor.platform == "console" or command.options.get("leader") is True


def handle(deps: ReportDeps, command: Command, rest: str) -> Outcome:
    if not is_leader(command):
        log.info("report refused: not a leader", extra={"platform": command.actor.platform})
        return Outcome.say(LEADERS_ONLY)
    try:
        period = parse_duration(rest.strip() or "30d")
    except ValueError:
        return Outcome.say(f"I couldn't read “{rest.strip()}” as a period. {USAGE}")
    insights = build_insights(deps.db, deps.clock(), period)
    log.info(
        "report shown in chat", extra={"platform": command.actor.platform, "questions": insights.questions}
    )
    return Outcome(reply=Reply(summary_text(insights), ephemeral=True))
