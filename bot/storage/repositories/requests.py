"""Help requests and the suggestions made for them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.domain.requests import (
    ONCE_PER_MESSAGE,
    AlreadyAsked,
    HelpRequest,
    PeerMatch,
    RequestStatus,
    ResourceMatch,
)
from bot.storage.database import affected_rows
from bot.storage.models import HelpRequestRow, RequestPostRow, ResourceRow, SuggestionRow
from bot.storage.repositories.row_memo import IDS, id_in, ids_value


def to_request(row: HelpRequestRow) -> HelpRequest:
    return HelpRequest(
        id=row.id,
        asker_id=row.asker_id,
        text=row.text,
        platform=row.platform,
        channel_id=row.channel_id,
        anonymous=row.anonymous,
        status=RequestStatus(row.status),
        created_at=row.created_at,
    )


class RequestRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def create(
        self,
        *,
        asker_id: int | None,
        text: str,
        platform: str,
        channel_id: str | None = None,
        message_id: str | None = None,
        anonymous: bool = False,
        source: str = "command",
    ) -> HelpRequest:
        row = HelpRequestRow(
            asker_id=asker_id,
            text=text,
            platform=platform,
            channel_id=channel_id,
            message_id=message_id,
            anonymous=anonymous,
            source=source,
            status=RequestStatus.OPEN.value,
        )
        if source != ONCE_PER_MESSAGE:
            self.session.add(row)
            self.session.flush()
            return to_request(row)
        try:  # one per message, even when two processes make it at once (a partial unique index)
            with self.session.begin_nested():
                self.session.add(row)
        except IntegrityError:
            if self._reaction_request(platform, channel_id, message_id) is not None:
                raise AlreadyAsked(message_id) from None
            raise
        return to_request(row)

    def _reaction_request(self, platform: str, channel_id: str | None, message_id: str | None) -> int | None:
        return self.session.scalar(
            select(HelpRequestRow.id).where(
                HelpRequestRow.platform == platform,
                HelpRequestRow.channel_id == channel_id,
                HelpRequestRow.message_id == message_id,
                HelpRequestRow.source == ONCE_PER_MESSAGE,
            )
        )

    def get(self, request_id: int) -> HelpRequest | None:
        row = self.session.get(HelpRequestRow, request_id)
        return to_request(row) if row else None

    def set_status(self, request_id: int, status: RequestStatus) -> None:
        row = self.session.get(HelpRequestRow, request_id)
        if row is None:
            raise LookupError(f"help request {request_id} not found")
        row.status = status.value
        self.session.flush()

    def close(self, request_id: int, text: str | None = None) -> None:
        """Closed for good (withdrawn, deleted, asked again another way); ``text`` replaces the stored one."""
        row = self.session.get(HelpRequestRow, request_id)
        if row is None:
            return
        row.status = RequestStatus.CLOSED.value
        if text is not None:
            row.text = text
        self.session.flush()

    def set_text(self, request_id: int, text: str) -> None:
        row = self.session.get(HelpRequestRow, request_id)
        if row is None:
            raise LookupError(f"help request {request_id} not found")
        row.text = text
        self.session.flush()

    def delete(self, request_id: int) -> None:
        """Remove a request nothing refers to yet (its follow-ups go with it)."""
        self.session.execute(delete(HelpRequestRow).where(HelpRequestRow.id == request_id))

    def replace_texts_before(self, cutoff: datetime, marker: str) -> int:
        """Replace the text of questions asked before ``cutoff`` by ``marker`` (retention); the rows stay.
        Returns how many changed (those already saying ``marker`` are left alone)."""
        result = self.session.execute(
            update(HelpRequestRow)
            .where(HelpRequestRow.created_at < cutoff, HelpRequestRow.text != marker)
            .values(text=marker)
            .execution_options(synchronize_session=False)
        )
        return affected_rows(result)

    def is_posted(self, request_id: int) -> bool:
        """Has Kindred published this request anywhere?"""
        found = self.session.scalar(
            select(RequestPostRow.id).where(RequestPostRow.request_id == request_id).limit(1)
        )
        return found is not None

    def open_for(self, asker_id: int, limit: int = 10) -> list[HelpRequest]:
        rows = self.session.scalars(
            select(HelpRequestRow)
            .where(HelpRequestRow.asker_id == asker_id, HelpRequestRow.status.in_(("open", "answered")))
            .order_by(HelpRequestRow.created_at.desc())
            .limit(limit)
        )
        return [to_request(r) for r in rows]

    def record_suggestions(self, request_id: int, matches: Sequence[ResourceMatch | PeerMatch]) -> None:
        """Store each suggestion with its rank: the raw material of ripples."""
        ranks = {"resource": 0, "peer": 0}
        for match in matches:
            kind = "resource" if isinstance(match, ResourceMatch) else "peer"
            ranks[kind] += 1
            self.session.add(
                SuggestionRow(
                    request_id=request_id,
                    kind=kind,
                    resource_id=match.resource_id if isinstance(match, ResourceMatch) else None,
                    teacher_id=match.teacher_id if isinstance(match, PeerMatch) else None,
                    rank=ranks[kind],
                    score=float(match.score),
                    reason=match.reason[:300],
                )
            )
        self.session.flush()

    def suggestions_for(self, request_id: int) -> list[ResourceMatch | PeerMatch]:
        rows = self.session.scalars(
            select(SuggestionRow)
            .where(SuggestionRow.request_id == request_id)
            .order_by(SuggestionRow.kind, SuggestionRow.rank)
        )
        out: list[ResourceMatch | PeerMatch] = []
        for row in rows:
            if row.kind == "resource" and row.resource_id is not None:
                out.append(ResourceMatch(row.resource_id, row.score, row.reason))
            elif row.teacher_id is not None:
                out.append(PeerMatch(row.teacher_id, row.score, row.reason))
        return out

    def recent_peer_counts(self, since: datetime, teacher_ids: Iterable[int] | None = None) -> dict[int, int]:
        """How often each teacher was suggested as a peer since ``since`` (to avoid swamping helpers)."""
        self.session.flush()  # as the ORM's autoflush would
        connection = self.session.connection()  # Core, one prepared statement: read on every question
        params: dict[str, object] = {"since": since}
        if teacher_ids is not None:  # one bound parameter for the ids (a few hundred on every question)
            params[IDS] = ids_value(teacher_ids, connection.dialect.name)
        query = _recent_peers(connection.dialect.name, teacher_ids is not None)
        return {int(tid): int(n) for tid, n in connection.execute(query, params) if tid is not None}

    def record_post(self, request_id: int, platform: str, channel_id: str, message_id: str) -> None:
        """Remember where the question was published (idempotent)."""
        exists = self.session.scalar(
            select(RequestPostRow.id).where(
                RequestPostRow.platform == platform,
                RequestPostRow.channel_id == channel_id,
                RequestPostRow.message_id == message_id,
            )
        )
        if exists is None:
            self.session.add(
                RequestPostRow(
                    request_id=request_id, platform=platform, channel_id=channel_id, message_id=message_id
                )
            )
            self.session.flush()

    def is_post(self, request_id: int, channel_id: str, message_id: str) -> bool:
        """Is this message a post Kindred published for the request (not the asker's own message)?"""
        found = self.session.scalar(
            select(RequestPostRow.id).where(
                RequestPostRow.request_id == request_id,
                RequestPostRow.channel_id == channel_id,
                RequestPostRow.message_id == message_id,
            )
        )
        return found is not None

    def find_by_thread(self, platform: str, channel_id: str, thread_id: str) -> HelpRequest | None:
        """The question whose thread this is: a published post, or the channel message that asked it."""
        request_id = self.session.scalar(
            select(RequestPostRow.request_id).where(
                RequestPostRow.platform == platform,
                RequestPostRow.channel_id == channel_id,
                RequestPostRow.message_id == thread_id,
            )
        )
        if request_id is None:
            request_id = self.session.scalar(
                select(HelpRequestRow.id)
                .where(
                    HelpRequestRow.platform == platform,
                    HelpRequestRow.channel_id == channel_id,
                    HelpRequestRow.message_id == thread_id,
                )
                .limit(1)
            )
        return self.get(request_id) if request_id is not None else None

    def recent_texts_of(self, asker_id: int, limit: int) -> list[str]:
        """The texts of a teacher's latest ``limit`` questions, newest first."""
        return list(
            self.session.scalars(
                select(HelpRequestRow.text)
                .where(HelpRequestRow.asker_id == asker_id)
                .order_by(HelpRequestRow.created_at.desc())
                .limit(limit)
            )
        )

    def suggested_to_asker(self, asker_id: int) -> list[tuple[int | None, int | None, str | None]]:
        """Everything suggested for a teacher's questions, newest first: (peer id, resource sharer id,
        resource title); a peer suggestion has no resource columns, a resource one no peer."""
        rows = self.session.execute(
            select(SuggestionRow.teacher_id, ResourceRow.shared_by, ResourceRow.title)
            .join(HelpRequestRow, HelpRequestRow.id == SuggestionRow.request_id)
            .outerjoin(ResourceRow, ResourceRow.id == SuggestionRow.resource_id)
            .where(HelpRequestRow.asker_id == asker_id)
            .order_by(SuggestionRow.created_at.desc())
        ).all()
        return [(peer, sharer, title) for peer, sharer, title in rows]

    def resource_showings(self, at_least: int) -> dict[int, int]:
        """resource id -> how often it was suggested, for those suggested at least ``at_least`` times."""
        rows = self.session.execute(
            select(SuggestionRow.resource_id, func.count(SuggestionRow.id))
            .where(SuggestionRow.kind == "resource", SuggestionRow.resource_id.is_not(None))
            .group_by(SuggestionRow.resource_id)
            .having(func.count(SuggestionRow.id) >= at_least)
        ).all()
        return {int(resource_id): int(n) for resource_id, n in rows if resource_id is not None}

    def resource_showings_total(self) -> int:
        """How many resource suggestions were ever shown."""
        found = self.session.scalar(
            select(func.count(SuggestionRow.id)).where(SuggestionRow.kind == "resource")
        )
        return int(found or 0)

    def count(self) -> int:
        return int(self.session.scalar(select(func.count(HelpRequestRow.id))) or 0)


@lru_cache(maxsize=8)
def _recent_peers(dialect: str, of_ids: bool) -> Select[Any]:
    """Peer suggestions per teacher since ``:since`` (of the teachers in ``:ids``), built once."""
    c = SuggestionRow.__table__.c
    query = (
        select(c.teacher_id, func.count(c.id))
        .where(c.kind == "peer", c.created_at >= bindparam("since"))
        .group_by(c.teacher_id)
    )
    return query.where(_peer_in(dialect)) if of_ids else query


@lru_cache(maxsize=4)
def _peer_in(dialect: str) -> ColumnElement[bool]:
    return id_in(SuggestionRow.__table__.c.teacher_id, dialect)
