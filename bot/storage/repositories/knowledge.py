"""Answered questions (the knowledge base) and links between look-alike open questions."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.domain.knowledge import AnsweredQuestion, ThreadAnswer
from bot.domain.requests import HelpRequest, RequestStatus
from bot.storage.models import (
    AnsweredQuestionRow,
    HelpRequestRow,
    RequestLinkRow,
    TeacherRow,
    ThreadAnswerRow,
)
from bot.storage.repositories.requests import to_request


def to_answer(row: AnsweredQuestionRow) -> AnsweredQuestion:
    return AnsweredQuestion(
        id=row.id,
        request_id=row.request_id,
        helper_id=row.helper_id,
        question=row.question,
        answer=row.answer,
        platform=row.platform,
        workspace_id=row.workspace_id,
        created_at=row.created_at,
    )


class KnowledgeRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def save_answer(
        self,
        request_id: int,
        helper_id: int,
        question: str,
        answer: str,
        platform: str,
        workspace_id: str | None,
    ) -> tuple[AnsweredQuestion, bool]:
        """Store (or update) one helper's answer to one request; returns it and whether it is new."""
        row = self.session.scalar(
            select(AnsweredQuestionRow).where(
                AnsweredQuestionRow.request_id == request_id, AnsweredQuestionRow.helper_id == helper_id
            )
        )
        created = row is None
        if row is None:
            row = AnsweredQuestionRow(request_id=request_id, helper_id=helper_id)
            self.session.add(row)
        row.question, row.answer, row.platform, row.workspace_id = question, answer, platform, workspace_id
        self.session.flush()
        return to_answer(row), created

    def get_many(self, answer_ids: Iterable[int]) -> dict[int, AnsweredQuestion]:
        ids = list(answer_ids)
        if not ids:
            return {}
        rows = self.session.scalars(select(AnsweredQuestionRow).where(AnsweredQuestionRow.id.in_(ids)))
        return {row.id: to_answer(row) for row in rows}

    def all(self) -> list[AnsweredQuestion]:
        rows = self.session.scalars(select(AnsweredQuestionRow).order_by(AnsweredQuestionRow.id))
        return [to_answer(row) for row in rows]

    def recent_open_requests(
        self,
        since: datetime,
        platform: str,
        workspace_id: str | None,
        exclude_request_id: int,
        exclude_asker_id: int | None,
    ) -> list[tuple[int, str, datetime]]:
        """``(id, text, asked at)`` of the open questions asked since ``since`` in the same community,
        other than the asker's own."""
        query = (
            select(HelpRequestRow.id, HelpRequestRow.text, HelpRequestRow.created_at)
            .outerjoin(TeacherRow, TeacherRow.id == HelpRequestRow.asker_id)
            .where(
                HelpRequestRow.status == RequestStatus.OPEN.value,
                HelpRequestRow.created_at >= since,
                HelpRequestRow.platform == platform,
                HelpRequestRow.id != exclude_request_id,
            )
        )
        if exclude_asker_id is not None:
            query = query.where(
                or_(HelpRequestRow.asker_id.is_(None), HelpRequestRow.asker_id != exclude_asker_id)
            )
        if workspace_id is not None:
            query = query.where(
                or_(TeacherRow.workspace_id.is_(None), TeacherRow.workspace_id == workspace_id)
            )
        return [(int(i), str(t), asked) for i, t, asked in self.session.execute(query)]

    def askers_open_requests(
        self, asker_id: int, platform: str, since: datetime, exclude_request_id: int
    ) -> list[tuple[int, str]]:
        """(id, text) of the asker's own questions since ``since`` that are still open (or answered but not
        yet solved), newest first."""
        rows = self.session.execute(
            select(HelpRequestRow.id, HelpRequestRow.text)
            .where(
                HelpRequestRow.asker_id == asker_id,
                HelpRequestRow.platform == platform,
                HelpRequestRow.status.in_([RequestStatus.OPEN.value, RequestStatus.ANSWERED.value]),
                HelpRequestRow.created_at >= since,
                HelpRequestRow.id != exclude_request_id,
            )
            .order_by(HelpRequestRow.id.desc())
        )
        return [(int(i), str(t)) for i, t in rows]

    def open_earlier_links(self, request_id: int) -> list[int]:
        """The earlier questions ``request_id`` was linked to as a near-duplicate that are still open (or
        answered, not yet solved): while one is, ``request_id`` needs no nudges or post of its own."""
        return list(
            self.session.scalars(
                select(RequestLinkRow.similar_request_id)
                .join(HelpRequestRow, HelpRequestRow.id == RequestLinkRow.similar_request_id)
                .where(
                    RequestLinkRow.request_id == request_id,
                    HelpRequestRow.status.in_([RequestStatus.OPEN.value, RequestStatus.ANSWERED.value]),
                )
            )
        )

    def link(self, request_id: int, similar_request_id: int, score: float) -> bool:
        """Remember that two questions are near-duplicates (once); True when newly linked."""
        exists = self.session.scalar(
            select(RequestLinkRow.id).where(
                RequestLinkRow.request_id == request_id,
                RequestLinkRow.similar_request_id == similar_request_id,
            )
        )
        if exists is not None:
            return False
        try:
            with self.session.begin_nested():
                self.session.add(
                    RequestLinkRow(request_id=request_id, similar_request_id=similar_request_id, score=score)
                )
        except IntegrityError:
            return False
        return True

    def linked_requests(self, request_id: int) -> list[HelpRequest]:
        """Questions linked to ``request_id`` in either direction."""
        ids = set(
            self.session.scalars(
                select(RequestLinkRow.similar_request_id).where(RequestLinkRow.request_id == request_id)
            )
        ) | set(
            self.session.scalars(
                select(RequestLinkRow.request_id).where(RequestLinkRow.similar_request_id == request_id)
            )
        )
        if not ids:
            return []
        rows = self.session.scalars(
            select(HelpRequestRow).where(HelpRequestRow.id.in_(ids)).order_by(HelpRequestRow.id)
        )
        return [to_request(row) for row in rows]

    # --- replies in question threads ---------------------------------------------------------------------

    def add_thread_answer(
        self, request_id: int, helper_id: int, text: str, message_id: str | None
    ) -> ThreadAnswer:
        """Keep a colleague's thread reply (once per message; a re-delivered event finds the same one)."""
        row = None
        if message_id is not None:
            row = self.session.scalar(
                select(ThreadAnswerRow).where(
                    ThreadAnswerRow.request_id == request_id, ThreadAnswerRow.message_id == message_id
                )
            )
        if row is None:
            row = ThreadAnswerRow(
                request_id=request_id, helper_id=helper_id, text=text, message_id=message_id
            )
            try:
                with self.session.begin_nested():
                    self.session.add(row)
            except IntegrityError:
                found = self.thread_answer_for_message(request_id, message_id or "")
                if found is None:
                    raise
                return found
        found = self.thread_answer(row.id)
        assert found is not None
        return found

    def thread_answer(self, answer_id: int) -> ThreadAnswer | None:
        return self._thread_answer(ThreadAnswerRow.id == answer_id)

    def thread_answer_for_message(self, request_id: int, message_id: str) -> ThreadAnswer | None:
        """The reply posted as ``message_id`` in ``request_id``'s thread (e.g. one reacted to)."""
        return self._thread_answer(
            ThreadAnswerRow.request_id == request_id, ThreadAnswerRow.message_id == message_id
        )

    def latest_thread_answer(self, request_id: int) -> ThreadAnswer | None:
        return self._thread_answer(ThreadAnswerRow.request_id == request_id)

    def _thread_answer(self, *where: Any) -> ThreadAnswer | None:
        found = self.session.execute(
            select(ThreadAnswerRow, TeacherRow.name, TeacherRow.platform_user_id)
            .join(TeacherRow, TeacherRow.id == ThreadAnswerRow.helper_id)
            .where(*where)
            .order_by(ThreadAnswerRow.id.desc())
            .limit(1)
        ).first()
        if found is None:
            return None
        row, name, user_id = found
        return ThreadAnswer(row.id, row.request_id, row.helper_id, name or user_id, row.text, row.created_at)
