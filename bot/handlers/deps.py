"""What every handler may use, wired once by ``bot.bootstrap``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from bot.anonymity.config import AnonymityConfig
from bot.domain.packs import PackPolicy
from bot.matching.indexer import Indexer
from bot.matching.intent import Detector
from bot.matching.suggester import Suggester
from bot.storage.database import Database


@dataclass
class Deps:
    db: Database
    indexer: Indexer
    suggester: Suggester
    detector: Detector
    help_channel_name: str = "help"
    max_question_chars: int = 2000
    nudge_after: timedelta = timedelta(hours=2)  # KINDRED_NUDGE_AFTER: escalate unanswered questions
    anonymity: AnonymityConfig = field(default_factory=AnonymityConfig)  # KINDRED_IDENTITY_KEY & co.
    packs: PackPolicy = field(default_factory=PackPolicy)  # KINDRED_PACK_SIZE & co.
