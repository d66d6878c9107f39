"""The Discord adapter: app commands, the help-request listener, buttons and modals → the neutral core.

Every core call is synchronous and CPU-heavy, so it runs in a worker thread; slash commands defer
(ephemerally) first so Discord's 3-second window is never missed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

import discord
from discord import app_commands

from bot.bootstrap import App
from bot.domain.events import Actor, ButtonPress, ChannelMessage, Command, ThreadReply
from bot.domain.replies import Action, Button, ChannelPost, DirectMessage, Outcome, Reply
from bot.handlers import anonymous as anonymous_handler
from bot.handlers.core import SORRY
from bot.handlers.registry import CommandSpec
from bot.platforms.discord import anonymous as anonymous_discord
from bot.platforms.discord import ways_to_ask
from bot.platforms.discord.components import KindredButton, ProfileModal, ShareModal
from bot.platforms.discord.render import clip, render
from bot.platforms.discord.sync import STATE_FILE, SyncState, sync_commands
from bot.storage.repositories import TeacherRepository

log = logging.getLogger(__name__)

PLATFORM = "discord"
DESCRIPTION_MAX = 100
QUESTION_MAX = 2000  # the core's default limit; Discord then stops longer questions in the client
ANONYMOUS_REFUSAL = anonymous_handler.NO_KEY  # no KINDRED_IDENTITY_KEY: anonymous asks are refused
EDIT_PROFILE = Button("Edit what I teach", Action.ONBOARD, "0")
PROFILE_FIELDS = ("subjects", "grades", "interests", "bio", "open", "timezone", "name", "school")


def default_intents() -> discord.Intents:
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_messages = True
    intents.message_content = True  # privileged: switch it on in the Developer Portal (see docs)
    intents.dm_messages = True  # a DM to Kindred is an /ask
    intents.guild_reactions = True  # the ask reaction (🙋)
    return intents


def actor_for(user: discord.abc.User, guild_id: int | None) -> Actor:
    return Actor(
        platform=PLATFORM,
        user_id=str(user.id),
        display_name=getattr(user, "display_name", None) or user.name,
        workspace_id=str(guild_id) if guild_id else None,
    )


def thread_reply_for(message: discord.Message) -> ThreadReply | None:
    """The question ``message`` may answer: the message it replies to, else the thread it is in (a thread
    started from a message has that message's id, and lives under the message's channel)."""
    actor = actor_for(message.author, message.guild.id if message.guild else None)
    reference = message.reference
    if reference is not None and reference.message_id is not None:
        channel_id = reference.channel_id or message.channel.id
        return ThreadReply(
            actor, str(channel_id), str(reference.message_id), message.content, str(message.id)
        )
    if isinstance(message.channel, discord.Thread) and message.channel.parent_id is not None:
        thread = message.channel
        return ThreadReply(actor, str(thread.parent_id), str(thread.id), message.content, str(message.id))
    return None


def has_role(user: Any, role: str | None) -> bool:
    """Whether a guild member holds ``role`` (an id), as for the moderator role."""
    return bool(role) and any(str(r.id) == str(role) for r in getattr(user, "roles", []) or [])


class KindredTree(app_commands.CommandTree):
    """Any error escaping a command: log it, tell the user kindly, keep running."""

    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError, /
    ) -> None:
        command = interaction.command.name if interaction.command else None
        log.error("discord command failed", exc_info=error, extra={"command": command})
        await answer_privately(interaction, SORRY)


async def answer_privately(interaction: discord.Interaction, text: str) -> None:
    """Reply ephemerally whether or not the interaction was already acknowledged; never raises."""
    try:
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True)
        else:
            await interaction.response.send_message(text, ephemeral=True)
    except discord.HTTPException:
        log.exception("could not tell the user about an error")


class KindredClient(discord.Client):
    def __init__(self, app: App, intents: discord.Intents | None = None, **options: Any) -> None:
        super().__init__(
            intents=intents or default_intents(),
            allowed_mentions=discord.AllowedMentions.none(),
            **options,
        )
        self.app = app
        self.kindred = app.kindred
        self.tree = KindredTree(self)
        self.ready_count = 0
        self.synced_scopes: list[str] = []
        guilds = [discord.Object(id=gid) for gid in app.settings.guild_ids]
        for spec in self.kindred.commands():
            command = self._build_command(spec)
            if guilds:
                self.tree.add_command(command, guilds=guilds)
            else:
                self.tree.add_command(command)
        ways_to_ask.register(self)  # "Find help for this", the ask reaction

    # --- lifecycle -------------------------------------------------------------------------------

    async def setup_hook(self) -> None:
        self.add_dynamic_items(KindredButton)
        state = SyncState(self.app.settings.data_dir / STATE_FILE)
        self.synced_scopes = await sync_commands(
            self.tree, self.application_id, self.app.settings.guild_ids, state
        )

    async def on_ready(self) -> None:
        # Fires again after every resume/reconnect: only log, never re-register anything here.
        self.ready_count += 1
        if self.ready_count == 1:
            log.info(
                "discord connected",
                extra={"user": str(self.user), "guilds": len(self.guilds)},
            )

    # --- slash commands --------------------------------------------------------------------------

    def _build_command(self, spec: CommandSpec) -> app_commands.Command[Any, ..., Any]:
        builder = {"ask": self._ask_command, "share": self._share_command, "kindred": self._kindred_command}
        command = builder.get(spec.name, self._generic_command)(spec)
        return app_commands.guild_only(command)

    def _ask_command(self, spec: CommandSpec) -> app_commands.Command[Any, ..., Any]:
        @app_commands.command(name=spec.name, description=clip(spec.description, DESCRIPTION_MAX))
        @app_commands.describe(
            question="What you'd like help with, in your own words",
            anonymous="Post in the help channel under a pseudonym; replies reach you privately",
        )
        async def ask(
            interaction: discord.Interaction,
            question: app_commands.Range[str, 1, QUESTION_MAX],
            anonymous: bool = False,
        ) -> None:
            if anonymous and not self.kindred.deps.anonymity.identity_key:
                await interaction.response.send_message(ANONYMOUS_REFUSAL, ephemeral=True)
                return
            if anonymous:
                await anonymous_discord.ask(self, interaction, question)
                return
            await interaction.response.defer(ephemeral=True, thinking=True)
            await self._run_command(interaction, spec.name, question)

        return ask

    def _share_command(self, spec: CommandSpec) -> app_commands.Command[Any, ..., Any]:
        @app_commands.command(name=spec.name, description=clip(spec.description, DESCRIPTION_MAX))
        async def share(interaction: discord.Interaction) -> None:
            await interaction.response.send_modal(
                ShareModal(self._submit_modal(spec.name, ""), self._modal_failed)
            )

        return share

    def _kindred_command(self, spec: CommandSpec) -> app_commands.Command[Any, ..., Any]:
        @app_commands.command(name=spec.name, description=clip(spec.description, DESCRIPTION_MAX))
        @app_commands.describe(
            action="help: what I can do · profile: see or change what you teach",
            field="With profile: the field to change",
            value="With profile and a field: the new value(s), comma-separated",
        )
        @app_commands.choices(
            action=[
                app_commands.Choice(name=a, value=a)
                for a in ("help", "profile", "report", *anonymous_discord.ACTIONS)
            ],
            field=[app_commands.Choice(name=f, value=f) for f in PROFILE_FIELDS],
        )
        async def kindred(
            interaction: discord.Interaction,
            action: str = "help",
            field: str | None = None,
            value: app_commands.Range[str, 1, 1000] | None = None,
        ) -> None:
            if action in anonymous_discord.ACTIONS:  # reply/reveal/solved/…: value = "<id> [text]"
                await anonymous_discord.command(self, interaction, action, value)
                return
            await interaction.response.defer(ephemeral=True, thinking=True)
            if action == "report":  # leaders only: members of KINDRED_DISCORD_LEADER_ROLE
                leader = has_role(interaction.user, self.kindred.deps.insights.discord_leader_role)
                await self._run_command(
                    interaction, spec.name, f"report {value or ''}".strip(), {"leader": leader}
                )
                return
            text = action
            if action == "profile" and field:
                text = f"profile {field} {value or ''}".strip()
            # Plain "/kindred profile" shows the profile; on Discord a form edits it faster than text.
            edit = EDIT_PROFILE if action == "profile" and not field else None
            await self._run_command(interaction, spec.name, text, extra_button=edit)

        return kindred

    def _generic_command(self, spec: CommandSpec) -> app_commands.Command[Any, ..., Any]:
        """A command registered in the core after this adapter was written: free text in, reply out."""

        @app_commands.command(name=spec.name, description=clip(spec.description, DESCRIPTION_MAX))
        @app_commands.describe(text=clip(f"Usage: {spec.usage}", DESCRIPTION_MAX))
        async def generic(interaction: discord.Interaction, text: str = "") -> None:
            await interaction.response.defer(ephemeral=True, thinking=True)
            await self._run_command(interaction, spec.name, text)

        return generic

    async def _run_command(
        self,
        interaction: discord.Interaction,
        name: str,
        text: str,
        options: dict[str, Any] | None = None,
        extra_button: Button | None = None,
    ) -> None:
        command = Command(
            actor=actor_for(interaction.user, interaction.guild_id),
            name=name,
            text=text,
            channel_id=str(interaction.channel_id) if interaction.channel_id else None,
            options=options or {},
        )
        outcome = await asyncio.to_thread(self.kindred.handle_command, command)
        if extra_button is not None and outcome.reply is not None:
            reply = replace(outcome.reply, buttons=(*outcome.reply.buttons, extra_button))
            outcome = replace(outcome, reply=reply)
        await self.deliver(interaction, outcome)

    # --- modals --------------------------------------------------------------------------------

    def _submit_modal(
        self, name: str, text: str
    ) -> Callable[[discord.Interaction, dict[str, str]], Awaitable[None]]:
        async def submit(interaction: discord.Interaction, options: dict[str, str]) -> None:
            await interaction.response.defer(ephemeral=True, thinking=True)
            await self._run_command(interaction, name, text, options=options)

        return submit

    async def _modal_failed(self, interaction: discord.Interaction, _: dict[str, str]) -> None:
        await answer_privately(interaction, SORRY)

    async def _open_profile_modal(self, interaction: discord.Interaction) -> None:
        teacher = await asyncio.to_thread(self._find_teacher, str(interaction.user.id))
        current = {}
        if teacher is not None:
            current = {
                "subjects": ", ".join(teacher.subjects),
                "grades": ", ".join(teacher.grades),
                "interests": "; ".join(teacher.interests),
            }
        modal = ProfileModal(self._submit_modal("kindred", "profile"), self._modal_failed, current)
        await interaction.response.send_modal(modal)

    def _find_teacher(self, user_id: str):  # type: ignore[no-untyped-def]
        with self.app.db.session() as session:
            return TeacherRepository(session).find(PLATFORM, user_id)

    # --- buttons -------------------------------------------------------------------------------

    async def on_kindred_button(self, interaction: discord.Interaction, action: str, value: str) -> None:
        """Called by ``KindredButton`` for every press, including on messages sent before a restart."""
        try:
            if action == Action.ONBOARD:
                await self._open_profile_modal(interaction)
                return
            if action == ways_to_ask.POST_IN_THREAD:
                await ways_to_ask.post_in_thread(self, interaction, value)
                return
            await interaction.response.defer(ephemeral=True, thinking=True)
            press = ButtonPress(
                actor=actor_for(interaction.user, interaction.guild_id),
                action=action,
                value=value,
                channel_id=str(interaction.channel_id) if interaction.channel_id else None,
            )
            outcome = await asyncio.to_thread(self.kindred.handle_button, press)
            await self.deliver(interaction, outcome)
            if outcome.remove_source and interaction.message is not None:  # "Not a question"
                try:
                    await interaction.message.delete()
                except discord.HTTPException as exc:
                    log.warning("could not remove the reply", extra={"status": exc.status})
        except Exception:
            log.exception("discord button failed", extra={"action": action})
            await answer_privately(interaction, SORRY)

    # --- channel messages ----------------------------------------------------------------------

    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or (self.user is not None and message.author.id == self.user.id):
            return
        if await ways_to_ask.on_message(self, message):  # a DM, or a message mentioning Kindred
            return
        if message.guild is None or not message.content.strip():
            return
        if await self._thread_reply(message):
            return
        event = ChannelMessage(
            actor=actor_for(message.author, message.guild.id),
            channel_id=str(message.channel.id),
            text=message.content,
            message_id=str(message.id),
            thread_id=str(message.channel.id) if isinstance(message.channel, discord.Thread) else None,
        )
        try:
            outcome = await asyncio.to_thread(self.kindred.handle_message, event)
            if outcome is None or outcome.reply is None or outcome.reply.is_empty:
                return
            await message.reply(**render(outcome.reply).kwargs(), mention_author=False)
            # A channel reply never triggers posts/DMs today; deliver them if a future handler does.
            await self._deliver_extras(message.guild, outcome, None)
        except Exception:
            # The channel never sees our errors; the core logs its own, this covers Discord failures.
            log.exception("discord message handling failed", extra={"channel_id": event.channel_id})

    async def _thread_reply(self, message: discord.Message) -> bool:
        """A reply to a known question (a message reply, or a message in the question's thread): hand it
        to the core and return True; False when it is not under a question Kindred knows."""
        reply = thread_reply_for(message)
        if reply is None:
            return False
        try:
            outcome = await asyncio.to_thread(self.kindred.handle_thread_reply, reply)
            if outcome is None:
                return False
            if outcome.reply is not None and not outcome.reply.is_empty:
                await message.reply(**render(outcome.reply).kwargs(), mention_author=False)
            await self._deliver_extras(message.guild, outcome, None)
        except Exception:
            log.exception("discord thread reply handling failed", extra={"channel_id": reply.channel_id})
        return True

    # --- delivering outcomes -------------------------------------------------------------------

    async def deliver(self, interaction: discord.Interaction, outcome: Outcome) -> None:
        """Posts and DMs first (so "Posted to #help" is only said when it is true), then the reply."""
        failure = await self._deliver_extras(interaction.guild, outcome, interaction)
        reply = Reply(text=failure) if failure else outcome.reply
        if reply is not None and not reply.is_empty:
            await interaction.followup.send(**render(reply).kwargs(), ephemeral=reply.ephemeral)

    async def _deliver_extras(
        self, guild: discord.Guild | None, outcome: Outcome, interaction: discord.Interaction | None
    ) -> str | None:
        """Send channel posts, then DMs. Returns a message for the actor when a post could not be made."""
        for post in outcome.posts:
            failure = await self._post(guild, post)
            if failure:
                return failure  # the DMs point people at the post, so they wait for a working one
        for dm in outcome.direct_messages:
            await self._direct_message(dm)
        return None

    async def _post(self, guild: discord.Guild | None, post: ChannelPost) -> str | None:
        channel = self.channel_for(guild, post.channel_id)
        name = post.channel_id or self.app.settings.discord_help_channel.lstrip("#")
        if channel is None:
            log.warning("discord help channel not found", extra={"channel": name})
            return (
                f"I couldn't find the #{name} channel on this server, so nothing was posted. "
                "Ask an admin to create it (or set KINDRED_DISCORD_HELP_CHANNEL)."
            )
        try:
            sent = await channel.send(**render(post.reply).kwargs())
        except discord.Forbidden:
            log.warning("no permission to post in the help channel", extra={"channel_id": channel.id})
            return f"I'm not allowed to post in <#{channel.id}>, so nothing was posted. Please tell an admin."
        if post.request_id is not None:  # so replies to it (or in its thread) map back to the question
            await asyncio.to_thread(
                self.kindred.record_post, post.request_id, PLATFORM, str(channel.id), str(sent.id)
            )
        return None

    def channel_for(self, guild: discord.Guild | None, channel_id: str | None) -> Any:
        """``channel_id`` None means the configured help channel, given by id or by name."""
        wanted = (channel_id or self.app.settings.discord_help_channel).strip().lstrip("#")
        if wanted.isdigit():
            if guild is not None:
                return guild.get_channel_or_thread(int(wanted))
            return self.get_channel(int(wanted))
        if guild is None:
            return None
        return discord.utils.get(guild.text_channels, name=wanted.lower())

    async def _direct_message(self, dm: DirectMessage) -> None:
        if not dm.platform_user_id.isdigit():
            return
        try:
            user = self.get_user(int(dm.platform_user_id)) or await self.fetch_user(int(dm.platform_user_id))
            await user.send(**render(dm.reply).kwargs())
        except discord.HTTPException:
            # Closed DMs (403) are normal; one unreachable colleague must not stop the others.
            log.warning("discord DM failed", extra={"user_id": dm.platform_user_id})
