"""/kindred (help, profile …): passed to the core as a neutral command."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.events import Command
from bot.platforms.slack.listeners.quiet import QUIET_HELP
from bot.platforms.slack.services import SlackServices, Target

# Core commands Slack hands over unchanged (each also listed in slack-manifest.yml).
PASS_THROUGH = ("goal", "pack", "ripples", "adapt")


def register(bolt: AsyncApp, services: SlackServices) -> None:
    for name in PASS_THROUGH:
        if name in {spec.name for spec in services.kindred.commands()}:
            register_pass_through(bolt, services, name)
    if "kindred" not in {spec.name for spec in services.kindred.commands()}:
        return

    @bolt.command("/kindred")
    async def on_kindred(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        text = (body.get("text") or "").strip()
        target = Target(
            body["user_id"], body.get("team_id"), body.get("channel_id"), body.get("response_url")
        )
        actor = await services.actor(client, target.user_id, target.team_id)
        command = Command(actor, "kindred", text, channel_id=target.channel_id)
        outcome = await services.run(services.kindred.handle_command, command)
        if outcome.reply is not None and text.lower() in ("", "help"):
            outcome = replace(
                outcome, reply=replace(outcome.reply, text=outcome.reply.text + "\n" + QUIET_HELP)
            )
        await services.deliver(client, outcome, target)


def register_pass_through(bolt: AsyncApp, services: SlackServices, name: str) -> None:
    @bolt.command(f"/{name}")
    async def on_command(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        target = Target(
            body["user_id"], body.get("team_id"), body.get("channel_id"), body.get("response_url")
        )
        actor = await services.actor(client, target.user_id, target.team_id)
        command = Command(actor, name, (body.get("text") or "").strip(), channel_id=target.channel_id)
        outcome = await services.run(services.kindred.handle_command, command)
        await services.deliver(client, outcome, target)
