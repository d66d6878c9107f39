"""Ways to ask on Discord that need no detector → ``Kindred.handle_ask``.

- A message mentioning Kindred: answered as a reply; a bare mention asks about the message it replies
  to, or, in a thread, about the thread's starter message (``fetch_message``).
- A DM to Kindred: an ``/ask``, answered in the DM.
- The message context menu "Find help for this": suggestions in an ephemeral response to whoever
  clicked, with "Post in thread" (a reply to that message).
- The ask emoji (``KINDRED_ASK_REACTION``, 🙋) added to a message (``RAW_REACTION_ADD``): a reply, once.
  🙏 on a reply to a question (or in its thread): a thank-you to whoever wrote it (their ripple).
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.domain.asks import POST_IN_THREAD, AskWay, parse_thread_button_value
from bot.domain.events import Actor, ButtonPress, DirectAsk, Thanks
from bot.domain.replies import Outcome, Reply
from bot.handlers.core import SORRY
from bot.handlers.ways_to_ask import POSTED
from bot.platforms.discord import events
from bot.platforms.discord.render import render

if TYPE_CHECKING:
    from bot.platforms.discord.client import KindredClient

log = logging.getLogger(__name__)

THANKS_EMOJI = "🙏"
FIND_HELP = "Find help for this"  # the message context menu command
PLATFORM = "discord"
# Slack-style names for the emoji Discord sends as unicode; anything else is compared as given.
UNICODE = {
    "raising_hand": "🙋",
    "raised_hand": "✋",
    "hand": "✋",
    "sos": "🆘",
    "question": "❓",
    "wave": "👋",
}


def ask_emoji(setting: str) -> str:
    name = setting.strip().strip(":")
    return UNICODE.get(name, name)


def is_ask_emoji(emoji: discord.PartialEmoji, setting: str) -> bool:
    """🙋 and its skin tones and gendered forms (🙋🏽, 🙋‍♀️); a custom emoji by its name."""
    wanted = ask_emoji(setting)
    name = emoji.name or ""
    return name == wanted or (emoji.id is None and name.startswith(wanted))


def is_thanks_emoji(emoji: discord.PartialEmoji) -> bool:
    """🙏 and its skin tones (🙏🏽)."""
    return emoji.id is None and (emoji.name or "").startswith(THANKS_EMOJI)


def actor(user: discord.abc.User | discord.Object, guild_id: int | None) -> Actor:
    name = getattr(user, "display_name", None) or getattr(user, "name", None)
    return Actor(PLATFORM, str(user.id), display_name=name, workspace_id=str(guild_id) if guild_id else None)


def without_mention(text: str, bot_id: int) -> str:
    return " ".join(re.sub(rf"<@!?{bot_id}>", " ", text).split())


def mentions_kindred(message: discord.Message, me: discord.ClientUser | None) -> bool:
    if me is None:
        return False
    return any(user.id == me.id for user in message.mentions) or bool(
        re.search(rf"<@!?{me.id}>", message.content)
    )


def register(client: KindredClient) -> None:
    """The context menu on the command tree, and the raw reaction listener."""

    async def find_help(interaction: discord.Interaction, message: discord.Message) -> None:
        await on_find_help(client, interaction, message)

    menu = app_commands.ContextMenu(name=FIND_HELP, callback=find_help)
    menu = app_commands.guild_only(menu)
    guilds = [discord.Object(id=gid) for gid in client.app.settings.guild_ids]
    if guilds:
        client.tree.add_command(menu, guilds=guilds)
    else:
        client.tree.add_command(menu)

    async def on_raw_reaction_add(payload: discord.RawReactionActionEvent) -> None:
        await on_reaction(client, payload)

    client.event(on_raw_reaction_add)


async def _ask(client: KindredClient, ask: DirectAsk) -> Outcome:
    return await asyncio.to_thread(client.kindred.handle_ask, ask)


async def on_message(client: KindredClient, message: discord.Message) -> bool:
    """A DM or a message mentioning Kindred: handled here (True); anything else is left to the detector."""
    if message.author.bot or (client.user is not None and message.author.id == client.user.id):
        return False
    if message.guild is None and isinstance(message.channel, discord.DMChannel):
        await _direct_message(client, message)
        return True
    if message.guild is not None and mentions_kindred(message, client.user):
        assert client.user is not None
        if without_mention(message.content, client.user.id):  # a reply under a known question: relayed too
            await client.thread_reply(message)
        await _mention(client, message)
        return True
    return False


async def _direct_message(client: KindredClient, message: discord.Message) -> None:
    ask = DirectAsk(
        actor(message.author, None), AskWay.DIRECT_MESSAGE, message.content, str(message.channel.id)
    )
    try:
        outcome = await _ask(client, ask)
        await client.answer(message, outcome)
    except Exception:
        log.exception("discord direct message handling failed")


async def _mention(client: KindredClient, message: discord.Message) -> None:
    assert client.user is not None and message.guild is not None
    guild_id = message.guild.id
    asker = actor(message.author, guild_id)
    text = without_mention(message.content, client.user.id)
    channel_id, message_id, thread_id, author = str(message.channel.id), str(message.id), None, None
    try:
        if not text:  # a bare mention: the message it replies to, or the thread's starter message
            target = await _mentioned_about(message)
            if target is not None:
                text = without_mention(target.content, client.user.id)
                channel_id, message_id = str(target.channel.id), str(target.id)
                if target.author.id != message.author.id:
                    author = actor(target.author, guild_id)
        ask = DirectAsk(asker, AskWay.MENTION, text, channel_id, message_id, thread_id, author)
        await client.answer(message, await _ask(client, ask))
    except Exception:
        log.exception("discord mention handling failed")


async def _mentioned_about(message: discord.Message) -> discord.Message | None:
    try:
        reference = message.reference
        if reference is not None and reference.message_id is not None:
            if isinstance(reference.resolved, discord.Message):
                return reference.resolved
            return await message.channel.fetch_message(reference.message_id)
        thread = message.channel
        if isinstance(thread, discord.Thread) and isinstance(thread.parent, discord.TextChannel):
            return await thread.parent.fetch_message(thread.id)  # a thread started from a message
    except discord.HTTPException as exc:
        log.warning("could not read the message a mention is about", extra={"status": exc.status})
    return None


async def on_find_help(
    client: KindredClient, interaction: discord.Interaction, message: discord.Message
) -> None:
    await interaction.response.defer(ephemeral=True, thinking=True)
    author = None
    if message.author.id != interaction.user.id:
        author = actor(message.author, interaction.guild_id)
    ask = DirectAsk(
        actor(interaction.user, interaction.guild_id),
        AskWay.SHORTCUT,
        message.content,
        str(message.channel.id),
        str(message.id),
        None,
        author,
        from_bot=message.author.bot,
    )
    outcome = await _ask(client, ask)
    reply = outcome.reply or Reply(SORRY)
    await interaction.followup.send(**render(reply).kwargs(), ephemeral=True)


async def on_reaction(client: KindredClient, payload: discord.RawReactionActionEvent) -> None:
    if payload.guild_id is None or (client.user is not None and payload.user_id == client.user.id):
        return
    thanks = is_thanks_emoji(payload.emoji)
    if not thanks and not is_ask_emoji(payload.emoji, client.app.settings.ask_reaction):
        return
    try:
        message = await reacted_message(client, payload)
        if thanks:
            await thank(client, payload, message)
            return
        if message.author.bot:
            return
        reactor = payload.member or discord.Object(id=payload.user_id)
        author = None if message.author.id == payload.user_id else actor(message.author, payload.guild_id)
        ask = DirectAsk(
            actor(reactor, payload.guild_id),
            AskWay.REACTION,
            message.content,
            str(message.channel.id),
            str(message.id),
            None,
            author,
        )
        await client.answer(message, await _ask(client, ask))
    except Exception:
        log.exception("discord ask reaction handling failed", extra={"channel_id": payload.channel_id})


async def reacted_message(client: KindredClient, payload: discord.RawReactionActionEvent) -> discord.Message:
    guild = client.get_guild(payload.guild_id) if payload.guild_id else None
    channel: Any = guild.get_channel_or_thread(payload.channel_id) if guild else None
    if channel is None:
        channel = await client.fetch_channel(payload.channel_id)
    message: discord.Message = await channel.fetch_message(payload.message_id)
    return message


async def thank(
    client: KindredClient, payload: discord.RawReactionActionEvent, message: discord.Message
) -> None:
    """Only a reply to a question, or a message in its thread, can be its answer."""
    reply = events.thread_reply_for(message)  # the module: events imports this one
    if reply is None or message.author.bot:
        return
    reactor = payload.member or discord.Object(id=payload.user_id)
    thanks = Thanks(
        actor(reactor, payload.guild_id), reply.channel_id, reply.thread_id, reply.message_id or ""
    )
    await asyncio.to_thread(client.kindred.handle_thanks, thanks)


async def post_in_thread(client: KindredClient, interaction: discord.Interaction, value: str) -> None:
    """ "Post in thread" on the private answer: the suggestions as a reply to the message, for everyone."""
    await interaction.response.defer(ephemeral=True, thinking=True)
    press = ButtonPress(
        actor(interaction.user, interaction.guild_id),
        POST_IN_THREAD,
        value,
        channel_id=str(interaction.channel_id) if interaction.channel_id else None,
    )
    outcome = await asyncio.to_thread(client.kindred.handle_button, press)
    parsed = parse_thread_button_value(value)
    reply = outcome.reply or Reply(SORRY)
    if reply.ephemeral or parsed is None:
        await interaction.followup.send(**render(reply).kwargs(), ephemeral=True)
        return
    _, channel_id, message_id, _ = parsed
    channel = client.channel_for(interaction.guild, channel_id)
    if channel is None:
        await interaction.followup.send("I can't see that channel any more.", ephemeral=True)
        return
    await channel.get_partial_message(int(message_id)).reply(**render(reply).kwargs(), mention_author=False)
    await interaction.followup.send(POSTED, ephemeral=True)
