"""What a teacher's home (Slack App Home) shows: their profile, open questions and saved resources."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.domain.requests import HelpRequest
from bot.domain.resources import Resource
from bot.handlers.deps import Deps
from bot.handlers.profile import describe
from bot.storage.repositories import (
    FeedbackRepository,
    RequestRepository,
    ResourceRepository,
    TeacherRepository,
)

SAVED_LIMIT = 20


@dataclass(frozen=True)
class Home:
    profile: str | None = None  # None until onboarded
    questions: list[HelpRequest] = field(default_factory=list)
    saved: list[Resource] = field(default_factory=list)


def home(deps: Deps, platform: str, user_id: str) -> Home:
    with deps.db.session() as session:
        teacher = TeacherRepository(session).find(platform, user_id)
        if teacher is None:
            return Home()
        questions = RequestRepository(session).open_for(teacher.id)
        saved_ids = FeedbackRepository(session).resource_ids(teacher.id, "save")[:SAVED_LIMIT]
        resources = ResourceRepository(session).get_many(saved_ids)
    profile = describe(teacher) if teacher.onboarded else None
    return Home(profile, questions, [resources[i] for i in saved_ids if i in resources])
