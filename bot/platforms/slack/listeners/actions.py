"""Buttons (This helped / Save / Not relevant / Post to #help / Did this help? …) -> the core."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.events import ButtonPress
from bot.domain.replies import Action
from bot.platforms.slack.render import parse_action_id
from bot.platforms.slack.services import SlackServices, Target

CORE_ACTIONS = (Action.HELPED, Action.SAVE, Action.NOT_RELEVANT, Action.POST_TO_HELP)
PATTERN = re.compile(r"^kindred\.(?:" + "|".join(a.value for a in CORE_ACTIONS) + r")\.")
# Core buttons with their own Slack listener (a modal instead of a reply); every other registered one is
# routed here, so a feature's new buttons (e.g. "did this help?") work on Slack without touching this file.
DEDICATED = frozenset({Action.ONBOARD.value, "edit_profile"})


def routed_pattern(actions: Iterable[str]) -> re.Pattern[str]:
    """``kindred.<action>.<n>`` for each registered action not in ``DEDICATED``."""
    names = sorted({str(a) for a in actions} - DEDICATED) or [a.value for a in CORE_ACTIONS]
    return re.compile(r"^kindred\.(?:" + "|".join(re.escape(n) for n in names) + r")\.")


def team_of(body: dict[str, Any]) -> str | None:
    return (body.get("team") or {}).get("id") or (body.get("user") or {}).get("team_id")


def register(bolt: AsyncApp, services: SlackServices) -> None:
    @bolt.action(routed_pattern(services.kindred.registry.buttons))
    async def on_button(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await ack()
        name = parse_action_id(action.get("action_id", "")) or ""
        user_id = body["user"]["id"]
        channel = (body.get("channel") or {}).get("id")
        target = Target(user_id, team_of(body), channel, body.get("response_url"))
        actor = await services.actor(client, user_id, target.team_id)
        press = ButtonPress(actor, name, action.get("value") or "", channel_id=channel)
        outcome = await services.run(services.kindred.handle_button, press)
        source_ts = (body.get("container") or {}).get("message_ts")  # removed on "Not a question"
        await services.deliver(client, outcome, target, source_ts)
