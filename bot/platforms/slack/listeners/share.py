"""/share: with text, straight to the core; without, a modal (link, title, why, grades, subjects)."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.events import Command
from bot.platforms.slack.listeners.actions import team_of
from bot.platforms.slack.services import SlackServices, Target
from bot.platforms.slack.views import SHARE_MODAL, metadata, share_modal, values


def register(bolt: AsyncApp, services: SlackServices) -> None:
    if "share" not in {spec.name for spec in services.kindred.commands()}:
        return

    @bolt.command("/share")
    async def on_share(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        text = (body.get("text") or "").strip()
        await ack()
        if not text:
            await client.views_open(trigger_id=body["trigger_id"], view=share_modal(body.get("channel_id")))
            return
        target = Target(
            body["user_id"], body.get("team_id"), body.get("channel_id"), body.get("response_url")
        )
        await run_share(services, client, target, text, {})

    @bolt.view(SHARE_MODAL)
    async def on_share_submitted(
        ack: AsyncAck, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient
    ) -> None:
        fields = values(view)
        errors = services.kindred.form_errors("share", fields)  # the core's rules, as Discord's form gets
        if errors:
            await ack(response_action="errors", errors=errors)
            return
        await ack()
        options = {k: fields[k] for k in ("url", "title", "why", "grades", "subjects") if fields.get(k)}
        target = Target(body["user"]["id"], team_of(body), metadata(view).get("channel_id"))
        await run_share(services, client, target, "", options)


async def run_share(
    services: SlackServices, client: AsyncWebClient, target: Target, text: str, options: dict[str, Any]
) -> None:
    actor = await services.actor(client, target.user_id, target.team_id)
    command = Command(actor, "share", text, channel_id=target.channel_id, options=options)
    outcome = await services.run(services.kindred.handle_command, command)
    await services.deliver(client, outcome, target)
