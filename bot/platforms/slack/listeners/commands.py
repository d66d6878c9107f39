"""Every registered command reaches the core as a neutral ``Command`` (like Discord builds one per
registered command); ``/ask`` and ``/share`` have their own listeners (a modal without text), and
``/kindred help`` also lists the Slack-only ``/kindred quiet``. Each command needs its entry in
``config/slack-manifest.yml`` for Slack to send it."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.events import Command
from bot.domain.replies import Outcome
from bot.platforms.slack.listeners.quiet import QUIET_HELP
from bot.platforms.slack.services import SlackServices, Target

DEDICATED = frozenset({"ask", "share"})  # their own listeners: a modal when the text is empty


def register(bolt: AsyncApp, services: SlackServices) -> None:
    for spec in services.kindred.commands():
        if spec.name not in DEDICATED:
            register_command(bolt, services, spec.name)


def register_command(bolt: AsyncApp, services: SlackServices, name: str) -> None:
    @bolt.command(f"/{name}")
    async def on_command(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        text = (body.get("text") or "").strip()
        target = Target(
            body["user_id"], body.get("team_id"), body.get("channel_id"), body.get("response_url")
        )
        actor = await services.actor(client, target.user_id, target.team_id)
        command = Command(actor, name, text, channel_id=target.channel_id)
        outcome = await services.run(services.kindred.handle_command, command)
        if name == "kindred" and text.lower() in ("", "help"):
            outcome = with_quiet_help(outcome)
        await services.deliver(client, outcome, target)


def with_quiet_help(outcome: Outcome) -> Outcome:
    if outcome.reply is None:
        return outcome
    return replace(outcome, reply=replace(outcome.reply, text=outcome.reply.text + "\n" + QUIET_HELP))
