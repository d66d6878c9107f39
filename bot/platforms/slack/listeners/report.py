"""Slack side of ``/kindred report``: members of ``KINDRED_SLACK_LEADER_GROUP`` are marked as leaders."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.events import Command
from bot.platforms.slack.services import PLATFORM, SlackServices, Target
from bot.platforms.slack.usergroups import in_usergroup

log = logging.getLogger(__name__)


async def is_report(body: dict[str, Any]) -> bool:
    words = (body.get("text") or "").split()
    return bool(words) and words[0].lower() == "report"


def register(bolt: AsyncApp, services: SlackServices) -> None:
    @bolt.command("/kindred", matchers=[is_report])
    async def on_report(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        target = Target(
            body["user_id"], body.get("team_id"), body.get("channel_id"), body.get("response_url")
        )
        actor = await services.actor(client, target.user_id, target.team_id)
        leader = await in_usergroup(client, services.kindred.leader_group(PLATFORM), target.user_id)
        text = (body.get("text") or "").strip()
        command = Command(actor, "kindred", text, channel_id=target.channel_id, options={"leader": leader})
        outcome = await services.run(services.kindred.handle_command, command)
        await services.deliver(
            client, outcome, Target(target.user_id, target.team_id, None, target.response_url)
        )
