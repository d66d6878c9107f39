"""App Home: my profile, my open questions, my saved resources (views.publish on app_home_opened)."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.platforms.slack.services import PLATFORM, SlackServices
from bot.platforms.slack.views import home_view


async def publish_home(
    services: SlackServices, client: AsyncWebClient, user_id: str, team_id: str | None
) -> None:
    home = await services.run(services.kindred.home, PLATFORM, user_id)
    await client.views_publish(user_id=user_id, view=home_view(home.profile, home.questions, home.saved))


def register(bolt: AsyncApp, services: SlackServices) -> None:
    @bolt.event("app_home_opened")
    async def on_home_opened(body: dict[str, Any], event: dict[str, Any], client: AsyncWebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        await publish_home(services, client, event["user"], body.get("team_id"))
