"""Anonymous questions: found by the asker's keyed fingerprint (never by a foreign key), then deleted."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select

from bot.anonymity.escrow import Escrow
from bot.privacy.user_data import UserDataDeps, UserDataHook
from bot.storage.anonymity_models import AnonymousQuestionRow
from bot.storage.models import HelpRequestRow
from bot.storage.repositories import TeacherRepository


def user_data_hooks() -> list[UserDataHook]:
    return [
        UserDataHook(
            "anonymous_questions", export_anonymous, forget_anonymous, ("anonymous_questions",), order=20
        )
    ]


def _question_ids(deps: UserDataDeps, teacher_id: int) -> list[int] | None:
    """The teacher's anonymous request ids; None when no identity key is configured (cannot be matched)."""
    key = getattr(getattr(deps, "anonymity", None), "identity_key", None)
    if not key:
        return None
    with deps.db.session() as session:
        teacher = TeacherRepository(session).get(teacher_id)
        if teacher is None:
            return []
        fingerprint = Escrow(key).fingerprint(teacher.platform, teacher.platform_user_id)
        return list(
            session.scalars(
                select(AnonymousQuestionRow.request_id).where(AnonymousQuestionRow.fingerprint == fingerprint)
            )
        )


def export_anonymous(deps: UserDataDeps, teacher_id: int) -> dict[str, Any]:
    ids = _question_ids(deps, teacher_id)
    if ids is None:
        return {"note": "anonymous questions cannot be matched without KINDRED_IDENTITY_KEY"}
    with deps.db.session() as session:
        rows = session.execute(
            select(
                HelpRequestRow.id,
                HelpRequestRow.text,
                HelpRequestRow.created_at,
                AnonymousQuestionRow.pseudonym,
            )
            .join(AnonymousQuestionRow, AnonymousQuestionRow.request_id == HelpRequestRow.id)
            .where(HelpRequestRow.id.in_(ids))
            .order_by(HelpRequestRow.id)
        ).all()
    return {
        "questions": [
            {"request_id": r.id, "text": r.text, "asked_at": r.created_at, "pseudonym": r.pseudonym}
            for r in rows
        ]
    }


def forget_anonymous(deps: UserDataDeps, teacher_id: int) -> None:
    ids = _question_ids(deps, teacher_id)
    if not ids:
        return
    with deps.db.session() as session:
        session.execute(delete(AnonymousQuestionRow).where(AnonymousQuestionRow.request_id.in_(ids)))
        session.execute(delete(HelpRequestRow).where(HelpRequestRow.id.in_(ids)))
