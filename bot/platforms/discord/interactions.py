"""Discord interactions: slash commands built from the core's registry, modals and buttons → neutral
events; every answer goes back through the client's one ``deliver``. Slash commands defer (ephemerally)
first so Discord's 3-second window is never missed."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.domain.events import ButtonPress, Command
from bot.domain.replies import Action, Button
from bot.domain.vocabulary import role_label
from bot.handlers.anonymous import NO_KEY
from bot.handlers.core import SORRY
from bot.handlers.registry import CommandSpec
from bot.platforms.discord import ways_to_ask
from bot.platforms.discord.components import ProfileModal, ShareModal
from bot.platforms.discord.events import actor_for
from bot.platforms.discord.render import clip

if TYPE_CHECKING:
    from bot.platforms.discord.client import KindredClient

log = logging.getLogger(__name__)

PLATFORM = "discord"
DESCRIPTION_MAX = 100
QUESTION_MAX = 2000  # the core's default limit; Discord then stops longer questions in the client
ANONYMOUS_REFUSAL = NO_KEY  # no KINDRED_IDENTITY_KEY: anonymous asks are refused
EDIT_PROFILE = Button("Edit what I teach", Action.ONBOARD, "0")
PROFILE_FIELDS = ("subjects", "grades", "roles", "interests", "bio", "open", "timezone", "name", "school")


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


class Interactions:
    """The client's slash commands, modals and buttons."""

    def __init__(self, client: KindredClient) -> None:
        self.client = client

    # --- slash commands --------------------------------------------------------------------------

    def build(self, spec: CommandSpec) -> app_commands.Command[Any, ..., Any]:
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
            if anonymous and not self.client.kindred.anonymity_enabled():
                await interaction.response.send_message(ANONYMOUS_REFUSAL, ephemeral=True)
                return
            await interaction.response.defer(ephemeral=True, thinking=True)
            # "/ask anon …" is the core's registered anonymous ask, as on Slack and the console.
            await self._run_command(interaction, spec.name, f"anon {question}" if anonymous else question)

        return ask

    def _share_command(self, spec: CommandSpec) -> app_commands.Command[Any, ..., Any]:
        @app_commands.command(name=spec.name, description=clip(spec.description, DESCRIPTION_MAX))
        async def share(interaction: discord.Interaction) -> None:
            await interaction.response.send_modal(
                ShareModal(self._submit_modal(spec.name, ""), self._modal_failed)
            )

        return share

    def _kindred_command(self, spec: CommandSpec) -> app_commands.Command[Any, ..., Any]:
        anonymous_actions = self.client.kindred.subcommands(spec.name)  # reply, reveal, solved, … (anonymity)

        @app_commands.command(name=spec.name, description=clip(spec.description, DESCRIPTION_MAX))
        @app_commands.describe(
            action="help: what I can do · profile: see or change what you teach",
            field="With profile: the field to change",
            value="With profile and a field: the new value(s), comma-separated",
        )
        @app_commands.choices(
            action=[
                app_commands.Choice(name=a, value=a)
                for a in ("help", "profile", "report", *anonymous_actions)
            ],
            field=[app_commands.Choice(name=f, value=f) for f in PROFILE_FIELDS],
        )
        async def kindred(
            interaction: discord.Interaction,
            action: str = "help",
            field: str | None = None,
            value: app_commands.Range[str, 1, 1000] | None = None,
        ) -> None:
            await interaction.response.defer(ephemeral=True, thinking=True)
            text = f"{action} {value or ''}".strip()  # reply/reveal/…/report: value = "<id> [text]" / "30d"
            if action == "profile":
                text = f"profile {field} {value or ''}".strip() if field else "profile"
            elif action == "help":
                text = "help"
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
        """The command as the core sees it; a role the core asks for (moderator, leader) is checked here."""
        kindred = self.client.kindred
        role = kindred.role_for(name, text)
        if role is not None:
            options = {
                **(options or {}),
                role: has_role(interaction.user, kindred.role_group(PLATFORM, role)),
            }
        command = Command(
            actor=actor_for(interaction.user, interaction.guild_id),
            name=name,
            text=text,
            channel_id=str(interaction.channel_id) if interaction.channel_id else None,
            options=options or {},
        )
        outcome = await asyncio.to_thread(self.client.kindred.handle_command, command)
        if extra_button is not None and outcome.reply is not None:
            reply = replace(outcome.reply, buttons=(*outcome.reply.buttons, extra_button))
            outcome = replace(outcome, reply=reply)
        await self.client.deliver(interaction, outcome)

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
        teacher = await asyncio.to_thread(self.client.kindred.teacher, PLATFORM, str(interaction.user.id))
        current = {}
        if teacher is not None:
            current = {
                "subjects": ", ".join(teacher.subjects),
                "grades": ", ".join(teacher.grades),
                "roles": "; ".join(map(role_label, teacher.roles)),
                "interests": "; ".join(teacher.interests),
            }
        modal = ProfileModal(self._submit_modal("kindred", "profile"), self._modal_failed, current)
        await interaction.response.send_modal(modal)

    # --- buttons -------------------------------------------------------------------------------

    async def on_button(self, interaction: discord.Interaction, action: str, value: str) -> None:
        """Every ``KindredButton`` press, including on messages sent before a restart."""
        try:
            if action == Action.ONBOARD:
                await self._open_profile_modal(interaction)
                return
            if action == ways_to_ask.POST_IN_THREAD:
                await ways_to_ask.post_in_thread(self.client, interaction, value)
                return
            await interaction.response.defer(ephemeral=True, thinking=True)
            press = ButtonPress(
                actor=actor_for(interaction.user, interaction.guild_id),
                action=action,
                value=value,
                channel_id=str(interaction.channel_id) if interaction.channel_id else None,
            )
            outcome = await asyncio.to_thread(self.client.kindred.handle_button, press)
            # "Not a question" also removes the pressed message
            await self.client.deliver(interaction, outcome)
        except Exception:
            log.exception("discord button failed", extra={"action": action})
            await answer_privately(interaction, SORRY)
