"""Buttons on resource cards: "This helped", "Save", "Not relevant"."""

from __future__ import annotations

import logging
from typing import Protocol

from bot.domain.events import ButtonPress
from bot.domain.replies import Action, Button, Outcome
from bot.handlers.identity import ensure_teacher
from bot.handlers.ports import Profiles
from bot.handlers.registry import Registry
from bot.handlers.suggestion_reply import button_value, parse_button_value
from bot.privacy.hooks import core as user_data

log = logging.getLogger(__name__)

_KINDS = {Action.HELPED: "helped", Action.SAVE: "save", Action.NOT_RELEVANT: "not_relevant"}
_THANKS = {
    "helped": "Glad it helped! I'll tell whoever shared it — that's a ripple.",
    "save": "Saved to your resources.",
    "not_relevant": "Thanks — I'll show you better matches next time.",
}


class FeedbackDeps(Profiles, Protocol):
    """What the resource buttons (helped, save, not relevant) use: the reacting teacher's profile."""


def register(registry: Registry) -> None:
    for action in _KINDS:
        registry.button(action, handle)
    registry.user_data_hooks(user_data.FEEDBACK)


def request_and_resource(value: str) -> tuple[int | None, int]:
    """``request:resource`` on a named answer; ``resource`` alone on an anonymous one."""
    ids = parse_button_value(value)
    if len(ids) == 1:
        return None, ids[0]
    if len(ids) == 2:
        return ids[0], ids[1]
    raise ValueError(f"malformed feedback button value: {value!r}")


def handle(deps: FeedbackDeps, press: ButtonPress) -> Outcome:
    kind = _KINDS[Action(press.action)]
    try:
        request_id, resource_id = request_and_resource(press.value)
    except ValueError:
        log.warning("feedback button with a malformed value", extra={"action": press.action})
        return Outcome.say("Sorry, I couldn't read that button. Please try /ask again.")
    teacher = ensure_teacher(deps, press.actor)
    with deps.db.unit_of_work() as uow:
        if uow.resources.get(resource_id) is None:
            return Outcome.say("That resource is no longer in the catalog.")
        request = uow.requests.get(request_id) if request_id is not None else None
        if request is not None and request.anonymous:  # an old or hand-made button: never link the two
            request = None
        new = uow.feedback.record(teacher.id, resource_id, request.id if request else None, kind)
    if not new:
        return Outcome.say("Already noted — thank you!")
    if kind == "helped":  # the moment to ask how they used it: their note gives the resource soul
        adapt = Button("Tell colleagues how you used it", Action.ADAPT, button_value(resource_id))
        return Outcome.say(_THANKS[kind], buttons=(adapt,))
    return Outcome.say(_THANKS[kind])
