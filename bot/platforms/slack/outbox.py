"""Channel posts Slack refused, kept in the database and retried with backoff like follow-ups.

A threaded reply to a channel help request that meets a 500, or 429s beyond the client's retry budget, or a
dropped connection (after checking it did not land), is queued here instead of lost. ``flush`` runs on
the Slack app's event loop (``run_forever``, every 30 s): it claims one due row at a time under a fresh
token, posts it with one key across its attempts (a retry first checks whether an earlier attempt landed),
and records the result only while still holding the claim.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import and_, or_, select, update

from bot.platforms.slack.posting import CONNECTION_ERRORS, post_message
from bot.scheduling.sender import DeliveryKey
from bot.storage.database import Database
from bot.storage.models.slack import SlackOutboxRow

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
MAX_ATTEMPTS = 5
BASE_BACKOFF = timedelta(minutes=1)
LEASE = timedelta(minutes=5)
FLUSH_SECONDS = 30


def retryable(exc: BaseException) -> bool:
    """Worth queueing: Slack's 5xx or 429 (beyond the client's retries), or a dropped connection."""
    if isinstance(exc, SlackApiError):
        status = getattr(exc.response, "status_code", 200)
        return (
            status >= 500 or status == 429 or exc.response.get("error") in ("ratelimited", "internal_error")
        )
    return isinstance(exc, CONNECTION_ERRORS)


class Outbox:
    def __init__(self, db: Database, clock: Clock = lambda: datetime.now(UTC)) -> None:
        self.db = db
        self.clock = clock

    def add(
        self, channel_id: str, thread_ts: str | None, payload: dict[str, Any], key: str, error: str
    ) -> int:
        now = self.clock()
        with self.db.session() as session:
            row = SlackOutboxRow(
                channel_id=channel_id,
                thread_ts=thread_ts,
                payload=json.dumps(payload),
                delivery_key=key,
                state="pending",
                attempts=1,
                due_at=now + BASE_BACKOFF,
                last_error=error,
                created_at=now,
            )
            session.add(row)
            session.flush()
            return row.id

    def claim(self) -> tuple[str, SlackOutboxRow] | None:
        """One due (or abandoned) row under a fresh token."""
        token, now = uuid.uuid4().hex, self.clock()
        due = or_(
            and_(SlackOutboxRow.state == "pending", SlackOutboxRow.due_at <= now),
            and_(SlackOutboxRow.state == "claimed", SlackOutboxRow.claimed_at <= now - LEASE),
        )
        pick = select(SlackOutboxRow.id).where(due).order_by(SlackOutboxRow.due_at).limit(1)
        claim = update(SlackOutboxRow).values(state="claimed", claim_token=token, claimed_at=now)
        with self.db.session() as session:
            if self.db.is_sqlite:
                session.execute(
                    claim.where(SlackOutboxRow.id.in_(pick.scalar_subquery())).execution_options(
                        synchronize_session=False
                    )
                )
            else:
                ids = list(session.scalars(pick.with_for_update(skip_locked=True)))
                if ids:
                    session.execute(
                        claim.where(SlackOutboxRow.id.in_(ids)).execution_options(synchronize_session=False)
                    )
            row = session.scalar(select(SlackOutboxRow).where(SlackOutboxRow.claim_token == token))
            if row is None:
                return None
            session.expunge(row)
            return token, row

    def finish(self, row: SlackOutboxRow, token: str, error: str | None, again: bool) -> None:
        """Sent (``error`` None), retried later (``again``), or failed for good; only with the claim."""
        values: dict[str, Any] = {"claim_token": None}
        if error is None:
            values.update(state="sent", payload="")
        elif again and row.attempts + 1 < MAX_ATTEMPTS:
            attempts = row.attempts + 1
            values.update(
                state="pending",
                attempts=attempts,
                last_error=error,
                due_at=self.clock() + BASE_BACKOFF * 2 ** (attempts - 1),
            )
        else:
            values.update(state="failed", attempts=row.attempts + 1, last_error=error)
        with self.db.session() as session:
            session.execute(
                update(SlackOutboxRow)
                .where(SlackOutboxRow.id == row.id, SlackOutboxRow.claim_token == token)
                .values(**values)
                .execution_options(synchronize_session=False)
            )

    def states(self) -> list[str]:
        with self.db.session() as session:
            return list(session.scalars(select(SlackOutboxRow.state).order_by(SlackOutboxRow.id)))


async def flush(client: AsyncWebClient, outbox: Outbox, limit: int = 20) -> int:
    """Post due rows; returns how many went out."""
    sent = 0
    for _ in range(limit):
        claimed = await asyncio.to_thread(outbox.claim)
        if claimed is None:
            break
        token, row = claimed
        payload = json.loads(row.payload)
        delivery = DeliveryKey(row.delivery_key, retry=True)  # the first try may have landed
        try:
            await post_message(client, row.channel_id, delivery, thread_ts=row.thread_ts, **payload)
        except Exception as exc:
            error = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"[:300]
            await asyncio.to_thread(outbox.finish, row, token, error, retryable(exc))
            log.warning("queued slack post failed again", extra={"outbox_id": row.id})
            continue
        await asyncio.to_thread(outbox.finish, row, token, None, False)
        sent += 1
    return sent


async def run_forever(client: AsyncWebClient, outbox: Outbox, every: float = FLUSH_SECONDS) -> None:
    while True:
        await asyncio.sleep(every)
        try:
            await flush(client, outbox)
        except Exception:
            log.exception("slack outbox flush failed; will retry")
