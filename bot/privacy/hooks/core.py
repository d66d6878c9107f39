"""Core tables: the profile, questions, suggestions, feedback, adaptation notes, shared resources, vectors."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bot.matching.indexer import ANSWER, TEACHER
from bot.matching.similar_questions import REQUEST
from bot.privacy.user_data import PROFILE_ORDER, UserDataDeps, UserDataHook
from bot.storage.models import (
    AdaptationRow,
    AnsweredQuestionRow,
    EmbeddingRow,
    FeedbackRow,
    HelpRequestRow,
    ResourceRow,
    SuggestionRow,
    TeacherRow,
)

PROFILE_FIELDS = (
    "platform",
    "platform_user_id",
    "workspace_id",
    "name",
    "subjects",
    "grades",
    "interests",
    "roles",
    "bio",
    "timezone",
    "open_to_help",
    "years_experience",
    "school",
    "email",
    "onboarded",
    "created_at",
    "updated_at",
)


# --- profile -----------------------------------------------------------------------------------------


def export_profile(deps: UserDataDeps, teacher_id: int) -> dict[str, Any]:
    with deps.db.session() as session:
        row = session.get(TeacherRow, teacher_id)
        return {name: getattr(row, name) for name in PROFILE_FIELDS} if row else {}


def forget_profile(deps: UserDataDeps, teacher_id: int) -> None:
    with deps.db.session() as session:
        session.execute(delete(TeacherRow).where(TeacherRow.id == teacher_id))


# --- their own questions (and what was suggested for them) ---------------------------------------------


def export_requests(deps: UserDataDeps, teacher_id: int) -> dict[str, Any]:
    with deps.db.session() as session:
        rows = session.scalars(
            select(HelpRequestRow).where(HelpRequestRow.asker_id == teacher_id).order_by(HelpRequestRow.id)
        ).all()
        suggestions = _suggestions_by_request(session, [r.id for r in rows])
        return {
            "questions": [
                {
                    "id": r.id,
                    "text": r.text,
                    "platform": r.platform,
                    "channel_id": r.channel_id,
                    "source": r.source,
                    "anonymous": r.anonymous,
                    "status": r.status,
                    "asked_at": r.created_at,
                    "first_human_reply_at": r.first_human_reply_at,
                    "suggested_resources": suggestions.get(r.id, {}).get("resource", []),
                    "suggested_colleagues": len(suggestions.get(r.id, {}).get("peer", [])),
                }
                for r in rows
            ]
        }


def _suggestions_by_request(session: Session, request_ids: list[int]) -> dict[int, dict[str, list[Any]]]:
    out: dict[int, dict[str, list[Any]]] = {}
    if not request_ids:
        return out
    rows = session.execute(
        select(SuggestionRow.request_id, SuggestionRow.kind, SuggestionRow.resource_id, ResourceRow.title)
        .outerjoin(ResourceRow, ResourceRow.id == SuggestionRow.resource_id)
        .where(SuggestionRow.request_id.in_(request_ids))
        .order_by(SuggestionRow.request_id, SuggestionRow.kind, SuggestionRow.rank)
    )
    for request_id, kind, resource_id, title in rows:
        bucket = out.setdefault(request_id, {}).setdefault(kind, [])
        bucket.append({"resource_id": resource_id, "title": title} if kind == "resource" else 1)
    return out


def forget_requests(deps: UserDataDeps, teacher_id: int) -> None:
    """Delete their questions; rows hanging off a question (suggestions, follow-ups, posts) go with it."""
    with deps.db.session() as session:
        ids = list(session.scalars(select(HelpRequestRow.id).where(HelpRequestRow.asker_id == teacher_id)))
    delete_requests(deps, ids)


def delete_requests(deps: UserDataDeps, ids: list[int]) -> None:
    """Delete questions with their question vectors (kept for duplicate detection) and the answers given to
    them (knowledge-base rows and vectors); follow-ups, posts and links go by ON DELETE CASCADE."""
    if not ids:
        return
    with deps.db.session() as session:
        answers = list(
            session.scalars(select(AnsweredQuestionRow.id).where(AnsweredQuestionRow.request_id.in_(ids)))
        )
    for answer_id in answers:
        deps.indexer.remove(ANSWER, answer_id)
    with deps.db.session() as session:
        session.execute(
            delete(EmbeddingRow).where(EmbeddingRow.kind == REQUEST, EmbeddingRow.item_id.in_(ids))
        )
        session.execute(delete(SuggestionRow).where(SuggestionRow.request_id.in_(ids)))
        session.execute(
            update(FeedbackRow).where(FeedbackRow.request_id.in_(ids)).values(request_id=None)
        )  # others' reactions to resources suggested to them stay, unlinked
        session.execute(delete(HelpRequestRow).where(HelpRequestRow.id.in_(ids)))


# --- suggested to others as a kindred spirit ---------------------------------------------------------


def export_peer_suggestions(deps: UserDataDeps, teacher_id: int) -> dict[str, Any]:
    with deps.db.session() as session:
        rows = session.execute(
            select(SuggestionRow.request_id, SuggestionRow.reason, SuggestionRow.created_at)
            .where(SuggestionRow.kind == "peer", SuggestionRow.teacher_id == teacher_id)
            .order_by(SuggestionRow.id)
        ).all()
    return {"times": [{"request_id": r, "reason": why, "at": at} for r, why, at in rows]}


def forget_peer_suggestions(deps: UserDataDeps, teacher_id: int) -> None:
    with deps.db.session() as session:
        session.execute(delete(SuggestionRow).where(SuggestionRow.teacher_id == teacher_id))


# --- feedback buttons --------------------------------------------------------------------------------


def export_feedback(deps: UserDataDeps, teacher_id: int) -> dict[str, Any]:
    with deps.db.session() as session:
        rows = session.execute(
            select(FeedbackRow.kind, FeedbackRow.resource_id, ResourceRow.title, FeedbackRow.created_at)
            .join(ResourceRow, ResourceRow.id == FeedbackRow.resource_id)
            .where(FeedbackRow.teacher_id == teacher_id)
            .order_by(FeedbackRow.id)
        ).all()
    return {"reactions": [{"kind": k, "resource_id": r, "title": t, "at": at} for k, r, t, at in rows]}


def forget_feedback(deps: UserDataDeps, teacher_id: int) -> None:
    with deps.db.session() as session:
        session.execute(delete(FeedbackRow).where(FeedbackRow.teacher_id == teacher_id))


# --- "how I used it" notes ---------------------------------------------------------------------------


def export_adaptations(deps: UserDataDeps, teacher_id: int) -> dict[str, Any]:
    with deps.db.session() as session:
        rows = session.execute(
            select(AdaptationRow.resource_id, AdaptationRow.note, AdaptationRow.created_at)
            .where(AdaptationRow.teacher_id == teacher_id)
            .order_by(AdaptationRow.id)
        ).all()
    return {"notes": [{"resource_id": r, "note": n, "at": at} for r, n, at in rows]}


def forget_adaptations(deps: UserDataDeps, teacher_id: int) -> None:
    with deps.db.session() as session:
        session.execute(delete(AdaptationRow).where(AdaptationRow.teacher_id == teacher_id))


# --- resources they shared: the resource stays in the catalog, without its sharer ------------------------


def export_shared(deps: UserDataDeps, teacher_id: int) -> dict[str, Any]:
    with deps.db.session() as session:
        rows = session.scalars(
            select(ResourceRow).where(ResourceRow.shared_by == teacher_id).order_by(ResourceRow.id)
        ).all()
        return {
            "resources": [
                {"id": r.id, "title": r.title, "url": r.url, "why": r.description, "shared_at": r.created_at}
                for r in rows
            ]
        }


def forget_shared(deps: UserDataDeps, teacher_id: int) -> None:
    with deps.db.session() as session:
        session.execute(update(ResourceRow).where(ResourceRow.shared_by == teacher_id).values(shared_by=None))


# --- the profile vector and the peer index ------------------------------------------------------------


def export_vector(deps: UserDataDeps, teacher_id: int) -> dict[str, Any]:
    """Whether a profile vector exists (the numbers themselves are not personal data worth exporting)."""
    with deps.db.session() as session:
        models = session.scalars(
            select(EmbeddingRow.model).where(EmbeddingRow.kind == TEACHER, EmbeddingRow.item_id == teacher_id)
        ).all()
    return {"stored_for_models": sorted(models), "used_for": "matching you as a colleague who can help"}


def forget_vector(deps: UserDataDeps, teacher_id: int) -> None:
    deps.indexer.remove(TEACHER, teacher_id)  # the stored vectors (all models) and the index entry


# --- registered by the features that own the rows (``bot.handlers``) ---------------------------------------

HELP_REQUESTS = UserDataHook("help_requests", export_requests, forget_requests, ("help_requests",), order=40)
SUGGESTED_AS_PEER = UserDataHook(
    "suggested_as_peer", export_peer_suggestions, forget_peer_suggestions, ("suggestions",)
)
FEEDBACK = UserDataHook("feedback", export_feedback, forget_feedback, ("feedback",))
ADAPTATION_NOTES = UserDataHook("adaptation_notes", export_adaptations, forget_adaptations, ("adaptations",))
SHARED_RESOURCES = UserDataHook("shared_resources", export_shared, forget_shared, ("resources",))
PROFILE_VECTOR = UserDataHook("profile_vector", export_vector, forget_vector, ("embeddings",), order=60)
PROFILE = UserDataHook("profile", export_profile, forget_profile, ("teachers",), order=PROFILE_ORDER)
