"""Slack side of anonymous commands (``/ask anon …``, ``/kindred reply|reveal|…|setup``): routed to the core
like any command, but the actor is never looked up (no users.info: the asker's name is never fetched), and
members of ``KINDRED_SLACK_MODERATOR_GROUP`` are marked as moderators."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.events import Actor, Command
from bot.platforms.slack.services import PLATFORM, SlackServices, Target
from bot.platforms.slack.usergroups import in_usergroup

SEARCHING = "Looking for grab n' go resources and kindred spirits…"


def register(bolt: AsyncApp, services: SlackServices) -> None:
    kindred = services.kindred

    async def is_anonymous_ask(body: dict[str, Any]) -> bool:
        return kindred.is_private("ask", body.get("text") or "")

    async def is_anonymous_subcommand(body: dict[str, Any]) -> bool:
        return kindred.is_private("kindred", body.get("text") or "")

    @bolt.command("/ask", matchers=[is_anonymous_ask])
    async def on_anon_ask(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack(text=SEARCHING)
        # The private answer never goes to the channel the command was typed in (response_url or a DM).
        target = Target(body["user_id"], body.get("team_id"), None, body.get("response_url"))
        await run(services, client, target, Command(anonymous_actor(target), "ask", body.get("text") or ""))

    @bolt.command("/kindred", matchers=[is_anonymous_subcommand])
    async def on_anon_command(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        target = Target(
            body["user_id"], body.get("team_id"), body.get("channel_id"), body.get("response_url")
        )
        group = kindred.moderator_group(PLATFORM)
        options = {"moderator": await in_usergroup(client, group, target.user_id)}
        text = (body.get("text") or "").strip()
        await run(
            services, client, target, Command(anonymous_actor(target), "kindred", text, options=options)
        )


def anonymous_actor(target: Target) -> Actor:
    return Actor(PLATFORM, target.user_id, workspace_id=target.team_id)


async def run(services: SlackServices, client: AsyncWebClient, target: Target, command: Command) -> None:
    outcome = await services.run(services.kindred.handle_command, command)
    await services.deliver(client, outcome, target)
