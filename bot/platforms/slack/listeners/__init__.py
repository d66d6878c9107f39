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
    share,
    ways_to_ask,
)
from bot.platforms.slack.services import SlackServices

# ways_to_ask before messages and actions: a message mentioning Kindred or a DM, and "Post in thread".
FEATURES = (ask, share, commands, ways_to_ask, messages, actions, onboarding, home, lifecycle)


def register_listeners(bolt_app: AsyncApp, kindred_app: App) -> SlackServices:
    services = SlackServices.create(kindred_app)
    for feature in FEATURES:
        feature.register(bolt_app, services)
    return services
