"""The public post of an anonymous question as a durable follow-up row (kind ``anon_post``).

The adapter schedules the row a random 2–9 s after the private answer, waits, and runs it itself
(``Dispatcher.run_row``); if the process stops within the delay, the heartbeat posts it after the restart.
The row carries the request id only: the text is rebuilt from the stored question, and the post goes to the
workspace's configured help channel (``/kindred setup help-channel``) or the default one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.domain.clock import as_utc
from bot.domain.followups import ANON_POST, FAILED
from bot.domain.replies import Reply
from bot.domain.requests import RequestStatus
from bot.scheduling.dispatcher import DONE, SKIP, Dispatcher, Job, JobResult
from bot.scheduling.sender import DeliveryError, Sender
from bot.storage.database import Database

log = logging.getLogger(__name__)


def schedule(db: Database, request_id: int, now: datetime, delay_seconds: float) -> None:
    with db.unit_of_work() as uow:
        uow.followups.schedule(ANON_POST, request_id, as_utc(now) + timedelta(seconds=delay_seconds))


@dataclass
class AnonymousPosts:
    db: Database

    def post(self, job: Job, sender: Sender, now: datetime) -> JobResult:
        from bot.handlers.anonymous import public_question  # the handler owns the wording

        with self.db.unit_of_work() as uow:
            request = uow.requests.get(job.request_id)
            store = uow.anonymity
            question = store.summary(job.request_id)
            if (
                request is None
                or question is None
                or question.deleted
                or question.hidden
                or request.status == RequestStatus.CLOSED
                or store.post_of(job.request_id) is not None
            ):
                return SKIP
            platform, workspace_id = question.platform, question.workspace_id
            channel_id = store.help_channel(platform, workspace_id)
            text = public_question(job.request_id, question.pseudonym, request.text)
        post = getattr(sender, "post_to_help", None)
        if post is None:
            raise DeliveryError("the sender cannot post to the help channel", retryable=False)
        reply = Reply(text, ephemeral=False)
        if channel_id:
            channel, message_id = post(platform, workspace_id, reply, channel_id=channel_id)
        else:
            channel, message_id = post(platform, workspace_id, reply)
        with self.db.unit_of_work() as uow:  # so replies in its thread are relayed
            uow.requests.record_post(job.request_id, platform, channel, message_id)
        log.info("anonymous question posted", extra={"request_id": job.request_id})
        return DONE


__all__ = ["FAILED", "AnonymousPosts", "post_now", "schedule"]


def post_now(db: Database, sender: Sender, request_id: int, now: datetime | None = None) -> str | None:
    """After the delay, run the row here (the heartbeat runs it instead if this process stopped meanwhile).
    ``now`` is the moment it fell due (the caller waited for it). Returns the row's state, or None when it
    was not due or another dispatcher had it."""
    moment = as_utc(now) if now is not None else datetime.now(UTC)
    dispatcher = Dispatcher(db, sender, lambda: moment, {ANON_POST: AnonymousPosts(db).post})
    return dispatcher.run_row(ANON_POST, request_id)
