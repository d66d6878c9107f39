"""Settings, packs, goals, ripples, answers given: each exported as a labelled section a teacher can read."""

from __future__ import annotations

from typing import Any

from bot.matching.indexer import ANSWER
from bot.privacy.user_data import UserDataDeps, UserDataHook

SETTING_FIELDS = (
    "nudges_enabled",
    "work_days",
    "day_start",
    "day_end",
    "quiet_start",
    "quiet_end",
    "weekly_nudge_limit",
    "snoozed_until",
    "checkin_enabled",
    "checkin_day",
    "checkin_time",
    "post_unanswered",
    "updated_at",
)


# --- /kindred settings ----------------------------------------------------------------------------------


def export_settings(deps: UserDataDeps, teacher_id: int) -> dict[str, Any]:
    with deps.db.unit_of_work(writes=False) as uow:
        settings = uow.user_data.settings(teacher_id, SETTING_FIELDS)
    return settings if settings is not None else {"note": "you never changed a setting: the defaults apply"}


def forget_settings(deps: UserDataDeps, teacher_id: int) -> None:
    with deps.db.unit_of_work() as uow:
        uow.user_data.delete_settings(teacher_id)


# --- /pack ------------------------------------------------------------------------------------------------


def export_packs(deps: UserDataDeps, teacher_id: int) -> dict[str, Any]:
    with deps.db.unit_of_work(writes=False) as uow:
        member = uow.user_data.pack_membership(teacher_id)
        rows = uow.user_data.pack_assignments(teacher_id)
    return {
        "membership": member,
        "packs_you_were_in": [
            {
                "focus": a["focus"],
                "introduced_at": a["introduced_at"],
                "did_you_meet": a["check_in"],
                "answered_at": a["answered_at"],
            }
            for a in rows
        ],
    }


def forget_packs(deps: UserDataDeps, teacher_id: int) -> None:
    with deps.db.unit_of_work() as uow:
        uow.user_data.delete_pack_rows(teacher_id)


# --- /goal ------------------------------------------------------------------------------------------------


def export_goals(deps: UserDataDeps, teacher_id: int) -> dict[str, Any]:
    with deps.db.unit_of_work(writes=False) as uow:
        goals = uow.user_data.goals(teacher_id)
    return {
        "goals": [
            {
                "goal": goal["text"],
                "framework": goal["framework"],
                "component": goal["component_name"],
                "active": goal["active"],
                "set_at": goal["created_at"],
                "learning_log": [{"reflection": text, "at": at} for text, at in goal["logs"]],
                "weekly_checkins": [{"week_of": week, "state": state} for week, state in goal["checkins"]],
            }
            for goal in goals
        ]
    }


def forget_goals(deps: UserDataDeps, teacher_id: int) -> None:
    with deps.db.unit_of_work() as uow:
        uow.user_data.delete_goals(teacher_id)


# --- /ripples ---------------------------------------------------------------------------------------------


def export_ripples(deps: UserDataDeps, teacher_id: int) -> dict[str, Any]:
    with deps.db.unit_of_work(writes=False) as uow:
        rows = uow.user_data.ripple_events(teacher_id)
    return {
        "ripples": [
            {
                "kind": r["kind"],
                "you_were": "credited" if r["teacher_id"] == teacher_id else "helped",
                "note": r["note"],
                "at": r["created_at"],
            }
            for r in rows
        ]
    }


def forget_ripples(deps: UserDataDeps, teacher_id: int) -> None:
    """Ripples crediting them go; a colleague's ripple that helped them stays, without them."""
    with deps.db.unit_of_work() as uow:
        uow.user_data.forget_ripples(teacher_id)


# --- answers they gave (the knowledge base) -----------------------------------------------------------------


def export_answers(deps: UserDataDeps, teacher_id: int) -> dict[str, Any]:
    with deps.db.unit_of_work(writes=False) as uow:
        answers = uow.user_data.answers_given(teacher_id)
        replies = uow.user_data.thread_replies(teacher_id)
    return {
        "answers": [{"question": q, "answer": a, "at": at} for q, a, at in answers],
        "replies in question threads": [{"reply": text, "at": at} for text, at in replies],
    }


def forget_answers(deps: UserDataDeps, teacher_id: int) -> None:
    """Their answers leave the knowledge base, vectors included."""
    with deps.db.unit_of_work(writes=False) as uow:
        ids = uow.user_data.answer_ids_by(teacher_id)
    for answer_id in ids:
        deps.indexer.remove(ANSWER, answer_id)
    with deps.db.unit_of_work() as uow:
        uow.user_data.delete_answers(teacher_id, ids)


# --- registered by the features that own the rows (``bot.handlers``) ---------------------------------------

SETTINGS = UserDataHook("settings", export_settings, forget_settings, ("teacher_prefs",))
PACKS = UserDataHook("packs", export_packs, forget_packs, ("pack_members", "pack_assignments"))
GOALS = UserDataHook("goals", export_goals, forget_goals, ("goals",))
RIPPLES = UserDataHook("ripples", export_ripples, forget_ripples, ("ripple_events",))
ANSWERS_YOU_GAVE = UserDataHook(
    "answers_you_gave", export_answers, forget_answers, ("answered_questions", "thread_answers"), order=35
)
