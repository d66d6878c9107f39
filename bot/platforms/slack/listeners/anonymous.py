"""Slack side of anonymous questions: ``/ask anon …`` and ``/kindred reply|reveal|solved|delete|flag|hide|
block|escrow|setup …``. Never calls users.info for the asker; effects come from the neutral ``AnonResult``."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.anonymity.effects import AnonResult, DeletePost, EditPost
from bot.domain.events import Actor, Command
from bot.domain.replies import Reply
from bot.handlers import anonymous
from bot.platforms.slack.render import slack_text
from bot.platforms.slack.sender import SlackSender
from bot.platforms.slack.services import PLATFORM, SlackServices, Target
from bot.platforms.slack.usergroups import in_usergroup
from bot.scheduling import anon_posts
from bot.storage.models import FAILED

log = logging.getLogger(__name__)
SEARCHING = "Looking for grab n' go resources and kindred spirits…"


anon_question = anonymous.anon_question  # "anon" + any whitespace (tab, non-breaking space)


async def is_anon_ask(body: dict[str, Any]) -> bool:
    return anon_question(body.get("text") or "") is not None


async def is_anon_subcommand(body: dict[str, Any]) -> bool:
    words = (body.get("text") or "").split()
    return bool(words) and words[0].lower() in anonymous.SUBCOMMANDS


def register(bolt: AsyncApp, services: SlackServices) -> None:
    @bolt.command("/ask", matchers=[is_anon_ask])
    async def on_anon_ask(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack(text=SEARCHING)
        target = Target(
            body["user_id"], body.get("team_id"), body.get("channel_id"), body.get("response_url")
        )
        # No users.info lookup: the asker's name is never fetched, so it can't leak.
        await ask(services, client, target, anon_question(body.get("text") or "") or "")

    @bolt.command("/kindred", matchers=[is_anon_subcommand])
    async def on_anon_command(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        target = Target(
            body["user_id"], body.get("team_id"), body.get("channel_id"), body.get("response_url")
        )
        options = {"moderator": await is_moderator(services, client, target.user_id)}
        actor = Actor(PLATFORM, target.user_id, workspace_id=target.team_id)
        command = Command(actor, "kindred", (body.get("text") or "").strip(), options=options)
        result = await services.run(anonymous.subcommand, services.kindred.deps, command)
        await apply(client, result)
        await services.reply(client, result.reply, target)


async def ask(services: SlackServices, client: AsyncWebClient, target: Target, question: str) -> None:
    """The private answer goes first; the public post follows after a random delay, always in the help
    channel (never where the command was typed)."""
    deps = services.kindred.deps
    actor = Actor(PLATFORM, target.user_id, workspace_id=target.team_id)
    result = await services.run(anonymous.ask, deps, actor, question)
    await services.reply(
        client, result.reply, Target(target.user_id, target.team_id, None, target.response_url)
    )
    if result.question is None:
        return
    # A durable row first, so a restart within the delay still posts it (the heartbeat picks it up).
    delay, request_id = deps.anonymity.post_delay(), result.question.request_id
    await services.run(anon_posts.schedule, services.app.db, request_id, deps.clock(), delay)
    await asyncio.sleep(delay)
    sender = SlackSender(
        client, asyncio.get_running_loop(), help_channel=services.app.settings.slack_help_channel
    )
    state = await services.run(anon_posts.post_now, services.app.db, sender, request_id)
    if state == FAILED:
        text = "I couldn't find the help channel, so your question wasn't posted. Please tell an admin."
        await services.reply(
            client, Reply(text), Target(target.user_id, target.team_id, None, target.response_url)
        )


async def is_moderator(services: SlackServices, client: AsyncWebClient, user_id: str) -> bool:
    return await in_usergroup(client, services.kindred.deps.anonymity.slack_moderator_group, user_id)


async def apply(client: AsyncWebClient, result: AnonResult) -> None:
    for post in result.thread_posts:
        try:
            await client.chat_postMessage(
                channel=post.channel_id, thread_ts=post.thread_id, text=slack_text(post.text)
            )
        except SlackApiError as exc:
            log.warning("anonymous thread post failed", extra={"error": exc.response.get("error")})
    for change in result.changes:
        try:
            if isinstance(change, DeletePost):
                await client.chat_delete(channel=change.channel_id, ts=change.message_id)
            elif isinstance(change, EditPost):
                await client.chat_update(channel=change.channel_id, ts=change.message_id, text=change.text)
        except SlackApiError as exc:
            log.warning("anonymous post change failed", extra={"error": exc.response.get("error")})
