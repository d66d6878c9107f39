"""/kindred: help and profile (settings arrive with their features)."""

from __future__ import annotations

from typing import Protocol

from bot.domain.events import ButtonPress, Command
from bot.domain.replies import Action, Outcome
from bot.handlers import my_data, profile, quiet, report, settings_cmd
from bot.handlers.ports import Profiles, Timed
from bot.handlers.registry import Registry
from bot.privacy.hooks import core as core_hooks
from bot.privacy.hooks import features as feature_hooks


class KindredDeps(Profiles, Timed, Protocol):
    """What /kindred and its profile, settings, report and my-data words use: profiles and the clock."""


def register(registry: Registry) -> None:
    registry.command(
        "kindred", "Help and your profile", "/kindred [help|profile]", lambda d, c: handle(d, c, registry)
    )
    registry.button(Action.ONBOARD, onboard)
    # what /kindred profile and /kindred settings keep (the profile is forgotten last)
    registry.user_data_hooks(core_hooks.PROFILE_VECTOR, core_hooks.PROFILE, feature_hooks.SETTINGS)
    registry.needs_role("kindred", "report", "leader")  # KINDRED_*_LEADER_GROUP/ROLE may read it


def handle(deps: KindredDeps, command: Command, registry: Registry) -> Outcome:
    sub, _, rest = command.text.strip().partition(" ")
    sub = sub.lower()
    if sub == "profile":
        return profile.handle(deps, command, rest)
    if sub == "settings":
        return settings_cmd.handle(deps, command, rest)
    if sub == "report":
        return report.handle(deps, command, rest)
    if sub in my_data.SUBCOMMANDS:
        return my_data.subcommand(deps, command, sub, registry.user_data)
    if sub in ("", "help"):
        return Outcome.say(help_text(registry))
    return Outcome.say(f"I don't know “/kindred {sub}”.\n\n" + help_text(registry))


def help_text(registry: Registry) -> str:
    lines = [
        "**Kindred** — ask colleagues for help and get grab n' go resources and kindred spirits in seconds.",
        "",
    ]
    lines += [f"• `{spec.usage}` — {spec.description}" for spec in registry.commands.values()]
    lines += [
        "• `/kindred profile` — see or edit what you teach",
        "• `/kindred settings` — when and how often I follow up with you",
        "• `/kindred my-data` — see what I store about you; `/kindred forget-me` — delete it",
        "• `/kindred report` — school leaders: the community's aggregate, anonymised report",
        quiet.QUIET_HELP,
        "",
        "Or just ask for help in a channel: I'll chime in.",
    ]
    return "\n".join(lines)


def onboard(deps: KindredDeps, press: ButtonPress) -> Outcome:
    """Platforms with forms open a modal instead; this text is the fallback."""
    return Outcome.say(profile.USAGE)
