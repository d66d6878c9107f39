"""One ``register(bolt_app, services)`` per Slack feature; order matters where listeners overlap."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.bootstrap import App
from bot.platforms.slack.listeners import (
    actions,
    ask,
    commands,
    home,
    lifecycle,
    messages,
    onboarding,
    quiet,
    share,
)
from bot.platforms.slack.services import SlackServices

# quiet before commands: "/kindred quiet …" is Slack-only and must win over the generic /kindred listener.
FEATURES = (quiet, ask, share, commands, messages, actions, onboarding, home, lifecycle)


def register_listeners(bolt_app: AsyncApp, kindred_app: App) -> SlackServices:
    services = SlackServices.create(kindred_app)
    for feature in FEATURES:
        feature.register(bolt_app, services)
    return services
