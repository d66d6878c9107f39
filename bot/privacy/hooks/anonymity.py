"""Anonymity tables, by platform user: anonymous questions (found by the asker's keyed fingerprint, never by a
foreign key), flags they raised and moderator actions they took.

Works for someone who never had a profile (only ever asked anonymously). A block on an author stays (it is
keyed by the fingerprint, which names nobody), so forgetting oneself is not a way around a block.
"""

from __future__ import annotations

from typing import Any

from bot.anonymity.escrow import Escrow
from bot.privacy.hooks.core import delete_requests
from bot.privacy.user_data import PersonHook, UserDataDeps

FORGOTTEN = "(forgotten)"  # what an audit row says about a moderator who was forgotten


def _question_ids(deps: UserDataDeps, platform: str, user_id: str) -> list[int] | None:
    """Their anonymous request ids; None when no identity key is configured (cannot be matched)."""
    key = getattr(getattr(deps, "anonymity", None), "identity_key", None)
    if not key:
        return None
    fingerprint = Escrow(key).fingerprint(platform, user_id)
    with deps.db.unit_of_work(writes=False) as uow:
        return uow.anonymity.request_ids_of(fingerprint)


def export_anonymous(deps: UserDataDeps, platform: str, user_id: str) -> dict[str, Any] | None:
    ids = _question_ids(deps, platform, user_id)
    with deps.db.unit_of_work(writes=False) as uow:
        store = uow.anonymity
        flagged = store.flags_raised_by(platform, user_id)
        actions = store.actions_taken_by(platform, user_id)
        rows = store.questions_with_pseudonyms(ids or [])
    if not (rows or flagged or actions):
        return None
    section: dict[str, Any] = {
        "questions": [
            {"request_id": request_id, "text": text, "asked_at": at, "pseudonym": pseudonym}
            for request_id, text, at, pseudonym in rows
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
    with deps.db.unit_of_work() as uow:
        acted = uow.anonymity.forget_actor(platform, user_id, FORGOTTEN)
    if ids:
        with deps.db.unit_of_work() as uow:
            uow.anonymity.delete_questions(ids)
        delete_requests(deps, ids)
    return bool(ids or acted)


ANONYMOUS_QUESTIONS = PersonHook(
    "anonymous_questions",
    export_anonymous,
    forget_anonymous,
    ("anonymous_questions", "anonymous_flags", "anonymous_blocks", "anonymity_audit"),
)
