"""Every registered command reaches the core as a neutral ``Command`` (like Discord builds one per
registered command); ``/ask`` and ``/share`` have their own listeners (a modal without text). Each
command needs its entry in
``config/slack-manifest.yml`` for Slack to send it.

What the core declares, this honours: an anonymous command's actor is never looked up (no users.info), a
role-gated one (``/kindred report``: leader; ``/kindred hide``: moderator) gets ``options[role]`` from the
role's usergroup, and both are answered privately (response_url, else a DM), never in the channel."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.events import Actor, Command
from bot.platforms.slack.services import PLATFORM, SlackServices, Target
from bot.platforms.slack.usergroups import in_usergroup

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
        command, target = await neutral_command(services, client, body, name, text)
        outcome = await services.run(services.kindred.handle_command, command)
        await services.deliver(client, outcome, target)


async def neutral_command(
    services: SlackServices, client: AsyncWebClient, body: dict[str, Any], name: str, text: str
) -> tuple[Command, Target]:
    """The slash command as the core sees it, and where its answer goes."""
    kindred, user, team = services.kindred, body["user_id"], body.get("team_id")
    private, role = kindred.is_private(name, text), kindred.role_for(name, text)
    channel = None if private or role else body.get("channel_id")
    target = Target(user, team, channel, body.get("response_url"))
    if private:  # the asker's name is never fetched, so it can't leak
        actor = Actor(PLATFORM, user, workspace_id=team)
    else:
        actor = await services.actor(client, user, team)
    options: dict[str, Any] = {}
    if role is not None:
        options[role] = await in_usergroup(client, kindred.role_group(PLATFORM, role), user)
    return Command(actor, name, text, channel_id=body.get("channel_id"), options=options), target
