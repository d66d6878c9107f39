"""First contact: the "Tell Kindred what you teach" button (and Home's "Edit profile") open a profile modal
prefilled from users.info; its submission becomes ``/kindred profile`` with structured options."""

from __future__ import annotations

import re
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.events import Command
from bot.platforms.slack.listeners.actions import team_of
from bot.platforms.slack.listeners.home import publish_home
from bot.platforms.slack.services import SlackServices, Target
from bot.platforms.slack.views import PROFILE_MODAL, metadata, profile_modal, values

PATTERN = re.compile(r"^kindred\.(?:onboard|edit_profile)\.")


def register(bolt: AsyncApp, services: SlackServices) -> None:
    @bolt.action(PATTERN)
    async def on_onboard(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        user_id = body["user"]["id"]
        actor = await services.actor(client, user_id, team_of(body))
        teacher = await services.run(services.kindred.teacher, actor.platform, actor.user_id)
        channel = (body.get("channel") or {}).get("id")
        view = profile_modal(actor.display_name, actor.timezone, teacher, channel)
        await client.views_open(trigger_id=body["trigger_id"], view=view)

    @bolt.view(PROFILE_MODAL)
    async def on_profile_submitted(
        ack: AsyncAck, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient
    ) -> None:
        fields = values(view)
        errors = {k: "Choose at least one." for k in ("subjects", "grades") if not fields.get(k)}
        if errors:
            await ack(response_action="errors", errors=errors)
            return
        await ack()
        meta = metadata(view)
        options: dict[str, Any] = {"subjects": fields["subjects"], "grades": fields["grades"]}
        if fields.get("interests"):
            options["interests"] = fields["interests"]
        if "roles" in fields:  # an emptied field clears them
            options["roles"] = fields["roles"]
        if fields.get("name"):
            options["name"] = fields["name"]
        if valid_timezone(meta.get("timezone")):
            options["timezone"] = meta["timezone"]
        user_id = body["user"]["id"]
        target = Target(user_id, team_of(body), meta.get("channel_id"))
        actor = await services.actor(client, user_id, target.team_id)
        command = Command(actor, "kindred", "profile", channel_id=target.channel_id, options=options)
        outcome = await services.run(services.kindred.handle_command, command)
        await services.deliver(client, outcome, target)
        await publish_home(services, client, user_id, target.team_id)


def valid_timezone(name: Any) -> bool:
    if not isinstance(name, str) or not name:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True
