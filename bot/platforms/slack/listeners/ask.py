"""/ask: ack at once, then suggestions as an ephemeral Block Kit reply; no text opens a modal."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.events import Command
from bot.domain.vocabulary import SUBJECT_LABELS
from bot.platforms.slack.listeners.commands import neutral_command
from bot.platforms.slack.services import SlackServices, Target
from bot.platforms.slack.views import ASK_MODAL, ask_modal, metadata, values

log = logging.getLogger(__name__)
SEARCHING = "Looking for grab n' go resources and kindred spirits…"


def register(bolt: AsyncApp, services: SlackServices) -> None:
    if "ask" not in {spec.name for spec in services.kindred.commands()}:
        return

    @bolt.command("/ask")
    async def on_ask(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        text = (body.get("text") or "").strip()
        if not text:
            await ack()
            await client.views_open(trigger_id=body["trigger_id"], view=ask_modal(body.get("channel_id")))
            return
        await ack(text=SEARCHING)
        if services.kindred.is_private("ask", text):  # "/ask anon …": routed like any command
            command, target = await neutral_command(services, client, body, "ask", text)
            outcome = await services.run(services.kindred.handle_command, command)
            await services.deliver(client, outcome, target)
            return
        target = Target(
            user_id=body["user_id"],
            team_id=body.get("team_id"),
            channel_id=body.get("channel_id"),
            response_url=body.get("response_url"),
        )
        await run_ask(services, client, target, text)

    @bolt.view(ASK_MODAL)
    async def on_ask_submitted(
        ack: AsyncAck, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient
    ) -> None:
        fields = values(view)
        question = fields.get("question") or ""
        if not question:
            await ack(response_action="errors", errors={"question": "Please type your question."})
            return
        await ack()
        hints = [
            f"grade {fields['grade']}" if fields.get("grade") else "",
            SUBJECT_LABELS.get(fields.get("subject") or "", ""),
        ]
        hint = ", ".join(h for h in hints if h)
        text = f"{question} ({hint})" if hint else question
        user = body["user"]
        target = Target(
            user_id=user["id"],
            team_id=(body.get("team") or {}).get("id") or user.get("team_id"),
            channel_id=metadata(view).get("channel_id"),
        )
        await run_ask(services, client, target, text)


async def run_ask(services: SlackServices, client: AsyncWebClient, target: Target, text: str) -> None:
    actor = await services.actor(client, target.user_id, target.team_id)
    command = Command(actor, "ask", text, channel_id=target.channel_id)
    outcome = await services.run(services.kindred.handle_command, command)
    await services.deliver(client, outcome, target)
