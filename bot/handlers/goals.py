"""/goal: set a professional goal (linked to a Danielson component or school goal), see progress, and keep
a private learning log of reflections. Weekly check-ins are sent by ``bot.scheduling.goal_checkins``."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Protocol

from bot.domain.clock import as_utc
from bot.domain.events import ButtonPress, Command
from bot.domain.goals import Goal, GoalProgress
from bot.domain.markup import bold
from bot.domain.replies import Outcome
from bot.domain.working_hours import zone
from bot.handlers.identity import ensure_teacher, find_teacher
from bot.handlers.ports import Profiles, Timed
from bot.handlers.registry import JobContext, PeriodicJob, Registry
from bot.matching.frameworks import Catalog, Component, load_catalog
from bot.privacy.hooks.features import GOALS
from bot.scheduling import goal_checkins
from bot.scheduling.goal_checkins import LOG_HINT, LOG_REFLECTION
from bot.scheduling.messages import quote

log = logging.getLogger(__name__)

CHECKIN_JOB_ID = "kindred-goal-checkins"
CHECKIN_INTERVAL_SECONDS = 60
MAX_GOAL_CHARS = 500
MAX_LOG_CHARS = 2000
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
USAGE = (
    "• `/goal set <your goal> [3b]` — set your goal; add a Danielson component or school goal code to link\n"
    "   it yourself, or I'll find the closest one\n"
    "• `/goal` — your goal and progress\n"
    "• `/goal log <reflection>` — add to your private learning log\n"
    "• `/goal clear` — put your goal aside"
)


class GoalDeps(Profiles, Timed, Protocol):
    """What /goal uses: profiles, the index's embedder (matching a component), the clock."""


def register(registry: Registry) -> None:
    registry.command(
        "goal", "Your professional goal and private learning log", "/goal [set|log|clear]", handle
    )
    registry.button(LOG_REFLECTION, log_button)
    registry.user_data_hooks(GOALS)
    registry.periodic(PeriodicJob(CHECKIN_JOB_ID, CHECKIN_INTERVAL_SECONDS, weekly_checkins))


def weekly_checkins(context: JobContext) -> None:
    goal_checkins.tick(context.db, context.sender, context.clock())


def handle(
    deps: GoalDeps, command: Command, now: datetime | None = None, catalog: Catalog | None = None
) -> Outcome:
    now = as_utc(now or deps.clock())
    sub, _, rest = command.text.strip().partition(" ")
    sub, rest = sub.lower(), rest.strip()
    if sub == "set":
        return set_goal(deps, command, rest, now, catalog or load_catalog())
    if sub == "log":
        return add_reflection(deps, command, rest, now)
    if sub == "clear":
        teacher = ensure_teacher(deps, command.actor)
        with deps.db.unit_of_work() as uow:
            cleared = uow.goals.clear(teacher.id)
        return Outcome.say(
            "Done — your goal is put aside; your log stays private." if cleared else "No goal set."
        )
    if sub in ("", "show", "progress"):
        return show(deps, command, now)
    return Outcome.say(f"I don't know “/goal {sub}”.\n{USAGE}")


def split_code(text: str, catalog: Catalog) -> tuple[str, Component | None]:
    """A trailing "3b" or "[3b]" names the component explicitly."""
    head, _, last = text.rpartition(" ")
    component = catalog.by_code(last) if head else None
    return (head.strip(), component) if component else (text, None)


def set_goal(deps: GoalDeps, command: Command, text: str, now: datetime, catalog: Catalog) -> Outcome:
    if not text:
        return Outcome.say(
            "What would you like to work on? e.g. `/goal set ask more open-ended questions`\n" + USAGE
        )
    if len(text) > MAX_GOAL_CHARS:
        return Outcome.say(f"Please keep your goal under {MAX_GOAL_CHARS} characters.")
    text, component = split_code(text, catalog)
    if component is None:
        component = catalog.match(text, deps.indexer.embedder)
    teacher = ensure_teacher(deps, command.actor)
    with deps.db.unit_of_work() as uow:
        goal = uow.goals.set_goal(
            teacher.id,
            text,
            now,
            framework=component.framework if component else None,
            code=component.code if component else None,
            name=component.name if component else None,
        )
        prefs = uow.preferences.load([teacher.id])[teacher.id]
    log.info("goal set", extra={"teacher_id": teacher.id, "component": goal.component_code})
    linked = f"linked to {goal.link_label}" if goal.link_label else "not linked to a framework component"
    checkin = (
        f"I'll check in {DAY_NAMES[prefs.checkin_day]}s at {prefs.checkin_time:%H:%M} "
        "(change it with `/kindred settings checkin …`)."
        if prefs.checkin_enabled
        else "Weekly check-ins are off (`/kindred settings checkin on`)."
    )
    return Outcome.say(f"Goal saved: “{quote(goal.text)}” — {linked}.\n{checkin}")


def add_reflection(deps: GoalDeps, command: Command, text: str, now: datetime) -> Outcome:
    if not text:
        return Outcome.say("What did you try, and how did it go? e.g. `/goal log tried think-pair-share …`")
    if len(text) > MAX_LOG_CHARS:
        return Outcome.say(f"Please keep one reflection under {MAX_LOG_CHARS} characters.")
    teacher = find_teacher(deps, command.actor)
    with deps.db.unit_of_work() as uow:
        repo = uow.goals
        goal = repo.active(teacher.id) if teacher else None
        if goal is None:
            return Outcome.say("Set a goal first: `/goal set <what you want to work on>`.")
        repo.add_log(goal.id, text, now)
        progress = repo.progress(goal, now)
    log.info("reflection logged", extra={"teacher_id": goal.teacher_id, "goal_id": goal.id})
    return Outcome.say(
        f"Logged privately — that's {progress.entries} reflection(s) toward your goal. Nice work."
    )


def show(deps: GoalDeps, command: Command, now: datetime) -> Outcome:
    teacher = find_teacher(deps, command.actor)
    with deps.db.unit_of_work() as uow:
        repo = uow.goals
        goal = repo.active(teacher.id) if teacher else None
        progress = repo.progress(goal, now) if goal else None
    if goal is None or progress is None or teacher is None:
        return Outcome.say("You haven't set a goal yet.\n" + USAGE)
    return Outcome.say(describe(goal, progress, teacher.timezone))


def describe(goal: Goal, progress: GoalProgress, timezone: str) -> str:
    lines = [f"{bold('Your goal:')} {goal.text}"]
    if goal.link_label:
        lines.append(f"Linked to {goal.link_label}")
    lines.append(f"Week {progress.weeks_active} · {progress.entries} reflection(s) in your private log")
    if progress.last_entry is not None:
        when = progress.last_entry.created_at.astimezone(zone(timezone))
        lines.append(f"Last reflection ({when:%a %b %d}): “{quote(progress.last_entry.text, 160)}”")
    else:
        lines.append("No reflections yet — `/goal log <what you tried>` whenever you're ready.")
    return "\n".join(lines)


def log_button(deps: GoalDeps, press: ButtonPress) -> Outcome:
    """Buttons carry no text: explain how to write the reflection."""
    return Outcome.say(LOG_HINT)
