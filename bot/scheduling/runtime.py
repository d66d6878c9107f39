"""Follow-ups in a running process: one sender per connected platform, and the scheduler's lifecycle.

``kindred run`` (slack and/or discord) builds a ``FollowUpRuntime``; each platform runner registers its
sender once its client and event loop exist, and the scheduler starts when every platform has done so.
``shutdown`` stops it, letting a dispatch in progress finish.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial

from apscheduler.schedulers.background import BackgroundScheduler

from bot.anonymity.exclusion import hidden_asker_filter
from bot.bootstrap import App
from bot.domain.packs import PackPolicy
from bot.domain.replies import Reply
from bot.handlers.ask import INDEX_FOLLOW_INTERVAL_SECONDS
from bot.handlers.core import Kindred, build_registry
from bot.handlers.deps import Deps
from bot.handlers.registry import JobContext, Registry
from bot.matching.feed_listener import FeedListener
from bot.matching.indexer import Indexer
from bot.scheduling.dispatcher import Clock, Dispatcher
from bot.scheduling.scheduler import add_periodic, build_dispatcher, build_scheduler, utc_now
from bot.scheduling.sender import DeliveryError, Sender
from bot.storage.database import Database

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    """A registered job bound to this process: ``run()`` takes no arguments."""

    id: str
    run: Callable[[], object]
    interval_seconds: int


def periodic_jobs(
    db: Database,
    sender: Sender,
    clock: Clock,
    packs: PackPolicy,
    indexer: Indexer | None = None,
    registry: Registry | None = None,
) -> list[PeriodicJob]:
    """The jobs features registered (goal check-ins, pack rounds, following the index), bound to this
    process; the console's ``/wait`` runs them too (without an index to follow)."""
    context = JobContext(db, sender, clock, packs, indexer)
    jobs = (registry or build_registry()).jobs.values()
    return [PeriodicJob(job.id, partial(job.run, context), job.interval_seconds) for job in jobs]


class PlatformSenders:
    """A ``Sender`` that routes each DM to the sender of its platform.

    A platform this process runs but has not connected yet is a retryable failure; a platform it does not
    run at all is not (no later try from this process can reach it).
    """

    def __init__(self, expected: Iterable[str], on_ready: Callable[[], None] | None = None) -> None:
        self.expected = frozenset(expected)
        self._senders: dict[str, Sender] = {}
        self._on_ready = on_ready
        self._lock = threading.Lock()
        self._fired = False

    def register(self, platform: str, sender: Sender) -> None:
        with self._lock:
            self._senders[platform] = sender
            fire = not self._fired and self.expected <= self._senders.keys()
            self._fired = self._fired or fire
        log.info("follow-up sender ready", extra={"platform": platform})
        if fire and self._on_ready is not None:
            self._on_ready()

    @property
    def ready(self) -> bool:
        with self._lock:
            return self.expected <= self._senders.keys()

    def _sender_for(self, platform: str) -> Sender:
        """The registered sender, or a DeliveryError: retryable while connecting, final when not run here."""
        with self._lock:
            sender = self._senders.get(platform)
        if sender is None:
            if platform in self.expected:
                raise DeliveryError(f"{platform} is not connected yet", retryable=True)
            raise DeliveryError(f"{platform} does not run in this process", retryable=False)
        return sender

    def send_dm(self, platform: str, platform_user_id: str, reply: Reply) -> None:
        sender = self._sender_for(platform)
        sender.send_dm(platform, platform_user_id, reply)

    def post_to_help(
        self, platform: str, workspace_id: str | None, reply: Reply, **where: str
    ) -> tuple[str, str]:
        """Post ``reply`` in the help channel of ``platform`` (or ``channel_id=``): (channel, message)."""
        sender = self._sender_for(platform)
        post = getattr(sender, "post_to_help", None)
        if post is None:
            raise DeliveryError(f"the {platform} sender cannot post to the help channel", retryable=False)
        return post(platform, workspace_id, reply, **where)


def scheduled_work(
    deps: Deps, sender: Sender, clock: Clock, registry: Registry | None = None
) -> tuple[Dispatcher, list[PeriodicJob]]:
    """The dispatcher (follow-ups, escalations, anonymous posts) and the periodic jobs features registered,
    for the scheduler of ``kindred run`` and the console's ``/wait`` alike."""
    dispatcher = build_dispatcher(
        deps.db,
        sender,
        deps.suggester,
        clock,
        hidden_askers=hidden_asker_filter(deps.db, deps.anonymity),
        public_after=deps.nudge_after,
    )
    return dispatcher, periodic_jobs(deps.db, sender, clock, deps.packs, deps.indexer, registry)


def kindred_work(kindred: Kindred, sender: Sender, clock: Clock) -> tuple[Dispatcher, list[PeriodicJob]]:
    """The scheduled work of a running bot: its dependencies and the jobs its features registered."""
    return scheduled_work(kindred.deps, sender, clock, kindred.registry)


class FollowUpRuntime:
    """The dispatcher on an APScheduler heartbeat, started once all platforms have registered senders."""

    def __init__(
        self,
        app: App,
        platforms: Iterable[str],
        clock: Clock = utc_now,
        interval_seconds: int | None = None,
    ) -> None:
        interval_seconds = interval_seconds or app.settings.dispatch_interval  # KINDRED_DISPATCH_INTERVAL
        self.senders = PlatformSenders(platforms, on_ready=self.start)
        self.dispatcher: Dispatcher
        self.dispatcher, jobs = kindred_work(app.kindred, self.senders, clock)
        self.scheduler: BackgroundScheduler = build_scheduler(self.dispatcher, interval_seconds)
        for job in jobs:
            add_periodic(self.scheduler, job.id, job.run, job.interval_seconds)
        # On PostgreSQL the listener applies other processes' changes as they commit; the job is the fallback.
        self.listener = FeedListener(app.db, app.indexer.follow_changes, INDEX_FOLLOW_INTERVAL_SECONDS)
        self._lock = threading.Lock()

    @property
    def running(self) -> bool:
        return bool(self.scheduler.running)

    def start(self) -> None:
        with self._lock:
            if self.scheduler.running:
                return
            self.scheduler.start()
            self.listener.start()
        log.info("follow-up scheduler started", extra={"platforms": sorted(self.senders.expected)})

    def shutdown(self) -> None:
        """Stop the heartbeat and wait for a dispatch in progress (blocking: call it off the event loop)."""
        with self._lock:
            if not self.scheduler.running:
                return
            self.scheduler.shutdown(wait=True)
            self.listener.stop()
        log.info("follow-up scheduler stopped")
