"""What every handler may use, wired once by ``bot.bootstrap``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta

from bot.anonymity.config import AnonymityConfig
from bot.domain.clock import Clock, system_clock
from bot.domain.packs import PackPolicy
from bot.handlers.event_bus import EventBus
from bot.insights.config import InsightsConfig
from bot.matching.indexer import Indexer
from bot.matching.intent import Detector
from bot.matching.suggester import Suggester
from bot.storage.database import Database

_CHANNEL_ID = re.compile(r"^(?:\d+|[CG][A-Z0-9]{6,})$")


@dataclass
class Deps:
    db: Database
    indexer: Indexer
    suggester: Suggester
    detector: Detector
    help_channel_name: str = "help"  # the fallback when a platform has no help channel of its own
    max_question_chars: int = 2000
    nudge_after: timedelta = timedelta(hours=2)  # KINDRED_NUDGE_AFTER: escalate unanswered questions
    anonymity: AnonymityConfig = field(default_factory=AnonymityConfig)  # KINDRED_IDENTITY_KEY & co.
    packs: PackPolicy = field(default_factory=PackPolicy)  # KINDRED_PACK_SIZE & co.
    clock: Clock = system_clock  # the only source of "now" for handlers (tests and the console shift it)
    insights: InsightsConfig = field(default_factory=InsightsConfig)  # KINDRED_*_LEADER_*
    help_channels: dict[str, str] = field(default_factory=dict)  # KINDRED_{SLACK,DISCORD}_HELP_CHANNEL
    events: EventBus = field(default_factory=EventBus)  # the registry's subscribers (Kindred shares them)

    def help_channel(self, platform: str) -> str:
        """The help channel's name on ``platform`` (without "#"), as replies should name it. A channel
        given by id (Discord digits, Slack ``C…``) has no name to show: replies keep the fallback."""
        name = (self.help_channels.get(platform) or "").strip().lstrip("#")
        if not name or _CHANNEL_ID.match(name):
            return self.help_channel_name
        return name
