"""Anonymity tables, by platform user: anonymous questions (found by the asker's keyed fingerprint, never by a
foreign key), flags they raised and moderator actions they took.

Works for someone who never had a profile (only ever asked anonymously). A block on an author stays (it is
keyed by the fingerprint, which names nobody), so forgetting oneself is not a way around a block.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, delete, func, select, update

from bot.anonymity.escrow import Escrow
from bot.privacy.hooks.core import delete_requests
from bot.privacy.user_data import PersonHook, UserDataDeps
from bot.storage.models import (
    AnonymityAuditRow,
    AnonymousBlockRow,
    AnonymousFlagRow,
    AnonymousQuestionRow,
    HelpRequestRow,
)

FORGOTTEN = "(forgotten)"  # what an audit row says about a moderator who was forgotten


def _question_ids(deps: UserDataDeps, platform: str, user_id: str) -> list[int] | None:
    """Their anonymous request ids; None when no identity key is configured (cannot be matched)."""
    key = getattr(getattr(deps, "anonymity", None), "identity_key", None)
    if not key:
        return None
    fingerprint = Escrow(key).fingerprint(platform, user_id)
    with deps.db.session() as session:
        return list(
            session.scalars(
                select(AnonymousQuestionRow.request_id).where(AnonymousQuestionRow.fingerprint == fingerprint)
            )
        )


def _flags(platform: str, user_id: str) -> ColumnElement[bool]:
    on_platform = select(HelpRequestRow.id).where(HelpRequestRow.platform == platform).scalar_subquery()
    return (AnonymousFlagRow.flagged_by == user_id) & AnonymousFlagRow.request_id.in_(on_platform)


def _audit(platform: str, user_id: str) -> ColumnElement[bool]:
    return (AnonymityAuditRow.actor_platform == platform) & (AnonymityAuditRow.actor_id == user_id)


def export_anonymous(deps: UserDataDeps, platform: str, user_id: str) -> dict[str, Any] | None:
    ids = _question_ids(deps, platform, user_id)
    with deps.db.session() as session:
        flagged = session.scalars(select(AnonymousFlagRow.request_id).where(_flags(platform, user_id))).all()
        actions = session.execute(
            select(AnonymityAuditRow.action, AnonymityAuditRow.request_id, AnonymityAuditRow.created_at)
            .where(_audit(platform, user_id))
            .order_by(AnonymityAuditRow.id)
        ).all()
        rows = (
            session.execute(
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
            if ids
            else []
        )
    if not (rows or flagged or actions):
        return None
    section: dict[str, Any] = {
        "questions": [
            {"request_id": r.id, "text": r.text, "asked_at": r.created_at, "pseudonym": r.pseudonym}
            for r in rows
        ],
        "questions_you_flagged": list(flagged),
        "moderator_actions_you_took": [{"action": a, "request_id": r, "at": at} for a, r, at in actions],
    }
    if ids is None:
        section["note"] = "anonymous questions cannot be matched without KINDRED_IDENTITY_KEY"
    return section


def forget_anonymous(deps: UserDataDeps, platform: str, user_id: str) -> bool:
    """Their anonymous questions go (with their vectors and follow-ups); their flags go; audit and block
    rows they wrote as a moderator stay, saying "(forgotten)" instead of who."""
    ids = _question_ids(deps, platform, user_id) or []
    with deps.db.session() as session:
        flags = session.scalar(
            select(func.count()).select_from(AnonymousFlagRow).where(_flags(platform, user_id))
        )
        audits = session.scalar(
            select(func.count()).select_from(AnonymityAuditRow).where(_audit(platform, user_id))
        )
        session.execute(delete(AnonymousFlagRow).where(_flags(platform, user_id)))
        session.execute(update(AnonymityAuditRow).where(_audit(platform, user_id)).values(actor_id=FORGOTTEN))
        session.execute(
            update(AnonymousBlockRow)
            .where(AnonymousBlockRow.platform == platform, AnonymousBlockRow.blocked_by == user_id)
            .values(blocked_by=FORGOTTEN)
        )
    if ids:
        with deps.db.session() as session:
            session.execute(delete(AnonymousQuestionRow).where(AnonymousQuestionRow.request_id.in_(ids)))
        delete_requests(deps, ids)
    return bool(ids or flags or audits)


ANONYMOUS_QUESTIONS = PersonHook(
    "anonymous_questions",
    export_anonymous,
    forget_anonymous,
    ("anonymous_questions", "anonymous_flags", "anonymous_blocks", "anonymity_audit"),
)
