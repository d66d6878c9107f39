"""Ways to ask on Slack that need no detector → ``Kindred.handle_ask``.

- ``app_mention``: answered in the thread; a bare mention in a thread asks about the thread's parent.
- ``message`` with ``channel_type: im`` (the App Home Messages tab): an ``/ask``, answered in the DM.
- The "Find help for this" message shortcut (``find_help``): suggestions privately to whoever clicked,
  with "Post in thread".
- ``reaction_added`` with the ask emoji (``KINDRED_ASK_REACTION``): answered in the message's thread, once.
  With 🙏 (``pray``) on a reply in a question's thread: a thank-you to whoever wrote it (their ripple).

Registered before the channel-message listener: bolt runs the first listener that matches, so a channel
message that mentions Kindred is left to ``app_mention`` instead of also going through the detector.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.domain.asks import POST_IN_THREAD, AskWay, parse_thread_button_value
from bot.domain.events import Actor, ButtonPress, DirectAsk, Thanks, ThreadReply
from bot.domain.replies import Reply
from bot.handlers.ways_to_ask import POSTED
from bot.platforms.slack.listeners.actions import team_of
from bot.platforms.slack.render import message_payload
from bot.platforms.slack.services import PLATFORM, SlackServices, Target, retry_handlers

log = logging.getLogger(__name__)

SHORTCUT = "find_help"  # the message shortcut's callback_id (config/slack-manifest.yml)
USER_SUBTYPES = (None, "file_share")  # not edits, deletions, bot messages, joins…
THANKS_REACTION = "pray"  # 🙏 on a colleague's reply in a question's thread
_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")


def reaction_name(setting: str) -> str:
    return setting.strip().strip(":")


def is_ask_reaction(reaction: str, setting: str) -> bool:
    """``raising_hand`` and its skin tones (``raising_hand::skin-tone-3``)."""
    wanted = reaction_name(setting)
    return reaction == wanted or reaction.startswith(f"{wanted}::skin-tone-")


def is_thanks_reaction(reaction: str) -> bool:
    """``pray`` and its skin tones."""
    return reaction == THANKS_REACTION or reaction.startswith(f"{THANKS_REACTION}::skin-tone-")


def without_mention(text: str, bot_user_id: str | None) -> str:
    """The question: the text with Kindred's own mention removed (other people's mentions stay)."""
    return " ".join(_MENTION.sub(lambda m: "" if m[1] == bot_user_id else m[0], text).split())


def from_a_person(event: dict[str, Any], bot_user_id: str | None) -> bool:
    return (
        event.get("subtype") in USER_SUBTYPES
        and not event.get("bot_id")
        and bool(event.get("user"))
        and event.get("user") != bot_user_id
    )


async def read_message(client: AsyncWebClient, channel: str, ts: str) -> dict[str, Any] | None:
    """One message by its ts: conversations.history for channel messages, conversations.replies for
    replies in a thread (history does not list those)."""
    try:
        found = await client.conversations_history(
            channel=channel, latest=ts, oldest=ts, inclusive=True, limit=1
        )
        for message in found.get("messages") or []:
            if message.get("ts") == ts:
                return dict(message)
        found = await client.conversations_replies(channel=channel, ts=ts, oldest=ts, inclusive=True, limit=2)
        for message in found.get("messages") or []:
            if message.get("ts") == ts:
                return dict(message)
    except SlackApiError as exc:
        log.warning("could not read the message asked about", extra={"error": exc.response.get("error")})
    return None


async def thread_parent(client: AsyncWebClient, channel: str, thread_ts: str) -> dict[str, Any] | None:
    try:
        found = await client.conversations_replies(channel=channel, ts=thread_ts, limit=1)
    except SlackApiError as exc:
        log.warning("could not read the thread's parent", extra={"error": exc.response.get("error")})
        return None
    for message in found.get("messages") or []:
        if message.get("ts") == thread_ts:
            return dict(message)
    return None


def register(bolt: AsyncApp, services: SlackServices) -> None:
    setting = services.app.settings.ask_reaction

    async def once(key: str, work: Callable[[], Awaitable[None]]) -> None:
        """Claim ``key`` in the event ledger, so a Slack retry (or a second 🙋) is not answered twice."""
        if not await services.run(services.ledger.claim, key):
            log.info("duplicate ask skipped")
            return
        try:
            await work()
        except Exception:
            await services.run(services.ledger.failed, key)
            log.exception("slack ask handling failed")
            return
        await services.run(services.ledger.done, key)

    async def is_direct_message(event: dict[str, Any], context: AsyncBoltContext) -> bool:
        return event.get("channel_type") == "im" and from_a_person(event, context.bot_user_id)

    async def mentions_kindred(event: dict[str, Any], context: AsyncBoltContext) -> bool:
        bot = context.bot_user_id
        return bool(bot) and f"<@{bot}" in (event.get("text") or "") and from_a_person(event, bot)

    @bolt.event("message", matchers=[is_direct_message])
    async def on_direct_message(body: dict[str, Any], event: dict[str, Any], client: AsyncWebClient) -> None:
        team_id = body.get("team_id") or event.get("team")
        channel, ts = event["channel"], event.get("ts")

        async def work() -> None:
            actor = await services.actor(client, event["user"], team_id)
            ask = DirectAsk(actor, AskWay.DIRECT_MESSAGE, event.get("text") or "", channel, ts)
            outcome = await services.run(services.kindred.handle_ask, ask)
            await services.deliver(client, outcome, Target(actor.user_id, team_id, channel))

        await once(f"dm:{channel}:{ts}", work)

    @bolt.event("message", matchers=[mentions_kindred])
    async def on_message_mentioning_kindred(
        body: dict[str, Any], event: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
        """Answered by the ``app_mention`` event Slack sends for the same message, never by the detector.
        A reply with words in a known question's thread is still relayed to the asker."""
        ts, thread_ts = event.get("ts"), event.get("thread_ts")
        text = without_mention(event.get("text") or "", context.bot_user_id)
        if not thread_ts or thread_ts == ts or not text:
            return
        team_id = body.get("team_id") or event.get("team")
        channel = event["channel"]

        async def work() -> None:
            actor = await services.actor(client, event["user"], team_id)
            reply = ThreadReply(actor, channel, thread_ts, event.get("text") or "", ts)
            relayed = await services.run(services.kindred.handle_thread_reply, reply)
            await services.deliver(client, relayed, Target(actor.user_id, team_id, channel, None, thread_ts))

        await once(f"msg:{channel}:{ts}", work)

    @bolt.event("app_mention")
    async def on_mention(
        body: dict[str, Any], event: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
        if not from_a_person(event, context.bot_user_id):
            return
        team_id = body.get("team_id") or event.get("team")
        channel, ts = event["channel"], event["ts"]
        thread_ts = event.get("thread_ts") if event.get("thread_ts") != ts else None

        async def work() -> None:
            actor = await services.actor(client, event["user"], team_id)
            text = without_mention(event.get("text") or "", context.bot_user_id)
            message_id, author = ts, None
            if not text and thread_ts:  # a bare mention in a thread: the parent is the question
                parent = await thread_parent(client, channel, thread_ts)
                if parent is not None:
                    text = without_mention(parent.get("text") or "", context.bot_user_id)
                    message_id = thread_ts
                    if parent.get("user") and parent.get("user") != actor.user_id:
                        author = await services.actor(client, parent["user"], team_id)
            ask = DirectAsk(actor, AskWay.MENTION, text, channel, message_id, thread_ts, author)
            outcome = await services.run(services.kindred.handle_ask, ask)
            await services.deliver(
                client, outcome, Target(actor.user_id, team_id, channel, None, thread_ts or ts)
            )

        await once(f"mention:{channel}:{ts}", work)

    @bolt.message_shortcut(SHORTCUT)
    async def on_find_help(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        message = body.get("message") or {}
        channel = (body.get("channel") or {}).get("id")
        user_id = body["user"]["id"]
        team_id = team_of(body)
        ts = message.get("ts") or body.get("message_ts")
        thread_ts = message.get("thread_ts") if message.get("thread_ts") != ts else None
        actor = await services.actor(client, user_id, team_id)
        author = None
        if message.get("user") and message["user"] != user_id:
            author = await services.actor(client, message["user"], team_id)
        from_bot = bool(message.get("bot_id")) or message.get("subtype") == "bot_message"
        text = message.get("text") or ""
        ask = DirectAsk(actor, AskWay.SHORTCUT, text, channel, ts, thread_ts, author, from_bot=from_bot)
        outcome = await services.run(services.kindred.handle_ask, ask)
        # Privately: chat.postEphemeral in the channel (in the message's thread), or a DM if that fails.
        await services.deliver(client, outcome, Target(user_id, team_id, channel, None, thread_ts))

    @bolt.event("reaction_added")
    async def on_reaction(body: dict[str, Any], event: dict[str, Any], client: AsyncWebClient) -> None:
        item = event.get("item") or {}
        reaction = event.get("reaction") or ""
        team_id = body.get("team_id")
        channel, ts = item.get("channel"), item.get("ts")
        if item.get("type") != "message" or not channel or not ts:
            return
        if is_thanks_reaction(reaction):
            await thank(client, event["user"], team_id, channel, ts)
            return
        if not is_ask_reaction(reaction, setting):
            return

        async def work() -> None:
            message = await read_message(client, channel, ts)
            if message is None or message.get("bot_id") or message.get("subtype") not in USER_SUBTYPES:
                return  # gone, unreadable, or not a person's message
            actor = await services.actor(client, event["user"], team_id)
            author = None
            if message.get("user") and message["user"] != actor.user_id:
                author = await services.actor(client, message["user"], team_id)
            thread_ts = message.get("thread_ts") if message.get("thread_ts") != ts else None
            ask = DirectAsk(actor, AskWay.REACTION, message.get("text") or "", channel, ts, thread_ts, author)
            outcome = await services.run(services.kindred.handle_ask, ask)
            await services.deliver(
                client, outcome, Target(actor.user_id, team_id, channel, None, thread_ts or ts)
            )

        await once(f"react:{channel}:{ts}", work)

    async def thank(client: AsyncWebClient, user: str, team_id: str | None, channel: str, ts: str) -> None:
        """Only a reply in a thread can be a question's answer; the reactor is never looked up."""
        message = await read_message(client, channel, ts)
        thread_ts = (message or {}).get("thread_ts")
        if not thread_ts or thread_ts == ts:
            return
        thanks = Thanks(Actor(PLATFORM, user, workspace_id=team_id), channel, thread_ts, ts)
        await services.run(services.kindred.handle_thanks, thanks)

    @bolt.action(re.compile(rf"^kindred\.{POST_IN_THREAD}\."))
    async def on_post_in_thread(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await ack()
        value = action.get("value") or ""
        user_id = body["user"]["id"]
        team_id = team_of(body)
        response_url = body.get("response_url")
        actor = await services.actor(client, user_id, team_id)
        press = ButtonPress(actor, POST_IN_THREAD, value, channel_id=(body.get("channel") or {}).get("id"))
        outcome = await services.run(services.kindred.handle_button, press)
        parsed = parse_thread_button_value(value)
        private = Target(user_id, team_id, press.channel_id, response_url)
        if outcome.reply is None or outcome.reply.ephemeral or parsed is None:
            await services.deliver(client, outcome, private)
            return
        _, channel, message_ts, thread_ts = parsed
        await services.deliver(
            client, outcome, Target(user_id, team_id, channel, None, thread_ts or message_ts)
        )
        if response_url:  # the private answer becomes a short note
            webhook = AsyncWebhookClient(response_url, retry_handlers=retry_handlers())
            payload = message_payload(Reply(POSTED))
            await webhook.send(text=payload["text"], blocks=payload["blocks"], replace_original=True)
