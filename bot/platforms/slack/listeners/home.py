"""App Home: my profile, my open questions, my saved resources (views.publish on app_home_opened)."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.requests import HelpRequest
from bot.domain.resources import Resource
from bot.handlers.profile import describe
from bot.platforms.slack.services import PLATFORM, SlackServices
from bot.platforms.slack.views import home_view
from bot.storage.database import Database
from bot.storage.repositories import (
    FeedbackRepository,
    RequestRepository,
    ResourceRepository,
    TeacherRepository,
)

SAVED_LIMIT = 20


def home_data(db: Database, user_id: str) -> tuple[str | None, list[HelpRequest], list[Resource]]:
    with db.session() as session:
        teacher = TeacherRepository(session).find(PLATFORM, user_id)
        if teacher is None:
            return None, [], []
        questions = RequestRepository(session).open_for(teacher.id)
        saved_ids = FeedbackRepository(session).resource_ids(teacher.id, "save")[:SAVED_LIMIT]
        resources = ResourceRepository(session).get_many(saved_ids)
    profile = describe(teacher) if teacher.onboarded else None
    return profile, questions, [resources[i] for i in saved_ids if i in resources]


async def publish_home(
    services: SlackServices, client: AsyncWebClient, user_id: str, team_id: str | None
) -> None:
    profile, questions, saved = await services.run(home_data, services.app.db, user_id)
    await client.views_publish(user_id=user_id, view=home_view(profile, questions, saved))


def register(bolt: AsyncApp, services: SlackServices) -> None:
    @bolt.event("app_home_opened")
    async def on_home_opened(body: dict[str, Any], event: dict[str, Any], client: AsyncWebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        await publish_home(services, client, event["user"], body.get("team_id"))
