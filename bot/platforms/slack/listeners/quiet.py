"""/kindred quiet here | quiet off: a channel opts out of (or back into) replies to help requests."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.replies import Reply
from bot.platforms.slack.services import SlackServices, Target

QUIET_HELP = (
    "• `/kindred quiet here` — I stop replying to help requests in this channel "
    "(`/kindred quiet off` undoes it)"
)


def parse(text: str) -> bool | None:
    """True = make quiet, False = undo, None = not a quiet command."""
    words = text.lower().split()
    if not words or words[0] != "quiet":
        return None
    return not (len(words) > 1 and words[1] in ("off", "stop", "undo", "no"))


async def is_quiet_command(body: dict[str, Any]) -> bool:
    return parse(body.get("text") or "") is not None


def register(bolt: AsyncApp, services: SlackServices) -> None:
    if "kindred" not in {spec.name for spec in services.kindred.commands()}:
        return

    @bolt.command("/kindred", matchers=[is_quiet_command])
    async def on_quiet(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        quiet = bool(parse(body.get("text") or ""))
        team, channel, user = body.get("team_id") or "", body.get("channel_id") or "", body["user_id"]
        target = Target(user, team, channel, body.get("response_url"))
        if not channel or channel.startswith("D"):
            await services.reply(
                client, Reply("Use this in the channel you want me to stay quiet in."), target
            )
            return
        await services.run(services.quiet.set, team, channel, quiet, user)
        text = (
            "Okay — I'll stay quiet in this channel. `/ask` still works here. (`/kindred quiet off` to undo)"
            if quiet
            else "I'm back: I'll offer resources when someone here asks for help."
        )
        await services.reply(client, Reply(text), target)
