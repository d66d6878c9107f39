"""/adapt: "how I used it" — a note on a resource that colleagues see on its card (stuff with soul)."""

from __future__ import annotations

import logging
from typing import Protocol

from bot.domain.events import ButtonPress, Command
from bot.domain.replies import Action, Outcome
from bot.domain.resources import Resource
from bot.handlers.identity import ensure_teacher
from bot.handlers.ids import parse_id
from bot.handlers.ports import Profiles
from bot.handlers.registry import Registry
from bot.handlers.suggestion_reply import parse_button_value
from bot.privacy.hooks import core as user_data
from bot.storage.repositories import ResourceRepository

log = logging.getLogger(__name__)

MAX_NOTE_CHARS = 500
USAGE = (
    "Tell colleagues how you used a resource: `/adapt <resource id or title> | <how you used it>`, e.g. "
    "`/adapt Fraction Strips | Did it as a warm-up with my 5th graders and added a number line`"
)


class AdaptDeps(Profiles, Protocol):
    """What "how I used it" notes use: the note-taker's profile."""


def register(registry: Registry) -> None:
    registry.command(
        "adapt",
        "How I used it: add a note colleagues see on a resource",
        "/adapt <resource id or title> | <how you used it>",
        handle,
    )
    registry.button(Action.ADAPT, prompt)
    registry.user_data_hooks(user_data.ADAPTATION_NOTES)


def handle(deps: AdaptDeps, command: Command) -> Outcome:
    target, _, note = command.text.partition("|")
    target, note = target.strip(), " ".join(note.split())
    if not target or not note:
        return Outcome.say(USAGE)
    if len(note) > MAX_NOTE_CHARS:
        return Outcome.say(f"That note is {len(note)} characters; please keep it under {MAX_NOTE_CHARS}.")
    teacher = ensure_teacher(deps, command.actor)
    with deps.db.unit_of_work() as uow:
        resources = uow.resources
        found = find(resources, target)
        if len(found) == 1:
            resources.add_adaptation(found[0].id, teacher.id, note)
    if not found:
        return Outcome.say(f"I couldn't find a resource called “{target}”. Use its title or its number.")
    if len(found) > 1:
        options = "\n".join(f"• {r.id} — {r.title}" for r in found)
        return Outcome.say(f"Which one did you mean?\n{options}\nThen: `/adapt {found[0].id} | {note}`")
    log.info("adaptation note added", extra={"resource_id": found[0].id})
    return Outcome.say(
        f"Thank you! Colleagues who get “{found[0].title}” will now see how you used it:\n  ✎ {note}"
    )


def find(resources: ResourceRepository, target: str) -> list[Resource]:
    """By number ("12" or "#12"), else by title."""
    number = parse_id(target)
    if number is not None:
        resource = resources.get(number)
        return [resource] if resource else []
    if target.strip().removeprefix("#").isdigit():  # "²" or 20 digits: no such resource
        return []
    return resources.find_by_title(target)


def prompt(deps: AdaptDeps, press: ButtonPress) -> Outcome:
    """Platforms with forms open one instead; this text is the fallback."""
    try:
        (resource_id,) = parse_button_value(press.value)
    except ValueError:
        return Outcome.say(USAGE)
    with deps.db.unit_of_work() as uow:
        resource = uow.resources.get(resource_id)
    if resource is None:
        return Outcome.say("That resource is no longer in the catalog.")
    return Outcome.say(
        f"How did you use “{resource.title}”? Tell colleagues with "
        f"`/adapt {resource.id} | what you changed and how it went` — your note shows on its card."
    )
