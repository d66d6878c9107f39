"""What a teacher's home (Slack App Home) shows: their profile, open questions and saved resources."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from bot.domain.requests import HelpRequest
from bot.domain.resources import Resource
from bot.handlers.ports import Storage
from bot.handlers.profile import describe

SAVED_LIMIT = 20


class HomeDeps(Storage, Protocol):
    """What a teacher's home page reads: the database only."""


@dataclass(frozen=True)
class Home:
    profile: str | None = None  # None until onboarded
    questions: list[HelpRequest] = field(default_factory=list)
    saved: list[Resource] = field(default_factory=list)


def home(deps: HomeDeps, platform: str, user_id: str) -> Home:
    with deps.db.unit_of_work() as uow:
        teacher = uow.teachers.find(platform, user_id)
        if teacher is None:
            return Home()
        questions = uow.requests.open_for(teacher.id)
        saved_ids = uow.feedback.resource_ids(teacher.id, "save")[:SAVED_LIMIT]
        resources = uow.resources.get_many(saved_ids)
    profile = describe(teacher) if teacher.onboarded else None
    return Home(profile, questions, [resources[i] for i in saved_ids if i in resources])
