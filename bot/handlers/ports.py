"""What handlers depend on, in small protocols; ``Deps`` (wired once by bootstrap) satisfies each of them
structurally, so call sites pass it unchanged. Members are read-only: a handler reads its dependencies,
it never swaps them.

A handler module declares the one it needs (``class ShareDeps(Profiles, Protocol): ...``), built from
these blocks, and types its functions against it: what a feature uses is read off its signature.
"""

from __future__ import annotations

from typing import Protocol

from bot.anonymity.config import AnonymityConfig
from bot.domain.clock import Clock
from bot.domain.packs import PackPolicy
from bot.matching.indexer import Indexer
from bot.matching.intent import Detector
from bot.matching.suggester import Suggester
from bot.storage.database import Database


class Storage(Protocol):
    """The database (units of work over the repositories)."""

    @property
    def db(self) -> Database: ...


class Profiles(Storage, Protocol):
    """Finding and creating teachers, and re-indexing a changed profile (``bot.handlers.identity``)."""

    @property
    def indexer(self) -> Indexer: ...


class Timed(Protocol):
    """The only source of "now" (tests and the console move it)."""

    @property
    def clock(self) -> Clock: ...


class Anonymity(Storage, Protocol):
    """The identity escrow's configuration: recognising an anonymous asker by fingerprint."""

    @property
    def anonymity(self) -> AnonymityConfig: ...


class HelpChannels(Protocol):
    """The help channel's name on a platform, as replies name it."""

    def help_channel(self, platform: str) -> str: ...


class Packs(Protocol):
    """KINDRED_PACK_SIZE & co."""

    @property
    def packs(self) -> PackPolicy: ...


class Matching(Protocol):
    """Resources and kindred spirits for a question (``Suggester``)."""

    @property
    def suggester(self) -> Suggester: ...


class Detection(Protocol):
    """Telling a help request from chatter."""

    @property
    def detector(self) -> Detector: ...


class QuestionLimits(Protocol):
    """KINDRED_MAX_QUESTION_CHARS."""

    @property
    def max_question_chars(self) -> int: ...
