"""Core tables: the profile, questions, suggestions, feedback, adaptation notes, shared resources, vectors."""

from __future__ import annotations

from typing import Any

from bot.matching.indexer import ANSWER, TEACHER
from bot.matching.similar_questions import REQUEST
from bot.privacy.user_data import PROFILE_ORDER, UserDataDeps, UserDataHook

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
    with deps.db.unit_of_work(writes=False) as uow:
        return uow.user_data.profile(teacher_id, PROFILE_FIELDS) or {}


def forget_profile(deps: UserDataDeps, teacher_id: int) -> None:
    with deps.db.unit_of_work() as uow:
        uow.user_data.delete_profile(teacher_id)


# --- their own questions (and what was suggested for them) ---------------------------------------------


def export_requests(deps: UserDataDeps, teacher_id: int) -> dict[str, Any]:
    with deps.db.unit_of_work(writes=False) as uow:
        rows = uow.user_data.requests_of(teacher_id)
        suggestions = _suggestions_by_request(uow.user_data.suggestions_for([r["id"] for r in rows]))
    return {
        "questions": [
            {
                "id": r["id"],
                "text": r["text"],
                "platform": r["platform"],
                "channel_id": r["channel_id"],
                "source": r["source"],
                "anonymous": r["anonymous"],
                "status": r["status"],
                "asked_at": r["created_at"],
                "first_human_reply_at": r["first_human_reply_at"],
                "suggested_resources": suggestions.get(r["id"], {}).get("resource", []),
                "suggested_colleagues": len(suggestions.get(r["id"], {}).get("peer", [])),
            }
            for r in rows
        ]
    }


def _suggestions_by_request(
    rows: list[tuple[int, str, int | None, str | None]],
) -> dict[int, dict[str, list[Any]]]:
    out: dict[int, dict[str, list[Any]]] = {}
    for request_id, kind, resource_id, title in rows:
        bucket = out.setdefault(request_id, {}).setdefault(kind, [])
        bucket.append({"resource_id": resource_id, "title": title} if kind == "resource" else 1)
    return out


def forget_requests(deps: UserDataDeps, teacher_id: int) -> None:
    """Delete their questions; rows hanging off a question (suggestions, follow-ups, posts) go with it."""
    with deps.db.unit_of_work(writes=False) as uow:
        ids = uow.user_data.request_ids_of(teacher_id)
    delete_requests(deps, ids)


def delete_requests(deps: UserDataDeps, ids: list[int]) -> None:
    """Delete questions with their question vectors (kept for duplicate detection) and the answers given to
    them (knowledge-base rows and vectors); follow-ups, posts and links go by ON DELETE CASCADE."""
    if not ids:
        return
    with deps.db.unit_of_work(writes=False) as uow:
        answers = uow.user_data.answer_ids_for(ids)
    for answer_id in answers:
        deps.indexer.remove(ANSWER, answer_id)
    with deps.db.unit_of_work() as uow:
        uow.user_data.delete_requests(ids, REQUEST)  # others' reactions to what was suggested stay, unlinked


# --- suggested to others as a kindred spirit ---------------------------------------------------------


def export_peer_suggestions(deps: UserDataDeps, teacher_id: int) -> dict[str, Any]:
    with deps.db.unit_of_work(writes=False) as uow:
        rows = uow.user_data.peer_suggestions(teacher_id)
    return {"times": [{"request_id": r, "reason": why, "at": at} for r, why, at in rows]}


def forget_peer_suggestions(deps: UserDataDeps, teacher_id: int) -> None:
    with deps.db.unit_of_work() as uow:
        uow.user_data.delete_peer_suggestions(teacher_id)


# --- feedback buttons --------------------------------------------------------------------------------


def export_feedback(deps: UserDataDeps, teacher_id: int) -> dict[str, Any]:
    with deps.db.unit_of_work(writes=False) as uow:
        rows = uow.user_data.feedback(teacher_id)
    return {"reactions": [{"kind": k, "resource_id": r, "title": t, "at": at} for k, r, t, at in rows]}


def forget_feedback(deps: UserDataDeps, teacher_id: int) -> None:
    with deps.db.unit_of_work() as uow:
        uow.user_data.delete_feedback(teacher_id)


# --- "how I used it" notes ---------------------------------------------------------------------------


def export_adaptations(deps: UserDataDeps, teacher_id: int) -> dict[str, Any]:
    with deps.db.unit_of_work(writes=False) as uow:
        rows = uow.user_data.adaptations(teacher_id)
    return {"notes": [{"resource_id": r, "note": n, "at": at} for r, n, at in rows]}


def forget_adaptations(deps: UserDataDeps, teacher_id: int) -> None:
    with deps.db.unit_of_work() as uow:
        uow.user_data.delete_adaptations(teacher_id)


# --- resources they shared: the resource stays in the catalog, without its sharer ------------------------


def export_shared(deps: UserDataDeps, teacher_id: int) -> dict[str, Any]:
    with deps.db.unit_of_work(writes=False) as uow:
        rows = uow.user_data.shared_resources(teacher_id)
    return {
        "resources": [
            {
                "id": r["id"],
                "title": r["title"],
                "url": r["url"],
                "why": r["description"],
                "shared_at": r["created_at"],
            }
            for r in rows
        ]
    }


def forget_shared(deps: UserDataDeps, teacher_id: int) -> None:
    with deps.db.unit_of_work() as uow:
        uow.user_data.unlink_shared(teacher_id)


# --- the profile vector and the peer index ------------------------------------------------------------


def export_vector(deps: UserDataDeps, teacher_id: int) -> dict[str, Any]:
    """Whether a profile vector exists (the numbers themselves are not personal data worth exporting)."""
    with deps.db.unit_of_work(writes=False) as uow:
        models = uow.user_data.vector_models(TEACHER, teacher_id)
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
